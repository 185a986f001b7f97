import assert from "node:assert/strict";
import type { CheckResult } from "../../src/model/report.js";
import type { Executor } from "../../src/run/executor.js";
import { runChecks } from "../../src/run/run-checks.js";
import type { CheckSpec } from "../../src/plan/spec.js";
import { checkSpec, containerSpec } from "./check-spec.js";
import { execError, type Script } from "./dagger-fake.js";

/**
 * What every executor must agree on: one table of cases, each a spec, how a Dagger engine
 * answers it (for the recording fake of the SDK), and what the report must then say. The
 * translation test runs every case through the Dagger executor on the fake
 * (tests/unit/conformance.test.ts), the container suite through the Docker harness on real
 * containers (tests/container/conformance.test.ts), and `ci.yml`'s engine job runs the
 * examples and their failures on a real engine.
 */
export interface ConformanceCase {
  name: string;
  spec: CheckSpec;
  /** How the engine answers the spec (the fake's script); `started` is filled in by the runner when the command must have started in this run. */
  engine: Script;
  expect: {
    status: CheckResult["status"];
    /** Text the summary contains. */
    summary?: RegExp;
    /** Text the log tail contains. */
    logTail?: RegExp;
    /** Times the check's own command runs (1: it is never run twice). */
    commandRuns?: number;
  };
}

const IMAGE = "python:3.13-slim";

const tiny = (id: string, command: string[], overrides: Partial<CheckSpec> = {}): CheckSpec =>
  checkSpec(id, { container: containerSpec(IMAGE), command, timeoutMs: 60_000, ...overrides });

export const CONFORMANCE: readonly ConformanceCase[] = [
  {
    name: "a command that exits 0 passes, and runs once",
    spec: tiny("test.pass", ["sh", "-c", "echo all good"]),
    engine: { exits: [0], stdout: "all good\n" },
    expect: { status: "passed", commandRuns: 1 },
  },
  {
    name: "a command that fails in this run is failed, with its output, and runs once",
    spec: tiny("test.fail", ["sh", "-c", "echo boom >&2; exit 1"]),
    engine: { exits: [1, 1], stderr: "boom\n", started: "now" },
    expect: { status: "failed", logTail: /boom/, commandRuns: 1 },
  },
  {
    name: "a command over its time limit is timeout, and is not run again",
    spec: tiny("test.slow", ["sleep", "30"], { timeoutMs: 2_000 }),
    engine: { exits: [124, 124], started: "now", exitDelayMs: 1_500 },
    expect: { status: "timeout", summary: /timed out after 2s/, commandRuns: 1 },
  },
  {
    name: "a set-up step that fails is the check's failure, naming the step",
    spec: tiny("test.setup", ["true"], { container: containerSpec(IMAGE, { layers: [{ kind: "exec", args: ["sh", "-c", "echo no lockfile >&2; exit 3"] }] }) }),
    engine: { syncError: execError(["sh", "-c", "echo no lockfile >&2; exit 3"], 3, "", "no lockfile") },
    expect: { status: "failed", summary: /setup failed before the check ran/, commandRuns: 0 },
  },
  {
    name: "a tool that is not installed is error, never failed",
    spec: tiny("test.missing", ["predeploy-no-such-tool", "--check"]),
    engine: { exits: [127, 127], stderr: "sh: 1: exec: predeploy-no-such-tool: not found\n", started: "now" },
    expect: { status: "error", summary: /predeploy-no-such-tool is not installed/ },
  },
  {
    name: "a bound service that exits is the check's failure, naming the service",
    spec: tiny("verify.svc", ["sh", "-c", "sleep 20"], {
      container: containerSpec(IMAGE, { services: [{ alias: "api", service: { container: containerSpec(IMAGE), args: ["sh", "-c", "echo crashed >&2; exit 3"], ports: [9000] } }] }),
    }),
    engine: { exits: [new Error("bound service 5kq2m7 ([api]) exited: exit code: 3")] },
    expect: { status: "failed", summary: /service api/ },
  },
];

/** Runs one case through `executor` as a run would, and asserts what the report must hold; `commandRuns` as the executor counted them. */
export async function assertConforms(c: ConformanceCase, executor: Executor, commandRuns: () => number): Promise<void> {
  const [result] = await runChecks([c.spec], executor, {
    concurrency: 1,
    failFast: false,
    secrets: [],
    limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 20 },
    reproduce: (id) => id,
  });
  assert.ok(result);
  assert.equal(result.status, c.expect.status, `${result.summary}\n${result.logTail}`);
  if (c.expect.summary) assert.match(result.summary, c.expect.summary);
  if (c.expect.logTail) assert.match(result.logTail, c.expect.logTail);
  if (c.expect.commandRuns !== undefined) assert.equal(commandRuns(), c.expect.commandRuns);
}
