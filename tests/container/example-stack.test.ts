/**
 * The example monorepo, planned by the module and run on Docker twice in a row (the
 * first may be cold, the second warm): every check passes each time, including verify with
 * the worker running and the submitted row read back from Postgres, and the verdicts do
 * not change between runs. Run: node --import tsx --test tests/container/example-stack.test.ts
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Report } from "../../src/model/report.js";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, checkById, describeProblems } from "./report-checks.js";
import { freshStackCopy, SUITE_CONCURRENCY, type StackCopy } from "./stack-copy.js";

const RUNS = 2;

describe("the example stack", () => {
  let stack: StackCopy;
  const verdicts: Map<string, string>[] = [];

  before(async () => {
    if (skipWithoutEngine) return;
    stack = await freshStackCopy();
  });

  after(async () => {
    if (skipWithoutEngine) return;
    await stack.remove();
  });

  for (let run = 1; run <= RUNS; run++) {
    test(`run ${run} of ${RUNS}: every check passes and the JSON report validates`, { skip: skipWithoutEngine }, async () => {
      const started = Date.now();
      // Every check executes in every run (no result reuse): this is the determinism test.
      const { report, secretValues } = await runDirectory(stack.dir, { concurrency: SUITE_CONCURRENCY, reuseResults: false });
      console.log(`run ${run}: ${((Date.now() - started) / 1000).toFixed(1)}s wall, report says ${(report.wallTimeMs / 1000).toFixed(1)}s`);
      const parsed = Report.parse(JSON.parse(JSON.stringify(report)));
      assert.deepEqual(parsed.errors, []);
      assert.equal(parsed.status, "passed", describeProblems(parsed));
      assert.equal(parsed.exitCode, 0);
      assert.ok(parsed.checks.length >= 16, `only ${parsed.checks.length} checks were planned`);
      for (const check of parsed.checks) assert.equal(check.status, "passed", `${check.id}: ${check.summary}`);
      const ids = parsed.checks.map((c) => c.id);
      for (const id of ["verify.migrations", "verify.backend-health", "verify.worker-health.intake", "verify.intake-e2e", "build.deploy-checklist"]) assert.ok(ids.includes(id), `${id} was not planned`);
      // The deployment checklist in the built image: the settings' own warnings (no HSTS), never the run's key (W009).
      const checklist = checkById(parsed, "build.deploy-checklist").findings.map((f) => `${f.severity} ${f.rule}`);
      assert.ok(checklist.includes("warning security.W004"), checklist.join(", "));
      assert.ok(!checklist.includes("warning security.W009"), checklist.join(", "));
      const e2e = checkById(parsed, "verify.intake-e2e");
      assert.match(e2e.summary, /posted through the worker and read back from Postgres/);
      assert.match(e2e.logTail, /"step": "query", "rows": 1/);
      assert.ok(checkById(parsed, "test.pytest").counts?.passed, "pytest reported its passed tests");
      assertNoSecrets(parsed, secretValues);
      verdicts.push(new Map(parsed.checks.map((c) => [c.id, c.status])));
    });
  }

  test("the verdict of every check is the same in every run", { skip: skipWithoutEngine }, () => {
    assert.equal(verdicts.length, RUNS, "an earlier run failed");
    const [first, ...rest] = verdicts;
    for (const other of rest) assert.deepEqual(Object.fromEntries(other ?? []), Object.fromEntries(first ?? []));
  });
});
