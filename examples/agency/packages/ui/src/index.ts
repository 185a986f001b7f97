export { contactEndpoint, validateContact, type ContactErrors, type ContactFields } from "./contact.ts";
export { formatFromPrice, formatHours, formatPhone, formatTime, telHref } from "./format.ts";
export type { OpeningHours, Service, SiteInfo } from "./types.ts";
