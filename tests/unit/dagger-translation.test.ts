import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { ReturnType } from "@dagger.io/dagger";
import { CAPTURE_BYTES, DaggerExecutor } from "../../src/dagger/executor.js";
import { fixChanges, secretName, visibleSource, withFixedFiles } from "../../src/dagger/module.js";
import type { CheckSpec } from "../../src/model/spec.js";
import { runChecks } from "../../src/run/run-checks.js";
import { containedSpec } from "../../src/run/contained.js";
import { READY_PORT, RUNTIME_PATH, serveCommand } from "../../src/run/runtime.js";
import { serviceLogBlock } from "../../src/run/service-logs.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";
import { execError, fakeEngine, type Script } from "../support/dagger-fake.js";

const SIGNAL = new AbortController().signal;
const OUT = { expect: ReturnType.Any, redirectStdout: "/tmp/predeploy.stdout", redirectStderr: "/tmp/predeploy.stderr" };

function executor(script: Script = {}) {
  const fake = fakeEngine(script);
  const secrets = { apiKey: fake.secret("apiKey"), dbPassword: fake.secret("dbPassword"), predeployRun: fake.secret("predeployRun") };
  return { ...fake, executor: new DaggerExecutor(fake.engine, fake.source, secrets, "node:22-slim") };
}

const postgres = {
  alias: "db",
  service: { name: "db", container: containerSpec("postgres:17", { workdir: undefined, secretEnv: { POSTGRES_PASSWORD: "dbPassword" } }), args: [], ports: [5432] },
};

/** Every kind of field a spec can have. */
const full: CheckSpec = checkSpec("test.full", {
  container: containerSpec("python:3.13-slim", {
    workdir: "/src/app",
    env: { CI: "true" },
    secretEnv: { API_KEY: "apiKey" },
    caches: [{ path: "/root/.cache/uv", volume: "predeploy-uv" }],
    layers: [
      { kind: "copy", copy: { from: "app", to: "/src/app", include: ["pyproject.toml", "uv.lock"], exclude: [".venv"] } },
      { kind: "exec", args: ["uv", "sync", "--frozen"] },
      { kind: "file", path: "/opt/probe.py", contents: "print(1)" },
      { kind: "copy", copy: { from: ".", to: "/src" } },
    ],
    services: [postgres],
  }),
  command: ["pytest", "-q"],
  outputFiles: ["/tmp/predeploy/pytest.xml"],
});

/** The services' log volume: a cache volume whose log directory is world-writable (service-logs.ts). */
const LOGS = 'withMountedCache("/predeploy/service-logs", cache(predeploy-service-logs), <directory().withNewDirectory("all", {"permissions":1023})>)';
/** Every port of a service skips the engine's health check; the image's HEALTHCHECK is removed; the ready port is exposed too. */
const SERVICE = (ports: number[]) => `withoutDockerHealthcheck().${LOGS}.${[...ports, READY_PORT].map((p) => `withExposedPort(${p}, {"experimentalSkipHealthcheck":true})`).join(".")}`;

describe("DaggerExecutor translates a CheckSpec call by call", () => {
  it("image base, caches, env, workdir, content-filtered layers, secrets, services, then the command with any exit", async () => {
    const { executor: dagger, recorder } = executor({ stdout: "1 passed", exits: [0], entrypoint: ["docker-entrypoint.sh"], defaultArgs: ["postgres"] });
    const execution = await dagger.run(full, SIGNAL);
    const postgres = `from("postgres:17").withSecretVariable("POSTGRES_PASSWORD", secret(dbPassword)).${SERVICE([5432])}`;
    assert.deepEqual(execution, { phase: "command", exitCode: 0, stdout: "1 passed", stderr: "", files: {}, outputBytesDropped: 0 });
    const prepared = [
      'from("python:3.13-slim")',
      'withMountedCache("/root/.cache/uv", cache(predeploy-uv))',
      'withEnvVariable("CI", "true")',
      'withWorkdir("/src/app")',
      // The install layer sees a filtered directory: content identity, so other edits keep it cached.
      'withDirectory("/src/app", <source.directory("app").filter({"include":["pyproject.toml","uv.lock"],"exclude":[".venv"]})>)',
      'withExec(["uv","sync","--frozen"])',
      'withNewFile("/opt/probe.py", "print(1)")',
      'withDirectory("/src", <source>)',
      'withSecretVariable("API_KEY", secret(apiKey))',
      `withServiceBinding("db", <${postgres}.asService(${JSON.stringify({ args: serveCommand(full.container.services[0]!.service, ["docker-entrypoint.sh", "postgres"]) })})>)`,
    ].join(".");
    // The entrypoint service's own command is read from its image, then run under the runtime's `serve`.
    assert.deepEqual(recorder.evaluations.slice(0, 2), [`${postgres}.entrypoint()`, `${postgres}.defaultArgs()`]);
    recorder.evaluations.splice(0, 2);
    assert.equal(recorder.evaluations[0], `${prepared}.sync()`);
    const ran = `${prepared}.withExec(${JSON.stringify(["pytest", "-q"])}, ${JSON.stringify(OUT)})`;
    assert.deepEqual(recorder.evaluations.slice(1), [
      `${ran}.exitCode()`,
      `${ran}.file("/tmp/predeploy.stdout").size()`,
      `${ran}.file("/tmp/predeploy.stderr").size()`,
      `${ran}.file("/tmp/predeploy.stdout").contents()`,
      `${ran}.file("/tmp/predeploy.stderr").contents()`,
      `${ran}.exists("/tmp/predeploy/pytest.xml")`,
    ]);
  });

  it("a Dockerfile base is the source's docker build, in its context directory", async () => {
    const { executor: dagger, recorder } = executor();
    const spec = checkSpec("build.image", { container: { ...containerSpec("unused"), base: { kind: "dockerfile", context: "apps/web", dockerfile: "Dockerfile" }, workdir: undefined } });
    await dagger.run(spec, SIGNAL);
    assert.match(recorder.evaluations[0] ?? "", /^source\.directory\("apps\/web"\)\.dockerBuild\(\{"dockerfile":"Dockerfile"\}\)\.sync\(\)$/);
  });

  it("a Dockerfile stage named by backend.target is built as that target", async () => {
    const { executor: dagger, recorder } = executor();
    const spec = checkSpec("build.image", { container: { ...containerSpec("unused"), base: { kind: "dockerfile", context: ".", dockerfile: "Dockerfile", target: "runtime" }, workdir: undefined } });
    await dagger.run(spec, SIGNAL);
    assert.match(recorder.evaluations[0] ?? "", /^source\.dockerBuild\(\{"dockerfile":"Dockerfile","target":"runtime"\}\)\.sync\(\)$/);
  });

  it("a service with args runs them under the runtime's serve; no engine check of its own: every port skips the health check, the image's HEALTHCHECK is removed (the runtime orders and waits)", async () => {
    const { executor: dagger } = executor();
    const worker = { name: "worker", container: containerSpec("node:22-slim"), args: ["wrangler", "dev"], ports: [8787] };
    const ctr = await dagger.container(containerSpec("node:22-slim", { services: [{ alias: "worker", service: worker }] }));
    const args = JSON.stringify({ args: serveCommand(worker, ["wrangler", "dev"]) });
    assert.ok((ctr as unknown as { chain: string }).chain.includes(`${SERVICE([8787])}.asService(${args})`));
  });

  it("a check prepared early builds its container, then waits for ready before its command; its services start with the command, as the engine's cache allows", async () => {
    const { executor: dagger, recorder } = executor();
    const worker = { name: "worker", container: containerSpec("node:22-slim"), args: ["wrangler", "dev"], ports: [8787] };
    const order: string[] = [];
    const spec = checkSpec("verify.e2e", { container: containerSpec("python:3.13-slim", { services: [{ alias: "worker", service: worker }] }) });
    await dagger.run(spec, SIGNAL, () => order.push("command"), async () => {
      order.push(`ready after ${recorder.evaluations.filter((e) => e.endsWith(".sync()")).length} sync`);
    });
    assert.deepEqual(order, ["ready after 1 sync", "command"]);
    assert.ok(recorder.evaluations.at(-1)?.includes('withServiceBinding("worker"'), "its services are bound to the command, started by the engine with it");
  });

  it("the scheduler hands the executor the command contained: under the runtime, with the check's time limit", async () => {
    const { executor: dagger, recorder } = executor();
    await runChecks([checkSpec("quality.lint", { command: ["ruff", "check"], timeoutMs: 90_000 })], dagger, {
      concurrency: 1,
      failFast: false,
      secrets: [],
      limits: { logTailBytes: 1000, logTailLines: 10, maxFindings: 10 },
      reproduce: (id) => id,
    });
    const exec = recorder.evaluations.find((e) => e.endsWith(".exitCode()")) ?? "";
    assert.ok(exec.includes(`.withExec(${JSON.stringify(["sh", RUNTIME_PATH, "check", "90", "0", "", "ruff", "check"])}`), exec);
  });

  it("a failure replayed from the cache (it started before this run) is run again with a fresh marker", async () => {
    const { executor: dagger, recorder } = executor({ exits: [1, 1], started: `${Math.floor(Date.now() / 1000) - 86_400}\n` });
    const execution = await dagger.run(checkSpec("test.x", { command: ["false"] }), SIGNAL);
    assert.equal(execution.exitCode, 1);
    const exits = recorder.evaluations.filter((e) => e.endsWith(".exitCode()"));
    assert.equal(exits.length, 2);
    assert.ok(!exits[0]?.includes("PREDEPLOY_FRESH_RUN"));
    assert.match(exits[1] ?? "", /withEnvVariable\("PREDEPLOY_FRESH_RUN", "<uuid>"\)\.withExec\(\["false"\]/);
  });

  it("a failure that started in this run is reported as it is: it runs once", async () => {
    const { executor: dagger, recorder } = executor({ exits: [1, 1], started: `${Math.floor(Date.now() / 1000)}\n` });
    assert.equal((await dagger.run(checkSpec("test.x", { command: ["false"] }), SIGNAL)).exitCode, 1);
    assert.equal(recorder.evaluations.filter((e) => e.endsWith(".exitCode()")).length, 1);
  });

  it("a command killed by its time limit (124) is never run again", async () => {
    const { executor: dagger, recorder } = executor({ exits: [124, 124] });
    assert.equal((await dagger.run(checkSpec("test.x", { command: ["sleep", "99"] }), SIGNAL)).exitCode, 124);
    assert.equal(recorder.evaluations.filter((e) => e.endsWith(".exitCode()")).length, 1);
  });

  it("a pass is not run again (it may come from the engine's cache)", async () => {
    const { executor: dagger, recorder } = executor({ exits: [0] });
    await dagger.run(checkSpec("test.x"), SIGNAL);
    assert.equal(recorder.evaluations.filter((e) => e.endsWith(".exitCode()")).length, 1);
  });

  it("a large output is read from its end in a separate container, never re-running the check's services", async () => {
    const { executor: dagger, recorder } = executor({ outputSize: CAPTURE_BYTES + 500, tail: "partial line\nlast line\n" });
    const execution = await dagger.run(checkSpec("test.big", { container: containerSpec("python:3.13-slim", { services: [postgres] }) }), SIGNAL);
    const tails = recorder.evaluations.filter((e) => e.endsWith(".stdout()"));
    assert.equal(tails.length, 2);
    for (const tail of tails) {
      assert.match(tail, /^from\("node:22-slim"\)\.withMountedFile\("\/predeploy\/output", <.*>\)\.withExec\(\["tail","-c","4194304","\/predeploy\/output"\]\)\.stdout\(\)$/);
      assert.ok(!tail.startsWith("from(\"node:22-slim\").withServiceBinding"), "the tail container binds no service");
    }
    assert.equal(execution.stdout, "last line\n", "the partial first line of the tail is dropped");
    assert.equal(execution.outputBytesDropped, 2 * (500 + "partial line\n".length));
  });

  it("a layer that fails is the check's setup failure, naming the step", async () => {
    const { executor: dagger } = executor({ syncError: execError(["npm", "ci"], 1, "", "npm error missing lockfile") });
    const execution = await dagger.run(checkSpec("build.x"), SIGNAL);
    assert.deepEqual(execution, { phase: "prepare", failedStep: "npm ci", exitCode: 1, stdout: "", stderr: "npm error missing lockfile", files: {} });
  });

  it("a bound service that exits while the command runs (the engine cancels the command): the check's failure, with the end of each service's log, read in a container that holds every secret", async () => {
    const crashed = new Error("bound service 1s8q0 (aliased as db) exited: exit code: 3");
    const logs = serviceLogBlock("db", "FATAL: could not write to file\npredeploy: db exited with code 3\n");
    const { executor: dagger, recorder } = executor({ exits: [crashed], logs });
    const spec = containedSpec(checkSpec("test.pytest", { command: ["pytest"], container: containerSpec("python:3.13-slim", { services: [postgres] }) }));
    const execution = await dagger.run(spec, SIGNAL);
    assert.deepEqual([execution.phase, execution.failedStep, execution.exitCode], ["service", "db", 3]);
    assert.deepEqual(execution.serviceLogs, [{ service: "db", text: "FATAL: could not write to file\npredeploy: db exited with code 3\n" }]);
    const reader = recorder.evaluations.find((e) => e.includes('runtime.sh","logs"')) ?? "";
    assert.match(reader, /^from\("node:22-slim"\)\.withMountedCache\("\/predeploy\/service-logs"/, "the logs volume, in a container of its own");
    for (const secret of ["apiKey", "dbPassword"]) assert.ok(reader.includes(`secret(${secret})`), `the reader holds ${secret}, so the engine scrubs it`);
    assert.ok(reader.includes('withSecretVariable("PREDEPLOY_RUN", secret(predeployRun))'), "the run's folder");
    assert.ok(reader.includes('withEnvVariable("PREDEPLOY_FRESH_RUN", "<uuid>")'), "never answered from the engine's cache");
    assert.ok(!reader.includes("withServiceBinding"));
  });

  it("a passing or failing test check is not given its services' logs; a failing verify check is", async () => {
    const withDb = (id: string) => containedSpec(checkSpec(id, { container: containerSpec("python:3.13-slim", { services: [postgres] }) }));
    const logs = serviceLogBlock("db", "LOG: ready\n");
    const failedStarted = `${Math.floor(Date.now() / 1000)}\n`;
    assert.equal((await executor({ exits: [1], started: failedStarted, logs }).executor.run(withDb("test.x"), SIGNAL)).serviceLogs, undefined);
    assert.equal((await executor({ exits: [0], logs }).executor.run(withDb("verify.x"), SIGNAL)).serviceLogs, undefined);
    assert.deepEqual((await executor({ exits: [1], started: failedStarted, logs }).executor.run(withDb("verify.x"), SIGNAL)).serviceLogs, [{ service: "db", text: "LOG: ready\n" }]);
  });

  it("a service that could not start is the check's setup failure with the service's command and output", async () => {
    const { executor: dagger } = executor({ exits: [execError(["sh", "-c", "migrate && serve"], 3, "", "relation does not exist")] });
    const execution = await dagger.run(checkSpec("verify.health", { command: ["python", "probe.py"] }), SIGNAL);
    assert.equal(execution.phase, "prepare");
    assert.equal(execution.exitCode, 3);
    assert.match(execution.failedStep ?? "", /^service .*: sh -c migrate && serve$/);
    assert.equal(execution.stderr, "relation does not exist");
  });

  it("the check's own command killed by a signal (137) is its result, not an engine error", async () => {
    const command = ["sleep", "infinity"];
    const { executor: dagger } = executor({ exits: [execError(command, 137), execError(command, 137)] });
    const execution = await dagger.run(checkSpec("test.hang", { command }), SIGNAL);
    assert.deepEqual({ phase: execution.phase, exitCode: execution.exitCode }, { phase: "command", exitCode: 137 });
  });

  it("a registry or engine error while building a Dockerfile is thrown (the check's error), not the user's failure", async () => {
    const { executor: dagger } = executor({ syncError: new Error("failed to resolve source metadata for docker.io/library/python:3.13: 429 Too Many Requests") });
    const spec = checkSpec("build.image", { container: { ...containerSpec("unused"), base: { kind: "dockerfile", context: ".", dockerfile: "Dockerfile" } } });
    await assert.rejects(dagger.run(spec, SIGNAL), /429/);
  });
});

describe("the module's source", () => {
  it("honours .gitignore, so .env files and build output never reach a container or a Docker build context", () => {
    const { source } = executor();
    assert.equal((visibleSource(source) as unknown as { chain: string }).chain, 'source.filter({"gitignore":true})');
  });

  it("package.json pins no package manager: the TypeScript runtime would install it on every cold module load", async () => {
    const manifest = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as Record<string, unknown>;
    assert.equal(manifest.packageManager, undefined);
  });
});

describe("the run's secrets in the engine", () => {
  it("are named by a digest of their value: equal values share a name (cacheable), no fragment of the value is in it", () => {
    const value = "s3cr3t-value-of-the-run";
    const name = secretName("secretKey", value);
    assert.equal(name, secretName("secretKey", value));
    assert.notEqual(name, secretName("secretKey", `${value}x`));
    assert.match(name, /^predeploy-secretKey-[0-9a-f]{16}$/);
    for (let i = 0; i + 4 <= value.length; i += 1) assert.ok(!name.includes(value.slice(i, i + 4)), "no 4-character fragment of the value");
  });
});

describe("fix in Dagger", () => {
  it("writes each fix run's files over the tree, and returns the fixed tree's changes against the original source", () => {
    const fake = fakeEngine();
    const once = withFixedFiles(fake.source, "QUJD", "node:22-slim", fake.engine);
    const twice = withFixedFiles(once, "REVG", "node:22-slim", fake.engine);
    const changes = fixChanges(fake.source, twice) as unknown as { chain: string };
    const unpack = (archive: string) =>
      `<from("node:22-slim").withNewFile("/predeploy/fixed.tar.b64", "${archive}").withExec(["sh","-c","mkdir -p /predeploy/out && base64 -d /predeploy/fixed.tar.b64 | tar -xf - -C /predeploy/out"]).directory("/predeploy/out")>`;
    assert.equal(changes.chain, `source.withDirectory(".", ${unpack("QUJD")}).withDirectory(".", ${unpack("REVG")}).changes(<source>)`);
  });
});
