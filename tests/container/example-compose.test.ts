/**
 * examples/compose — the common Django template's shape: the production Dockerfile under docker/
 * with no CMD (compose and the Procfile start it), an entrypoint that waits for Postgres, settings
 * reading POSTGRES_* and REDIS_URL, production behind a TLS-terminating proxy, tests that need the
 * real Redis, a CI job giving the tests Postgres and Redis — planned by the module and run on
 * Docker: every check passes, the backend started as the Procfile says, on its port, answering
 * its healthcheck's route as the platform's proxy asks it.
 * Run: node --import tsx --test tests/container/example-compose.test.ts
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Report } from "../../src/model/report.js";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, checkById, describeProblems } from "./report-checks.js";
import { freshExampleCopy, SUITE_CONCURRENCY } from "./stack-copy.js";

const EXPECTED = [
  "build.backend-image",
  "build.deploy-checklist",
  "quality.ruff-check",
  "quality.ruff-format",
  "test.pytest",
  "test.django-check",
  "test.migrations-check",
  "verify.migrations",
  "verify.backend-health",
];

test("examples/compose: every check passes, with the stack its declarations describe", { skip: skipWithoutEngine }, async () => {
  const copy = await freshExampleCopy("compose");
  try {
    const started = Date.now();
    const { report: raw, secretValues } = await runDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY });
    console.log(`compose: ${((Date.now() - started) / 1000).toFixed(1)}s wall`);
    const report = Report.parse(JSON.parse(JSON.stringify(raw)));
    assert.deepEqual(report.errors, []);
    assert.equal(report.status, "passed", describeProblems(report));
    assert.deepEqual(report.checks.map((c) => c.id).sort(), [...EXPECTED].sort());
    assert.ok((checkById(report, "test.pytest").counts?.passed ?? 0) >= 7, "the tests ran, the Redis-backed ones included");
    assert.equal(checkById(report, "test.pytest").counts?.failed ?? 0, 0);
    const health = checkById(report, "verify.backend-health");
    assert.equal(health.summary, "GET /ops/ping/ answered 200", "the healthcheck's route, asked as the proxy asks: no redirect to https");
    assert.match(health.logTail, /"url": "http:\/\/backend:5000\/ops\/ping\/", "status": 200/);
    assert.equal(checkById(report, "verify.migrations").title, "migrations apply on a fresh Postgres");
    assertNoSecrets(report, secretValues);
  } finally {
    await copy.remove();
  }
});
