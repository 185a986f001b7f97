/** Contact form → intake worker. Pure helpers first, DOM wiring in main.js. */

export const DEFAULT_INTAKE_URL = "http://localhost:8787";
export const CLIENT = "your-site";

/** The form endpoint on the worker whose base URL is given at build time. */
export function intakeEndpoint(baseUrl) {
  const base = (baseUrl || DEFAULT_INTAKE_URL).replace(/\/+$/, "");
  return `${base}/intake/${CLIENT}/form`;
}

/** A message for the visitor from the worker's answer. */
export function describeAnswer(status, body) {
  if (status === 201) return "Thanks! We will get back to you soon.";
  if (status === 400 && body && body.fields) {
    return Object.entries(body.fields)
      .map(([field, problem]) => `${field}: ${problem}`)
      .join(" ");
  }
  return "Sorry, your message could not be sent. Please try again later.";
}
