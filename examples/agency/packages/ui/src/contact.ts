/** The contact form's fields, as the intake worker expects them. */
export interface ContactFields {
  name: string;
  email: string;
  phone: string;
  message: string;
}

export type ContactErrors = Partial<Record<keyof ContactFields, string>>;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Where a site's form posts: `<intake base URL>/submit/<site slug>`. */
export function contactEndpoint(intakeBase: string, siteSlug: string): string {
  if (!SLUG.test(siteSlug)) throw new RangeError(`not a site slug: ${siteSlug}`);
  const base = new URL(intakeBase);
  if (base.protocol !== "https:" && base.hostname !== "localhost" && base.hostname !== "127.0.0.1") {
    throw new RangeError(`the intake URL must use https: ${intakeBase}`);
  }
  return new URL(`submit/${siteSlug}`, base.href.endsWith("/") ? base.href : `${base.href}/`).href;
}

/** The browser-side check before posting; the worker validates again. */
export function validateContact(fields: ContactFields): ContactErrors {
  const errors: ContactErrors = {};
  if (fields.name.trim().length < 2) errors.name = "Please tell us your name.";
  if (!EMAIL.test(fields.email.trim())) errors.email = "Please enter a valid email address.";
  if (fields.phone.trim() && fields.phone.replace(/\D/g, "").length < 7) errors.phone = "That phone number looks too short.";
  if (fields.message.trim().length < 10) errors.message = "Please write a few words about what you need.";
  return errors;
}
