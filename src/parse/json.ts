import { stripAnsi } from "../model/text.js";

/** JSON.parse that returns undefined instead of throwing on malformed input. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The JSON values printed one per line (mypy --output json, the probe script); other lines are
 * ignored.
 */
export function jsonLines(lines: string[]): unknown[] {
  return lines.flatMap((line) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return [];
    const value = tryParseJson(trimmed);
    return value === undefined ? [] : [value];
  });
}

/** The JSON array a tool prints on stdout (ruff, eslint); anything before it (a warning) is skipped. */
export function printedJsonArray(stdout: string): unknown[] | null {
  const text = stripAnsi(stdout).trim();
  const whole = tryParseJson(text);
  if (Array.isArray(whole)) return whole;
  const start = text.search(/^\[/m);
  if (start <= 0) return null;
  const tail = tryParseJson(text.slice(start));
  return Array.isArray(tail) ? tail : null;
}
