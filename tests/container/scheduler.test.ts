/**
 * The module's scheduler over the Docker executor: timeouts, what depends on a timed-out
 * check, and secrets printed by a check, as they end up in CheckResults.
 * Run: node --import tsx --test tests/container/scheduler.test.ts
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CheckSpec } from "../../src/model/spec.js";
import { CheckResult } from "../../src/model/report.js";
import { buildReport } from "../../src/report/aggregate.js";
import { Format, renderReport } from "../../src/report/render.js";
import { runChecks, type RunChecksOptions as ScheduleOptions } from "../../src/run/run-checks.js";
import { DockerExecutor } from "../harness/docker-executor.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";
import { assertNoFragment } from "../support/secret-fragments.js";
import { harnessObjects, leftovers } from "./docker-state.js";
import { skipWithoutEngine } from "./engine.js";

const SECRET = `pw-${randomUUID()}`;

function spec(id: string, command: string[], overrides: Partial<CheckSpec> = {}): CheckSpec {
  return checkSpec(id, { container: containerSpec("python:3.13-slim", { secretEnv: { TOKEN: "token" } }), command, timeoutMs: 120_000, ...overrides });
}

const options: ScheduleOptions = {
  concurrency: 4,
  failFast: false,
  secrets: [SECRET],
  limits: { logTailBytes: 16_384, logTailLines: 200, maxFindings: 200 },
  reproduce: (id) => `npm run harness -- . --only ${id}`,
};

function byId(results: CheckResult[], id: string): CheckResult {
  const result = results.find((r) => r.id === id);
  assert.ok(result, `no result for ${id}`);
  return CheckResult.parse(result);
}

describe("scheduler over Docker", () => {
  let source: string;
  let executor: DockerExecutor;

  before(async () => {
    if (skipWithoutEngine) return;
    source = await mkdtemp(join(tmpdir(), "predeploy-scheduler-"));
    executor = new DockerExecutor(source, { token: SECRET });
  });

  after(async () => {
    if (skipWithoutEngine) return;
    await rm(source, { recursive: true, force: true });
  });

  test("a hung command times out, its dependents are skipped with the reason, the rest pass, nothing is left running", { skip: skipWithoutEngine }, async () => {
    const existing = await harnessObjects();
    const started = Date.now();
    const results = await runChecks(
      [
        spec("test.hangs", ["sh", "-c", "echo started; sleep 600"], { timeoutMs: 4000 }),
        spec("verify.after-hang", ["true"], { stage: "verify", dependsOn: ["test.hangs"] }),
        spec("test.independent", ["python3", "-c", "print('fine')"]),
      ],
      executor,
      options,
    );
    assert.ok(Date.now() - started < 60_000, "the run did not wait for the hung command");
    const hung = byId(results, "test.hangs");
    assert.equal(hung.status, "timeout");
    assert.match(hung.summary, /timed out after 4s/);
    // Stopped inside its container at the limit (its output kept), not by the scheduler's later backstop.
    assert.match(hung.logTail, /started/);
    assert.ok(hung.durationMs < 4000 + 5000, `ended within its limit plus a few seconds (${hung.durationMs} ms)`);
    const report = buildReport(results, { startedAt: new Date(started), wallTimeMs: Date.now() - started, errors: [] });
    assert.deepEqual([report.status, report.totals.checks, report.totals.timeout], ["failed", 3, 1], "the run still produces a complete report");
    const dependent = byId(results, "verify.after-hang");
    assert.equal(dependent.status, "skipped");
    assert.equal(dependent.skippedBecause, "test.hangs timed out");
    assert.equal(byId(results, "test.independent").status, "passed");
    assert.deepEqual(await leftovers(existing, 20_000), [], "the timed-out check's containers are removed");
  });

  test("a check that prints a secret (plain, base64, URL-encoded) has it redacted in its result", { skip: skipWithoutEngine }, async () => {
    const leak = spec("quality.leaky", [
      "python3",
      "-c",
      "import os, base64, urllib.parse; t = os.environ['TOKEN']; print('token', t); print('b64', base64.b64encode(t.encode()).decode()); print('url', urllib.parse.quote('x' + t)); raise SystemExit(1)",
    ]);
    const [result] = await runChecks([leak], executor, options);
    assert.ok(result);
    CheckResult.parse(result);
    assert.equal(result.status, "failed");
    assert.match(result.logTail, /token \*\*\*/);
    const serialised = JSON.stringify(result);
    for (const form of [SECRET, Buffer.from(SECRET).toString("base64"), encodeURIComponent(SECRET)]) {
      assert.ok(!serialised.includes(form), `the result carries the secret as ${form}`);
    }
  });

  test("a secret straddling the line, summary and tail cuts leaves no fragment, from stdout, stderr and a JUnit file", { skip: skipWithoutEngine }, async () => {
    const script = [
      "import os, sys",
      "t = os.environ['TOKEN']",
      "half = len(t) // 2",
      "print('error: ' + 'x' * (400 - 7 - half) + t + ' end')",
      "print('error: ' + 'y' * (300 - 7 - half) + t + ' end', file=sys.stderr)",
      "msg = 'z' * (400 - half) + t",
      "open('/tmp/predeploy-junit.xml', 'w').write('<testsuites><testsuite tests=\"1\" failures=\"1\"><testcase classname=\"t\" name=\"t\" file=\"t.py\" line=\"1\"><failure message=\"' + msg + '\">' + msg + '</failure></testcase></testsuite></testsuites>')",
      "sys.exit(1)",
    ].join("\n");
    const checks = [
      spec("quality.cut-lines", ["python3", "-c", script]),
      spec("test.cut-junit", ["python3", "-c", script], { parser: "pytest-junit", outputFiles: ["/tmp/predeploy-junit.xml"] }),
    ];
    const results = await runChecks(checks, executor, { ...options, limits: { logTailBytes: 420, logTailLines: 200, maxFindings: 200 } });
    const report = buildReport(results, { startedAt: new Date(), wallTimeMs: 1, errors: [] });
    for (const result of results) {
      assert.equal(result.status, "failed", result.id);
      assertNoFragment(JSON.stringify(result), SECRET, result.id);
    }
    for (const format of Format.options) assertNoFragment(renderReport(report, format, { colourLevel: 0 }), SECRET, format);
  });
});
