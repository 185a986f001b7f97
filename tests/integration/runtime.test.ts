/**
 * predeploy's runtime (src/programs/runtime.sh) run for real by the host's /bin/sh, one
 * service at a time (the ready port is one fixed port, as it is in each service's own container):
 * logs, readiness by the ports a service listens on and its healthcheck, its diagnosis when it is
 * not ready, one-shot jobs, a command waiting for its services under its limit, and fix jobs.
 * Run: node --import tsx --test tests/integration/runtime.test.ts
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { NOT_READY_EXIT, READY_PORT, runtimeProgram, STARTED_FILE } from "../../src/run/runtime.js";
import { splitServiceLogs } from "../../src/run/service-logs.js";

const root = mkdtempSync(join(tmpdir(), "predeploy-runtime-"));
after(() => rmSync(root, { recursive: true, force: true }));
const started = join(root, "started");
const program = join(root, "runtime.sh");
writeFileSync(program, runtimeProgram().replace(`STARTED_FILE=${STARTED_FILE}`, `STARTED_FILE=${started}`));
const env = { ...process.env, PREDEPLOY_LOGS: join(root, "logs"), PREDEPLOY_RUN: "run-1" } as Record<string, string>;
const logOf = (file: string) => readFileSync(join(root, "logs", "run-1", file), "utf8");

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), done(true))).once("error", () => done(false));
  });
}

async function until(what: string, condition: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `never: ${what}`);
    await sleep(100);
  }
}

interface Served {
  child: ChildProcess;
  exit: Promise<number>;
  stderr: () => string;
}

/** `serve NAME LOG LIMIT SECONDS WAIT HOSTS PORTS ONESHOT CHECK COMMAND...`, in its own process group. */
function serve(log: string, options: { seconds?: number; ports?: string; oneShot?: boolean; check?: string }, command: string[]): Served {
  const args = [program, "serve", "svc", log, "600", String(options.seconds ?? 20), "0", "", options.ports ?? "", options.oneShot ? "1" : "", options.check ?? "", ...command];
  const child = spawn("/bin/sh", args, { env, stdio: ["ignore", "ignore", "pipe"], detached: true });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number>((done) => child.once("exit", (code, signal) => done(code ?? (signal ? 128 : 1))));
  return { child, exit, stderr: () => stderr };
}

async function stop(served: Served): Promise<void> {
  if (served.child.exitCode === null && served.child.pid !== undefined) {
    try {
      process.kill(-served.child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await served.exit;
  await until("the ready port is free", async () => !(await accepts(READY_PORT)));
}

const PY_SERVER = (port: number, bind = "0.0.0.0", delay = 0) => ["python3", "-c", `import time, http.server\ntime.sleep(${delay})\nprint("serving", flush=True)\nhttp.server.HTTPServer(("${bind}", ${port}), http.server.SimpleHTTPRequestHandler).serve_forever()`];

describe("runtime.sh serve", { concurrency: 1 }, () => {
  test("a server is ready once its port is listened on beyond loopback; its output is in its log; its exit is said and kept", async () => {
    const served = serve("web.log", { ports: "18071" }, PY_SERVER(18071, "0.0.0.0", 2));
    try {
      assert.equal(await accepts(READY_PORT), false, "not ready before it listens");
      await until("ready", () => accepts(READY_PORT));
      assert.match(logOf("web.log"), /^predeploy: starting at \S+\nserving\npredeploy: svc ready after \d+s\n/);
    } finally {
      await stop(served);
    }
    assert.equal(await served.exit, 143);
    assert.match(logOf("web.log"), /predeploy: svc exited with code 143\n$/);
  });

  test("a crash before readiness exits with its code, its last words in the log", async () => {
    const served = serve("crash.log", { ports: "18072" }, ["sh", "-c", "echo 'ImproperlyConfigured: SECRET_KEY' >&2; exit 3"]);
    assert.equal(await served.exit, 3);
    assert.match(logOf("crash.log"), /ImproperlyConfigured: SECRET_KEY\npredeploy: svc exited with code 3 before it was ready\n$/);
    assert.equal(await accepts(READY_PORT), false);
  });

  test("listening on loopback only, or on another port, is not ready: it says so and exits 69", async () => {
    const loopback = serve("loopback.log", { ports: "18073", seconds: 3 }, PY_SERVER(18073, "127.0.0.1"));
    assert.equal(await loopback.exit, NOT_READY_EXIT);
    assert.match(logOf("loopback.log"), /predeploy: svc listens on port 18073 only on the loopback address: nothing outside its container reaches it; it must listen on 0\.0\.0\.0\n/);
    const elsewhere = serve("elsewhere.log", { ports: "18074", seconds: 3 }, PY_SERVER(18075));
    assert.equal(await elsewhere.exit, NOT_READY_EXIT);
    assert.match(logOf("elsewhere.log"), /predeploy: svc listens on (\d+ )*18075( \d+)*, not 18074\n/);
    const never = serve("never.log", { ports: "18076", seconds: 2 }, ["sleep", "30"]);
    assert.equal(await never.exit, NOT_READY_EXIT);
    // In a container it would be alone in its network; on this host other programs listen too.
    assert.match(logOf("never.log"), /predeploy: svc (did not listen on port 18076 within \d+s|listens on [\d ]+, not 18076)\n/);
  });

  test("a healthcheck is readiness too: not ready until it passes; one that never does is said with its output", async () => {
    const flag = join(root, "healthy");
    const served = serve("checked.log", { ports: "18077", check: `test -f ${flag} || { echo "not yet healthy"; exit 1; }` }, PY_SERVER(18077));
    try {
      await sleep(2500);
      assert.equal(await accepts(READY_PORT), false, "listening is not enough");
      writeFileSync(flag, "");
      await until("ready once healthy", () => accepts(READY_PORT));
    } finally {
      await stop(served);
    }
    const sick = serve("sick.log", { ports: "18078", check: "echo 'curl: (7) Failed to connect'; exit 7", seconds: 3 }, PY_SERVER(18078));
    assert.equal(await sick.exit, NOT_READY_EXIT);
    assert.match(logOf("sick.log"), /predeploy: svc: its healthcheck did not pass: curl: \(7\) Failed to connect\n/);
  });

  test("a one-shot job is ready once it exits 0, and stays ready; one that fails exits with its code, never ready", async () => {
    const job = serve("migrate.log", { oneShot: true }, ["sh", "-c", "sleep 1; echo 'Applying inbox.0001_initial... OK'"]);
    try {
      await until("ready after the job", () => accepts(READY_PORT));
      await sleep(500);
      assert.equal(job.child.exitCode, null, "it keeps running, ready");
      assert.match(logOf("migrate.log"), /Applying inbox\.0001_initial\.\.\. OK\npredeploy: svc done after \d+s; ready\n/);
    } finally {
      await stop(job);
    }
    const failing = serve("migrate-fails.log", { oneShot: true }, ["sh", "-c", "echo 'django.db.utils.ProgrammingError: relation does not exist' >&2; exit 1"]);
    assert.equal(await failing.exit, 1);
    assert.match(logOf("migrate-fails.log"), /relation does not exist\npredeploy: svc exited with code 1 before it was ready\n/);
  });
});

describe("runtime.sh check, logs and fix", { concurrency: 1 }, () => {
  const run = (args: string[], extra: Record<string, string> = {}) => spawnSync("/bin/sh", [program, ...args], { env: { ...env, ...extra }, encoding: "utf8", timeout: 30_000 });

  test("check writes its start time, waits for its services' readiness, then runs the command under its limit", async () => {
    const before = Math.floor(Date.now() / 1000);
    const plain = run(["check", "10", "0", "", "echo", "ran"]);
    assert.equal(plain.stdout, "ran\n");
    assert.ok(Number(readFileSync(started, "utf8")) >= before);
    const limited = run(["check", "1", "0", "", "sleep", "5"]);
    assert.equal(limited.status, 124, "timeout's exit");
    const lonely = run(["check", "10", "2", "127.0.0.1", "echo", "ran"]);
    assert.equal(lonely.status, NOT_READY_EXIT);
    assert.match(lonely.stderr, /predeploy: service 127\.0\.0\.1 was not ready within 2s/);
    const served = serve("bound.log", { ports: "18079" }, PY_SERVER(18079, "0.0.0.0", 1));
    try {
      const waited = spawnSync("/bin/sh", [program, "check", "10", "20", "127.0.0.1", "python3", "-c", "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:18079/').status)"], { env, encoding: "utf8", timeout: 30_000 });
      assert.equal(waited.stdout, "200\n", waited.stderr);
    } finally {
      await stop(served);
    }
  });

  test("logs prints the end of each non-empty log between markers, by alias", () => {
    mkdirSync(join(root, "logs", "run-1"), { recursive: true });
    writeFileSync(join(root, "logs", "run-1", "a.log"), `${Array.from({ length: 80 }, (_, i) => `line ${i}`).join("\n")}\nlast without newline`);
    writeFileSync(join(root, "logs", "run-1", "empty.log"), "");
    const printed = run(["logs", "5", "api=a.log", "db=empty.log", "gone=missing.log"]);
    const { logs, rest } = splitServiceLogs(printed.stdout);
    assert.equal(rest, "");
    assert.deepEqual(logs, [{ service: "api", text: "line 76\nline 77\nline 78\nline 79\nlast without newline\n" }]);
    assert.equal(run(["logs", "5", "api=a.log"], { PREDEPLOY_RUN: "another-run" }).stdout, "", "another run's folder has none of this run's logs");
  });

  test("fix runs the commands in their folder and archives exactly the files they changed or made; a failing command writes nothing", () => {
    const tree = join(root, "tree");
    mkdirSync(join(tree, "app"), { recursive: true });
    writeFileSync(join(tree, "app", "a.py"), "x=1\n");
    writeFileSync(join(tree, "app", "b.py"), "y = 2\n");
    const archive = join(root, "fixed.tar.b64");
    const fixed = run(["fix", tree, join(tree, "app"), archive, "sed -i 's/x=1/x = 1/' a.py", "echo new > c.py"]);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.match(fixed.stderr, /predeploy fixed:\n\.\/app\/a\.py\n\.\/app\/c\.py\n$/);
    const listed = spawnSync("tar", ["-tf", "-"], { input: Buffer.from(readFileSync(archive, "utf8"), "base64"), encoding: "utf8" });
    assert.deepEqual(listed.stdout.trim().split("\n"), ["./app/a.py", "./app/c.py"]);
    const failing = run(["fix", tree, join(tree, "app"), archive, "echo 'error: cannot parse' >&2; exit 2"]);
    assert.equal(failing.status, 2);
    assert.doesNotMatch(failing.stderr, /predeploy fixed:/);
  });

  test("a usage error names the forms", () => {
    const wrong = run(["serve", "too", "few"]);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /^usage: runtime\.sh check LIMIT WAIT HOSTS COMMAND\.\.\. \| serve NAME LOG/);
  });
});
