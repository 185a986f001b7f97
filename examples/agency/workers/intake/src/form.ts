/** A contact-form submission that passed validation, trimmed and ready to store. */
export interface Submission {
  site: string;
  name: string;
  email: string;
  phone: string;
  message: string;
}

export type FormResult = { ok: true; submission: Submission } | { ok: false; errors: Record<string, string> } | { ok: false; spam: true };

const SITE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Column sizes of leads_submission (apps/web/leads/models.py).
const MAX = { site: 64, name: 120, email: 254, phone: 32, message: 5000 } as const;

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

export function isSiteSlug(value: string): boolean {
  return value.length <= MAX.site && SITE.test(value);
}

/** Validates the posted fields the way the sites' own form script does, and a little more. */
export function readSubmission(site: string, form: FormData): FormResult {
  // The honeypot field is hidden from people; anything in it was typed by a bot.
  if (field(form, "website") !== "") return { ok: false, spam: true };
  const submission: Submission = {
    site,
    name: field(form, "name"),
    email: field(form, "email").toLowerCase(),
    phone: field(form, "phone"),
    message: field(form, "message"),
  };
  const errors: Record<string, string> = {};
  if (!isSiteSlug(site)) errors.site = "unknown site";
  if (submission.name.length < 2 || submission.name.length > MAX.name) errors.name = "name is required (2-120 characters)";
  if (!EMAIL.test(submission.email) || submission.email.length > MAX.email) errors.email = "a valid email address is required";
  if (submission.phone.length > MAX.phone || (submission.phone !== "" && submission.phone.replace(/\D/g, "").length < 7)) {
    errors.phone = "phone number is not valid";
  }
  if (submission.message.length < 10 || submission.message.length > MAX.message) errors.message = "message is required (10-5000 characters)";
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, submission };
}
