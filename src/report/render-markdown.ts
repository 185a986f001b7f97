import type { CheckResult, Report, StageSummary } from "../model/report.js";
import {
  MAX_LINE_CHARS,
  findingLocation,
  formatDuration,
  hiddenFindings,
  isProblem,
  logTailLines,
  serviceLogLines,
  orderedChecks,
  reportTitle,
  stageLabel,
  statusWord,
  totalsText,
} from "./render-shared.js";
import { oneLine } from "../model/text.js";

export interface MarkdownOptions {
  /** Findings listed per failed check (GitHub step summaries are capped at 1 MiB). */
  maxFindings?: number;
  logLines?: number;
}

const VERDICT_EMOJI: Record<Report["status"], string> = { passed: "✅", failed: "❌", error: "⚠️" };
const CHECK_EMOJI: Record<CheckResult["status"], string> = {
  passed: "✅",
  failed: "❌",
  skipped: "⏭️",
  error: "⚠️",
  timeout: "⏱️",
};
const STAGE_EMOJI: Record<StageSummary["status"], string> = {
  passed: "✅",
  failed: "❌",
  skipped: "⏭️",
  error: "⚠️",
  empty: "➖",
};

/**
 * Inline text on one line: HTML is neutralised, and the punctuation that can start
 * emphasis, code, links, strikethrough, math or a table cell is backslash-escaped.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text, MAX_LINE_CHARS)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/[\\`*_[\]|~$]/g, "\\$&");
}

/**
 * A code span that no backtick in `text` can close early (CommonMark: a longer backtick
 * run). In a table, pipes are escaped even inside it: GFM splits cells before inline parsing.
 */
function codeSpan(text: string, inTable = false): string {
  const clean = oneLine(text, MAX_LINE_CHARS);
  const line = inTable ? clean.replaceAll("|", "\\|") : clean;
  const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** A fenced block that no line of `text` can close (a fence longer than any backtick run in it). */
function fencedBlock(text: string, info: string): string[] {
  const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return [`${fence}${info}`, text, fence];
}

function stageTable(summary: StageSummary, checks: CheckResult[]): string[] {
  const heading = `### ${STAGE_EMOJI[summary.status]} ${stageLabel(summary.stage)} — ${summary.status}, ${formatDuration(summary.durationMs)}`;
  const rows = checks.map((check) => {
    const summaryCell = check.status === "skipped" && check.skippedBecause !== null ? `skipped: ${check.skippedBecause}` : check.summary;
    const duration = check.status === "skipped" ? "—" : formatDuration(check.durationMs);
    return `| ${CHECK_EMOJI[check.status]} ${statusWord(check)} | ${codeSpan(check.id, true)} ${escapeMarkdown(check.title)} | ${duration} | ${escapeMarkdown(summaryCell)} |`;
  });
  return [heading, "", "| Status | Check | Duration | Summary |", "| --- | --- | --- | --- |", ...rows, ""];
}

function problemDetails(check: CheckResult, maxFindings: number, logLines: number): string[] {
  const lines = [`### ${CHECK_EMOJI[check.status]} ${codeSpan(check.id)} ${escapeMarkdown(check.title)}`, ""];
  lines.push(`**${escapeMarkdown(statusWord(check))}**: ${escapeMarkdown(check.summary)}`, "");
  const shown = check.findings.slice(0, maxFindings);
  for (const finding of shown) {
    const location = findingLocation(finding);
    const parts = [location === "" ? "" : codeSpan(location), finding.rule === null ? "" : codeSpan(finding.rule)];
    lines.push(`- ${[...parts.filter((part) => part !== ""), escapeMarkdown(finding.message)].join(" ")}`);
    if (finding.fix !== undefined) lines.push(`  - fix${finding.fix.safe ? "" : " (review: it writes code)"}: ${codeSpan(finding.fix.command)}`);
  }
  const hidden = hiddenFindings(check, shown.length);
  if (hidden > 0) lines.push(`- … and ${hidden} more (see the JSON report)`);
  if (shown.length > 0) lines.push("");
  if (check.reproduce !== "") lines.push("Reproduce:", "", ...fencedBlock(oneLine(check.reproduce, 2000), "sh"), "");
  const tail = logTailLines(check, logLines);
  if (tail.length > 0) {
    lines.push("<details><summary>Log tail</summary>", "", ...fencedBlock(tail.join("\n"), "text"), "", "</details>", "");
  }
  for (const log of serviceLogLines(check, logLines)) {
    lines.push(`<details><summary>${escapeMarkdown(log.service)} log</summary>`, "", ...fencedBlock(log.lines.join("\n"), "text"), "", "</details>", "");
  }
  return lines;
}

/** The report as a GitHub step summary: verdict, a table per stage, then what failed and how to reproduce it. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxFindings = options.maxFindings ?? 20;
  const logLines = options.logLines ?? 40;
  const checks = orderedChecks(report);
  const lines = [
    `## ${VERDICT_EMOJI[report.status]} ${reportTitle(report)}: ${report.status}`,
    "",
    `${escapeMarkdown(totalsText(report))} · wall time ${formatDuration(report.wallTimeMs)} · exit code ${report.exitCode}`,
    "",
  ];
  if (report.errors.length > 0) {
    lines.push("**Run errors:**", "", ...report.errors.slice(0, 20).map((error) => `- ${escapeMarkdown(error)}`), "");
  }
  for (const summary of report.stages) {
    const inStage = checks.filter((check) => check.stage === summary.stage);
    if (inStage.length > 0) lines.push(...stageTable(summary, inStage));
  }
  const problems = checks.filter(isProblem);
  if (problems.length > 0) {
    lines.push("## Problems", "");
    for (const check of problems) lines.push(...problemDetails(check, maxFindings, logLines));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
