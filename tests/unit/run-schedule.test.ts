import assert from "node:assert/strict";
import { test } from "node:test";
import { runChecks, type RunChecksOptions as ScheduleOptions } from "../../src/run/run-checks.js";
import { FakeExecutor, spec } from "../support/fake-executor.js";

const options = (overrides: Partial<ScheduleOptions> = {}): ScheduleOptions => ({
  concurrency: 16,
  failFast: false,
  secrets: [],
  limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 10 },
  reproduce: (id) => `predeploy check ${id}`,
  ...overrides,
});

/** Lets every pending promise chain run (setImmediate is not mocked). */
const settle = async () => {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

test("independent checks run concurrently, with no stage barriers", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const executor = new FakeExecutor({
    "build.a": { kind: "exit", code: 0, delayMs: 150 },
    "quality.b": { kind: "exit", code: 0, delayMs: 150 },
    "test.c": { kind: "exit", code: 0, delayMs: 150 },
    "verify.d": { kind: "exit", code: 0, delayMs: 150 },
  });
  const running = runChecks([spec("build.a"), spec("quality.b"), spec("test.c"), spec("verify.d")], executor, options());
  await settle();
  t.mock.timers.tick(150);
  const results = await running;
  assert.equal(executor.maxRunning, 4);
  assert.ok(results.every((r) => r.status === "passed"));
  assert.deepEqual(results.map((r) => r.startOffsetMs), [0, 0, 0, 0], "all started at once");
  assert.deepEqual(results.map((r) => r.durationMs), [150, 150, 150, 150]);
});

test("the concurrency limit is honoured", async () => {
  const executor = new FakeExecutor({});
  await runChecks(["build.a", "build.b", "build.c", "build.d", "build.e"].map((id) => spec(id)), executor, options({ concurrency: 2 }));
  assert.equal(executor.maxRunning, 2);
});

test("a failed prerequisite skips its dependants with the reason; everything else still runs", async () => {
  const executor = new FakeExecutor({ "build.bundle": { kind: "exit", code: 1, stderr: "bundle broke" } });
  const results = await runChecks(
    [spec("build.bundle"), spec("verify.health", ["build.bundle"]), spec("verify.e2e", ["verify.health"]), spec("quality.lint"), spec("verify.other", ["quality.lint"])],
    executor,
    options(),
  );
  const status = Object.fromEntries(results.map((r) => [r.id, r.status]));
  assert.deepEqual(status, { "build.bundle": "failed", "verify.health": "skipped", "verify.e2e": "skipped", "quality.lint": "passed", "verify.other": "passed" });
  assert.equal(results.find((r) => r.id === "verify.health")?.skippedBecause, "build.bundle failed");
  assert.equal(results.find((r) => r.id === "verify.e2e")?.skippedBecause, "verify.health was skipped");
  assert.ok(!executor.started.includes("verify.health") && !executor.started.includes("verify.e2e"));
  assert.equal(results.find((r) => r.id === "build.bundle")?.reproduce, "predeploy check build.bundle");
});

test("an executor that throws yields error for that check and a complete result list", async () => {
  const executor = new FakeExecutor({ "test.boom": { kind: "throw", message: "engine went away" } });
  const results = await runChecks([spec("test.boom"), spec("test.fine"), spec("verify.after", ["test.boom"])], executor, options());
  assert.equal(results.length, 3);
  const boom = results.find((r) => r.id === "test.boom");
  assert.equal(boom?.status, "error");
  assert.match(boom?.summary ?? "", /the executor failed: engine went away/);
  assert.equal(results.find((r) => r.id === "test.fine")?.status, "passed");
  assert.equal(results.find((r) => r.id === "verify.after")?.skippedBecause, "test.boom error");
});

test("a per-check timeout yields timeout, aborts the execution and skips dependants", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const executor = new FakeExecutor({ "verify.hung": { kind: "hang" } });
  const running = runChecks([spec("verify.hung", [], 200), spec("verify.next", ["verify.hung"]), spec("build.ok")], executor, options());
  await settle();
  // The backstop: the limit plus time for the container's own timeout to KILL (at least 5 s).
  t.mock.timers.tick(5_200);
  await settle();
  const results = await running;
  const hung = results.find((r) => r.id === "verify.hung");
  assert.equal(hung?.status, "timeout");
  assert.match(hung?.summary ?? "", /timed out after 0\.2s/);
  assert.ok((hung?.durationMs ?? 0) >= 190);
  assert.equal(results.find((r) => r.id === "verify.next")?.skippedBecause, "verify.hung timed out");
  assert.equal(results.find((r) => r.id === "build.ok")?.status, "passed");
  await settle();
  assert.deepEqual(executor.aborted, ["verify.hung"]);
});

test("the time limit counts from when the command starts: a long set-up does not eat it", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const executor = new FakeExecutor({ "test.slow-setup": { kind: "exit", code: 0, setupMs: 60_000, delayMs: 1_000 } });
  const running = runChecks([spec("test.slow-setup", [], 2_000)], executor, options());
  await settle();
  t.mock.timers.tick(60_000);
  await settle();
  t.mock.timers.tick(1_000);
  const [result] = await running;
  assert.equal(result?.status, "passed", result?.summary);
  assert.equal(result?.durationMs, 61_000);
});

test("a setup (prepare) failure fails the check and names the step", async () => {
  const executor = new FakeExecutor({ "quality.x": { kind: "prepare-fail", step: "npm ci", stderr: "npm ERR! missing lockfile" } });
  const [result] = await runChecks([spec("quality.x")], executor, options());
  assert.equal(result?.status, "failed");
  assert.match(result?.summary ?? "", /setup failed before the check ran: npm ci/);
  assert.equal(result?.findings[0]?.message, "npm ERR! missing lockfile");
});

test("fail-fast stops at the first failure; what did not finish is skipped", async () => {
  const executor = new FakeExecutor({ "build.fails": { kind: "exit", code: 1, delayMs: 10 }, "build.slow": { kind: "hang" } });
  const results = await runChecks([spec("build.fails"), spec("build.slow"), spec("verify.later", ["build.slow"])], executor, options({ failFast: true }));
  const slow = results.find((r) => r.id === "build.slow");
  assert.equal(slow?.status, "skipped");
  assert.equal(slow?.skippedBecause, "fail-fast: cancelled after build.fails did not pass");
  assert.equal(results.find((r) => r.id === "verify.later")?.status, "skipped");
});

test("secrets are redacted from summaries, findings and log tails", async () => {
  const secret = "s3cr3t-value-123";
  const executor = new FakeExecutor({ "test.leak": { kind: "exit", code: 1, stdout: `connecting with ${secret}\n`, stderr: `error: bad key ${secret}` } });
  const [result] = await runChecks([spec("test.leak")], executor, options({ secrets: [secret] }));
  assert.ok(result);
  assert.ok(!JSON.stringify(result).includes(secret));
  assert.match(result.logTail, /connecting with \*\*\*/);
});

test("log tails are bounded and say how much was cut", async () => {
  const executor = new FakeExecutor({ "test.noisy": { kind: "exit", code: 1, stdout: "x".repeat(100_000) } });
  const [result] = await runChecks([spec("test.noisy")], executor, options({ limits: { logTailBytes: 1000, logTailLines: 50, maxFindings: 5 } }));
  assert.ok(result && result.logTail.length <= 1000);
  assert.ok((result?.truncated.logBytesDropped ?? 0) >= 99_000);
});

test("a dependency cycle is reported, not a hang", async () => {
  const executor = new FakeExecutor({});
  const results = await runChecks([spec("build.a", ["build.b"]), spec("build.b", ["build.a"]), spec("build.c")], executor, options());
  assert.equal(results.find((r) => r.id === "build.a")?.status, "skipped");
  assert.match(results.find((r) => r.id === "build.a")?.skippedBecause ?? "", /dependency cycle/);
  assert.equal(results.find((r) => r.id === "build.c")?.status, "passed");
});

test("when slots are scarce, checks heading the longest dependency chains go first", async () => {
  const executor = new FakeExecutor({});
  await runChecks([spec("quality.x1"), spec("quality.x2"), spec("build.b"), spec("verify.c", ["build.b"])], executor, options({ concurrency: 1 }));
  assert.deepEqual(executor.started, ["quality.x1", "build.b", "quality.x2", "verify.c"]);
});

test("many concurrent checks raise no listener warnings", async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on("warning", onWarning);
  try {
    const specs = Array.from({ length: 30 }, (_, i) => spec(`build.c${i}`));
    await runChecks(specs, new FakeExecutor({}), options({ concurrency: 30, failFast: true }));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", onWarning);
  }
  assert.deepEqual(warnings.map((w) => w.name), []);
});

test("thousands of findings are bounded, and the result says how many were cut", async () => {
  const findings = Array.from({ length: 5000 }, (_, i) => ({ filename: `/src/app/m${i}.py`, location: { row: i + 1, column: 1 }, code: "F401", message: `unused import ${i}` }));
  const executor = new FakeExecutor({ "quality.ruff": { kind: "exit", code: 1, stdout: JSON.stringify(findings) } });
  const ruff = { ...spec("quality.ruff"), parser: "ruff-check" as const };
  const [result] = await runChecks([ruff], executor, options({ limits: { logTailBytes: 2048, logTailLines: 50, maxFindings: 100 } }));
  assert.equal(result?.status, "failed");
  assert.equal(result?.findings.length, 100);
  assert.equal(result?.truncated.findingsDropped, 4900);
  assert.ok(JSON.stringify(result).length < 50_000, "the result stays small");
});

test("output the executor did not keep is counted as cut", async () => {
  const executor = new FakeExecutor({ "test.huge": { kind: "exit", code: 0, stdout: "tail of a huge log\n", outputBytesDropped: 300_000_000 } });
  const [result] = await runChecks([spec("test.huge")], executor, options());
  assert.equal(result?.truncated.logBytesDropped, 300_000_000);
});

test("a check prepared early starts its container and services once prepareAfter passed, and its command once every prerequisite did", async () => {
  const executor = new FakeExecutor({
    "build.image": { kind: "exit", code: 0, delayMs: 20 },
    "verify.migrations": { kind: "exit", code: 0, delayMs: 200 },
    "verify.e2e": { kind: "exit", code: 0, delayMs: 20, setupMs: 50 },
  });
  const e2e = { ...spec("verify.e2e", ["verify.migrations"]), prepareAfter: ["build.image"] };
  const results = await runChecks([spec("build.image"), spec("verify.migrations", ["build.image"]), e2e], executor, options({ concurrency: 1 }));
  assert.ok(results.every((r) => r.status === "passed"));
  const at = (event: string) => executor.events.indexOf(event);
  assert.equal(executor.maxRunning, 1, "one slot: one command at a time");
  assert.ok(at("prepare verify.e2e") > at("end build.image") && at("prepare verify.e2e") < at("end verify.migrations"), "prepared beside the migrations check, outside the one slot");
  assert.deepEqual(executor.commandsStarted, ["build.image", "verify.migrations", "verify.e2e"], "its command waits for the migrations check");
  const duration = results.find((r) => r.id === "verify.e2e")?.durationMs ?? 0;
  assert.ok(duration < 150, `its duration counts from when its prerequisites passed (${duration} ms)`);
});

test("a check prepared early whose later prerequisite fails is skipped with the reason; its command never runs", async () => {
  const executor = new FakeExecutor({ "verify.migrations": { kind: "exit", code: 1, delayMs: 50 } });
  const e2e = { ...spec("verify.e2e", ["verify.migrations"]), prepareAfter: ["build.image"] };
  const results = await runChecks([spec("build.image"), spec("verify.migrations", ["build.image"]), e2e], executor, options());
  const result = results.find((r) => r.id === "verify.e2e");
  assert.equal(result?.status, "skipped");
  assert.equal(result?.skippedBecause, "verify.migrations failed");
  assert.ok(executor.started.includes("verify.e2e"), "it was prepared");
  assert.ok(!executor.commandsStarted.includes("verify.e2e"), "its command never ran");
});
