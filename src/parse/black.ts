import type { Finding } from "../model/report.js";
import { findingsResult, makeFinding } from "./findings.js";
import { plural, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

const WOULD_REFORMAT = /^would reformat (.+)$/;
// black ≥ 26: "error: cannot parse[ for target version Python 3.11]: <path>:<line>:<col>", then the source line.
const CANNOT_PARSE = /^error: cannot parse( for target version [^:]+)?: (.+):(\d+):(\d+)$/;
// Older: "error: cannot format <path>: Cannot parse[ for target version …]: <line>:<col>: <source line>".
const LEGACY_PARSE = /^error: cannot format (.+?): (Cannot parse[^:]*): (\d+):(\d+): (.*)$/;
const CANNOT_FORMAT = /^error: cannot format (.+?): (.+)$/;

function errorFinding(lines: string[], index: number, context: ParseContext): Finding | null {
  const line = lines[index] ?? "";
  const parse = CANNOT_PARSE.exec(line);
  if (parse) {
    const source = /^\s+(\S.*)$/.exec(lines[index + 1] ?? "")?.[1];
    const message = `Cannot parse${parse[1] ?? ""}${source ? `: ${source}` : ""}`;
    return makeFinding({ file: parse[2], line: parse[3], column: parse[4], rule: "invalid-syntax", message }, context);
  }
  const legacy = LEGACY_PARSE.exec(line);
  if (legacy) {
    return makeFinding({ file: legacy[1], line: legacy[3], column: legacy[4], rule: "invalid-syntax", message: `${legacy[2]}: ${legacy[5]}` }, context);
  }
  const other = CANNOT_FORMAT.exec(line);
  return other ? makeFinding({ file: other[1], rule: "cannot-format", message: other[2] ?? "" }, context) : null;
}

/**
 * `black --check .`: one finding per file that would be reformatted (rule "format"), and one per
 * file black could not format, at the parse error's position (rule "invalid-syntax").
 */
export const parseBlack: Parser = (output, context) => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const findings = lines.flatMap((line, index) => {
    const reformat = WOULD_REFORMAT.exec(line);
    if (reformat) return [makeFinding({ file: reformat[1], rule: "format", message: "File would be reformatted" }, context)];
    return errorFinding(lines, index, context) ?? [];
  });
  const reformat = findings.filter((f) => f.rule === "format").length;
  const parts = [
    reformat > 0 ? `${plural(reformat, "file")} would be reformatted` : null,
    findings.length > reformat ? `${plural(findings.length - reformat, "file")} would fail to reformat` : null,
  ].filter((part) => part !== null);
  const summary = parts.length === 0 ? "all files formatted" : parts.join(", ");
  return findingsResult(output, context, findings, summary);
};
