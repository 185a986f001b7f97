/** Wording and ordering shared by the renderers, so every format says the same thing. */
import { STAGES, type CheckResult, type Finding, type Report, type Stage } from "../model/report.js";
import { cleanText, oneLine, truncate } from "../model/text.js";

/** Bounds for anything a tool wrote, so one noisy check cannot flood a rendering. */
export const MAX_LINE_CHARS = 300;
export const MAX_FINDINGS_SHOWN = 5;

export function stageLabel(stage: Stage): string {
  return stage.charAt(0).toUpperCase() + stage.slice(1);
}

/** What the report is of: the smoke stage after a deploy, or the validation before it. */
export function reportTitle(report: Report): string {
  return report.checks.length > 0 && report.checks.every((check) => check.stage === "smoke") ? "Post-deploy smoke check" : "Pre-deploy validation";
}

/** Checks in stage order (build, quality, test, verify), then by id. */
export function orderedChecks(report: Report): CheckResult[] {
  const rank = (stage: Stage): number => STAGES.indexOf(stage);
  return [...report.checks].sort((a, b) => rank(a.stage) - rank(b.stage) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function isProblem(check: CheckResult): boolean {
  return check.status === "failed" || check.status === "timeout" || check.status === "error";
}

/** "850ms", "12.3s", "2m 05s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, "0")}s`;
}

export function totalsText(report: Report): string {
  const t = report.totals;
  const parts = [`${t.passed} passed`, `${t.failed} failed`, `${t.skipped} skipped`];
  if (t.error > 0) parts.push(`${t.error} error`);
  if (t.timeout > 0) parts.push(`${t.timeout} timed out`);
  return `${t.checks} ${t.checks === 1 ? "check" : "checks"}: ${parts.join(", ")}`;
}

/** "src/index.ts:45:3", "src/index.ts:45", "src/index.ts", or "" when the tool named no file. */
export function findingLocation(finding: Finding): string {
  if (finding.file === null) return "";
  let location = oneLine(finding.file, MAX_LINE_CHARS);
  if (finding.line !== null) {
    location += `:${finding.line}`;
    if (finding.column !== null) location += `:${finding.column}`;
  }
  return location;
}

/** "file:line:col rule message" with the parts that exist, as one bounded line. */
export function findingText(finding: Finding, ruleSeparator = " "): string {
  const head = [findingLocation(finding), finding.rule === null ? "" : oneLine(finding.rule, 80)]
    .filter((part) => part !== "")
    .join(" ");
  const message = oneLine(finding.message, MAX_LINE_CHARS);
  return oneLine(head === "" ? message : `${head}${ruleSeparator}${message}`, MAX_LINE_CHARS);
}

/** "fix: <command>" (with "(review: writes code)" when it is not safe), or null when the finding has no fix. */
export function fixText(finding: Finding): string | null {
  if (finding.fix === undefined) return null;
  return oneLine(`fix: ${finding.fix.command}${finding.fix.safe ? "" : " (review: it writes code)"}`, MAX_LINE_CHARS);
}

/** How many findings exist beyond the ones shown, including those dropped before the report was made. */
export function hiddenFindings(check: CheckResult, shown: number): number {
  return Math.max(0, check.findings.length - shown) + check.truncated.findingsDropped;
}

/** Why a check that is not passed is not: its status in words. */
export function statusWord(check: CheckResult): string {
  switch (check.status) {
    case "passed":
      return "passed";
    case "failed":
      return "failed";
    case "skipped":
      return "skipped";
    case "error":
      return "error";
    case "timeout":
      return "timed out";
  }
}

/** The last `maxLines` non-blank lines of a check's log, cleaned and bounded, indentation kept. */
export function logTailLines(check: CheckResult, maxLines: number): string[] {
  return tailLines(check.logTail, maxLines);
}

function tailLines(text: string, maxLines: number): string[] {
  return cleanText(text)
    .split("\n")
    .map((line) => truncate(line.replaceAll("\t", "  ").trimEnd(), MAX_LINE_CHARS))
    .filter((line) => line !== "")
    .slice(-maxLines);
}

/** A line that reports an error: wrangler's `✘ [ERROR]`, Postgres's `ERROR:`/`FATAL:`, a Python traceback, a JavaScript `…Error:`. */
const ERROR_LINE = /\[ERROR\]|\b(ERROR|FATAL|PANIC):|Traceback \(most recent call last\)|\b(?:[A-Z]\w*)?(Error|Exception):/;

/**
 * Each service's log (a failing verify check's) in `maxLines` lines: its last lines, led by
 * the last error line above them when there is one (a stack or an object dump can push the
 * line that says what went wrong out of the end). Services with an empty log are left out.
 */
export function serviceLogLines(check: CheckResult, maxLines: number): { service: string; lines: string[] }[] {
  return (check.serviceLogs ?? [])
    .map((log) => {
      const lines = tailLines(log.tail, Number.MAX_SAFE_INTEGER);
      const windowStart = Math.max(0, lines.length - maxLines);
      if (lines.slice(windowStart).some((line) => ERROR_LINE.test(line))) return { service: log.service, lines: lines.slice(windowStart) };
      const error = lines.slice(0, windowStart).reverse().find((line) => ERROR_LINE.test(line));
      return { service: log.service, lines: error === undefined ? lines.slice(windowStart) : [error, "…", ...lines.slice(-(maxLines - 2))] };
    })
    .filter((log) => log.lines.length > 0);
}
