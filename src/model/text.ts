import { stripVTControlCharacters } from "node:util";
import type { Counts, Finding } from "./report.js";

/** Removes ANSI escape sequences (colours, cursor movement, hyperlinks) that tools print. */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/** Decodes tool output bytes; invalid UTF-8 becomes U+FFFD instead of failing the check. */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

// C0 controls except tab and newline, DEL, and C1 controls.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Makes tool text safe to show in a terminal or a document: no escape sequences, `\r\n`
 * and lone `\r` (progress bars) become line breaks, other control characters are dropped.
 */
export function cleanText(text: string): string {
  return stripAnsi(text).replace(/\r\n?/g, "\n").replace(CONTROL_CHARACTERS, "");
}

/** Shortens `text` to at most `maxChars` code points, marking the cut with an ellipsis. */
export function truncate(text: string, maxChars: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= maxChars) return text;
  return `${codePoints.slice(0, Math.max(0, maxChars - 1)).join("")}…`;
}

/** Longest line kept in a finding's message or a summary. */
export const MAX_LINE = 400;

/** Cleaned, whitespace-collapsed, bounded single line (for summaries, titles and messages). */
export function oneLine(text: string, maxChars = MAX_LINE): string {
  return truncate(cleanText(text).replace(/\s+/g, " ").trim(), maxChars);
}

export interface TailLimits {
  maxBytes: number;
  maxLines: number;
}

/**
 * Keeps the end of `text`: at most `maxLines` lines and `maxBytes` UTF-8 bytes, never
 * splitting a character. A final newline does not count as an extra line.
 */
export function tailText(text: string, limits: TailLimits): { text: string; droppedBytes: number } {
  const totalBytes = Buffer.byteLength(text, "utf8");
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const lines = body.split("\n");
  let kept = text;
  if (lines.length > limits.maxLines) {
    kept = limits.maxLines <= 0 ? "" : lines.slice(-limits.maxLines).join("\n") + (body === text ? "" : "\n");
  }
  const bytes = Buffer.from(kept, "utf8");
  if (bytes.length > limits.maxBytes) {
    let start = bytes.length - Math.max(0, limits.maxBytes);
    // Skip UTF-8 continuation bytes (10xxxxxx) so the kept part starts on a character.
    while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
    kept = bytes.subarray(start).toString("utf8");
  }
  return { text: kept, droppedBytes: totalBytes - Buffer.byteLength(kept, "utf8") };
}

const SEVERITY_RANK: Record<Finding["severity"], number> = { error: 0, warning: 1, info: 2 };

/**
 * Keeps at most `max` findings, errors before warnings before infos (a tool's 500th line
 * may be its only error), in their original order.
 */
export function boundFindings(findings: readonly Finding[], max: number): { findings: Finding[]; dropped: number } {
  const limit = Math.max(0, Math.floor(max));
  if (findings.length <= limit) return { findings: [...findings], dropped: 0 };
  const keptIndexes = findings
    .map((finding, index) => ({ rank: SEVERITY_RANK[finding.severity], index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
  return {
    findings: keptIndexes.flatMap((index) => findings[index] ?? []),
    dropped: findings.length - limit,
  };
}

/**
 * Splits tool output into lines without escape sequences. A carriage return inside a line
 * is a progress redraw: only what was drawn last is kept.
 */
export function toLines(text: string): string[] {
  return stripAnsi(text)
    .split(/\r?\n/)
    .map((line) => {
      const redraw = line.lastIndexOf("\r");
      return redraw === -1 ? line : line.slice(redraw + 1);
    });
}

/** Bounds a multi-line message: at most `maxLines` lines of at most MAX_LINE characters. */
export function boundedBlock(lines: string[], maxLines = 12): string {
  return lines
    .slice(0, maxLines)
    .map((line) => truncate(line, MAX_LINE))
    .join("\n")
    .trim();
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

/**
 * The end of a longer output starts mid-line, maybe mid-secret, where no redaction can
 * recognise it: drop that partial first line (all of it when there is no line break).
 */
export function dropPartialFirstLine(tail: string): { text: string; droppedBytes: number } {
  const at = tail.indexOf("\n");
  const text = at === -1 ? "" : tail.slice(at + 1);
  return { text, droppedBytes: Buffer.byteLength(tail, "utf8") - Buffer.byteLength(text, "utf8") };
}

/** "12 passed" or "12 passed, 1 failed, 2 skipped, 1 error": zero parts other than passed are left out. */
export function describeCounts(counts: Counts): string {
  const parts = [`${counts.passed} passed`];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  if (counts.errors > 0) parts.push(plural(counts.errors, "error"));
  return parts.join(", ");
}
