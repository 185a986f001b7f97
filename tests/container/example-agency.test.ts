/**
 * examples/agency — a pnpm workspace of Astro sites sharing packages/ui, an intake worker
 * writing to Postgres through the Neon driver, Django with dev tools in an extra and a group,
 * no /health anywhere, and a Dockerfile with a uv project venv — planned by the module and
 * run on Docker: every check passes for the right reason, the end to end through the Neon
 * bridge included. Run: node --import tsx --test tests/container/example-agency.test.ts
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Report } from "../../src/model/report.js";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, checkById, describeProblems } from "./report-checks.js";
import { freshExampleCopy, SUITE_CONCURRENCY } from "./stack-copy.js";

test("examples/agency: every check passes, with no false failure", { skip: skipWithoutEngine }, async () => {
  const copy = await freshExampleCopy("agency");
  try {
    const started = Date.now();
    const { report: raw, secretValues } = await runDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY });
    console.log(`agency: ${((Date.now() - started) / 1000).toFixed(1)}s wall`);
    const report = Report.parse(JSON.parse(JSON.stringify(raw)));
    assert.deepEqual(report.errors, []);
    assert.equal(report.status, "passed", describeProblems(report));
    const ids = report.checks.map((c) => c.id).sort();
    for (const site of ["bright-dental", "northside-plumbing", "rosemary-bakery"]) {
      assert.ok(ids.includes(`build.site.${site}`) && ids.includes(`test.site-tests.${site}`), `${site} is checked`);
    }
    assert.ok(!ids.some((id) => id.includes("_template")), "the template site is not checked");
    for (const check of report.checks) assert.equal(check.status, "passed", `${check.id}: ${check.summary}`);
    // No /health on either: the fallbacks say which path answered.
    assert.match(checkById(report, "verify.backend-health").summary, /\/admin\/login\//);
    assert.match(checkById(report, "verify.intake-e2e").summary, /read back from Postgres/);
    assert.ok((checkById(report, "test.pytest").counts?.passed ?? 0) >= 15, "the backend's tests ran");
    assertNoSecrets(report, secretValues);
  } finally {
    await copy.remove();
  }
});
