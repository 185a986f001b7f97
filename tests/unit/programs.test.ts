import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect, createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parse as parseDotenv } from "dotenv";
import { parseDjangoCheck } from "../../src/parse/django-check.js";
import { BACKEND_FALLBACKS, healthProbe } from "../../src/plan/probe.js";
import { program } from "../../src/plan/programs/index.js";
import { shellQuote } from "../../src/plan/shell-quote.js";

/**
 * The in-container programs (src/plan/programs), run as files by the host's python3 and
 * /bin/sh: each in the mode its checks use, against local servers, temporary trees and a
 * Python whose only "Django" is a stub package laid out beside a stub manage.py.
 */

const PROGRAMS = fileURLToPath(new URL("../../src/plan/programs/", import.meta.url));
const TIMEOUT_MS = 10_000;

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), "predeploy-programs-"));
  roots.push(root);
  return root;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Ran> {
  return new Promise((done) => {
    execFile(command, args, { ...options, encoding: "utf8", timeout: TIMEOUT_MS }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Whether something accepts a connection on 127.0.0.1:`port` before the deadline. */
async function accepts(port: number, deadline = Date.now() + 5_000): Promise<boolean> {
  while (Date.now() < deadline) {
    const connected = await new Promise<boolean>((done) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), done(true))).once("error", () => done(false));
    });
    if (connected) return true;
    await sleep(50);
  }
  return false;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

test("probe.py health: 200 passes; a 404 tries the fallbacks; a 500 fails without them", async (t) => {
  let answers: Record<string, number> = {};
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? "");
    res.writeHead(answers[req.url ?? ""] ?? 404).end("answer");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const health = async (given: Record<string, number>) => {
    answers = given;
    asked.length = 0;
    const probe = healthProbe(base, "backend", "backend.health", undefined, BACKEND_FALLBACKS);
    const { code, stdout } = await run("python3", [join(PROGRAMS, "probe.py"), "health", JSON.stringify(probe)]);
    const verdict = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as { ok: boolean; summary: string };
    return { code, verdict, asked: [...asked] };
  };

  assert.deepEqual(await health({ "/health": 200 }), { code: 0, verdict: { ok: true, summary: "GET /health answered 200", failures: [] }, asked: ["/health"] });
  const fallback = await health({ "/admin/login/": 200 });
  assert.equal(fallback.code, 0);
  assert.deepEqual(fallback.asked, ["/health", "/admin/login/"]);
  assert.match(fallback.verdict.summary, /GET \/admin\/login\/ answered 200: the backend serves requests$/);
  const broken = await health({ "/health": 500, "/admin/login/": 200 });
  assert.equal(broken.code, 1);
  assert.equal(broken.verdict.ok, false);
  assert.deepEqual(broken.asked, ["/health"]);
});

test("content_mtimes.py (as its layer runs it): equal contents get equal mtimes, different contents different ones; other files are left alone", async () => {
  const root = tempDir();
  const files = { "a.py": "x = 1\n", "pkg/b.py": "x = 1\n", "c.pyi": "x: int\n", "notes.txt": "x = 1\n", "node_modules/d.py": "x = 1\n" };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), text);
    utimesSync(join(root, file), 1234, 1234);
  }
  const stamp = async () => {
    const { code, stderr } = await run("python3", ["-c", program("content_mtimes.py"), root]);
    assert.equal(code, 0, stderr);
    return Object.fromEntries(Object.keys(files).map((file) => [file, statSync(join(root, file)).mtimeMs / 1000]));
  };
  const first = await stamp();
  assert.equal(first["a.py"], first["pkg/b.py"]);
  assert.notEqual(first["a.py"], first["c.pyi"]);
  assert.notEqual(first["a.py"], 1234);
  assert.equal(first["notes.txt"], 1234);
  assert.equal(first["node_modules/d.py"], 1234);
  utimesSync(join(root, "a.py"), 99, 99);
  assert.deepEqual(await stamp(), first, "the stamp depends on the contents only");
});

test("dev-vars.mjs writes each named variable so that dotenv (wrangler's reader of .dev.vars) reads it back unchanged; owner-only", () => {
  const dir = tempDir();
  const file = join(dir, ".dev.vars");
  const values = { PLAIN: "http://backend:8000", QUOTES: `it's "quoted"`, LINES: "one\ntwo", HASH: "a#b $HOME ${HOME}", EMPTY: "" };
  const run = spawnSync("node", [join(PROGRAMS, "dev-vars.mjs"), file, ...Object.keys(values)], { env: { PATH: process.env.PATH, ...values }, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(parseDotenv(readFileSync(file, "utf8")), values);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(!run.stderr.includes("backend:8000"), "it names the variables, never their values");
  const missing = spawnSync("node", [join(PROGRAMS, "dev-vars.mjs"), file, "UNSET_BINDING"], { env: { PATH: process.env.PATH }, encoding: "utf8" });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /binding UNSET_BINDING has no value/);
});

test("listener.py accepts connection after connection", async (t) => {
  const port = await freePort();
  const listener = spawn("python3", [join(PROGRAMS, "listener.py"), String(port)], { stdio: "ignore" });
  t.after(() => listener.kill());
  assert.ok(await accepts(port), "the first connection");
  assert.ok(await accepts(port), "and the next");
});

/**
 * An image in a temporary directory: python3 (the host's, through a wrapper) and the tools
 * django.sh uses on PATH, and in the workdir a stub `django` package (its version, and a
 * `python -m django` that says what it ran) beside which a manage.py may be put.
 */
function image(): { workdir: string; env: Record<string, string> } {
  const root = tempDir();
  const python = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
  mkdirSync(join(root, "bin"));
  writeFileSync(join(root, "bin/python3"), `#!/bin/sh\nexec ${shellQuote([python])} "$@"\n`);
  chmodSync(join(root, "bin/python3"), 0o755);
  for (const tool of ["dirname", "find", "head"]) symlinkSync(`/usr/bin/${tool}`, join(root, "bin", tool));
  const workdir = join(root, "app");
  mkdirSync(join(workdir, "django"), { recursive: true });
  writeFileSync(join(workdir, "django/__init__.py"), 'def get_version():\n    return "5.2"\n');
  writeFileSync(join(workdir, "django/__main__.py"), 'import json, os, sys\nprint(json.dumps({"ran": "python -m django", "argv": sys.argv[1:], "settings": os.environ.get("DJANGO_SETTINGS_MODULE")}))\n');
  return { workdir, env: { PATH: join(root, "bin") } };
}

/** A manage.py that picks its own settings, as Django's template does, and runs `shell -c` the way Django 5.2 does (its auto-import line first). */
const MANAGE_PY = `import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
if sys.argv[1:3] == ["shell", "-c"]:
    print("9 objects imported automatically (use -v 2 for details).")
    exec(sys.argv[3])
else:
    print(json.dumps({"ran": "manage.py", "cwd": os.getcwd(), "argv": sys.argv[1:]}))
`;

function django(img: { workdir: string; env: Record<string, string> }, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return run("/bin/sh", [join(PROGRAMS, "django.sh"), ...args], { cwd: img.workdir, env: { ...img.env, ...env } });
}

test("django.sh parses, and a wrong mode is a usage error (exit 2) before any Python is looked for", async () => {
  assert.equal((await run("sh", ["-n", join(PROGRAMS, "django.sh")])).code, 0);
  const img = image();
  for (const args of [[], ["check"], ["migrate-then-wait"]]) {
    const { code, stderr } = await django({ ...img, env: { PATH: "/nonexistent" } }, args);
    assert.equal(code, 2, args.join(" "));
    assert.match(stderr, /^usage: sh django\.sh setup \| migrate \| migrate-then-wait PORT$/m);
  }
});

test("django.sh setup picks python3 and runs the image's manage.py, which chooses the settings; the django-check parser passes its output", async () => {
  const img = image();
  writeFileSync(join(img.workdir, "manage.py"), MANAGE_PY);
  const ran = await django(img, ["setup"]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(ran.stdout, "9 objects imported automatically (use -v 2 for details).\ndjango 5.2 set up with shop.settings\n");
  assert.match(ran.stderr, /^predeploy: Python: python3 on PATH \(.*\/bin\/python3\)$/m);
  assert.match(ran.stderr, new RegExp(`^predeploy: manage\\.py: ${img.workdir}/manage\\.py$`, "m"));
  const parsed = parseDjangoCheck({ ...ran, exitCode: ran.code, files: {} }, { pathBase: "." });
  assert.equal(parsed.status, "passed");
  assert.deepEqual(parsed.findings, []);
});

test("django.sh migrate runs manage.py from the first of PREDEPLOY_MANAGE_CANDIDATES that exists, through PREDEPLOY_PYTHON when it is set", async () => {
  const img = image();
  // Deeper than django.sh's own search goes: found through the candidates only.
  const dir = join(img.workdir, "apps/web/src/project");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "manage.py"), MANAGE_PY);
  const candidates = { PREDEPLOY_MANAGE_CANDIDATES: "manage.py apps/web/src/project/manage.py" };
  const ran = await django(img, ["migrate"], candidates);
  assert.equal(ran.code, 0, ran.stderr);
  assert.deepEqual(JSON.parse(ran.stdout), { ran: "manage.py", cwd: dir, argv: ["migrate", "--noinput"] });
  const configured = join(img.workdir, "my python");
  symlinkSync(join(img.env.PATH ?? "", "python3"), configured);
  const through = await django(img, ["migrate"], { ...candidates, PREDEPLOY_PYTHON: shellQuote([configured, "-B"]) });
  assert.equal(through.code, 0, through.stderr);
  assert.match(through.stderr, /^predeploy: Python: backend\.python from predeploy\.json \('.*\/my python' -B\)$/m);
});

test("django.sh without manage.py: python -m django with DJANGO_SETTINGS_MODULE from the environment, else PREDEPLOY_SETTINGS_MODULE", async () => {
  const img = image();
  const discovered = await django(img, ["migrate"], { PREDEPLOY_SETTINGS_MODULE: "config.settings" });
  assert.equal(discovered.code, 0, discovered.stderr);
  assert.deepEqual(JSON.parse(discovered.stdout), { ran: "python -m django", argv: ["migrate", "--noinput"], settings: "config.settings" });
  const own = await django(img, ["migrate"], { PREDEPLOY_SETTINGS_MODULE: "config.settings", DJANGO_SETTINGS_MODULE: "config.settings_prod" });
  assert.equal(JSON.parse(own.stdout).settings, "config.settings_prod");
});

test("django.sh migrate-then-wait migrates, then listens on the port with listener.py from beside it", async (t) => {
  const img = image();
  writeFileSync(join(img.workdir, "manage.py"), MANAGE_PY);
  const port = await freePort();
  const service = spawn("/bin/sh", [join(PROGRAMS, "django.sh"), "migrate-then-wait", String(port)], { cwd: img.workdir, env: img.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stderr = "";
  service.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // The listener is the shell's child: end the process group this test started.
  const group = service.pid;
  assert.ok(group !== undefined, "the service started");
  t.after(() => process.kill(-group, "SIGTERM"));
  assert.ok(await accepts(port), stderr);
  assert.match(stderr, new RegExp(`predeploy: migrations applied; listening on ${port}`));
});
