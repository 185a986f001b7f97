import assert from "node:assert/strict";
import type { CheckResult, Report } from "../../src/model/report.js";

/** Assertions on whole reports shared by the example and fault suites. */

export function checkById(report: Report, id: string): CheckResult {
  const check = report.checks.find((c) => c.id === id);
  assert.ok(check, `the report has no check ${id}; it has ${report.checks.map((c) => c.id).join(", ")}`);
  return check;
}

/** One line per check that did not pass: enough to see why a run went wrong in a test failure. */
export function describeProblems(report: Report): string {
  return report.checks
    .filter((c) => c.status !== "passed")
    .map((c) => `${c.id}: ${c.status}: ${c.summary}${c.logTail ? `\n    ${c.logTail.split("\n").slice(-8).join("\n    ")}` : ""}`)
    .concat(report.errors.map((e) => `run error: ${e}`))
    .join("\n");
}

/** Ids of checks that did not run because a prerequisite (directly or transitively) failed. */
export function blockedBy(report: Report, failed: ReadonlySet<string>): Set<string> {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const blocked = new Set<string>();
  const visit = (id: string, seen: Set<string>): boolean => {
    if (seen.has(id)) return false;
    const check = byId.get(id);
    if (!check) return false;
    const isBlocked = check.dependsOn.some((dep) => failed.has(dep) || visit(dep, new Set([...seen, id])));
    if (isBlocked) blocked.add(id);
    return isBlocked;
  };
  for (const check of report.checks) visit(check.id, new Set());
  return blocked;
}

/** No secret value of the run appears anywhere in the report. */
export function assertNoSecrets(report: Report, secretValues: readonly string[]): void {
  const json = JSON.stringify(report);
  for (const secret of secretValues) assert.ok(!json.includes(secret), "a secret value appears in the report");
}
