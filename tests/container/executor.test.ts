/**
 * The Docker executor on tiny specs: what each CheckSpec field does in a real container.
 * Run: node --import tsx --test tests/container/executor.test.ts
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CheckSpec, ContainerSpec, ServiceSpec } from "../../src/model/spec.js";
import { dockerOk } from "../harness/docker-cli.js";
import { DockerExecutor } from "../harness/docker-executor.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";
import { SECRET_NAMES } from "../../src/plan/constants.js";
import { containedSpec } from "../../src/run/contained.js";
import { harnessObjects, leftovers } from "./docker-state.js";
import { skipWithoutEngine } from "./engine.js";

const IMAGE = "python:3.13-slim";
const SECRET = `s3cret-${randomUUID()}`;
const RUN = `run-${randomUUID()}`;
const never = () => new AbortController().signal;

function container(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return containerSpec(IMAGE, overrides);
}

function spec(command: string[], overrides: Partial<CheckSpec> = {}): CheckSpec {
  return checkSpec("test.tiny", { container: container(), command, timeoutMs: 120_000, ...overrides });
}

/** As the scheduler hands it over: with the runtime that orders services and logs them (a spec with services needs it). */
function contained(command: string[], overrides: Partial<CheckSpec> = {}): CheckSpec {
  return containedSpec(spec(command, overrides));
}

/** A TCP server that answers every connection with its own hostname, listening after `delay` seconds. */
function echoService(delaySeconds: number, port = 7000): ServiceSpec {
  const server = [
    "import socket, socketserver, time",
    `time.sleep(${delaySeconds})`,
    "class H(socketserver.BaseRequestHandler):",
    "    def handle(self): self.request.sendall(socket.gethostname().encode())",
    `socketserver.TCPServer(('0.0.0.0', ${port}), H).serve_forever()`,
  ].join("\n");
  return { name: `echo-${port}`, container: container(), args: ["python3", "-c", server], ports: [port] };
}

/** Connects once (no retry) and prints what the server said. */
function ask(host: string, port = 7000): string {
  return `import socket; s = socket.create_connection(('${host}', ${port}), timeout=5); print(s.recv(100).decode())`;
}

describe("DockerExecutor", () => {
  let source: string;
  let executor: DockerExecutor;
  const volume = `test-${randomUUID().slice(0, 8)}`;

  before(async () => {
    if (skipWithoutEngine) return;
    source = await mkdtemp(join(tmpdir(), "predeploy-executor-"));
    await mkdir(join(source, "app"), { recursive: true });
    await writeFile(join(source, "app", "deps.lock"), "dependencies v1\n");
    await writeFile(join(source, "app", "main.py"), "print('v1')\n");
    executor = new DockerExecutor(source, { token: SECRET, [SECRET_NAMES.run]: RUN });
  });

  after(async () => {
    if (skipWithoutEngine) return;
    await rm(source, { recursive: true, force: true });
    await dockerOk(["volume", "rm", "-f", `predeploy-cache-${volume}`]);
  });

  test("env, secret env, workdir and cache volumes reach the command; the secret's value reaches it as is (the result builder redacts)", { skip: skipWithoutEngine }, async () => {
    const check = spec(["sh", "-c", 'pwd; echo "greeting=$GREETING"; echo "token=$TOKEN"; echo run >> /cache/runs; wc -l < /cache/runs'], {
      container: container({
        workdir: "/work/here",
        env: { GREETING: "hello" },
        secretEnv: { TOKEN: "token" },
        caches: [{ path: "/cache", volume }],
      }),
    });
    const first = await executor.run(check, never());
    const second = await executor.run(check, never());
    assert.equal(first.phase, "command");
    assert.equal(first.exitCode, 0);
    const lines = first.stdout.trim().split("\n");
    assert.deepEqual(lines.slice(0, 3), ["/work/here", "greeting=hello", `token=${SECRET}`]);
    assert.equal(Number(second.stdout.trim().split("\n").pop()), Number(lines[3]) + 1, "the cache volume keeps its contents between runs");
  });

  test("a tool printing hundreds of megabytes costs bounded memory; the cut is counted", { skip: skipWithoutEngine }, async () => {
    const bytes = 300 * 1024 * 1024;
    const check = spec(["sh", "-c", `yes 'a line from a very chatty tool' | head -c ${bytes}; echo the-end`]);
    const heapBefore = process.memoryUsage().heapUsed;
    const result = await executor.run(check, never());
    assert.equal(result.exitCode, 0);
    assert.ok(result.stdout.length < 16 * 1024 * 1024, `kept ${result.stdout.length} characters`);
    assert.ok(result.stdout.trimEnd().endsWith("the-end"), "the end of the output is kept");
    assert.ok((result.outputBytesDropped ?? 0) > bytes - 16 * 1024 * 1024, `dropped ${result.outputBytesDropped}`);
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 128 * 1024 * 1024, "the output was not held in memory");
  });

  test("exit code, stderr and output files come back; a missing output file is left out", { skip: skipWithoutEngine }, async () => {
    const check = spec(["sh", "-c", "mkdir -p /out && echo '<xml/>' > /out/report.xml; echo oops >&2; exit 3"], {
      outputFiles: ["/out/report.xml", "/out/missing.xml"],
    });
    const ran = await executor.run(check, never());
    assert.equal(ran.exitCode, 3);
    assert.equal(ran.stderr.trim(), "oops");
    assert.deepEqual(ran.files, { "/out/report.xml": "<xml/>\n" });
  });

  test("layers: copy with include, exec, file, copy of the tree; the layer cache reruns an install only when its inputs change", { skip: skipWithoutEngine }, async () => {
    const marker = `run-${randomUUID()}`;
    const check = spec(["sh", "-c", "cat /installed; python3 /src/app/main.py; sh /etc/probe.sh; ls /src/app"], {
      container: container({
        workdir: "/src",
        caches: [{ path: "/cache", volume }],
        env: { MARKER: marker },
        layers: [
          { kind: "copy", copy: { from: "app", to: "/src/app", include: ["*.lock"] } },
          { kind: "exec", args: ["sh", "-c", 'ls /src/app > /installed; cat /src/app/deps.lock >> /installed; echo "$MARKER" >> /cache/installs; echo "token=${TOKEN:-none}" >> /installed'] },
          { kind: "file", path: "/etc/probe.sh", contents: "echo probe ran\n" },
          { kind: "copy", copy: { from: ".", to: "/src" } },
        ],
        secretEnv: { TOKEN: "token" },
      }),
    });
    const installs = async () => (await dockerOk(["run", "--rm", "-v", `predeploy-cache-${volume}:/cache`, "--entrypoint", "", IMAGE, "cat", "/cache/installs"])).split("\n").filter((l) => l === marker).length;

    const cold = await executor.run(check, never());
    assert.equal(cold.exitCode, 0, cold.stderr);
    assert.deepEqual(cold.stdout.trim().split("\n"), ["deps.lock", "dependencies v1", "token=none", "v1", "probe ran", "deps.lock", "main.py"]);
    assert.equal(await installs(), 1);

    const warm = await executor.run(check, never());
    assert.equal(warm.stdout, cold.stdout);
    assert.equal(await installs(), 1, "a warm run reuses the install layer");

    await writeFile(join(source, "app", "main.py"), "print('v2')\n");
    const edited = await executor.run(check, never());
    assert.match(edited.stdout, /^v2$/m);
    assert.equal(await installs(), 1, "a source edit outside the lockfiles does not rerun the install");

    await writeFile(join(source, "app", "deps.lock"), "dependencies v2\n");
    const relocked = await executor.run(check, never());
    assert.match(relocked.stdout, /^dependencies v2$/m);
    assert.equal(await installs(), 2, "a lockfile edit reruns the install");
  });

  test("the source's ignore globs apply from the source root, whatever directory a layer copies", { skip: skipWithoutEngine }, async () => {
    await mkdir(join(source, "app", "node_modules", "left-pad"), { recursive: true });
    await writeFile(join(source, "app", "node_modules", "left-pad", "index.js"), "module.exports = 1;\n");
    await mkdir(join(source, ".git"), { recursive: true });
    await writeFile(join(source, ".git", "HEAD"), "ref: refs/heads/main\n");
    await mkdir(join(source, "app", ".git"), { recursive: true });
    await writeFile(join(source, "app", ".git", "HEAD"), "nested\n");
    const ignoring = new DockerExecutor(source, {}, { sourceExclude: [".git", "**/node_modules"] });
    const check = spec(["sh", "-c", "cd /src && find . -path ./app/.git -prune -o -type f -print | sort; echo; ls -a /copied"], {
      container: container({
        layers: [
          { kind: "copy", copy: { from: ".", to: "/src" } },
          { kind: "copy", copy: { from: "app", to: "/copied" } },
        ],
      }),
    });
    const ran = await ignoring.run(check, never());
    assert.equal(ran.exitCode, 0, ran.stderr);
    const [tree = "", copied = ""] = ran.stdout.split("\n\n");
    assert.ok(!tree.includes("node_modules") && !tree.includes("./.git/"), tree);
    assert.match(tree, /^\.\/app\/main\.py$/m);
    assert.deepEqual(copied.trim().split("\n"), [".", "..", ".git", "deps.lock", "main.py"], "app/.git is not the root's .git");
  });

  test("a failing layer is a prepare failure with the step, exit code and output", { skip: skipWithoutEngine }, async () => {
    const check = spec(["true"], {
      container: container({ layers: [{ kind: "exec", args: ["sh", "-c", "echo installing; echo 'no such package' >&2; exit 7"] }] }),
    });
    const ran = await executor.run(check, never());
    assert.equal(ran.phase, "prepare");
    assert.equal(ran.failedStep, "sh -c echo installing; echo 'no such package' >&2; exit 7");
    assert.equal(ran.exitCode, 7);
    assert.equal(ran.stdout.trim(), "installing");
    assert.equal(ran.stderr.trim(), "no such package");
  });

  test("a missing image and a failing Dockerfile are prepare failures; a good Dockerfile builds and runs", { skip: skipWithoutEngine }, async () => {
    const missing = await executor.run(spec(["true"], { container: container({ base: { kind: "image", image: "predeploy-test-no-such-image:1" } }) }), never());
    assert.equal(missing.phase, "prepare");
    assert.equal(missing.failedStep, "from predeploy-test-no-such-image:1");

    await writeFile(join(source, "Bad.Dockerfile"), `FROM ${IMAGE}\nRUN echo 'broken step' && exit 3\n`);
    const bad = await executor.run(spec(["true"], { container: container({ base: { kind: "dockerfile", context: ".", dockerfile: "Bad.Dockerfile" } }) }), never());
    assert.equal(bad.phase, "prepare");
    assert.equal(bad.failedStep, "docker build -f Bad.Dockerfile .");
    assert.match(bad.stdout + bad.stderr, /broken step/);

    await writeFile(join(source, "Good.Dockerfile"), `FROM ${IMAGE}\nCOPY app/main.py /opt/main.py\nENTRYPOINT ["false"]\n`);
    const good = await executor.run(spec(["python3", "/opt/main.py"], { container: container({ base: { kind: "dockerfile", context: ".", dockerfile: "Good.Dockerfile" } }) }), never());
    assert.equal(good.phase, "command", good.stderr);
    assert.equal(good.exitCode, 0, "the command runs without the image's entrypoint, like Dagger's withExec");
    assert.match(good.stdout, /^v\d$/m);
  });

  test("services (contained): the command starts only once they are ready; an identical service bound twice runs once", { skip: skipWithoutEngine }, async () => {
    const service = echoService(2);
    const script = `${ask("first")}\n${ask("second")}`;
    const ran = await executor.run(
      contained(["python3", "-c", script], {
        container: container({
          services: [
            { alias: "first", service },
            { alias: "second", service },
          ],
        }),
      }),
      never(),
    );
    assert.equal(ran.exitCode, 0, ran.stderr);
    const [a, b] = ran.stdout.trim().split("\n");
    assert.ok(a && a.length > 0);
    assert.equal(a, b, "both aliases reach the same container");
  });

  test("a service's own bindings start first and are reachable from it", { skip: skipWithoutEngine }, async () => {
    const inner = echoService(1, 7001);
    const relay = [
      "import socket, socketserver",
      "class H(socketserver.BaseRequestHandler):",
      "    def handle(self):",
      "        s = socket.create_connection(('inner', 7001), timeout=5)",
      "        self.request.sendall(b'via relay: ' + s.recv(100))",
      "socketserver.TCPServer(('0.0.0.0', 7000), H).serve_forever()",
    ].join("\n");
    const outer: ServiceSpec = { name: "relay", container: container({ services: [{ alias: "inner", service: inner }] }), args: ["python3", "-c", relay], ports: [7000] };
    const ran = await executor.run(contained(["python3", "-c", ask("outer")], { container: container({ services: [{ alias: "outer", service: outer }] }) }), never());
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.match(ran.stdout, /^via relay: \S+$/m);
  });

  test("a service that exits, or never listens where it should, ends the command as the engine does, with its log", { skip: skipWithoutEngine }, async () => {
    const crashing: ServiceSpec = { name: "api", container: container(), args: ["sh", "-c", "echo 'cannot bind: config missing' >&2; exit 4"], ports: [7000] };
    const crashed = await executor.run(contained(["sleep", "60"], { container: container({ services: [{ alias: "api", service: crashing }] }) }), never());
    assert.equal(crashed.phase, "service");
    assert.equal(crashed.failedStep, "api");
    assert.equal(crashed.exitCode, 4);
    assert.match(crashed.stderr, /^bound service \S+ \(aliased as api\) exited: exit code: 4$/, "the engine's words (core/container_exec.go:387-390)");
    assert.match(crashed.serviceLogs?.[0]?.text ?? "", /cannot bind: config missing\npredeploy: api exited with code 4 before it was ready\n/);

    const elsewhere: ServiceSpec = { name: "web", container: container(), args: ["python3", "-m", "http.server", "7001"], ports: [7000], readySeconds: 4 };
    const hung = await executor.run(contained(["true"], { container: container({ services: [{ alias: "web", service: elsewhere }] }) }), never());
    assert.equal(hung.phase, "service");
    assert.equal(hung.exitCode, 69);
    assert.match(hung.serviceLogs?.[0]?.text ?? "", /predeploy: web listens on 7001, not 7000/);
  });

  test("abort stops the check promptly and removes its containers and network", { skip: skipWithoutEngine }, async () => {
    const existing = await harnessObjects();
    const controller = new AbortController();
    const check = contained(["sleep", "600"], { container: container({ services: [{ alias: "svc", service: echoService(0) }] }) });
    const running = executor.run(check, controller.signal);
    const deadline = Date.now() + 60_000;
    while ((await dockerOk(["ps", "-q", "--filter", "label=predeploy.harness=1", "--filter", "ancestor=" + IMAGE])).split("\n").filter(Boolean).length < 2) {
      assert.ok(Date.now() < deadline, "the service and the command never both started");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const abortedAt = Date.now();
    controller.abort(new Error("stop now"));
    await assert.rejects(running, /stop now/);
    assert.ok(Date.now() - abortedAt < 15_000, `run took ${Date.now() - abortedAt} ms to stop`);
    assert.deepEqual(await leftovers(existing, 0), []);
  });
});
