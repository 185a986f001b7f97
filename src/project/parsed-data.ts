/** Reading parsed configuration (YAML, TOML, JSON) without trusting its shape. */

/** The value as a table (a mapping), or an empty one when it is none. */
export function table(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The value as a list, or an empty one when it is none. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
