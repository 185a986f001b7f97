/** Replaces secret values in tool output and reports before anything is rendered or stored. */

export const REDACTED = "***";

/** Shorter values would blank out ordinary words and numbers all over the output. */
const MIN_SECRET_LENGTH = 4;

/**
 * The base64 characters that depend only on the secret's bytes when the secret starts
 * `offset` bytes into a longer encoded payload (e.g. `user:password` in a Basic auth
 * header); the edge characters mix in neighbouring bytes and are left alone.
 */
function base64Core(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
  const start = Math.ceil((offset * 8) / 6);
  const end = Math.floor(((offset + bytes.length) * 8) / 6);
  return encoded.slice(start, end);
}

/** The forms a secret takes in logs: as is, URL-encoded, JSON-escaped, base64 (standard and URL-safe). */
function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  const bytes = Buffer.from(secret, "utf8");
  forms.add(bytes.toString("base64"));
  for (const offset of [0, 1, 2]) {
    const core = base64Core(bytes, offset);
    forms.add(core);
    forms.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** Every form of every secret, longest first so a longer match is never half-replaced by a shorter one. */
export function redactionPatterns(secretValues: Iterable<string>): string[] {
  const patterns = new Set<string>();
  for (const secret of secretValues) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) patterns.add(form);
  }
  return [...patterns].sort((a, b) => b.length - a.length);
}

function redactWith(text: string, patterns: readonly string[]): string {
  let result = text;
  for (const pattern of patterns) {
    if (result.includes(pattern)) result = result.split(pattern).join(REDACTED);
  }
  return result;
}

/** Replaces every occurrence of each secret (values shorter than 4 characters are ignored) with `***`. */
export function redactSecrets(text: string, secretValues: Iterable<string>): string {
  return redactWith(text, redactionPatterns(secretValues));
}

/** `redactSecrets` with the patterns worked out once, for redacting many texts of one run. */
export function redactor(secretValues: Iterable<string>): (text: string) => string {
  const patterns = redactionPatterns(secretValues);
  return (text) => redactWith(text, patterns);
}
