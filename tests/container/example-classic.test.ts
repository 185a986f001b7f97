/**
 * examples/classic — Django at the repository root (manage.py choosing tests.test_settings for
 * `test`, whose MIGRATION_MODULES disables migrations), requirements files with black, isort and
 * flake8, Django's own test runner, python-magic needing libmagic1 from the Dockerfile, and a
 * JavaScript worker (wrangler.jsonc, `"test": "vitest"`) forwarding the form to the backend —
 * planned by the module and run on Docker: the project's own tools run, the ones it has not
 * adopted do not, and every check passes, the end to end through the backend included.
 * Run: node --import tsx --test tests/container/example-classic.test.ts
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Report } from "../../src/model/report.js";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, checkById, describeProblems } from "./report-checks.js";
import { freshExampleCopy, SUITE_CONCURRENCY } from "./stack-copy.js";

/** The checks of this project's own tools and of its parts. */
const EXPECTED = [
  "build.backend-image",
  "build.deploy-checklist",
  "build.worker-bundle.contact-form",
  "quality.black",
  "quality.flake8",
  "quality.isort",
  "test.django-tests",
  "test.django-check",
  "test.migrations-check",
  "test.worker-tests.contact-form",
  "verify.migrations",
  "verify.backend-health",
  "verify.worker-health.contact-form",
  "verify.intake-e2e",
];

/** Tools this project has not adopted: no configuration, not in its requirements. */
const NOT_ADOPTED = ["quality.ruff-check", "quality.ruff-format", "quality.mypy", "test.pytest", "quality.tsc.contact-form"];

/** The TestCase tests in contact/tests/ and tests/test_health.py. */
const DJANGO_TESTS = 10;

test("examples/classic: every check passes, with no false failure", { skip: skipWithoutEngine }, async () => {
  const copy = await freshExampleCopy("classic");
  try {
    const started = Date.now();
    const { report: raw, secretValues } = await runDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY });
    console.log(`classic: ${((Date.now() - started) / 1000).toFixed(1)}s wall`);
    const report = Report.parse(JSON.parse(JSON.stringify(raw)));
    assert.deepEqual(report.errors, []);
    assert.equal(report.status, "passed", describeProblems(report));
    assert.equal(report.exitCode, 0);
    const ids = report.checks.map((c) => c.id);
    for (const id of EXPECTED) assert.ok(ids.includes(id), `${id} was not planned; the plan has ${ids.join(", ")}`);
    for (const id of NOT_ADOPTED) assert.ok(!ids.includes(id), `${id} ran, but the project has not adopted it`);
    for (const check of report.checks) assert.equal(check.status, "passed", `${check.id}: ${check.summary}`);
    assert.ok((checkById(report, "test.django-tests").counts?.passed ?? 0) >= DJANGO_TESTS, "the backend's tests ran");
    const e2e = checkById(report, "verify.intake-e2e");
    assert.match(e2e.summary, /posted through the worker and read back from Postgres/);
    assert.match(e2e.logTail, /"step": "query", "rows": 1/);
    assertNoSecrets(report, secretValues);
  } finally {
    await copy.remove();
  }
});
