import assert from "node:assert/strict";
import type { CheckResult } from "../../src/model/report.js";
import type { Executor } from "../../src/run/executor.js";
import { executeContained } from "../../src/run/contained.js";
import { applyFixes, type FixJob } from "../../src/run/fix.js";
import { runChecks } from "../../src/run/run-checks.js";
import type { CheckSpec, ServiceSpec } from "../../src/model/spec.js";
import { serviceLogBlock } from "../../src/run/service-logs.js";
import { checkSpec, containerSpec } from "./check-spec.js";
import { execError, type Script } from "./dagger-fake.js";

/**
 * What every executor must agree on: one table of cases, each a spec, how a Dagger engine
 * answers it (for the recording fake of the SDK), the engine source it mirrors (v0.21.8), and
 * what the report must then say. The translation test runs every case through the Dagger
 * executor on the fake (tests/unit/conformance.test.ts), the container suite through the Docker
 * harness on real containers (tests/container/conformance.test.ts), and `ci.yml`'s engine job
 * runs the examples and their failures on a real engine. Where the executors differ, the case
 * says so (`commandRuns` per executor) and why.
 */
export interface ConformanceCase {
  name: string;
  /** The engine's behaviour the case mirrors: file:line in dagger/dagger at v0.21.8. */
  engineSource: string;
  spec: CheckSpec;
  /** Files the case's source directory holds (a Dockerfile the spec builds). */
  files?: Record<string, string>;
  /** How the engine answers the spec (the fake's script); `started` "now": the command started in this run. */
  engine: Script;
  /** How the case is run: as a check (the scheduler), or as a fix job (applyFixes through the one execution boundary). */
  via?: "check" | "fix";
  expect: {
    status: CheckResult["status"];
    /** Text the summary contains. */
    summary?: RegExp;
    /** Text the log tail contains. */
    logTail?: RegExp;
    /** Text the named service's log in the report contains. */
    serviceLog?: { service: string; includes: RegExp };
    /** Output bytes were dropped, and counted. */
    cut?: boolean;
    /** Times the check's own command runs: the same everywhere, or per executor where they differ. */
    commandRuns?: number | { dagger: number; docker: number };
    /** Calls the Dagger executor must make (checked on the fake's chains only). */
    daggerCalls?: RegExp[];
  };
}

const IMAGE = "python:3.13-slim";

const tiny = (id: string, command: string[], overrides: Partial<CheckSpec> = {}): CheckSpec =>
  checkSpec(id, { container: containerSpec(IMAGE), command, timeoutMs: 60_000, ...overrides });

const service = (name: string, args: string[], ports: number[], overrides: Partial<ServiceSpec> = {}): ServiceSpec => ({ name, container: containerSpec(IMAGE), args, ports, ...overrides });

const withService = (id: string, command: string[], alias: string, bound: ServiceSpec, overrides: Partial<CheckSpec> = {}): CheckSpec =>
  tiny(id, command, { container: containerSpec(IMAGE, { services: [{ alias, service: bound }] }), ...overrides });

/** A Python server on `port` that answers and, after `crashAfter` seconds, prints `line` and exits 3. */
const crashingServer = (port: number, crashAfter: number, line: string): string[] => [
  "python3",
  "-c",
  [
    "import http.server, sys, threading, time",
    `server = http.server.HTTPServer(("0.0.0.0", ${port}), http.server.SimpleHTTPRequestHandler)`,
    "threading.Thread(target=server.serve_forever, daemon=True).start()",
    `time.sleep(${crashAfter})`,
    `print(${JSON.stringify(line)}, file=sys.stderr, flush=True)`,
    "sys.exit(3)",
  ].join("\n"),
];

const EXITED = (alias: string, code: number) => new Error(`bound service 5kq2m7bq0dbpc (aliased as ${alias}) exited: exit code: ${code}`);

export const CONFORMANCE: readonly ConformanceCase[] = [
  {
    name: "a command that exits 0 passes, and runs once",
    engineSource: "core/container.go:7067-7075 (expect ANY accepts 0-127 and 192-255)",
    spec: tiny("test.pass", ["sh", "-c", "echo all good"]),
    engine: { exits: [0], stdout: "all good\n" },
    expect: { status: "passed", commandRuns: 1 },
  },
  {
    name: "a command that fails in this run is failed, with its output, and runs once",
    engineSource: "core/container.go:7067-7075",
    spec: tiny("test.fail", ["sh", "-c", "echo boom >&2; exit 1"]),
    engine: { exits: [1, 1], stderr: "boom\n", started: "now" },
    expect: { status: "failed", logTail: /boom/, commandRuns: 1 },
  },
  {
    name: "a failure replayed from the engine's cache is run again before it is reported; the harness never stores a failure",
    engineSource: "a cached exec is answered without running, failures included (dagql call cache); run/replay.ts",
    spec: tiny("test.replayed", ["sh", "-c", "echo boom >&2; exit 1"]),
    engine: { exits: [1, 1], stderr: "boom\n", started: "1000000000" },
    expect: { status: "failed", commandRuns: { dagger: 2, docker: 1 } },
  },
  {
    name: "a command over its time limit is timeout, and is not run again",
    engineSource: "the engine cannot stop a started exec: the limit is coreutils timeout inside the container (run/time-limit.ts)",
    spec: tiny("test.slow", ["sleep", "30"], { timeoutMs: 2_000 }),
    engine: { exits: [124, 124], started: "now", exitDelayMs: 1_500 },
    expect: { status: "timeout", summary: /timed out after 2s/, commandRuns: 1 },
  },
  {
    name: "output over the engine's limit keeps its end, and the cut is counted",
    engineSource: "the executor redirects stdout and stderr to files and reads their last 4 MiB (src/dagger/executor.ts CAPTURE_BYTES)",
    spec: tiny("test.chatty", ["sh", "-c", "yes 'a line from a chatty tool' | head -c 6000000; echo the-end"]),
    engine: { exits: [0], outputSize: 6_000_009, tail: "a line from a chatty tool\nthe-end\n" },
    expect: { status: "passed", logTail: /the-end/, cut: true },
  },
  {
    name: "a set-up step that fails is the check's failure, naming the step",
    engineSource: "core/exec_error.go:23-47 (ExecError with cmd, exit code, stdout, stderr)",
    spec: tiny("test.setup", ["true"], { container: containerSpec(IMAGE, { layers: [{ kind: "exec", args: ["sh", "-c", "echo no lockfile >&2; exit 3"] }] }) }),
    engine: { syncError: execError(["sh", "-c", "echo no lockfile >&2; exit 3"], 3, "", "no lockfile") },
    expect: { status: "failed", summary: /setup failed before the check ran/, commandRuns: 0 },
  },
  {
    name: "a check that binds no service reaches addresses outside the run (what smoke asks): the default network, not none",
    engineSource: "core/container_exec.go:73-79 and 361-372 (withExec runs with NetMode_UNSET, the engine's network, unless the internal NoNetwork is set)",
    spec: tiny("smoke.outside", ["python", "-c", "import urllib.request; print(urllib.request.urlopen('https://registry.npmjs.org/-/ping', timeout=20).status)"]),
    engine: { exits: [0], stdout: "200\n" },
    expect: { status: "passed", logTail: /200/, commandRuns: 1 },
  },
  {
    name: "a tool that is not installed is error, never failed",
    engineSource: "core/container.go:7067-7075 (127 is an exit code like any other)",
    spec: tiny("test.missing", ["predeploy-no-such-tool", "--check"]),
    engine: { exits: [127, 127], stderr: "sh: 1: exec: predeploy-no-such-tool: not found\n", started: "now" },
    expect: { status: "error", summary: /predeploy-no-such-tool is not installed/ },
  },
  {
    name: "a bound service that crashes before it is ready fails the check, naming it, with its log",
    engineSource: "health checks skipped, the service counts as started at once (core/healthcheck.go:41-47); its exit cancels the command (core/container_exec.go:2116-2131) with `bound service <host> (aliased as api) exited: exit code: 3` (:387-390, AliasSet core/service.go:1639-1645)",
    spec: withService("verify.crash-early", ["sh", "-c", "echo probing"], "api", service("api", ["sh", "-c", "echo 'fatal: DATABASE_URL is not set' >&2; exit 3"], [9000])),
    engine: { exits: [EXITED("api", 3)], logs: serviceLogBlock("api", "fatal: DATABASE_URL is not set\npredeploy: api exited with code 3 before it was ready\n") },
    expect: { status: "failed", summary: /service api exited with code 3: fatal: DATABASE_URL is not set/, serviceLog: { service: "api", includes: /DATABASE_URL is not set/ }, commandRuns: 1 },
  },
  {
    name: "a bound service that crashes after it was ready, while the command runs, fails the check with its log",
    engineSource: "core/container_exec.go:2116-2131 (monitorServiceBindings cancels the command, :444-500); none of the command's output is kept (:1821-1825)",
    spec: withService("verify.crash-late", ["sleep", "40"], "api", service("api", crashingServer(9000, 4, "worker died: segfault in handler"), [9000])),
    engine: { exits: [EXITED("api", 3)], logs: serviceLogBlock("api", "predeploy: api ready after 1s\nworker died: segfault in handler\npredeploy: api exited with code 3\n") },
    expect: { status: "failed", summary: /service api exited with code 3: worker died: segfault in handler/, serviceLog: { service: "api", includes: /worker died/ }, commandRuns: 1 },
  },
  {
    name: "a service that never listens where it should is not ready: it says where it listens, and fails the check",
    engineSource: "the engine would wait on its port check with no end (core/healthcheck.go:63-90); the runtime bounds readiness and exits 69, which the engine reports as a bound service exit",
    spec: withService("verify.elsewhere", ["sh", "-c", "echo probing"], "web", service("web", ["python3", "-m", "http.server", "7001"], [7000], { readySeconds: 5 })),
    engine: { exits: [EXITED("web", 69)], logs: serviceLogBlock("web", "predeploy: web listens on 7001, not 7000\n") },
    expect: { status: "failed", summary: /service web exited with code 69: web listens on 7001, not 7000/, serviceLog: { service: "web", includes: /listens on 7001, not 7000/ } },
  },
  {
    name: "a service whose dependency is slow starts only once it is ready (ordering by the runtime, not the engine)",
    engineSource: "a service's own bindings are started, not awaited, before it (core/service.go:604 StartBindings; health checks skipped)",
    spec: withService(
      "verify.ordered",
      ["python3", "-c", "import urllib.request; print(urllib.request.urlopen('http://web:7000/').read().decode())"],
      "web",
      service(
        "web",
        ["python3", "-c", "import socket, http.server; socket.create_connection(('slow', 7002), 2).close(); http.server.HTTPServer(('0.0.0.0', 7000), http.server.SimpleHTTPRequestHandler).serve_forever()"],
        [7000],
        { container: containerSpec(IMAGE, { services: [{ alias: "slow", service: service("slow", ["sh", "-c", "sleep 4; exec python3 -m http.server 7002"], [7002]) }] }) },
      ),
    ),
    engine: { exits: [0], stdout: "<html>" },
    expect: { status: "passed", commandRuns: 1 },
  },
  {
    name: "an image's own failing HEALTHCHECK neither blocks nor fails a service: readiness is predeploy's",
    engineSource: "with Config.Healthcheck set the engine runs it instead of the port check (core/service.go:867-877); withoutDockerHealthcheck clears it (core/container.go:2700-2706)",
    files: { "Healthcheck.Dockerfile": `FROM ${IMAGE}\nHEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD curl -f http://localhost:7000/health || exit 1\n` },
    spec: withService(
      "verify.healthcheck",
      ["python3", "-c", "import socket; socket.create_connection(('web', 7000), 5).close(); print('reached')"],
      "web",
      service("web", ["python3", "-m", "http.server", "7000"], [7000], { container: { ...containerSpec(IMAGE), base: { kind: "dockerfile", context: ".", dockerfile: "Healthcheck.Dockerfile" } } }),
    ),
    engine: { exits: [0], stdout: "reached\n" },
    expect: { status: "passed", daggerCalls: [/withoutDockerHealthcheck\(\)/] },
  },
  {
    name: "a fix job runs through the same boundary: over its limit it ends, and writes nothing",
    engineSource: "as a check's command (run/contained.ts)",
    spec: tiny("quality.format", ["true"], { timeoutMs: 2_000, container: containerSpec(IMAGE, { layers: [{ kind: "exec", args: ["mkdir", "-p", "/src"] }] }) }),
    via: "fix",
    engine: { exits: [124], started: "now", exitDelayMs: 1_500 },
    expect: { status: "failed", summary: /the fixer failed \(exit 124\); nothing was written|timed out/ },
  },
];

/**
 * Two runs at once on one engine, with the same service: each report carries its own service's
 * log and nothing of the other's (the engine's log volume is one per engine, core/schema/cache.go:45-60;
 * each run has its own folder in it). `executors` make one run each.
 */
export async function assertRunsKeepTheirLogs(executors: readonly [Executor, Executor]): Promise<CheckResult[]> {
  const crash = CONFORMANCE.find((c) => c.spec.id === "verify.crash-early");
  assert.ok(crash);
  const results = await Promise.all(
    executors.map(async (executor) => {
      const [result] = await runChecks([crash.spec], executor, { concurrency: 1, failFast: false, secrets: [], limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 20 }, reproduce: (id) => id });
      assert.ok(result);
      return result;
    }),
  );
  for (const result of results) {
    assert.equal(result.status, "failed");
    const log = result.serviceLogs?.find((l) => l.service === "api")?.tail ?? "";
    assert.equal(log.match(/DATABASE_URL is not set/g)?.length, 1, `one instance's log, not two: ${log}`);
  }
  return results;
}

/** Runs one case through `executor` as a run (or a fix) would, and asserts what the report must hold; `commandRuns` as the executor counted them. */
export async function assertConforms(c: ConformanceCase, executor: Executor, commandRuns: () => number, which: "dagger" | "docker"): Promise<void> {
  if (c.via === "fix") {
    const job: FixJob = { check: c.spec.id, spec: c.spec, commands: [{ argv: ["sleep", "30"], line: "sleep 30" }], safe: true };
    const [outcome] = await applyFixes([job], { run: (spec) => executeContained(spec, executor), apply: async () => undefined });
    assert.ok(outcome);
    assert.equal(outcome.status, c.expect.status);
    if (c.expect.summary) assert.match(outcome.message, c.expect.summary);
    assert.deepEqual(outcome.files, []);
    return;
  }
  const [result] = await runChecks([c.spec], executor, {
    concurrency: 1,
    failFast: false,
    secrets: [],
    limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 20 },
    reproduce: (id) => id,
  });
  assert.ok(result);
  const context = `${result.summary}\n${result.logTail}\n${JSON.stringify(result.serviceLogs ?? [])}`;
  assert.equal(result.status, c.expect.status, context);
  if (c.expect.summary) assert.match(result.summary, c.expect.summary, context);
  if (c.expect.logTail) assert.match(result.logTail, c.expect.logTail, context);
  if (c.expect.serviceLog) {
    const { service, includes } = c.expect.serviceLog;
    assert.match(result.serviceLogs?.find((l) => l.service === service)?.tail ?? "", includes, context);
  }
  if (c.expect.cut) assert.ok(result.truncated.logBytesDropped > 0, "the cut is counted");
  const runs = c.expect.commandRuns;
  if (runs !== undefined) assert.equal(commandRuns(), typeof runs === "number" ? runs : runs[which]);
}
