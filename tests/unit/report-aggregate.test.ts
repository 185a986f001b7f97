import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildReport, validateReport, verdict } from "../../src/report/aggregate.js";
import { Report, type CheckStatus } from "../../src/model/report.js";
import { STARTED_AT, check, failedReport, passedReport, reportOf } from "../support/report-fixtures.js";

const withStatuses = (...statuses: CheckStatus[]) =>
  reportOf(statuses.map((status, index) => check({ id: `test.check-${index}`, stage: "test", status })));

describe("buildReport", () => {
  it("counts every status and keeps every check", () => {
    assert.deepEqual(failedReport.totals, { checks: 7, passed: 1, failed: 3, skipped: 1, error: 1, timeout: 1 });
    assert.equal(failedReport.checks.length, 7);
    assert.equal(failedReport.startedAt, STARTED_AT.toISOString());
    assert.equal(failedReport.wallTimeMs, 73_400);
  });

  it("summarises every stage in order, with their status", () => {
    assert.deepEqual(
      failedReport.stages.map(({ stage, status, checks }) => [stage, status, checks]),
      [
        ["build", "failed", 2],
        ["quality", "failed", 1],
        ["test", "failed", 2],
        ["verify", "failed", 2],
        ["smoke", "empty", 0],
      ],
    );
    const report = reportOf([
      check({ id: "build.a", stage: "build" }),
      check({ id: "quality.a", stage: "quality", status: "error" }),
      check({ id: "quality.b", stage: "quality" }),
      check({ id: "verify.a", stage: "verify", status: "skipped", startOffsetMs: undefined }),
    ]);
    assert.deepEqual(
      report.stages.map(({ stage, status }) => [stage, status]),
      [
        ["build", "passed"],
        ["quality", "error"],
        ["test", "empty"],
        ["verify", "skipped"],
        ["smoke", "empty"],
      ],
    );
  });

  it("a timeout fails its stage, and a failure outranks an error", () => {
    const report = reportOf([
      check({ id: "verify.a", stage: "verify", status: "timeout" }),
      check({ id: "verify.b", stage: "verify", status: "error" }),
    ]);
    assert.equal(report.stages[3]?.status, "failed");
  });

  it("measures a stage from its first start to its last end, ignoring skipped checks", () => {
    const report = reportOf([
      check({ id: "test.a", stage: "test", startOffsetMs: 1_000, durationMs: 5_000 }),
      check({ id: "test.b", stage: "test", startOffsetMs: 2_000, durationMs: 10_000 }),
      check({ id: "test.c", stage: "test", status: "skipped", startOffsetMs: 50_000, durationMs: 0 }),
    ]);
    assert.equal(report.stages[2]?.durationMs, 11_000);
  });

  it("falls back to the longest duration for checks without a start offset", () => {
    const report = reportOf([
      check({ id: "build.a", stage: "build", startOffsetMs: undefined, durationMs: 7_000 }),
      check({ id: "build.b", stage: "build", startOffsetMs: 0, durationMs: 2_000 }),
    ]);
    assert.equal(report.stages[0]?.durationMs, 7_000);
    assert.equal(reportOf([]).stages[0]?.durationMs, 0);
  });

  it("exit codes: 0 passed, 1 any failed/timeout, 2 error without a failure", () => {
    const cases: [CheckStatus[], string[], Report["status"], 0 | 1 | 2][] = [
      [["passed"], [], "passed", 0],
      [["passed", "skipped"], [], "passed", 0],
      [["passed", "failed"], [], "failed", 1],
      [["passed", "timeout"], [], "failed", 1],
      [["failed", "error"], [], "failed", 1],
      [["timeout", "error", "skipped"], [], "failed", 1],
      [["passed", "error"], [], "error", 2],
      [["error"], [], "error", 2],
      [["skipped", "skipped"], [], "error", 2],
    ];
    for (const [statuses, errors, status, exitCode] of cases) {
      const report = reportOf(
        statuses.map((s, index) => check({ id: `test.check-${index}`, stage: "test", status: s })),
        errors,
      );
      assert.deepEqual([report.status, report.exitCode], [status, exitCode], statuses.join(","));
    }
  });

  it("a run-level error makes a clean run exit 2, but a failure still exits 1", () => {
    const clean = reportOf([check({ id: "test.a", stage: "test" })], ["predeploy.json: unknown key 'chekcs'"]);
    assert.deepEqual([clean.status, clean.exitCode], ["error", 2]);
    const failing = reportOf([check({ id: "test.a", stage: "test", status: "failed" })], ["bad config"]);
    assert.deepEqual([failing.status, failing.exitCode], ["failed", 1]);
  });

  it("a run where nothing ran says so instead of passing", () => {
    for (const report of [reportOf([]), withStatuses("skipped")]) {
      assert.equal(report.exitCode, 2);
      assert.equal(report.errors.length, 1);
      assert.match(report.errors[0] ?? "", /No check ran/);
    }
    assert.deepEqual(reportOf([], ["config is invalid"]).errors, ["config is invalid"]);
  });

  it("verdict passes a run with a pass and nothing broken", () => {
    assert.deepEqual(verdict({ checks: 1, passed: 1, failed: 0, skipped: 0, error: 0, timeout: 0 }, []), {
      status: "passed",
      exitCode: 0,
    });
  });

  it("does not keep a reference to the caller's array", () => {
    const checks = [check({ id: "test.a", stage: "test" })];
    const report = buildReport(checks, { startedAt: STARTED_AT, wallTimeMs: 10.6, errors: [] });
    checks.push(check({ id: "test.b", stage: "test" }));
    assert.equal(report.checks.length, 1);
    assert.equal(report.wallTimeMs, 11);
  });
});

describe("validateReport", () => {
  it("returns a valid report unchanged", () => {
    assert.deepEqual(validateReport(failedReport), failedReport);
    assert.deepEqual(validateReport(JSON.parse(JSON.stringify(passedReport))), passedReport);
  });

  it("turns an invalid check into an error report that still lists every check", () => {
    const broken = JSON.parse(JSON.stringify(failedReport));
    broken.checks[1].findings[0].line = -3;
    broken.checks[2].status = "exploded";
    const report = validateReport(broken);
    assert.equal(report.status, "error");
    assert.equal(report.exitCode, 2);
    assert.equal(report.checks.length, failedReport.checks.length);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      failedReport.checks.map((c) => c.id),
    );
    const salvaged = report.checks[1];
    assert.equal(salvaged?.status, "error");
    assert.equal(salvaged?.title, "intake worker bundle");
    assert.equal(salvaged?.reproduce, "dagger call pre-deploy --only build.worker-bundle.intake");
    assert.match(salvaged?.summary ?? "", /findings\.0\.line/);
    assert.match(report.errors.at(-1) ?? "", /failed validation/);
    assert.doesNotThrow(() => Report.parse(report));
    assert.equal(report.totals.error, 3);
  });

  it("survives input that is not a report at all", () => {
    for (const candidate of [null, 42, "report", [], { checks: [null, { id: 7 }] }]) {
      const report = validateReport(candidate);
      assert.doesNotThrow(() => Report.parse(report));
      assert.equal(report.exitCode, 2);
      assert.ok(report.errors.length > 0);
    }
    assert.deepEqual(
      validateReport({ checks: [{ id: "test.kept", stage: "test" }, {}] }).checks.map((c) => [c.id, c.stage]),
      [
        ["test.kept", "test"],
        ["unknown-check-2", "verify"],
      ],
    );
  });

  it("rejects a report whose verdict or totals do not follow from its checks", () => {
    const lying = { ...failedReport, status: "passed", exitCode: 0 };
    const fixed = validateReport(lying);
    assert.equal(fixed.exitCode, 2);
    assert.match(fixed.errors.join("\n"), /status: passed\/0 does not follow/);
    const miscounted = validateReport({ ...passedReport, totals: { ...passedReport.totals, passed: 0 } });
    assert.match(miscounted.errors.join("\n"), /totals/);
    assert.deepEqual(miscounted.totals, passedReport.totals);
  });

  it("is idempotent: a repaired report validates as is", () => {
    const broken = JSON.parse(JSON.stringify(failedReport));
    broken.checks[0].durationMs = -1;
    for (const candidate of [broken, { ...failedReport, status: "passed", exitCode: 0 }, { checks: [{}] }, null]) {
      const once = validateReport(candidate);
      assert.deepEqual(validateReport(once), once);
    }
  });

  it("keeps run-level errors of a report it rejects", () => {
    const report = validateReport({ ...reportOf([check({ id: "test.a", stage: "test" })], ["bad config"]), tool: "other" });
    assert.equal(report.errors[0], "bad config");
    assert.match(report.errors[1] ?? "", /tool/);
  });
});
