import { test } from "node:test";
import assert from "node:assert/strict";
import { PYTEST_JUNIT } from "../../src/model/contracts.js";
import { buildReport } from "../../src/report/aggregate.js";
import { Format, renderReport } from "../../src/report/render.js";
import { runChecks } from "../../src/run/run-checks.js";
import { DaggerExecutor } from "../../src/dagger/executor.js";
import { checkSpec } from "../support/check-spec.js";
import { fakeEngine } from "../support/dagger-fake.js";
import type { Behaviour } from "../support/fake-executor.js";
import { FakeExecutor } from "../support/fake-executor.js";
import { assertNoFragment } from "../support/secret-fragments.js";

// 24 characters, no character any escaper or text helper changes.
const SECRET = "Kq7ZtW9pXv3RbN2mLs8YdF4h";
const LIMITS = { logTailBytes: 1_000, logTailLines: 50, maxFindings: 3 };

/** `secret` placed so that it straddles column `cut` of its line. */
function straddling(cut: number, before = "x"): string {
  return `${before.repeat(cut - SECRET.length / 2)}${SECRET} tail of the line`;
}

function junit(message: string): string {
  return `<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="1" failures="1" errors="0" skipped="0"><testcase classname="app.tests.test_x" name="test_x" file="app/tests/test_x.py" line="3"><failure message="${message}">${message}</failure></testcase></testsuite></testsuites>`;
}

const CASES: Record<string, { parser?: Parameters<typeof checkSpec>[1]; behaviour: Behaviour }> = {
  // A finding's message line is cut at 400 characters.
  "quality.line-cut": { behaviour: { kind: "exit", code: 1, stdout: `error: ${straddling(400)}\n` } },
  // The summary is cut at 300 characters.
  "quality.summary-cut": { behaviour: { kind: "exit", code: 1, stderr: `error: ${straddling(300)}` } },
  // The log tail keeps the last 1,000 bytes: the secret straddles where it starts.
  "test.tail-cut": { behaviour: { kind: "exit", code: 1, stdout: `${SECRET}${"y".repeat(1_000 - SECRET.length / 2)}\n` } },
  // Many findings, most dropped by maxFindings; the secret in the kept and in the dropped ones.
  "quality.findings-cut": {
    parser: { parser: "ruff-check" },
    behaviour: {
      kind: "exit",
      code: 1,
      stdout: JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ filename: `/src/m${i}.py`, location: { row: 1, column: 1 }, code: "F401", message: straddling(400 - i) }))),
    },
  },
  // A JUnit file read back from the container.
  "test.junit-cut": { parser: { parser: "pytest-junit", outputFiles: [PYTEST_JUNIT] }, behaviour: { kind: "exit", code: 1, stdout: "1 failed", files: { [PYTEST_JUNIT]: junit(straddling(400)) } } },
  // An executor that throws with the secret in its message.
  "build.thrown-cut": { behaviour: { kind: "throw", message: straddling(300) } },
  // A setup step that fails and prints it.
  "build.prepare-cut": { behaviour: { kind: "prepare-fail", step: `npm ci --token ${SECRET}`, stderr: straddling(300) } },
};

test("a secret straddling any cut leaves no fragment in any field or rendering", async () => {
  const executor = new FakeExecutor(Object.fromEntries(Object.entries(CASES).map(([id, c]) => [id, c.behaviour])));
  const specs = Object.entries(CASES).map(([id, c]) => checkSpec(id, c.parser ?? {}));
  const results = await runChecks(specs, executor, { concurrency: 4, failFast: false, secrets: [SECRET], limits: LIMITS, reproduce: (id) => `check ${id}` });
  assert.equal(results.length, specs.length);
  for (const result of results) {
    assert.notEqual(result.status, "passed", `${result.id} should not pass`);
    assertNoFragment(JSON.stringify(result), SECRET, result.id);
  }
  const report = buildReport(results, { startedAt: new Date(0), wallTimeMs: 1, errors: [] });
  for (const format of Format.options) assertNoFragment(renderReport(report, format, { colourLevel: 3 }), SECRET, format);
});

test("the same outputs without the secret declared do carry it (the test can fail)", async () => {
  const executor = new FakeExecutor({ "quality.line-cut": CASES["quality.line-cut"]?.behaviour as Behaviour });
  const [result] = await runChecks([checkSpec("quality.line-cut")], executor, { concurrency: 1, failFast: false, secrets: [], limits: LIMITS, reproduce: (id) => id });
  assert.ok(result && JSON.stringify(result).includes(SECRET.slice(0, 8)));
});

test("through the Dagger executor too: raw output it reads back is redacted before any cut", async () => {
  const { engine, source } = fakeEngine({ exits: [1, 1], stdout: `error: ${straddling(400)}\n`, stderr: `error: ${straddling(300)}` });
  const dagger = new DaggerExecutor(engine, source, {}, "node:22-slim");
  const [result] = await runChecks([checkSpec("quality.dagger-cut")], dagger, { concurrency: 1, failFast: false, secrets: [SECRET], limits: LIMITS, reproduce: (id) => id });
  assert.ok(result);
  assert.equal(result.status, "failed");
  assertNoFragment(JSON.stringify(result), SECRET, "the Dagger executor's result");
});
