import { z } from "zod";
import type { Finding, Severity } from "../model/report.js";
import { describeSeverities, findingsResult, makeFinding } from "./findings.js";
import { printedJsonArray } from "./json.js";
import { oneLine, plural, toLines } from "../model/text.js";
import type { ParseContext, Parser, ToolOutput } from "./types.js";

const EslintMessage = z.object({
  // null for a file that does not parse ("Parsing error: …", fatal) and for ESLint's own notices.
  ruleId: z.string().nullish(),
  severity: z.unknown(),
  message: z.string(),
  line: z.unknown(),
  column: z.unknown(),
  // Present when `eslint --fix` applies a fix (suggestions are not applied).
  fix: z.unknown().optional(),
});
const EslintResult = z.object({ filePath: z.string().nullish(), messages: z.array(z.unknown()) });


const severityOf = (value: unknown): Severity => (value === 2 ? "error" : "warning");

/**
 * ESLint's crash report (exit 2: a configuration that does not load, no configuration, no files):
 * "Oops! Something went wrong! :(", "ESLint: <version>", then the error's first line.
 */
function crashFinding(output: ToolOutput, context: ParseContext): Finding | null {
  const lines = [...toLines(output.stderr), ...toLines(output.stdout)].map((l) => l.trim());
  const oops = lines.findIndex((l) => l.startsWith("Oops! Something went wrong!"));
  if (oops === -1) return null;
  const message = lines.slice(oops + 1).find((l) => l !== "" && !/^ESLint: \S+$/.test(l));
  return message === undefined ? null : makeFinding({ message: oneLine(message) }, context);
}

/**
 * `eslint --format json .` in a package: one finding per message at file:line:col, rule = the
 * rule id (null for a parse error, whose message says so), severity 2 an error and 1 a warning.
 * Warnings alone pass, as ESLint's exit code says; exit 2 (ESLint crashed) fails with its error.
 */
export const parseEslint: Parser = (output, context) => {
  const fixable: boolean[] = [];
  const findings = (printedJsonArray(output.stdout) ?? []).flatMap((entry) => {
    const result = EslintResult.safeParse(entry);
    if (!result.success) return [];
    return result.data.messages.flatMap((raw) => {
      const parsed = EslintMessage.safeParse(raw);
      if (!parsed.success) return [];
      const m = parsed.data;
      fixable.push(m.fix !== undefined && m.fix !== null);
      return [
        makeFinding(
          { file: result.data.filePath ?? null, line: m.line, column: m.column, rule: m.ruleId ?? null, severity: severityOf(m.severity), message: m.message },
          context,
        ),
      ];
    });
  });
  if (findings.length === 0 && output.exitCode !== 0) {
    const crash = crashFinding(output, context);
    if (crash) return findingsResult(output, context, [crash], crash.message);
  }
  const files = new Set(findings.flatMap((f) => (f.file === null ? [] : [f.file]))).size;
  const summary = `${describeSeverities(findings)}${files > 0 ? ` in ${plural(files, "file")}` : ""}`;
  return { ...findingsResult(output, context, findings, summary), fixable };
};
