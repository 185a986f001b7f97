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
