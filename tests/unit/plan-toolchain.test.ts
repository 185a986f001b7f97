import assert from "node:assert/strict";
import { test } from "node:test";
import { managePySettings } from "../../src/project/discover-django.js";
import { dockerfileFacts } from "../../src/project/dockerfile-facts.js";
import { workspaceGlobs } from "../../src/project/discover.js";
import { planChecks, type Plan } from "../../src/plan/index.js";
import type { CheckSpec } from "../../src/model/spec.js";
import { missingLibraryMessage } from "../../src/run/tool-missing.js";
import { MemoryTree } from "../support/host-tree.js";
import { checkSpec } from "../support/check-spec.js";
import { agencyFiles } from "../support/trees.js";

/**
 * The project's own toolchain: what a repository declares and configures decides which tools
 * run, with which targets, under which settings — planned on in-memory trees shaped like the
 * classic single-Django repository (Django at the root, requirements files, black + flake8 +
 * isort, Django's own test runner, a JavaScript worker on wrangler.jsonc).
 */

const MANAGE_BY_ARGV = `#!/usr/bin/env python
import os
import sys


def main():
    if "test" in sys.argv:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.test_settings")
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "classic.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
`;

function classicFiles(): Record<string, string> {
  return {
    "manage.py": MANAGE_BY_ARGV,
    "classic/__init__.py": "",
    "classic/settings.py": "SECRET_KEY = 'x'\n",
    "contact/__init__.py": "",
    "tests/__init__.py": "",
    "tests/test_settings.py": "from classic.settings import *\n",
    "requirements.txt": "Django==5.2.8\npython-magic==0.4.27\n",
    "requirements-dev.txt": "-r requirements.txt\nblack==25.1.0\nflake8==7.3.0\nisort==6.0.1\n",
    "pyproject.toml": "[tool.black]\nline-length = 88\n\n[tool.isort]\nprofile = \"black\"\n",
    "setup.cfg": "[flake8]\nmax-line-length = 88\nextend-ignore = E203\n",
    Dockerfile: "FROM python:3.13-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libmagic1 \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
    "workers/contact-form/wrangler.jsonc": '{\n  // the worker\n  "name": "contact-form",\n  "main": "src/index.js",\n}\n',
    "workers/contact-form/package.json": JSON.stringify({ name: "contact-form", scripts: { test: "vitest" }, devDependencies: { wrangler: "4.0.0", vitest: "3.0.0" } }),
    "workers/contact-form/package-lock.json": "{}",
  };
}

async function plan(files: Record<string, string>, config?: unknown): Promise<Plan> {
  const planned = await planChecks(new MemoryTree(files), config === undefined ? null : JSON.stringify(config));
  assert.deepEqual(planned.errors, []);
  return planned;
}

function byId(checks: CheckSpec[], id: string): CheckSpec {
  const found = checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id} in ${checks.map((c) => c.id).join(", ")}`);
  return found;
}

const ids = (p: Plan) => p.checks.map((c) => c.id).sort();

test("the classic repository: its own linters, Django's runner, the root Dockerfile, the jsonc worker; the rest left out with the reason", async () => {
  const planned = await plan(classicFiles());
  assert.deepEqual(ids(planned), [
    "build.backend-image",
    "build.deploy-checklist",
    "build.worker-bundle.contact-form",
    "quality.black",
    "quality.flake8",
    "quality.isort",
    "test.django-check",
    "test.django-tests",
    "test.migrations-check",
    "test.worker-tests.contact-form",
    "verify.backend-health",
    "verify.migrations",
    "verify.worker-health.contact-form",
  ]);
  const leftOut = Object.fromEntries(planned.leftOut.map((l) => [l.id, l.reason]));
  assert.match(leftOut["verify.intake-e2e"] ?? "", /no end-to-end contract is declared: set e2e in predeploy\.json/, "no end-to-end check the project did not declare");
  const declared = await plan(classicFiles(), { e2e: { path: "/contact", expectStatus: 202, sql: "SELECT id FROM contact_message WHERE id = %(id)s" } });
  assert.match(byId(declared.checks, "verify.intake-e2e").why ?? "", /e2e in predeploy\.json, posted to contact-form/);
  assert.match(leftOut["quality.ruff-check"] ?? "", /not adopted by this project/);
  assert.match(leftOut["quality.mypy"] ?? "", /not adopted by this project/);
  assert.match(leftOut["test.pytest"] ?? "", /pytest is not configured for Django/);
  assert.match(leftOut["quality.tsc.contact-form"] ?? "", /no workers\/contact-form\/tsconfig\.json/);
  assert.match(byId(planned.checks, "quality.black").why ?? "", /black is declared in requirements-dev\.txt/);
  assert.deepEqual(byId(planned.checks, "build.backend-image").container.base, { kind: "dockerfile", context: ".", dockerfile: "Dockerfile" });
  assert.match(byId(planned.checks, "build.worker-bundle.contact-form").why ?? "", /wrangler\.jsonc/);
});

test("manage.py decides the settings: management commands run through it, no module read from a branch is exported", async () => {
  const planned = await plan(classicFiles());
  const migrations = byId(planned.checks, "test.migrations-check");
  assert.deepEqual(migrations.command, ["python", "manage.py", "makemigrations", "--check", "--dry-run"]);
  for (const check of planned.checks) {
    assert.equal(check.container.env.DJANGO_SETTINGS_MODULE, undefined, `${check.id} exports no settings module`);
    assert.ok(!check.command.some((arg) => arg.includes("tests.test_settings")), `${check.id} never names the test settings`);
  }
  assert.deepEqual(byId(planned.checks, "test.django-tests").command, ["python", "manage.py", "test", "--noinput", "-v", "2"]);
  const configured = await plan(classicFiles(), { paths: { settingsModule: "classic.settings_ci" } });
  assert.equal(byId(configured.checks, "test.migrations-check").container.env.DJANGO_SETTINGS_MODULE, "classic.settings_ci");
});

test("manage.py's settings for tools told outside it: the branch not taken for tests; an unconditional one as it is", () => {
  assert.equal(managePySettings(MANAGE_BY_ARGV), "classic.settings");
  assert.equal(managePySettings('os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n'), "config.settings");
  const notIn = 'if "test" not in sys.argv:\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';
  assert.equal(managePySettings(notIn), "proj.settings");
  const elif = 'if sys.argv[1:2] == ["test"]:\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a.test")\nelif x:\n    pass\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "a.prod")\n';
  assert.equal(managePySettings(elif), "a.prod");
  assert.equal(managePySettings("import os\n"), null);
});

test("the test runner: pytest where the project configures it for Django, else manage.py test", async () => {
  const declared = await plan({ ...classicFiles(), "requirements-dev.txt": "-r requirements.txt\npytest-django==4.11.1\n" });
  assert.ok(ids(declared).includes("test.pytest") && !ids(declared).includes("test.django-tests"));
  const configured = await plan({ ...classicFiles(), "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = tests.test_settings\n" });
  const pytest = byId(configured.checks, "test.pytest");
  assert.match(pytest.why ?? "", /pytest\.ini \[pytest\]/);
  assert.equal(pytest.command[0], "pytest", "its own configuration names the settings: nothing is exported");
  const unnamed = await plan({ ...classicFiles(), "requirements-dev.txt": "pytest-django\n" });
  assert.deepEqual(byId(unnamed.checks, "test.pytest").command.slice(0, 2), ["env", "DJANGO_SETTINGS_MODULE=classic.settings"], "pytest-django is told manage.py's non-test settings");
});

test("linters stand alone: installed by themselves at the project's pin (declared, else pre-commit's), never in the project's environment", async () => {
  const install = (check: CheckSpec) => check.container.layers.filter((l) => l.kind === "exec").map((l) => (l.kind === "exec" ? l.args : []));
  const declared = await plan(classicFiles());
  const black = byId(declared.checks, "quality.black");
  assert.deepEqual(black.command, ["black", "--check", "."]);
  assert.deepEqual(install(black), [["pip", "install", "black==25.1.0"]], "only the tool: not Django, nor the project's system libraries");
  assert.deepEqual(install(byId(declared.checks, "quality.flake8")), [["pip", "install", "flake8==7.3.0"]]);
  const plugins = await plan({ ...classicFiles(), "requirements-dev.txt": "-r requirements.txt\nflake8==7.3.0\nflake8-bugbear==24.12.12\n" });
  assert.deepEqual(install(byId(plugins.checks, "quality.flake8")), [["pip", "install", "flake8==7.3.0", "flake8-bugbear==24.12.12"]], "its declared plugins with it");
  const files: Record<string, string> = { ...classicFiles(), "requirements-dev.txt": "-r requirements.txt\n" };
  files[".pre-commit-config.yaml"] = "repos:\n  - repo: https://github.com/psf/black-pre-commit-mirror\n    rev: 24.10.0\n    hooks:\n      - id: black\n";
  const configured = await plan(files);
  assert.deepEqual(install(byId(configured.checks, "quality.black")), [["pip", "install", "black==24.10.0"]]);
  assert.deepEqual(install(byId(configured.checks, "quality.flake8")), [["pip", "install", "flake8"]]);
  assert.match(byId(configured.checks, "quality.flake8").why ?? "", /configured in setup\.cfg \[flake8\]; it is no declared dependency, so it is installed on its own as flake8, its latest release/);
});

test("mypy: its configuration's targets, else the Django project's own packages; configured alone it is not run", async () => {
  const stack = (extra: Record<string, string>) => ({
    "pyproject.toml": "[project]\nname='x'\n[dependency-groups]\ndev = ['mypy']\n",
    "uv.lock": "",
    "apps/__init__.py": "",
    "apps/web/__init__.py": "",
    "apps/web/manage.py": "",
    ...extra,
  });
  assert.deepEqual(byId((await plan(stack({}))).checks, "quality.mypy").command.slice(-2), ["json", "apps"]);
  const withFiles = await plan(stack({ "mypy.ini": "[mypy]\nfiles = apps/web\n" }));
  assert.deepEqual(byId(withFiles.checks, "quality.mypy").command.slice(-2), ["--output", "json"]);
  const rootDjango = await plan(classicFiles(), { checks: { "quality.mypy": { enabled: true } } });
  assert.deepEqual(byId(rootDjango.checks, "quality.mypy").command.slice(-3), ["classic", "contact", "tests"]);
  const configuredOnly = await plan({ ...classicFiles(), "mypy.ini": "[mypy]\nstrict = True\n" });
  assert.match(configuredOnly.leftOut.find((l) => l.id === "quality.mypy")?.reason ?? "", /configured in mypy\.ini but is no declared dependency/);
});

test("system libraries: the Dockerfile's apt-get packages are installed for the quality and test checks; predeploy.json can name them", async () => {
  assert.deepEqual(dockerfileFacts(classicFiles().Dockerfile ?? "", "Dockerfile")?.aptPackages, ["libmagic1"]);
  const planned = await plan(classicFiles());
  const first = byId(planned.checks, "test.django-tests").container.layers[0];
  assert.ok(first?.kind === "exec" && (first.args[2] ?? "").includes("apt-get install -y -qq --no-install-recommends libmagic1"));
  const configured = await plan(classicFiles(), { python: { systemPackages: ["libmagic1", "gettext"] } });
  const layer = byId(configured.checks, "test.django-check").container.layers[0];
  assert.ok(layer?.kind === "exec" && (layer.args[2] ?? "").includes("libmagic1 gettext"));
});

test("a missing system library is the environment's error with the fix, never the project's failure", () => {
  const spec = checkSpec("test.django-tests", { parser: "django-test", tool: { program: "python", ecosystem: "python", role: "test-runner" } });
  const execution = { phase: "command" as const, exitCode: 1, stdout: "", stderr: "ImportError: failed to find libmagic.  Check your installation\n", files: {} };
  assert.match(missingLibraryMessage(spec, execution) ?? "", /libmagic is missing .* python\.systemPackages/);
  const so = { ...execution, stderr: "ImportError: libpq.so.5: cannot open shared object file: No such file or directory" };
  assert.match(missingLibraryMessage(spec, so) ?? "", /libpq\.so\.5/);
  assert.equal(missingLibraryMessage(spec, { ...execution, stderr: "AssertionError: 1 != 2" }), null);
});

test("workers: wrangler.json and wrangler.jsonc are workers too; a JavaScript worker gets no tsc check", async () => {
  const files = classicFiles();
  files["workers/json-worker/wrangler.json"] = '{"name": "j"}';
  files["workers/json-worker/package.json"] = JSON.stringify({ name: "j" });
  files["workers/json-worker/package-lock.json"] = "{}";
  files["workers/json-worker/tsconfig.json"] = "{}";
  const planned = await plan(files);
  assert.ok(ids(planned).includes("build.worker-bundle.json-worker") && ids(planned).includes("quality.tsc.json-worker"));
  assert.ok(!ids(planned).includes("quality.tsc.contact-form"));
  assert.equal(byId(planned.checks, "test.worker-tests.contact-form").container.env.CI, "true", "vitest runs once");
});

test("pnpm: only the members pnpm-workspace.yaml selects share the root install", async () => {
  const members = workspaceGlobs("packages:\n  - 'sites/*'\n  - packages/**\n  - '!sites/legacy'\n");
  assert.equal(members("sites/a"), true);
  assert.equal(members("packages/ui/core"), true);
  assert.equal(members("sites/legacy"), false);
  assert.equal(members("workers/intake"), false);
  const files = agencyFiles();
  files["pnpm-workspace.yaml"] = "packages:\n  - sites/*\n  - packages/*\n";
  files["workers/intake/package-lock.json"] = "{}";
  const planned = await planChecks(new MemoryTree(files), null);
  const worker = byId(planned.checks, "build.worker-bundle.intake");
  assert.equal(worker.container.workdir, "/src/workers/intake", "not a member: installs on its own");
  assert.equal(byId(planned.checks, "build.site.bright-dental").container.workdir, "/src", "a member: the root install");
});

test("checks that do not import the project's settings get no secret (they stay cacheable whatever the secrets are)", async () => {
  const planned = await plan(classicFiles());
  for (const id of ["quality.black", "quality.flake8", "quality.isort"]) assert.deepEqual(byId(planned.checks, id).container.secretEnv, {}, id);
  for (const id of ["test.django-tests", "test.django-check", "test.migrations-check"]) assert.ok(Object.keys(byId(planned.checks, id).container.secretEnv).includes("SECRET_KEY"), id);
});
