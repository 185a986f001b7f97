/** Validation of a contact-form post, shared by every client site. */

export const LIMITS = { name: 120, email: 254, message: 5000, fields: 50 } as const;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ContactFields {
  name: string;
  email: string;
  message: string;
}

export type FormResult =
  | { ok: true; fields: ContactFields; payload: Record<string, string> }
  | { ok: false; errors: Record<string, string> };

function required(value: string | undefined, max: number): string | null {
  if (value === undefined || value.trim() === "") return "This field is required.";
  if (value.trim().length > max) return `Must be at most ${max} characters.`;
  return null;
}

/** Validates the contact fields; `payload` keeps every text field as posted (files are dropped). */
export function validateForm(form: FormData): FormResult {
  const payload: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") payload[key] = value;
  }
  if (Object.keys(payload).length > LIMITS.fields) {
    return { ok: false, errors: { form: `Too many fields (at most ${LIMITS.fields}).` } };
  }

  const errors: Record<string, string> = {};
  for (const field of ["name", "email", "message"] as const) {
    const problem = required(payload[field], LIMITS[field]);
    if (problem) errors[field] = problem;
  }
  const email = payload.email?.trim() ?? "";
  if (!errors.email && !EMAIL_SHAPE.test(email)) errors.email = "Enter a valid email address.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  return {
    ok: true,
    fields: {
      name: (payload.name ?? "").trim(),
      email,
      message: (payload.message ?? "").trim(),
    },
    payload,
  };
}
