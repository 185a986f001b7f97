// Validation of the contact form, kept free of Worker APIs so it can be unit tested.

export const MAX_LENGTH = { name: 200, email: 254, message: 5000 };

// Deliberately loose: the backend validates the address again with Django's EmailValidator.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const clean = (value) => (typeof value === "string" ? value.trim() : "");

/**
 * Checks the posted fields ({ name, email, message }, as strings).
 * Returns { ok: true, data } with the trimmed fields, or { ok: false, errors } keyed by field.
 */
export function validateContact(fields) {
  const data = {
    name: clean(fields.name),
    email: clean(fields.email),
    message: clean(fields.message),
  };

  const errors = {};
  for (const [field, max] of Object.entries(MAX_LENGTH)) {
    if (!data[field]) errors[field] = "This field is required.";
    else if (data[field].length > max) errors[field] = `Please keep this under ${max} characters.`;
  }
  if (!errors.email && !EMAIL.test(data.email)) errors.email = "Please enter a valid email address.";

  return Object.keys(errors).length === 0 ? { ok: true, data } : { ok: false, errors };
}
