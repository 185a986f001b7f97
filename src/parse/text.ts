/** Text helpers shared by the parsers: ANSI stripping, line splitting, one-line summaries. */

// CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, titles) and two-byte escapes.
// Each alternative is linear: no nested quantifiers, so huge inputs cannot make it backtrack.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * Splits tool output into lines without ANSI escapes. A carriage return inside a line is a
 * progress redraw: only what was drawn last is kept.
 */
export function toLines(text: string): string[] {
  return stripAnsi(text)
    .split(/\r?\n/)
    .map((line) => {
      const redraw = line.lastIndexOf("\r");
      return redraw === -1 ? line : line.slice(redraw + 1);
    });
}

const MAX_LINE = 400;

/** Collapses whitespace to one line and bounds its length (summaries and messages). */
export function oneLine(text: string, max = MAX_LINE): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Bounds a multi-line message: at most `maxLines` lines of at most MAX_LINE characters. */
export function boundedBlock(lines: string[], maxLines = 12): string {
  const kept = lines.slice(0, maxLines).map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line));
  return kept.join("\n").trim();
}

/** "1 error" / "2 errors". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** A positive integer from tool text, or null (the schema wants 1-based positions). */
export function positiveInt(value: unknown): number | null {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : null;
}
