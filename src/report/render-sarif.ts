import type { CheckResult, Finding, Report } from "../model/report.js";
import { oneLine } from "../model/text.js";
import { orderedChecks } from "./render-shared.js";

/**
 * SARIF 2.1.0 for code scanning: one run per check that ran (its tool), its rules with their
 * ids and help, one result per finding that names a file, with its location. A check that
 * passed is an empty run, so code scanning closes what it no longer reports.
 */

const LEVEL: Record<Finding["severity"], "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

function ruleId(check: CheckResult, finding: Finding): string {
  return finding.rule ?? check.id;
}

function rules(check: CheckResult, located: Finding[]) {
  const ids = [...new Set(located.map((f) => ruleId(check, f)))].sort();
  return ids.map((id) => {
    const fix = located.find((f) => ruleId(check, f) === id && f.fix !== undefined)?.fix;
    const help = `${check.title} reports ${id}.${fix ? ` Its fix, per file: ${fix.command.replace(/\S+$/, "<file>")}${fix.safe ? "" : " (review what it writes)"}.` : ""}`;
    return { id, shortDescription: { text: oneLine(`${check.title}: ${id}`, 200) }, help: { text: help } };
  });
}

function result(check: CheckResult, finding: Finding & { file: string }) {
  const region = finding.line === null ? {} : { region: { startLine: finding.line, ...(finding.column === null ? {} : { startColumn: finding.column }) } };
  const message = finding.fix === undefined ? finding.message : `${finding.message}\nfix: ${finding.fix.command}`;
  return {
    ruleId: ruleId(check, finding),
    level: LEVEL[finding.severity],
    message: { text: message },
    locations: [{ physicalLocation: { artifactLocation: { uri: finding.file, uriBaseId: "%SRCROOT%" }, ...region } }],
  };
}

function run(check: CheckResult) {
  const located = check.findings.filter((f): f is Finding & { file: string } => f.file !== null);
  return {
    tool: { driver: { name: check.id, fullName: check.title, informationUri: "https://github.com/", rules: rules(check, located) } },
    automationDetails: { id: `predeploy/${check.id}/` },
    results: located.map((finding) => result(check, finding)),
  };
}

export function renderSarif(report: Report): string {
  const runs = orderedChecks(report)
    .filter((check) => check.status !== "skipped")
    .map(run);
  return `${JSON.stringify({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs }, null, 2)}\n`;
}
