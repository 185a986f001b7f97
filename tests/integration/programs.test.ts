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
import { program } from "../../src/programs/index.js";
import { shellQuote } from "../../src/project/shell-quote.js";

/**
 * The in-container programs (src/programs), run as files by the host's python3 and
 * /bin/sh: each in the mode its checks use, against local servers, temporary trees and a
 * Python whose only "Django" is a stub package laid out beside a stub manage.py.
 */

const PROGRAMS = fileURLToPath(new URL("../../src/programs/", import.meta.url));
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
  for (const tool of ["dirname", "find", "head", "mktemp", "tee", "rm"]) symlinkSync(`/usr/bin/${tool}`, join(root, "bin", tool));
  const workdir = join(root, "app");
  mkdirSync(join(workdir, "django"), { recursive: true });
  writeFileSync(join(workdir, "django/__init__.py"), 'def get_version():\n    return "5.2"\n');
  mkdirSync(join(workdir, "django/conf"));
  writeFileSync(join(workdir, "django/conf/__init__.py"), "class Settings:\n    INSTALLED_APPS = []\n\n\nsettings = Settings()\n");
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
    assert.match(stderr, /^usage: sh django\.sh setup \| migrate \| manage <args>\.\.\.$/m);
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

/** django.sh's diagnosis line, without its prefix; null when it printed none. */
function diagnosisOf(stderr: string): string | null {
  const lines = stderr.split("\n").filter((line) => line.startsWith("predeploy: diagnosis: "));
  assert.ok(lines.length <= 1, "at most one diagnosis");
  return lines[0]?.slice("predeploy: diagnosis: ".length) ?? null;
}

/** What a `uv run` CMD that syncs looks like to django.sh (src/plan/backend-image.ts writes these). */
const UV_RUN_START = { PREDEPLOY_START: "the image's CMD `uv run gunicorn shop.wsgi:application …`", PREDEPLOY_START_SYNCS: "1" };
const GUNICORN_START = { PREDEPLOY_START: "the image's CMD `gunicorn shop.wsgi:application …`", PREDEPLOY_START_SYNCS: "" };
/** The run's secrets, as the check's environment holds them: never echoed. */
const SECRETS = { SECRET_KEY: "s3cr3t-key-value", DATABASE_URL: "postgres://app:pw-value@db:5432/app" };

/** Writes files (path → text) under the image's workdir. */
function files(img: { workdir: string }, tree: Record<string, string>): void {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(join(img.workdir, path, ".."), { recursive: true });
    writeFileSync(join(img.workdir, path), text);
  }
}

/** django.sh setup, and what the django-check parser makes of it. */
async function setup(img: { workdir: string; env: Record<string, string> }, env: Record<string, string> = {}) {
  const ran = await django(img, ["setup"], { ...SECRETS, ...env });
  const parsed = parseDjangoCheck({ exitCode: ran.code, stdout: ran.stdout, stderr: ran.stderr, files: {} }, { pathBase: "." });
  for (const value of Object.values(SECRETS)) assert.ok(!(diagnosisOf(ran.stderr) ?? "").includes(value), "no value from the environment");
  return { ...ran, diagnosis: diagnosisOf(ran.stderr), parsed };
}

test("django.sh setup, passing: no diagnosis, and stdout and stderr pass through unchanged", async () => {
  const img = image();
  writeFileSync(join(img.workdir, "manage.py"), MANAGE_PY);
  const ran = await setup(img, UV_RUN_START);
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(ran.diagnosis, null);
  assert.equal(ran.stdout, "9 objects imported automatically (use -v 2 for details).\ndjango 5.2 set up with shop.settings\n");
  assert.equal(ran.parsed.status, "passed");
});

test("django.sh diagnosis: a package project the image's venv lacks, started by a syncing `uv run`, says to install it in the image", async () => {
  const img = image();
  // The project venv: the host's Python behind .venv/bin/python, as uv lays it out.
  mkdirSync(join(img.workdir, ".venv/bin"), { recursive: true });
  symlinkSync(join(img.env.PATH ?? "", "python3"), join(img.workdir, ".venv/bin/python"));
  files(img, {
    "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    "src/shop/__init__.py": "",
    "src/shop/settings.py": "SECRET_KEY = 'x'\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\nimport shop.settings  # noqa\n',
  });
  const ran = await setup(img, UV_RUN_START);
  assert.equal(ran.code, 1);
  assert.equal(
    ran.diagnosis,
    `the image's venv ${img.workdir}/.venv lacks the project itself (${img.workdir}/src/shop): ` +
      "the image's CMD `uv run gunicorn shop.wsgi:application …` would install it at start-up, over the network: " +
      "install it in the image (`uv sync --frozen` without `--no-install-project`) and start with `uv run --no-sync`.",
  );
  assert.equal(ran.parsed.status, "failed");
  assert.equal(ran.parsed.summary, ran.diagnosis);
  // The image's paths are not the source tree's: the finding has the exception and the diagnosis, no place.
  assert.deepEqual(
    ran.parsed.findings.map((f) => [f.rule, f.message]),
    [["ModuleNotFoundError", `ModuleNotFoundError: No module named 'shop'\n${ran.diagnosis}`]],
  );

  // Started without uv (gunicorn on the venv's PATH): install it, nothing about start-up.
  const direct = await setup(img, GUNICORN_START);
  assert.match(direct.diagnosis ?? "", /lacks the project itself .*: install it in the image \(`uv sync --frozen` without `--no-install-project`, or `pip install \.`, after copying the source\)\. The backend starts with the image's CMD `gunicorn shop\.wsgi:application …`\.$/);

  // Not a package (uv's package = false): installing would not help; the path would.
  files(img, { "pyproject.toml": '[project]\nname = "shop"\n\n[tool.uv]\npackage = false\n' });
  const bare = await setup(img, GUNICORN_START);
  assert.match(bare.diagnosis ?? "", new RegExp(`^${img.workdir}/\\.venv/bin/python does not find 'shop', which the image has at ${img.workdir}/src/shop: put its directory on PYTHONPATH in the image`));
});

test("django.sh diagnosis: a module the settings import that the image's Python lacks, or a project module the image's copy lacks", async () => {
  const img = image();
  files(img, { "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\nimport shop.settings  # noqa\n', "shop/__init__.py": "", "shop/settings.py": "import magic  # noqa\n" });
  const python = join(img.env.PATH ?? "", "python3");
  const missing = await setup(img, GUNICORN_START);
  assert.equal(
    missing.diagnosis,
    `${python} has no module 'magic': add the package that provides it to the image's requirements or lockfile, as a runtime dependency. The backend starts with the image's CMD \`gunicorn shop.wsgi:application …\`.`,
  );
  assert.deepEqual(missing.parsed.findings.map((f) => f.rule), ["ModuleNotFoundError"]);

  files(img, { "shop/settings.py": "import shop.secrets  # noqa\n" });
  const project = await setup(img, UV_RUN_START);
  assert.match(
    project.diagnosis ?? "",
    new RegExp(`^No module named 'shop\\.secrets' in the image's copy of the project \\(shop is at ${img.workdir}/shop\\): add it to the project, or, if the repository has it, copy it into the image .* Python: ${python}\\. The backend starts with the image's CMD \`uv run gunicorn shop\\.wsgi:application …\`, which syncs the venv at start-up\\.$`),
  );
});

test("django.sh diagnosis: settings that need an environment variable name it, never a value", async () => {
  const img = image();
  files(img, {
    "django/core/__init__.py": "",
    "django/core/exceptions.py": "class ImproperlyConfigured(Exception):\n    pass\n",
    "manage.py": "import shop_settings  # noqa\n",
    // django-environ's words for a missing variable.
    "shop_settings.py": 'import os\nfrom django.core.exceptions import ImproperlyConfigured\nSECRET_KEY = os.environ["SECRET_KEY"]\nraise ImproperlyConfigured("Set the SENTRY_DSN environment variable")\n',
  });
  const environ = await setup(img, GUNICORN_START);
  assert.match(environ.stderr, /^django\.core\.exceptions\.ImproperlyConfigured: Set the SENTRY_DSN environment variable$/m);
  assert.equal(
    environ.diagnosis,
    `the settings need the environment variable SENTRY_DSN, which the deployment sets and predeploy was not given: set it in predeploy.json "env" (a credential: pass it as a secret). Python: ${join(img.env.PATH ?? "", "python3")}. The backend starts with the image's CMD \`gunicorn shop.wsgi:application …\`.`,
  );
  assert.match(environ.stderr, /^predeploy: unset: SENTRY_DSN$/m, "the result builder's sign that the input is missing, not the project broken");
  assert.equal(environ.parsed.findings[0]?.rule, "django.core.exceptions.ImproperlyConfigured");

  // Set, and still refused (empty here): the project's, or its configuration's, failure; no "unset" sign.
  const refused = await setup(img, { ...GUNICORN_START, SENTRY_DSN: "" });
  assert.match(refused.diagnosis ?? "", /^the settings refuse the environment variable SENTRY_DSN as it is set: /);
  assert.doesNotMatch(refused.stderr, /predeploy: unset:/);

  files(img, { "shop_settings.py": 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nSTRIPE_KEY = os.environ["STRIPE_API_KEY"]\n' });
  const key = await setup(img, GUNICORN_START);
  assert.match(key.diagnosis ?? "", /^the settings need the environment variable STRIPE_API_KEY, which the deployment sets and predeploy was not given: set it in /);

  // Every variable the deployed settings raise without that is unset, named at once (the plan passes their names).
  const all = await setup(img, { ...GUNICORN_START, PREDEPLOY_REQUIRED: "SECRET_KEY STRIPE_API_KEY ADMIN_URL MAILGUN_API_KEY" });
  assert.match(all.diagnosis ?? "", /^the settings need the environment variable STRIPE_API_KEY \(and, read with no default, ADMIN_URL, MAILGUN_API_KEY\), which the deployment sets and predeploy was not given: set each in predeploy\.json "env"/);

  files(img, { "shop_settings.py": 'raise RuntimeError("the cache is unreachable")\n' });
  const other = await setup(img);
  assert.equal(other.diagnosis, `Django could not be set up with ${join(img.env.PATH ?? "", "python3")} (RuntimeError: the cache is unreachable).`);
  assert.equal(other.parsed.summary, other.diagnosis);
});

test("django.sh diagnosis: no Python that imports Django names the ones tried and the candidates not found", async () => {
  const img = image();
  rmSync(join(img.workdir, "django"), { recursive: true });
  // Django's own manage.py template.
  files(img, {
    "manage.py":
      'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\ntry:\n    from django.core.management import execute_from_command_line\nexcept ImportError as exc:\n    raise ImportError("Couldn\'t import Django. Are you sure it\'s installed?") from exc\nexecute_from_command_line(sys.argv)\n',
  });
  const plain = await setup(img, GUNICORN_START);
  assert.equal(plain.code, 1);
  assert.equal(
    plain.diagnosis,
    `no Python in the image imports Django: install it in the image (its requirements or lockfile), or name the Python with backend.python in predeploy.json. Tried: ${join(img.env.PATH ?? "", "python3")}; not found: $VIRTUAL_ENV, $UV_PROJECT_ENVIRONMENT, .venv, uv, Poetry's environment, python. The backend starts with the image's CMD \`gunicorn shop.wsgi:application …\`.`,
  );
  assert.equal(plain.parsed.findings[0]?.rule, "ImportError");
  const synced = await setup(img, UV_RUN_START);
  assert.match(synced.diagnosis ?? "", /^no Python in the image imports Django: the image's CMD `uv run gunicorn shop\.wsgi:application …` would install the dependencies at start-up, over the network: install them in the image \(`uv sync --frozen --no-dev`\) and start with `uv run --no-sync`\. Tried: [^;]*python3; not found: \$VIRTUAL_ENV, .*\.$/);
});

test("django.sh setup without mktemp or tee still runs, and still explains what it can", async () => {
  const img = image();
  rmSync(join(img.env.PATH ?? "", "tee"));
  files(img, { "manage.py": "import magic  # noqa\n" });
  const ran = await setup(img);
  assert.equal(ran.code, 1);
  assert.match(ran.stderr, /^ModuleNotFoundError: No module named 'magic'$/m);
  assert.match(ran.diagnosis ?? "", /^Django could not be set up with .*python3\.$/);
});
