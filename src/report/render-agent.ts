import type { CheckResult, Report } from "../model/report.js";
import {
  MAX_FINDINGS_SHOWN,
  MAX_LINE_CHARS,
  findingText,
  fixText,
  formatDuration,
  hiddenFindings,
  isProblem,
  logTailLines,
  serviceLogLines,
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
/** Lines of each service's log a failing verify check shows. */
const SERVICE_LOG_LINES = 15;

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
  for (const finding of shown) {
    lines.push(`  ${findingText(finding, ": ")}`);
    const fix = fixText(finding);
    if (fix !== null) lines.push(`    ${fix}`);
  }
  const hidden = hiddenFindings(check, shown.length);
  if (hidden > 0) lines.push(`  (${hidden} more findings in the JSON report)`);
  if (shown.length === 0) {
    const tail = logTailLines(check, LOG_LINES_WITHOUT_FINDINGS);
    if (tail.length > 0) lines.push("  log tail:", ...tail.map((line) => `    ${line}`));
  }
  for (const log of serviceLogLines(check, SERVICE_LOG_LINES)) lines.push(`  ${log.service} log:`, ...log.lines.map((line) => `    ${line}`));
  if (check.reproduce !== "") lines.push(`  reproduce: ${oneLine(check.reproduce, MAX_LINE_CHARS)}`);
  return lines;
}

/** The passing checks on one line: count, then ids by stage, cached ones marked with `*`. */
function passedDigest(report: Report): string | null {
  const passed = orderedChecks(report).filter((check) => check.status === "passed");
  if (passed.length === 0) return null;
  const byStage = new Map<string, string[]>();
  for (const check of passed) byStage.set(check.stage, [...(byStage.get(check.stage) ?? []), `${check.id}${check.cached === true ? "*" : ""}`]);
  const cached = passed.some((check) => check.cached === true) ? " (* cached)" : "";
  return `PASS ${passed.length}${cached}: ${[...byStage].map(([stage, ids]) => `${stage} ${ids.join(" ")}`).join("; ")}`;
}

/** The command that applies every safe fix, as this report's reproduce commands are run (Dagger or the harness). */
function fixAllCommand(report: Report): string {
  const reproduce = report.checks[0]?.reproduce ?? "";
  const harness = /^(npm run harness -- \S+) --only \S+$/.exec(reproduce);
  return harness ? `${harness[1]} --fix` : "dagger call fix -y";
}

function nextSteps(report: Report): string {
  if (report.status === "passed") return "next: nothing to fix; the deploy is expected to succeed.";
  const problems = report.checks.filter(isProblem).map((check) => check.id);
  const steps: string[] = [];
  if (report.errors.length > 0) steps.push("fix the RUN-ERROR lines");
  const findings = report.checks.filter(isProblem).flatMap((check) => check.findings);
  if (findings.some((finding) => finding.fix?.safe === true)) steps.push(`apply the safe fixes at once (${fixAllCommand(report)}) or each fix: line`);
  if (findings.some((finding) => finding.fix?.safe === false)) steps.push("run the fix: lines marked review and read what they write");
  if (problems.length > 0) {
    const named = problems.length > 10 ? `${problems.slice(0, 10).join(", ")} and ${problems.length - 10} more` : problems.join(", ");
    steps.push(`fix ${named} (start from the findings' file:line; rerun one check with its reproduce command)`);
  }
  steps.push("rerun the whole validation");
  const skipped = report.totals.skipped > 0 ? " Skipped checks run once their prerequisites pass." : "";
  return `next: ${steps.join(", then ")}.${skipped}`;
}

/**
 * The report for an LLM's context window: the verdict first, the passing checks on one line,
 * details (findings with their fixes) only for checks that did not pass, and what to do next,
 * fixes first. Plain text, no colour.
 */
export function renderAgent(report: Report, options: AgentOptions = {}): string {
  const maxFindings = options.maxFindings ?? MAX_FINDINGS_SHOWN;
  const t = report.totals;
  const lines = [
    `predeploy ${report.status.toUpperCase()} exit=${report.exitCode} checks=${t.checks} passed=${t.passed} failed=${t.failed} skipped=${t.skipped} error=${t.error} timeout=${t.timeout} wall=${formatDuration(report.wallTimeMs)}`,
  ];
  for (const error of report.errors) lines.push(`RUN-ERROR ${oneLine(error, MAX_LINE_CHARS)}`);
  if (report.secrets !== undefined && report.secrets.length > 0) lines.push(`secrets: ${report.secrets.map((s) => `${s.name}=${s.origin.replaceAll(" ", "-")}`).join(" ")}`);
  for (const fix of report.fixes ?? []) lines.push(`FIX ${fix.status.toUpperCase().replaceAll(" ", "-")} ${fix.check}: ${oneLine(fix.message, MAX_LINE_CHARS)}`);
  const digest = passedDigest(report);
  if (digest !== null) lines.push(digest);
  // A passing check's findings do not fail it (the deployment checklist's warnings at its level): one line each, by rule.
  for (const check of orderedChecks(report).filter((check) => check.status === "passed" && check.findings.length > 0)) {
    const rules = [...new Set(check.findings.map((finding) => finding.rule ?? finding.severity))];
    lines.push(`WARN ${check.id}: ${oneLine(check.summary, 80)}: ${rules.join(" ")}`);
  }
  for (const check of orderedChecks(report).filter((check) => check.status !== "passed")) lines.push(...checkLines(check, maxFindings));
  lines.push(nextSteps(report));
  return `${lines.join("\n")}\n`;
}
