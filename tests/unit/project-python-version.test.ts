/** The Python the checks run on: the one the project names, in the order a deploy would trust it. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { planChecks } from "../../src/plan/index.js";
import { renderPlan } from "../../src/plan/render-plan.js";
import { readCiTestJobs } from "../../src/project/ci-workflow.js";
import { dockerfileFacts } from "../../src/project/dockerfile-facts.js";
import { declaredPythonVersion } from "../../src/project/python-version.js";
import { MemoryTree } from "../support/host-tree.js";

async function version(files: Record<string, string>, dockerfile?: string): Promise<string | null> {
  const tree = new MemoryTree(files);
  const facts = dockerfile === undefined ? null : dockerfileFacts(dockerfile, "Dockerfile");
  const ci = (await readCiTestJobs(tree)).jobs[0];
  return (await declaredPythonVersion(tree, ["."], facts, ci))?.version ?? null;
}

const CI = (python: string) => `jobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python: ["3.11", "3.12"]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${python}\n      - run: pytest\n`;

test("the deployed image's FROM first, then .python-version, runtime.txt, the CI job's setup-python, and requires-python only when the default does not satisfy it", async () => {
  const all = { ".python-version": "3.11.9\n", "runtime.txt": "python-3.10.14\n", ".github/workflows/ci.yml": CI('"3.9"'), "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.14"\n' };
  assert.equal(await version(all, "ARG PY=3.12\nFROM python:${PY}-slim AS base\nFROM base\nCMD [\"gunicorn\"]\n"), "3.12");
  assert.equal(await version(all, "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"), "3.12");
  assert.equal(await version(all, "FROM debian:trixie\n"), "3.11", "an image that names no Python says nothing");
  const { ".python-version": _pv, ...noPyenv } = all;
  assert.equal(await version(noPyenv), "3.10");
  const { "runtime.txt": _rt, ...ciOnly } = noPyenv;
  assert.equal(await version(ciOnly), "3.9");
  assert.equal(await version({ ...ciOnly, ".github/workflows/ci.yml": CI("${{ matrix.python }}") }), "3.11", "a matrix: its first version");
  const { ".github/workflows/ci.yml": _ci, ...pyproject } = ciOnly;
  assert.equal(await version(pyproject), "3.14");
  assert.equal(await version({ "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\n' }), null, "the default satisfies it: nothing to change");
  assert.equal(await version({ "pyproject.toml": '[tool.poetry.dependencies]\npython = "~3.11"\n' }), "3.11");
  assert.equal(await version({ "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9,<3.13"\n' }), "3.12");
  assert.equal(await version({}), null);
});

test("plan runs the Python checks in the named Python's image and says why; a configured image wins", async () => {
  const files = {
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
    "shop/__init__.py": "",
    "shop/settings.py": "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': os.environ['DB_HOST']}}\n",
    "requirements.txt": "Django==5.2.20\nruff==0.8.6\n",
    Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["gunicorn", "shop.wsgi"]\n',
  };
  const plan = await planChecks(new MemoryTree(files), null);
  const pythonImages = new Set(plan.checks.filter((c) => c.container.base.kind === "image" && c.container.base.image.startsWith("python:")).map((c) => (c.container.base.kind === "image" ? c.container.base.image : "")));
  assert.deepEqual([...pythonImages], ["python:3.12-slim"]);
  assert.match(renderPlan(plan, "text"), /python: 3\.12 \(the checks run in python:3\.12-slim\)\n\s+from Dockerfile:1: the deployed image is built FROM python:3\.12-slim/);
  const configured = await planChecks(new MemoryTree(files), JSON.stringify({ images: { python: "registry.example/python:3.12-custom" } }));
  assert.match(renderPlan(configured, "text"), /python: as the image \(the checks run in registry\.example\/python:3\.12-custom\)/);
});

test("any text in a version file gives a known minor or nothing, never a throw", async () => {
  await fc.assert(
    fc.asyncProperty(fc.string(), async (text) => {
      const found = await version({ ".python-version": text });
      assert.ok(found === null || /^3\.\d{1,2}$/.test(found), String(found));
    }),
    { numRuns: 200 },
  );
});
