import type { Finding, Severity } from "../model/report.js";
import { findingsResult, makeFinding } from "./findings.js";
import { plural, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

// `src/index.ts(45,7): error TS2322: msg` (--pretty false), `src/index.ts:45:7 - error TS2322: msg`
// (pretty, and `astro check`), or a file-less `error TS18003: msg`.
const PLAIN = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const PRETTY = /^(.+?):(\d+):(\d+) - (error|warning|message) (\w+(?:\(\d+\))?): (.*)$/;
const GLOBAL = /^(error|warning|message) (TS\d+): (.*)$/;

const SEVERITY: Record<string, Severity> = { error: "error", warning: "warning", message: "info" };

interface Diagnostic {
  file: string | null;
  line: string | null;
  column: string | null;
  severity: string;
  rule: string;
  message: string[];
}

function diagnosticAt(line: string): Diagnostic | null {
  const located = PLAIN.exec(line) ?? PRETTY.exec(line);
  if (located) {
    const [, file, row, column, severity, rule, message] = located;
    return { file: file ?? null, line: row ?? null, column: column ?? null, severity: severity ?? "error", rule: rule ?? "", message: [message ?? ""] };
  }
  const global = GLOBAL.exec(line);
  if (global) return { file: null, line: null, column: null, severity: global[1] ?? "error", rule: global[2] ?? "", message: [global[3] ?? ""] };
  return null;
}

/** TypeScript diagnostics in `lines`; indented lines after one continue its message. */
export function tscFindings(lines: string[], context: ParseContext): Finding[] {
  const diagnostics: Diagnostic[] = [];
  let current: Diagnostic | null = null;
  for (const line of lines) {
    const diagnostic = diagnosticAt(line);
    if (diagnostic) {
      diagnostics.push(diagnostic);
      current = diagnostic;
    } else if (current && /^\s+\S/.test(line) && !/^[\s~]+$/.test(line) && current.message.length < 50) {
      current.message.push(line.trim());
    } else {
      current = null;
    }
  }
  return diagnostics.map((d) =>
    makeFinding(
      { file: d.file, line: d.line, column: d.column, rule: d.rule, severity: SEVERITY[d.severity] ?? "error", message: d.message.join("\n") },
      context,
    ),
  );
}

/** `npx tsc --noEmit --pretty false` in a worker directory (pathBase workers/<name>). */
export const parseTsc: Parser = (output, context) => {
  const findings = tscFindings([...toLines(output.stdout), ...toLines(output.stderr)], context);
  const errors = findings.filter((f) => f.severity === "error").length;
  const files = new Set(findings.flatMap((f) => (f.file ? [f.file] : []))).size;
  const summary =
    findings.length === 0
      ? "no type errors"
      : `${plural(errors, "type error")}${files > 0 ? ` in ${plural(files, "file")}` : ""}`;
  return findingsResult(output, context, findings, summary);
};
