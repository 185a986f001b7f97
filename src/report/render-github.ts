import type { CheckResult, Finding, Report } from "../model/report.js";
import { hiddenFindings, orderedChecks, reportTitle, stageLabel, totalsText } from "./render-shared.js";
import { cleanText, oneLine } from "../model/text.js";

export interface GithubOptions {
  /** Annotations per check; GitHub shows only the first 10 errors and 10 warnings of a step anyway. */
  maxFindings?: number;
}

type Command = "error" | "warning" | "notice";

/** Workflow command data, as @actions/core escapes it. */
export function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Workflow command property values additionally escape the separators `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

function command(kind: Command, properties: Record<string, string | number | null>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== "")
    .map(([name, value]) => `${name}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${kind}${props === "" ? "" : ` ${props}`}::${escapeData(cleanText(message).trim())}`;
}

const SEVERITY_COMMAND: Record<Finding["severity"], Command> = { error: "error", warning: "warning", info: "notice" };

function findingAnnotation(check: CheckResult, finding: Finding): string {
  const title = oneLine(finding.rule === null ? check.title || check.id : `${check.title || check.id}: ${finding.rule}`, 200);
  return command(
    SEVERITY_COMMAND[finding.severity],
    {
      file: finding.file === null ? null : oneLine(finding.file, 500),
      line: finding.line,
      col: finding.line === null ? null : finding.column,
      title,
    },
    finding.message,
  );
}

function checkAnnotations(check: CheckResult, maxFindings: number): string[] {
  const title = oneLine(`${stageLabel(check.stage)}: ${check.title || check.id}`, 200);
  const reproduce = check.reproduce === "" ? "" : `\nreproduce: ${check.reproduce}`;
  if (check.status === "error") return [command("error", { title }, `error: ${check.summary}${reproduce}`)];
  if (check.status === "timeout" && check.findings.length === 0) {
    return [command("error", { title }, `timed out: ${check.summary}${reproduce}`)];
  }
  if (check.findings.length === 0) return [command("error", { title }, `${check.summary}${reproduce}`)];
  const shown = check.findings.slice(0, maxFindings);
  const lines = shown.map((finding) => findingAnnotation(check, finding));
  const hidden = hiddenFindings(check, shown.length);
  if (hidden > 0) lines.push(command("error", { title }, `${hidden} more findings in the report${reproduce}`));
  return lines;
}

/**
 * GitHub Actions workflow commands: an annotation per finding of each failed check (on
 * the file and line when the tool named them), one per failed check without findings,
 * one per run-level error, and the verdict as a notice.
 */
export function renderGithub(report: Report, options: GithubOptions = {}): string {
  const maxFindings = options.maxFindings ?? 10;
  const lines: string[] = [];
  for (const error of report.errors) lines.push(command("error", { title: "predeploy" }, error));
  for (const check of orderedChecks(report)) {
    if (check.status === "failed" || check.status === "timeout" || check.status === "error") {
      lines.push(...checkAnnotations(check, maxFindings));
    }
  }
  const verdict = `${reportTitle(report)} ${report.status}: ${totalsText(report)} (exit code ${report.exitCode})`;
  lines.push(command(report.status === "passed" ? "notice" : "error", { title: "predeploy" }, verdict));
  return `${lines.join("\n")}\n`;
}
