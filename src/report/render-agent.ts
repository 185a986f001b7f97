import type { CheckResult, Report } from "../model/report.js";
import {
  MAX_FINDINGS_SHOWN,
  MAX_LINE_CHARS,
  findingText,
  formatDuration,
  hiddenFindings,
  isProblem,
  logTailLines,
  orderedChecks,
} from "./render-shared.js";
import { describeCounts, oneLine } from "../model/text.js";

export interface AgentOptions {
  maxFindings?: number;
}

const STATUS_TAG: Record<CheckResult["status"], string> = {
  passed: "PASS",
  failed: "FAIL",
  skipped: "SKIP",
  error: "ERROR",
  timeout: "TIMEOUT",
};

const LOG_LINES_WITHOUT_FINDINGS = 10;

function checkLines(check: CheckResult, maxFindings: number): string[] {
  const counts = check.counts === null ? "" : ` (${describeCounts(check.counts)})`;
  const duration = check.status === "skipped" ? "" : ` ${formatDuration(check.durationMs)}${check.cached === true ? " cached" : ""}`;
  const lines = [`${STATUS_TAG[check.status]} ${check.id}${duration}${counts}`];
  if (check.status === "passed") return lines;
  if (check.status === "skipped") {
    lines.push(`  skipped because: ${oneLine(check.skippedBecause ?? check.summary, MAX_LINE_CHARS)}`);
    return lines;
  }
  lines.push(`  summary: ${oneLine(check.summary, MAX_LINE_CHARS)}`);
  const shown = check.findings.slice(0, maxFindings);
  for (const finding of shown) lines.push(`  ${findingText(finding, ": ")}`);
  const hidden = hiddenFindings(check, shown.length);
  if (hidden > 0) lines.push(`  (${hidden} more findings in the JSON report)`);
  if (shown.length === 0) {
    const tail = logTailLines(check, LOG_LINES_WITHOUT_FINDINGS);
    if (tail.length > 0) lines.push("  log tail:", ...tail.map((line) => `    ${line}`));
  }
  if (check.reproduce !== "") lines.push(`  reproduce: ${oneLine(check.reproduce, MAX_LINE_CHARS)}`);
  return lines;
}

function nextSteps(report: Report): string {
  if (report.status === "passed") return "next: nothing to fix; the deploy is expected to succeed.";
  const problems = report.checks.filter(isProblem).map((check) => check.id);
  const steps: string[] = [];
  if (report.errors.length > 0) steps.push("fix the RUN-ERROR lines");
  if (problems.length > 0) {
    const named = problems.length > 10 ? `${problems.slice(0, 10).join(", ")} and ${problems.length - 10} more` : problems.join(", ");
    steps.push(`fix ${named} (start from the findings' file:line; rerun one check with its reproduce command)`);
  }
  steps.push("rerun the whole validation");
  const skipped = report.totals.skipped > 0 ? " Skipped checks run once their prerequisites pass." : "";
  return `next: ${steps.join(", then ")}.${skipped}`;
}

/**
 * The report for an LLM's context window: the verdict first, one line per check, details
 * only for checks that did not pass, and what to do next. Plain text, no colour.
 */
export function renderAgent(report: Report, options: AgentOptions = {}): string {
  const maxFindings = options.maxFindings ?? MAX_FINDINGS_SHOWN;
  const t = report.totals;
  const lines = [
    `predeploy ${report.status.toUpperCase()} exit=${report.exitCode} checks=${t.checks} passed=${t.passed} failed=${t.failed} skipped=${t.skipped} error=${t.error} timeout=${t.timeout} wall=${formatDuration(report.wallTimeMs)}`,
  ];
  for (const error of report.errors) lines.push(`RUN-ERROR ${oneLine(error, MAX_LINE_CHARS)}`);
  if (report.secrets !== undefined && report.secrets.length > 0) lines.push(`secrets: ${report.secrets.map((s) => `${s.name}=${s.origin.replaceAll(" ", "-")}`).join(" ")}`);
  for (const check of orderedChecks(report)) lines.push(...checkLines(check, maxFindings));
  lines.push(nextSteps(report));
  return `${lines.join("\n")}\n`;
}
