import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SECRET_NAMES } from "../../src/plan/constants.js";
import { program } from "../../src/programs/index.js";
import { containedSpec } from "../../src/run/contained.js";
import { dockerfileFailure, engineError, killedCommand, serviceFailure } from "../../src/run/engine-errors.js";
import { backstopMs, SETUP_LIMIT_MS, setupStep, stoppedByTimeLimit } from "../../src/run/time-limit.js";
import { programOf } from "../../src/model/program.js";
import { missingToolMessage } from "../../src/run/tool-missing.js";
import { buildResult } from "../../src/run/result.js";
import { mustRunFresh } from "../../src/run/replay.js";
import { READY_PORT, READY_SECONDS, readyWaitSeconds, RUNTIME_PATH, runtimeLayer, SERVICE_LIMIT_SECONDS, serveCommand } from "../../src/run/runtime.js";
import { serviceLogFile } from "../../src/run/service-logs.js";
import { infrastructureFailure } from "../../src/run/infrastructure.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";
import { execError } from "../support/dagger-fake.js";

const spec = checkSpec("verify.health", {
  command: ["python", "probe.py"],
  container: containerSpec("python:3.13-slim", { services: [{ alias: "backend", service: { name: "backend", container: containerSpec("python:3.13-slim"), args: ["gunicorn"], ports: [8000] } }] }),
});

describe("engine errors, as the engine words them", () => {
  it("an ExecError while the command ran is a service's failure, with its command, exit and output", () => {
    const failure = serviceFailure(spec, engineError(execError(["gunicorn"], 3, "", "ModuleNotFoundError: No module named 'django'")));
    assert.deepEqual(failure, { phase: "prepare", failedStep: "service backend: gunicorn", exitCode: 3, stdout: "", stderr: "ModuleNotFoundError: No module named 'django'", files: {} });
  });

  it("the engine's `start <host> (aliases)` message names the service (core/services.go:544; AliasSet.String, core/service.go:1639-1645)", () => {
    for (const message of ["start 3k2j9 (aliased as backend): exited with code 1", "start 3k2j9 (backend): exited with code 1"]) {
      assert.equal(serviceFailure(spec, engineError(new Error(message)))?.failedStep, "service backend", message);
    }
  });

  it("any other engine error is not a service failure (it becomes the check's error)", () => {
    assert.equal(serviceFailure(spec, engineError(new Error("connection reset by peer"))), null);
  });

  it("the check's own command killed by a signal is its result; another command's is not", () => {
    assert.deepEqual(killedCommand(spec, engineError(execError(["python", "probe.py"], 137))), { phase: "command", exitCode: 137, stdout: "", stderr: "", files: {} });
    assert.equal(killedCommand(spec, engineError(execError(["gunicorn"], 137))), null);
    assert.equal(serviceFailure(spec, engineError(execError(["python", "probe.py"], 137))), null);
  });

  it("Dockerfile faults and failing RUN steps are the check's failure; registry and network faults are not", () => {
    const failed = [
      execError(["/bin/sh", "-c", "pip install -r requirements.txt"], 1),
      new Error("failed to solve: dockerfile parse error on line 3: unknown instruction: RUNN"),
      new Error('failed to compute cache key: failed to calculate checksum of ref: "/requirements.txt": not found'),
    ];
    for (const error of failed) assert.equal(dockerfileFailure("Dockerfile", engineError(error))?.phase, "prepare", error.message);
    const engine = [
      new Error("failed to resolve source metadata for docker.io/library/python:3.13-slim: unexpected status from HEAD request: 401 Unauthorized"),
      new Error("429 Too Many Requests"),
      new Error("dial tcp 1.2.3.4:443: i/o timeout"),
      new Error("buildkit: engine shut down"),
    ];
    for (const error of engine) assert.equal(dockerfileFailure("Dockerfile", engineError(error)), null, error.message);
  });

  it("a failure is run again only when it was replayed from the cache (or that cannot be told); never a pass, a setup failure or a time limit's kill", () => {
    const runStarted = Date.parse("2026-12-04T12:00:00Z");
    const failed = { phase: "command" as const, exitCode: 1, stdout: "", stderr: "", files: {} };
    const seconds = (ms: number) => `${Math.floor(ms / 1000)}\n`;
    assert.equal(mustRunFresh(failed, seconds(runStarted + 2_000), runStarted), false, "started in this run: reported as it is");
    assert.equal(mustRunFresh(failed, seconds(runStarted - 3_600_000), runStarted), true, "started an hour earlier: a replay");
    assert.equal(mustRunFresh(failed, null, runStarted), true, "no start time: cannot be told");
    assert.equal(mustRunFresh({ ...failed, exitCode: 0 }, null, runStarted), false);
    assert.equal(mustRunFresh({ ...failed, phase: "prepare" }, null, runStarted), false);
    for (const exitCode of [124, 137]) assert.equal(mustRunFresh({ ...failed, exitCode }, null, runStarted), false, `exit ${exitCode}`);
  });
  it("the contained command writes its start time (runtime.sh check), then runs the check's command unchanged", () => {
    assert.deepEqual(containedSpec(checkSpec("test.x", { command: ["pytest", "-q"] })).command.slice(-2), ["pytest", "-q"]);
    assert.match(program("runtime.sh"), /date \+%s >"\$STARTED_FILE"/);
  });
});

describe("the engine's own wording of failures that are the project's (core/container_exec.go, core/services.go)", () => {
  const spec = checkSpec("verify.backend-health", { container: containerSpec("python:3.13-slim", { services: [{ alias: "backend", service: { name: "backend", container: containerSpec("app"), args: [], ports: [8000] } }] }) });
  it("a bound service that exits while the command runs is the check's failure, naming the one that exited (innermost) and its exit code", () => {
    const cases: [string, string, number][] = [
      ["bound service 9h2kq1bq0dbpc (aliased as backend) exited: exit code: 3", "backend", 3],
      ["bound service 9h2kq1bq0dbpc (aliased as backend, api) exited: process did not complete successfully: exit code: 1", "backend", 1],
      ["bound service 9h2kq1bq0dbpc (aliased as backend) exited: bound service 1dj2 (aliased as db) exited: exit code: 2 [traceparent:00-ab-cd-01]", "db", 2],
      ["bound service 9h2kq1bq0dbpc ([backend]) exited", "backend", 1],
    ];
    for (const [message, alias, exitCode] of cases) {
      const failure = serviceFailure(spec, engineError(new Error(message)));
      assert.deepEqual([failure?.phase, failure?.failedStep, failure?.exitCode], ["service", alias, exitCode], message);
    }
  });
  it("a COPY source missing from the context, as Dagger's own Dockerfile conversion words it, is the Dockerfile's failure", () => {
    const error = new Error("failed to solve: lstat /var/lib/dagger/worker/snapshots/17/fs/requirements.txt: no such file or directory");
    assert.equal(dockerfileFailure("Dockerfile", engineError(error))?.phase, "prepare");
  });
  it("a registry or network failure in a Dockerfile build is never the project's, even inside a failed-to-solve message", () => {
    for (const message of [
      "failed to solve: python:3.13-slim: failed to resolve source metadata for docker.io/library/python:3.13-slim: dial tcp: lookup registry-1.docker.io: no such host",
      "failed to solve: failed to fetch oauth token: 401 Unauthorized",
      "failed to solve: docker.io/library/node:22: 429 Too Many Requests",
    ]) {
      assert.equal(dockerfileFailure("Dockerfile", engineError(new Error(message))), null, message);
    }
  });
});

describe("set-up failures that are not the project's", () => {
  const limits = { logTailBytes: 4096, logTailLines: 50, maxFindings: 10 };
  const judge = (execution: Parameters<typeof buildResult>[0]["outcome"] & { kind: "ran" }) =>
    buildResult({ spec: checkSpec("test.pytest"), outcome: execution, durationMs: 1_000 }, { secrets: [], limits, reproduce: (id) => id });
  it("an install that cannot reach its registry is error, naming the network failure", () => {
    const result = judge({ kind: "ran", execution: { phase: "prepare", failedStep: "uv sync --frozen", exitCode: 2, stdout: "", stderr: "error: Failed to fetch: `https://pypi.org/simple/django/`\n  Caused by: dns error: failed to lookup address information: Temporary failure in name resolution", files: {} } });
    assert.equal(result.status, "error");
    assert.match(result.summary, /could not reach a registry or the network \(uv sync --frozen\)/);
  });
  it("an install step killed by its own time limit is timeout", () => {
    const result = judge({ kind: "ran", execution: { phase: "prepare", failedStep: "npm ci", exitCode: 124, stdout: "", stderr: "", files: {} } });
    assert.equal(result.status, "timeout");
  });
  it("an install that fails on its own is still the project's failure", () => {
    const result = judge({ kind: "ran", execution: { phase: "prepare", failedStep: "npm ci", exitCode: 1, stdout: "", stderr: "npm error `npm ci` can only install packages when your package.json and package-lock.json are in sync", files: {} } });
    assert.equal(result.status, "failed");
  });
});

describe("time limits inside the container, and the runtime that runs every command and service", () => {
  const planned = checkSpec("test.x", {
    timeoutMs: 60_000,
    container: containerSpec("node:22-slim", {
      layers: [{ kind: "exec", args: ["npm", "ci"] }, { kind: "copy", copy: { from: ".", to: "/src" } }],
      services: [
        { alias: "worker", service: { name: "worker", container: containerSpec("node:22-slim"), args: ["wrangler", "dev"], ports: [8787] } },
        { alias: "db", service: { name: "db", container: containerSpec("postgres:17"), args: [], ports: [5432], readySeconds: 600 } },
      ],
    }),
  });
  const contained = containedSpec(planned);

  it("the command waits for its services' readiness (the longest they may take, and a margin so a late service says why itself), then runs under its limit", () => {
    assert.deepEqual(contained.command, ["sh", RUNTIME_PATH, "check", "60", "615", "worker db", "sh", "-c", "echo test.x"]);
  });

  it("a service's own wait for the services it binds counts towards what its clients wait", () => {
    const db = { alias: "db", service: { name: "db", container: containerSpec("postgres:17"), args: [], ports: [5432], readySeconds: 20 } };
    const backend = { alias: "backend", service: { name: "backend", container: containerSpec("app", { services: [db] }), args: [], ports: [8000], readySeconds: 30 } };
    assert.equal(readyWaitSeconds([db]), 35);
    assert.equal(readyWaitSeconds([backend]), 30 + 35 + 15);
    assert.equal(readyWaitSeconds([]), 0);
  });

  it("exec layers run under the one set-up limit, the same whatever the check's limit; copies and files are left as they are", () => {
    assert.deepEqual(contained.container.layers[0], { kind: "exec", args: ["sh", "-c", program("limit.sh"), String(SETUP_LIMIT_MS / 1000), "npm", "ci"] });
    assert.deepEqual(setupStep({ kind: "exec", args: ["npm", "ci"] }), contained.container.layers[0]);
    const longer = containedSpec(checkSpec("test.x", { timeoutMs: 900_000, container: containerSpec("node:22-slim", { layers: [{ kind: "exec", args: ["npm", "ci"] }] }) }));
    assert.deepEqual(longer.container.layers[0], contained.container.layers[0], "a per-check limit never changes a shared install step");
    assert.deepEqual(contained.container.layers[1], { kind: "copy", copy: { from: ".", to: "/src" } });
  });

  it("the runtime is written last into the check's container and every service's; services get the run's id as a secret, the check does not", () => {
    assert.deepEqual(contained.container.layers.at(-1), runtimeLayer());
    assert.equal(contained.container.secretEnv.PREDEPLOY_RUN, undefined);
    for (const { service } of contained.container.services) {
      assert.deepEqual(service.container.layers.at(-1), runtimeLayer());
      assert.equal(service.container.secretEnv.PREDEPLOY_RUN, SECRET_NAMES.run);
      assert.deepEqual(service.args, service.name === "worker" ? ["wrangler", "dev"] : [], "a service's own command is left to the executor to wrap");
    }
  });

  it("a service runs under `serve` with a limit that does not depend on the check binding it, so equal services stay one", () => {
    const worker = contained.container.services[0]?.service;
    assert.ok(worker);
    assert.deepEqual(serveCommand(worker, ["wrangler", "dev"]), ["sh", RUNTIME_PATH, "serve", "worker", serviceLogFile(worker), String(SERVICE_LIMIT_SECONDS), String(READY_SECONDS), "0", "", "8787", "", "", "wrangler", "dev"]);
    const other = containedSpec({ ...planned, timeoutMs: 5_000 }).container.services[0]?.service;
    assert.deepEqual(other && serveCommand(other, ["wrangler", "dev"]), serveCommand(worker, ["wrangler", "dev"]));
    assert.ok(!serveCommand(worker, ["x"]).includes(String(READY_PORT)), "the ready port is the runtime's constant, not an argument");
  });

  it("reads 124/137 after the limit as a timeout, and not before it", () => {
    assert.equal(stoppedByTimeLimit(124, 60_500, 60_000), true);
    assert.equal(stoppedByTimeLimit(137, 70_000, 60_000), true);
    assert.equal(stoppedByTimeLimit(137, 3_000, 60_000), false, "an early 137 is an OOM kill or the tool's own exit");
    assert.equal(stoppedByTimeLimit(1, 70_000, 60_000), false);
    const plain = checkSpec("test.x", { timeoutMs: 600_000 });
    assert.ok(backstopMs(plain) > 600_000 + 10_000, "the backstop waits for timeout's KILL");
    assert.equal(backstopMs(contained) - backstopMs({ ...contained, container: { ...contained.container, services: [] } }), readyWaitSeconds(contained.container.services) * 1000, "and, for a check with services, for as long as its command waits for them");
  });

  it("a result of a command the limit stopped is a timeout, naming the setting to raise", () => {
    const result = buildResult(
      { spec: checkSpec("test.slow", { timeoutMs: 5_000 }), outcome: { kind: "ran", execution: { phase: "command", exitCode: 124, stdout: "", stderr: "", files: {} } }, durationMs: 5_200 },
      { secrets: [], limits: { logTailBytes: 100, logTailLines: 10, maxFindings: 10 }, reproduce: (id) => id },
    );
    assert.equal(result.status, "timeout");
    assert.match(result.summary, /checks\.test\.slow\.timeoutSeconds/);
  });
});

describe("a tool that is not installed is an error, never the code's failure", () => {
  const ruff = checkSpec("quality.ruff-check", { command: ["ruff", "check", "."], parser: "ruff-check", tool: { program: "ruff", ecosystem: "python", role: "linter" } });
  const run = (exitCode: number, stderr: string, stdout = "") => ({ phase: "command" as const, exitCode, stdout, stderr, files: {} });

  it("recognises the runtimes', shells' and launchers' words", () => {
    const cases: [number, string, string][] = [
      [127, 'exec: "ruff": executable file not found in $PATH', "ruff"],
      [127, "exec ruff failed: No such file or directory", "ruff"],
      [127, "timeout: failed to run command ‘ruff’: No such file or directory", "ruff"],
      [127, "sh: 1: ruff: not found", "ruff"],
      [1, "npm error could not determine executable to run", "ruff"],
      [127, "", "ruff"],
    ];
    for (const [exit, stderr, tool] of cases) {
      const message = missingToolMessage(ruff, run(exit, stderr));
      assert.ok(message?.startsWith(`${tool} is not installed in the project's environment`), `${stderr}: ${message}`);
      assert.match(message ?? "", /dependency group or an optional-dependency extra/);
    }
  });

  it("a tool that ran and failed is not missing", () => {
    assert.equal(missingToolMessage(ruff, run(1, "F401 unused import")), null);
    assert.equal(missingToolMessage(ruff, run(127, `${"test output\n".repeat(300)}`)), null, "a long run's 127 is its own");
  });

  it("the result is `error` with the fix, and no finding", () => {
    const result = buildResult(
      { spec: ruff, outcome: { kind: "ran", execution: run(127, "exec ruff failed: No such file or directory") }, durationMs: 10 },
      { secrets: [], limits: { logTailBytes: 100, logTailLines: 10, maxFindings: 10 }, reproduce: (id) => id },
    );
    assert.equal(result.status, "error");
    assert.deepEqual(result.findings, []);
    assert.match(result.summary, /^ruff is not installed/);
  });

  it("a tool missing from a built image points at the image, not at a dependency group", () => {
    const image = checkSpec("build.backend-image", { command: ["sh", "/opt/predeploy/django.sh", "setup"], container: { ...containerSpec("x"), base: { kind: "dockerfile", context: ".", dockerfile: "apps/web/Dockerfile" } } });
    assert.match(missingToolMessage(image, run(127, "python: not found")) ?? "", /^python is not installed .*the image built from apps\/web\/Dockerfile does not provide it/);
  });

  it("names the program behind launchers", () => {
    assert.equal(programOf(["npx", "--no", "tsc", "--noEmit"]), "tsc");
    assert.equal(programOf(["npx", "--no", "--", "tsc", "--noEmit"]), "tsc");
    assert.equal(programOf(["pnpm", "--dir", "workers/intake", "exec", "tsc"]), "tsc");
    assert.equal(programOf(["pnpm", "exec", "wrangler", "deploy"]), "wrangler");
    assert.equal(programOf(["uv", "run", "--no-sync", "pytest"]), "pytest");
    assert.equal(programOf(["python", "-m", "mypy", "."]), "mypy");
  });
});

describe("what counts as the infrastructure's failure", () => {
  it("the end of the output decides: a download retried early on does not excuse a failure after it", () => {
    const retried = ["WARNING: Retrying (Retry(total=4)) after connection broken by 'ReadTimeoutError(...)'", ...Array.from({ length: 40 }, (_, i) => `Collecting pkg${i}`), "ERROR: No matching distribution found for djangoo==9"];
    assert.equal(infrastructureFailure(retried.join("\n")), null);
    assert.match(infrastructureFailure("Collecting django\nERROR: Could not install: HTTPSConnectionPool(host='pypi.org'): Max retries exceeded with url: /simple/django/") ?? "", /Max retries exceeded/);
  });
});
