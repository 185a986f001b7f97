import type { CheckResult, Report } from "../model/report.js";
import { findingText, hiddenFindings, orderedChecks } from "./render-shared.js";
import { cleanText, oneLine } from "../model/text.js";

// Everything XML 1.0 forbids: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXmlText(text: string): string {
  return cleanText(text)
    .replace(NOT_XML_CHAR, "\uFFFD")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/** Attribute values also escape quotes, and line breaks and tabs as references so parsers keep them. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")
    .replaceAll("\n", "&#10;")
    .replaceAll("\t", "&#9;");
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join("");
}

function failureBody(check: CheckResult): string {
  const lines = check.findings.map((finding) => findingText(finding));
  const hidden = hiddenFindings(check, check.findings.length);
  if (hidden > 0) lines.push(`… ${hidden} more findings`);
  if (check.reproduce !== "") lines.push(`reproduce: ${check.reproduce}`);
  return lines.join("\n");
}

function testcase(check: CheckResult): string[] {
  const open = `    <testcase${attributes({ classname: `predeploy.${check.stage}`, name: check.id, time: seconds(check.durationMs) })}`;
  const message = oneLine(check.summary, 1000);
  const children: string[] = [];
  switch (check.status) {
    case "passed":
      break;
    case "failed":
    case "timeout":
      children.push(`      <failure${attributes({ message, type: check.status })}>${escapeXmlText(failureBody(check))}</failure>`);
      break;
    case "error":
      children.push(`      <error${attributes({ message, type: "error" })}>${escapeXmlText(failureBody(check))}</error>`);
      break;
    case "skipped":
      children.push(`      <skipped${attributes({ message: oneLine(check.skippedBecause ?? check.summary, 1000) })}/>`);
      break;
  }
  if (check.logTail !== "") children.push(`      <system-out>${escapeXmlText(check.logTail)}</system-out>`);
  return children.length === 0 ? [`${open}/>`] : [`${open}>`, ...children, "    </testcase>"];
}

/**
 * Run-level errors (bad config, nothing ran) have no check to hang on, so they become one
 * erroring testcase of their own: test viewers then show why the run is red.
 */
function runErrorSuite(errors: readonly string[]): string[] {
  if (errors.length === 0) return [];
  const first = oneLine(errors[0] ?? "", 1000);
  return [
    `  <testsuite${attributes({ name: "run", tests: 1, failures: 0, errors: 1, skipped: 0, time: seconds(0) })}>`,
    `    <testcase${attributes({ classname: "predeploy.run", name: "run-errors", time: seconds(0) })}>`,
    `      <error${attributes({ message: first, type: "run-error" })}>${escapeXmlText(errors.join("\n"))}</error>`,
    "    </testcase>",
    "  </testsuite>",
  ];
}

/** JUnit XML for CI test-report viewers: a testsuite per stage, a testcase per check. */
export function renderJunit(report: Report): string {
  const checks = orderedChecks(report);
  const count = (list: CheckResult[], ...statuses: CheckResult["status"][]): number =>
    list.filter((check) => statuses.includes(check.status)).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: "predeploy",
      tests: checks.length + (report.errors.length > 0 ? 1 : 0),
      failures: count(checks, "failed", "timeout"),
      errors: count(checks, "error") + (report.errors.length > 0 ? 1 : 0),
      skipped: count(checks, "skipped"),
      time: seconds(report.wallTimeMs),
      timestamp: report.startedAt,
    })}>`,
  ];
  for (const stage of report.stages) {
    const inStage = checks.filter((check) => check.stage === stage.stage);
    if (inStage.length === 0) continue;
    lines.push(
      `  <testsuite${attributes({
        name: stage.stage,
        tests: inStage.length,
        failures: count(inStage, "failed", "timeout"),
        errors: count(inStage, "error"),
        skipped: count(inStage, "skipped"),
        time: seconds(stage.durationMs),
      })}>`,
      ...inStage.flatMap(testcase),
      "  </testsuite>",
    );
  }
  lines.push(...runErrorSuite(report.errors), "</testsuites>");
  return `${lines.join("\n")}\n`;
}
