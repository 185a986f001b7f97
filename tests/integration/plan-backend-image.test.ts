import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { DJANGO_SCRIPT_PATH, djangoScript } from "../../src/plan/backend-image.js";
import type { DjangoApp } from "../../src/project/discover.js";
import type { BackendImage } from "../../src/project/deployment.js";
import { djangoApp } from "../support/django-app.js";
import { planChecks } from "../../src/plan/index.js";
import { agencyTree } from "../support/trees.js";

/**
 * The script that runs Django in the backend image's own environment, run for real by the
 * host's /bin/sh against images laid out in temporary directories, with stub interpreters
 * that say who they are and whether they "import django".
 */

const backendImage = (command: BackendImage["command"]): BackendImage => ({ path: "apps/web/Dockerfile", context: ".", target: null, facts: null, command, why: "", others: [] });
const django: DjangoApp = djangoApp({ dockerfile: backendImage(null) });

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** An interpreter stub: `-c "import django"` exits 0 only when it has Django; anything else prints its name, cwd and args. */
function stub(path: string, name: string, hasDjango: boolean): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(
    path,
    `#!/bin/sh\nif [ "$1" = "-c" ] && [ "$2" = "import django" ]; then exit ${hasDjango ? 0 : 1}; fi\necho "${name} cwd=$(pwd) args=$*"\necho "settings=\${DJANGO_SETTINGS_MODULE:-unset}"\n`,
  );
  chmodSync(path, 0o755);
}

interface Image {
  root: string;
  workdir: string;
  env: Record<string, string>;
}

/** An "image": a directory tree, a workdir inside it, and a PATH holding only the tools the script needs plus `bin/`. */
function image(workdir = "app"): Image {
  const root = mkdtempSync(join(tmpdir(), "predeploy-image-"));
  roots.push(root);
  mkdirSync(join(root, "bin"));
  mkdirSync(join(root, "tools"));
  for (const tool of ["dirname", "find", "head"]) symlinkSync(`/usr/bin/${tool}`, join(root, "tools", tool));
  mkdirSync(join(root, workdir), { recursive: true });
  return { root, workdir: join(root, workdir), env: { PATH: `${join(root, "bin")}:${join(root, "tools")}` } };
}

function run(img: Image, args: string[], python?: string[]) {
  const script = join(img.root, "django.sh");
  writeFileSync(script, djangoScript(django, python));
  const result = spawnSync("/bin/sh", [script, ...args], { cwd: img.workdir, env: img.env, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("$VIRTUAL_ENV wins when its Python imports Django; Django is set up through the image's manage.py, which chooses the settings", () => {
  const img = image();
  stub(join(img.root, "venv/bin/python"), "virtual-env", true);
  stub(join(img.workdir, ".venv/bin/python"), "dot-venv", true);
  writeFileSync(join(img.workdir, "manage.py"), "# the project's own\n");
  img.env.VIRTUAL_ENV = join(img.root, "venv");
  const { code, stdout, stderr } = run(img, ["setup"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^virtual-env cwd=.* args=manage\.py shell -c import os, django; from django\.conf import settings; settings\.INSTALLED_APPS; print/);
  assert.match(stdout, /^settings=unset$/m, "no settings module is exported: manage.py decides");
  assert.ok(!stdout.includes("django.setup()"), "never django.setup() behind manage.py's back");
  assert.match(stderr, /predeploy: Python: \$VIRTUAL_ENV\/bin\/python/);
});

test("an image without manage.py: python -m django with the discovered settings module", () => {
  const img = image();
  stub(join(img.root, "bin/python3"), "system", true);
  const { code, stdout, stderr } = run(img, ["setup"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^system cwd=.* args=-m django shell -c /);
  assert.match(stdout, /^settings=config\.settings$/m);
});

test("a candidate that cannot import Django is passed over for the project venv above the workdir", () => {
  const img = image("app/apps/web");
  stub(join(img.root, "venv/bin/python"), "virtual-env", false);
  stub(join(img.root, "app/.venv/bin/python"), "dot-venv", true);
  stub(join(img.root, "bin/python3"), "system", false);
  img.env.VIRTUAL_ENV = join(img.root, "venv");
  const { code, stdout, stderr } = run(img, ["setup"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^dot-venv /);
  assert.match(stderr, new RegExp(`predeploy: Python: the project venv ${join(img.root, "app/.venv")}`));
});

test("an image with uv and no venv on the way runs `uv run --no-sync python`", () => {
  const img = image();
  stub(join(img.root, "bin/uv"), "uv", true);
  stub(join(img.root, "bin/python3"), "system", false);
  const { code, stdout, stderr } = run(img, ["setup"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^uv cwd=.* args=run --no-sync python -m django shell -c import os, django;/);
  assert.match(stderr, /predeploy: Python: uv run --no-sync python/);
});

test("when nothing imports Django, the first Python found runs and reports the real error", () => {
  const img = image();
  stub(join(img.root, "bin/python3"), "system", false);
  stub(join(img.root, "bin/python"), "other", false);
  const { code, stdout, stderr } = run(img, ["setup"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^system /);
});

test("no Python at all: exit 127 naming python and the predeploy.json fix", () => {
  const img = image();
  const { code, stderr } = run(img, ["setup"]);
  assert.equal(code, 127);
  assert.match(stderr, /^python: not found$/m);
  assert.match(stderr, /set backend\.python in predeploy\.json/);
});

test("backend.python from predeploy.json is used as given", () => {
  const img = image();
  stub(join(img.workdir, ".venv/bin/python"), "dot-venv", true);
  stub(join(img.root, "bin/pdm"), "pdm", false);
  const { code, stdout, stderr } = run(img, ["setup"], ["pdm", "run", "python"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^pdm cwd=.* args=run python -m django shell -c /);
  assert.match(stderr, /predeploy: Python: backend\.python from predeploy\.json \(pdm run python\)/);
});

test("migrations run through manage.py from its own directory", () => {
  const img = image("app");
  stub(join(img.root, "bin/python3"), "system", true);
  mkdirSync(join(img.workdir, "apps/web"), { recursive: true });
  writeFileSync(join(img.workdir, "apps/web/manage.py"), "");
  const { code, stdout, stderr } = run(img, ["migrate"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, new RegExp(`^system cwd=${join(img.workdir, "apps/web")} args=manage.py migrate --noinput`));
  assert.match(stdout, /settings=unset/, "manage.py sets its own default settings module");
});

test("manage.py elsewhere is found below the workdir; without one, python -m django with the default settings", () => {
  const img = image("srv");
  stub(join(img.root, "bin/python3"), "system", true);
  mkdirSync(join(img.workdir, "project/backend"), { recursive: true });
  writeFileSync(join(img.workdir, "project/backend/manage.py"), "");
  assert.match(run(img, ["migrate"]).stdout, /cwd=.*\/srv\/project\/backend args=manage\.py migrate --noinput/);
  rmSync(join(img.workdir, "project"), { recursive: true });
  const bare = run(img, ["migrate"]);
  assert.match(bare.stdout, /args=-m django migrate --noinput\nsettings=config\.settings/);
  assert.match(bare.stderr, /no manage\.py in the image; python -m django with DJANGO_SETTINGS_MODULE=config\.settings/);
});

test("the image gets django.sh with this app's values above the program", async () => {
  const { checks } = await planChecks(agencyTree(), JSON.stringify({ backend: { python: ["/app/.venv/bin/python"] } }));
  const layers = checks.find((c) => c.id === "build.backend-image")?.container.layers ?? [];
  const files = Object.fromEntries(layers.flatMap((l) => (l.kind === "file" ? [[l.path, l.contents]] : [])));
  assert.deepEqual(Object.keys(files), [DJANGO_SCRIPT_PATH]);
  const [python, candidates, settings, start, syncs, required, ...program] = (files[DJANGO_SCRIPT_PATH] ?? "").split("\n");
  assert.deepEqual(
    [python, candidates, settings, start, syncs, required],
    [
      "PREDEPLOY_PYTHON=/app/.venv/bin/python",
      "PREDEPLOY_MANAGE_CANDIDATES='manage.py apps/web/manage.py'",
      "PREDEPLOY_SETTINGS_MODULE=config.settings",
      // The agency image's own CMD, which does not sync: its diagnosis names it.
      "PREDEPLOY_START='the image'\"'\"'s CMD `uv run --no-sync gunicorn config.wsgi:application`'",
      "PREDEPLOY_START_SYNCS=''",
      // Its settings give every variable a default (django-environ's scheme).
      "PREDEPLOY_REQUIRED=''",
    ],
  );
  assert.equal(program.join("\n"), readFileSync(new URL("../../src/programs/django.sh", import.meta.url), "utf8"));
});

test("django.sh hears how the deployed backend starts: the Dockerfile's deployed stage, or predeploy.json's backend.command", async () => {
  const script = async (dockerfile: string, config: unknown = {}) => {
    const { checks } = await planChecks(agencyTree({ "apps/web/Dockerfile": dockerfile }), JSON.stringify(config));
    const layer = checks.find((c) => c.id === "build.backend-image")?.container.layers.find((l) => l.kind === "file" && l.path === DJANGO_SCRIPT_PATH);
    const lines = (layer?.kind === "file" ? layer.contents : "").split("\n");
    return Object.fromEntries(lines.slice(0, 5).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  };
  const synced = await script('FROM python:3.13-slim AS app\nCMD ["uv", "run", "gunicorn", "config.wsgi:application"]\nFROM app AS debug\nCMD ["sleep", "infinity"]\n', { backend: { target: "app" } });
  assert.equal(synced.PREDEPLOY_START, "'the image'\"'\"'s CMD `uv run gunicorn config.wsgi:application`'");
  assert.equal(synced.PREDEPLOY_START_SYNCS, "1");
  const configured = await script('FROM python:3.13-slim\nCMD ["uv", "run", "gunicorn", "config.wsgi:application"]\n', { backend: { command: ["gunicorn", "config.wsgi"] } });
  assert.equal(configured.PREDEPLOY_START, "'predeploy.json'\"'\"'s backend.command `gunicorn config.wsgi`'");
  assert.equal(configured.PREDEPLOY_START_SYNCS, "''");
});

test("a failed set-up ends with the diagnosis, which names the Python and the backend's command", () => {
  const img = image();
  stub(join(img.root, "bin/python3"), "system", true);
  for (const tool of ["mktemp", "tee", "rm"]) symlinkSync(`/usr/bin/${tool}`, join(img.root, "tools", tool));
  writeFileSync(join(img.root, "bin/python3"), '#!/bin/sh\n[ "$2" = "import django" ] && exit 0\n[ "$1" = "-c" ] && exit 0\necho "Traceback (most recent call last):" >&2\necho "ModuleNotFoundError: No module named \'magic\'" >&2\nexit 1\n');
  writeFileSync(join(img.workdir, "manage.py"), "");
  const script = join(img.root, "django.sh");
  const app = { ...django, dockerfile: backendImage({ stage: "0", entrypoint: null, cmd: { form: "exec" as const, argv: ["gunicorn", "config.wsgi"] }, env: {} }) };
  writeFileSync(script, djangoScript(app, undefined));
  const result = spawnSync("/bin/sh", [script, "setup"], { cwd: img.workdir, env: img.env, encoding: "utf8" });
  assert.equal(result.status, 1);
  assert.equal(
    result.stderr.trim().split("\n").pop(),
    `predeploy: diagnosis: ${join(img.root, "bin/python3")} has no module 'magic': add the package that provides it to the image's requirements or lockfile, as a runtime dependency. The backend starts with the image's CMD \`gunicorn config.wsgi\`.`,
  );
});
