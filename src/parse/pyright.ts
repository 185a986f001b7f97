import { z } from "zod";
import type { Finding, Severity } from "../model/report.js";
import { describeSeverities, findingsResult, makeFinding } from "./findings.js";
import { tryParseJson } from "./json.js";
import { plural, stripAnsi, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

const Position = z.object({ line: z.number(), character: z.number() });

const Diagnostic = z.object({
  file: z.string().nullish(),
  severity: z.string(),
  message: z.string(),
  range: z.object({ start: Position }).nullish(),
  rule: z.string().nullish(),
});

const Output = z.object({ generalDiagnostics: z.array(z.unknown()), summary: z.object({ filesAnalyzed: z.number() }).partial().nullish() });

const SEVERITY: Record<string, Severity> = { error: "error", warning: "warning", information: "info" };

/** The JSON document pyright prints on stdout; anything printed before it (a launcher's notice) is skipped. */
function printedDocument(stdout: string): unknown {
  const text = stripAnsi(stdout).trim();
  const start = text.search(/^\{/m);
  return start === -1 ? undefined : tryParseJson(text.slice(start));
}

function toFinding(value: unknown, context: ParseContext): Finding | null {
  const parsed = Diagnostic.safeParse(value);
  if (!parsed.success) return null;
  const d = parsed.data;
  // pyright's positions are 0-based.
  const start = d.range?.start;
  return makeFinding(
    {
      file: d.file ?? null,
      line: start ? start.line + 1 : null,
      column: start ? start.character + 1 : null,
      rule: d.rule ?? null,
      severity: SEVERITY[d.severity] ?? "error",
      message: d.message,
    },
    context,
  );
}

/**
 * pyright checked no file (its include names nothing that exists) and exits 0: that is no pass.
 * Its stderr says which path it could not find.
 */
function nothingChecked(stderr: string, context: ParseContext): Finding {
  const missing = toLines(stderr).find((line) => /does not exist/.test(line));
  return makeFinding({ rule: "no-files-checked", message: `pyright checked no file${missing ? `: ${missing.trim()}` : ""}; point include in its configuration ([tool.pyright] or pyrightconfig.json) at the code` }, context);
}

/**
 * `pyright --outputjson`: `generalDiagnostics` with 0-based ranges and the rule
 * (`reportReturnType`, …). Exit 1 means errors; exit 2 or 3 a fatal or configuration error,
 * which pyright prints instead of JSON — the most useful line of it is the finding then.
 */
export const parsePyright: Parser = (output, context) => {
  const document = Output.safeParse(printedDocument(output.stdout));
  const analysed = document.success ? document.data.summary?.filesAnalyzed : undefined;
  if (analysed === 0 && output.exitCode === 0) {
    const finding = nothingChecked(output.stderr, context);
    return findingsResult(output, context, [finding], finding.message);
  }
  const findings = document.success ? document.data.generalDiagnostics.flatMap((d) => toFinding(d, context) ?? []) : [];
  const errors = findings.filter((f) => f.severity === "error");
  const files = new Set(errors.flatMap((f) => (f.file ? [f.file] : []))).size;
  const checked = findings.length === 0 && analysed !== undefined ? `no issues in ${plural(analysed, "file")}` : describeSeverities(findings);
  const summary = errors.length > 0 && files > 0 ? `${plural(errors.length, "error")} in ${plural(files, "file")}` : checked;
  return findingsResult(output, context, findings, summary);
};
