import { z } from "zod";
import type { Finding, Severity } from "../model/report.js";
import { describeSeverities, findingsResult, makeFinding } from "./findings.js";
import { jsonLines } from "./json.js";
import { plural, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

interface MypyMessage {
  file: string | null;
  line: number | null;
  /** 1-based. */
  column: number | null;
  severity: string;
  message: string;
  code: string | null;
}

const JsonMessage = z.object({
  file: z.string().nullish(),
  line: z.number().nullish(),
  column: z.number().nullish(),
  message: z.string(),
  hint: z.string().nullish(),
  code: z.string().nullish(),
  severity: z.string(),
});

// path:line[:col[:end_line:end_col]]: severity: message  [code]
const TEXT = /^([^\s:][^:]*?):(?:(\d+):(?:(\d+):(?:\d+:\d+:)?)?)? ?(error|note|warning): (.*?)(?:\s\s\[([\w-]+)\])?$/;

function fromJson(value: unknown): MypyMessage | null {
  const parsed = JsonMessage.safeParse(value);
  if (!parsed.success) return null;
  const m = parsed.data;
  return {
    file: m.file ?? null,
    line: m.line ?? null,
    // mypy's JSON columns are 0-based; -1 means "no column".
    column: typeof m.column === "number" && m.column >= 0 ? m.column + 1 : null,
    severity: m.severity,
    message: m.hint ? `${m.message} (${m.hint})` : m.message,
    code: m.code ?? null,
  };
}

function fromText(line: string): MypyMessage | null {
  const m = TEXT.exec(line);
  if (!m) return null;
  const file = m[1] === "mypy" ? null : (m[1] ?? null);
  return {
    file,
    line: m[2] ? Number(m[2]) : null,
    column: m[3] ? Number(m[3]) : null,
    severity: m[4] ?? "error",
    message: m[5] ?? "",
    code: m[6] ?? null,
  };
}

const SEVERITY: Record<string, Severity> = { error: "error", warning: "warning", note: "info" };

/** Notes right after an error on the same line explain it: they join its message. Others stand alone. */
function toFindings(messages: MypyMessage[], context: ParseContext): Finding[] {
  const merged: MypyMessage[] = [];
  for (const m of messages) {
    const previous = merged[merged.length - 1];
    if (m.severity === "note" && previous && previous.severity !== "note" && previous.file === m.file && previous.line === m.line) {
      previous.message = `${previous.message}\n${m.message}`;
    } else {
      merged.push({ ...m });
    }
  }
  return merged.map((m) =>
    makeFinding(
      { file: m.file, line: m.line, column: m.column, rule: m.code, severity: SEVERITY[m.severity] ?? "error", message: m.message },
      context,
    ),
  );
}

/**
 * `mypy --output json .` (one object per line, 0-based columns), or mypy's classic text
 * (`path:line[:col]: error: message  [code]`) when JSON output is off. Exit 2 is a crash or
 * a configuration error; whatever mypy said about it is kept.
 */
export const parseMypy: Parser = (output, context) => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const fromJsonLines = jsonLines(lines).flatMap((value) => fromJson(value) ?? []);
  const messages = fromJsonLines.length > 0 ? fromJsonLines : lines.flatMap((line) => fromText(line) ?? []);
  const findings = toFindings(messages, context);
  const errors = findings.filter((f) => f.severity === "error");
  const files = new Set(errors.flatMap((f) => (f.file ? [f.file] : []))).size;
  const summary =
    errors.length > 0 && files > 0 ? `${plural(errors.length, "error")} in ${plural(files, "file")}` : describeSeverities(findings);
  return findingsResult(output, context, findings, summary);
};
