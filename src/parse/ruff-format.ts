import type { Finding } from "../model/report.js";
import { describeFindings, findingsResult, makeFinding } from "./findings.js";
import { ruffFailureFinding } from "./ruff-failure.js";
import { plural, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

const LEGACY = /^Would reformat: (.+)$/;
const CONCISE = /^(.+?):(\d+):(\d+): ([\w-]+): (.+)$/;
const HEADER = /^([\w-]+): (.+)$/;
const ARROW = /^\s*--> (.+?):(\d+):(\d+)\s*$/;
const LEGACY_SYNTAX = /^error: Failed to parse (.+?):(\d+):(\d+): (.+)$/;

function formatFinding(file: string, line: unknown, column: unknown, kind: string, message: string, context: ParseContext): Finding {
  const unformatted = kind === "unformatted";
  return makeFinding({ file, line, column, rule: unformatted ? "format" : kind, message: unformatted ? "File would be reformatted" : message }, context);
}

/**
 * `ruff format --check .`: one finding per file that would be reformatted (rule "format").
 * Reads both ruff's older "Would reformat: path" lines and the diagnostics newer versions print
 * ("unformatted: …" then "--> path:line:col", or concise "path:line:col: unformatted: …"),
 * where files that do not parse appear as "invalid-syntax".
 */
export const parseRuffFormat: Parser = (output, context) => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const findings: Finding[] = [];
  lines.forEach((line, index) => {
    const legacy = LEGACY.exec(line);
    if (legacy?.[1]) {
      findings.push(makeFinding({ file: legacy[1], rule: "format", message: "File would be reformatted" }, context));
      return;
    }
    const syntax = LEGACY_SYNTAX.exec(line);
    if (syntax?.[1]) {
      findings.push(makeFinding({ file: syntax[1], line: syntax[2], column: syntax[3], rule: "invalid-syntax", message: syntax[4] ?? "" }, context));
      return;
    }
    const concise = CONCISE.exec(line);
    if (concise?.[1] && !concise[1].includes(" ")) {
      findings.push(formatFinding(concise[1], concise[2], concise[3], concise[4] ?? "", concise[5] ?? "", context));
      return;
    }
    const header = HEADER.exec(line);
    const arrow = ARROW.exec(lines[index + 1] ?? "");
    if (header?.[1] && arrow?.[1]) {
      findings.push(formatFinding(arrow[1], arrow[2], arrow[3], header[1], header[2] ?? "", context));
    }
  });
  if (findings.length === 0 && output.exitCode !== 0) {
    const failure = ruffFailureFinding(output, context);
    if (failure) return findingsResult(output, context, [failure], failure.message);
  }
  const files = new Set(findings.map((f) => f.file)).size;
  const onlyFormat = findings.every((f) => f.rule === "format");
  const summary =
    findings.length === 0 ? "all files formatted" : onlyFormat ? `${plural(files, "file")} would be reformatted` : describeFindings(findings);
  return findingsResult(output, context, findings, summary);
};
