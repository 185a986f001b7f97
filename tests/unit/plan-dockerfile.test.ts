import assert from "node:assert/strict";
import { test } from "node:test";
import { copySources } from "../../src/plan/discover-dockerfile.js";
import { planChecks } from "../../src/plan/index.js";
import type { CheckSpec } from "../../src/plan/spec.js";
import { stackTree } from "../support/trees.js";

async function backendImageBase(overrides: Record<string, string | null>, config?: unknown) {
  const plan = await planChecks(stackTree(overrides), config === undefined ? null : JSON.stringify(config));
  assert.deepEqual(plan.errors, []);
  const check = plan.checks.find((c: CheckSpec) => c.id === "build.backend-image");
  assert.ok(check);
  return { base: check.container.base, title: check.title };
}

test("COPY and ADD sources: flags skipped, other stages, URLs and variables left out, globs cut to their directory", () => {
  const dockerfile = [
    "FROM python:3.13-slim AS build",
    "COPY --chown=app:app pyproject.toml uv.lock ./",
    'COPY ["requirements/base.txt", "/tmp/"]',
    "COPY --from=build /app/.venv /app/.venv",
    "ADD https://example.com/tool.tgz /opt/",
    "COPY ${APP_DIR} /app",
    "copy apps/web/*.py \\",
    "     ./",
    "COPY . .",
  ].join("\n");
  assert.deepEqual(copySources(dockerfile), ["pyproject.toml", "uv.lock", "requirements/base.txt", "apps/web"]);
});

test("a Dockerfile built from the repository root keeps the root as its context", async () => {
  const { base } = await backendImageBase({ "apps/web/Dockerfile": "FROM python:3.13-slim\nCOPY pyproject.toml uv.lock ./\nCOPY apps ./apps\n" });
  assert.deepEqual(base, { kind: "dockerfile", context: ".", dockerfile: "apps/web/Dockerfile" });
});

test("a Dockerfile whose COPY sources sit beside it is built from its own directory", async () => {
  const { base } = await backendImageBase({
    "apps/web/Dockerfile": "FROM python:3.13-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
    "apps/web/requirements.txt": "django\n",
  });
  assert.deepEqual(base, { kind: "dockerfile", context: "apps/web", dockerfile: "Dockerfile" });
});

test("the Django directory's own Dockerfile is found; paths.dockerContext wins over the guess", async () => {
  const moved = {
    "apps/web/manage.py": null,
    "apps/web/Dockerfile": null,
    "backend/manage.py": "#!/usr/bin/env python\n",
    "backend/Dockerfile": "FROM python:3.13-slim\nCOPY pyproject.toml uv.lock ./\n",
  };
  const found = await backendImageBase(moved, { paths: { django: "backend" } });
  assert.deepEqual(found.base, { kind: "dockerfile", context: ".", dockerfile: "backend/Dockerfile" });
  assert.equal(found.title, "Django container (backend/Dockerfile)");
  const configured = await backendImageBase(moved, { paths: { django: "backend", dockerContext: "backend" } });
  assert.deepEqual(configured.base, { kind: "dockerfile", context: "backend", dockerfile: "Dockerfile" });
});
