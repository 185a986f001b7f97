import type { ChalkInstance } from "chalk";
import type { CheckResult, Report } from "../model/report.js";
import {
  MAX_FINDINGS_SHOWN,
  MAX_LINE_CHARS,
  findingText,
  fixText,
  formatDuration,
  hiddenFindings,
  logTailLines,
  serviceLogLines,
  orderedChecks,
  reportTitle,
  stageLabel,
  totalsText,
} from "./render-shared.js";
import { describeCounts, oneLine } from "../model/text.js";

export interface TextOptions {
  /** Created by the caller with an explicit level (`new Chalk({ level: colourLevel(...) })`). */
  chalk: ChalkInstance;
  maxFindings?: number;
}

const RULE = "═".repeat(38);
const LOG_LINES_WITHOUT_FINDINGS = 8;
/** Lines of each service's log a failing verify check shows. */
const SERVICE_LOG_LINES = 12;
const MAX_RUN_ERRORS = 10;

function marker(check: CheckResult, chalk: ChalkInstance): string {
  switch (check.status) {
    case "passed":
      return chalk.green("✓");
    case "failed":
      return chalk.red("✗");
    case "skipped":
      return chalk.yellow("○");
    case "error":
      return chalk.magenta("!");
    case "timeout":
      return chalk.red("⏱");
  }
}

/** "Test: pytest (12 passed)" plus the reason in brackets for checks that did not pass. */
function headline(check: CheckResult, chalk: ChalkInstance): string {
  let text = `${stageLabel(check.stage)}: ${oneLine(check.title || check.id, 120)}`;
  if (check.counts !== null) text += ` (${describeCounts(check.counts)})`;
  if (check.status === "skipped") {
    text += ` (skipped: ${oneLine(check.skippedBecause ?? check.summary, MAX_LINE_CHARS)})`;
    return `${marker(check, chalk)} ${text}`;
  }
  if (check.status === "passed" && check.findings.length > 0) text += ` (${oneLine(check.summary, 80)})`;
  if (check.status === "timeout") text += " (timed out)";
  if (check.status === "error") text += " (error)";
  return `${marker(check, chalk)} ${text} ${chalk.dim(formatDuration(check.durationMs) + (check.cached === true ? " (cached)" : ""))}`;
}

/** Lines of findings a passing check shows (the deployment checklist's warnings): they do not fail it, but they are there. */
const PASSED_FINDINGS_SHOWN = 5;

/** A passing check's findings (warnings at a level that does not fail it), dim, below its line. */
function passedDetails(check: CheckResult, chalk: ChalkInstance): string[] {
  const shown = check.findings.slice(0, PASSED_FINDINGS_SHOWN);
  const lines = shown.map((finding) => `  ${chalk.yellow("!")} ${chalk.dim(findingText(finding))}`);
  const hidden = hiddenFindings(check, shown.length);
  if (hidden > 0) lines.push(chalk.dim(`  … ${hidden} more ${hidden === 1 ? "finding" : "findings"}`));
  return lines;
}

function details(check: CheckResult, chalk: ChalkInstance, maxFindings: number): string[] {
  if (check.status === "passed") return passedDetails(check, chalk);
  if (check.status === "skipped") return [];
  const lines: string[] = [];
  const summary = oneLine(check.summary, MAX_LINE_CHARS);
  if (summary !== "") lines.push(`  ${summary}`);
  const shown = check.findings.slice(0, maxFindings);
  for (const finding of shown) {
    lines.push(`  ${chalk.red("→")} ${findingText(finding)}`);
    const fix = fixText(finding);
    if (fix !== null) lines.push(`    ${chalk.dim(fix)}`);
  }
  const hidden = hiddenFindings(check, shown.length);
  if (hidden > 0) lines.push(chalk.dim(`  … ${hidden} more ${hidden === 1 ? "finding" : "findings"}`));
  if (shown.length === 0) {
    for (const line of logTailLines(check, LOG_LINES_WITHOUT_FINDINGS)) lines.push(chalk.dim(`  │ ${line}`));
  }
  for (const log of serviceLogLines(check, SERVICE_LOG_LINES)) {
    lines.push(`  ${chalk.dim(`${log.service} log:`)}`, ...log.lines.map((line) => chalk.dim(`  │ ${line}`)));
  }
  if (check.reproduce !== "") lines.push(`  ${chalk.dim("reproduce:")} ${oneLine(check.reproduce, MAX_LINE_CHARS)}`);
  return lines;
}

function verdictLine(report: Report, chalk: ChalkInstance): string {
  const text = `${reportTitle(report).toUpperCase()}: ${report.status.toUpperCase()}`;
  return chalk.bold(report.status === "passed" ? chalk.green(text) : chalk.red(text));
}

/** The report for people, in the seed format: verdict box, one line per check, details for problems. */
export function renderText(report: Report, options: TextOptions): string {
  const { chalk } = options;
  const maxFindings = options.maxFindings ?? MAX_FINDINGS_SHOWN;
  const lines = [RULE, verdictLine(report, chalk), RULE];
  for (const check of orderedChecks(report)) {
    lines.push(headline(check, chalk), ...details(check, chalk, maxFindings));
  }
  if (report.errors.length > 0) {
    lines.push("", chalk.red("Run errors:"));
    for (const error of report.errors.slice(0, MAX_RUN_ERRORS)) lines.push(`  ${chalk.red("!")} ${oneLine(error, MAX_LINE_CHARS)}`);
    if (report.errors.length > MAX_RUN_ERRORS) lines.push(chalk.dim(`  … ${report.errors.length - MAX_RUN_ERRORS} more`));
  }
  if ((report.fixes ?? []).length > 0) {
    lines.push("", "Fixes applied before this validation:");
    for (const fix of report.fixes ?? []) {
      const mark = fix.status === "applied" ? chalk.green("✓") : fix.status === "failed" ? chalk.red("✗") : chalk.dim("○");
      lines.push(`  ${mark} ${fix.check}: ${oneLine(fix.message, MAX_LINE_CHARS)}`);
    }
  }
  lines.push("", `${totalsText(report)} · wall time ${formatDuration(report.wallTimeMs)}`);
  if (report.secrets !== undefined && report.secrets.length > 0) {
    lines.push(chalk.dim(`Secrets: ${report.secrets.map((s) => `${s.name} ${s.origin}`).join(", ")}`));
  }
  if (report.status === "passed") lines.push(chalk.green.bold("Ready to deploy!"));
  lines.push(`Exit code: ${report.exitCode}`);
  return `${lines.join("\n")}\n`;
}
