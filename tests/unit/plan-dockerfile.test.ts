import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { copySources } from "../../src/project/deployment.js";
import { describeStart, dockerfileInstructions, imageCommand, imageStart } from "../../src/project/dockerfile.js";
import { planChecks } from "../../src/plan/index.js";
import type { CheckSpec } from "../../src/model/spec.js";
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

/** How the Dockerfile's deployed stage starts, as the diagnosis of a failed set-up says it. */
const startOf = (dockerfile: string, target?: string, declared?: { argv: string[]; source: string }) => imageStart(imageCommand(dockerfile, target), declared);
const example = (path: string) => readFileSync(new URL(`../../examples/${path}`, import.meta.url), "utf8");

test("the examples' CMDs: exec form, a `sh -c` script shown as its script, `uv run --no-sync` that does not sync", () => {
  assert.deepEqual(startOf(example("agency/apps/web/Dockerfile")), { source: "the image's CMD", shown: "uv run --no-sync gunicorn config.wsgi:application …", uvSync: false });
  assert.deepEqual(startOf(example("classic/Dockerfile")), { source: "the image's CMD", shown: "exec gunicorn classic.wsgi …", uvSync: false });
  assert.deepEqual(imageCommand(example("stack/apps/web/Dockerfile"))?.cmd, {
    form: "exec",
    argv: ["gunicorn", "apps.web.config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"],
  });
  assert.equal(imageCommand(example("stack/apps/web/Dockerfile"))?.env.UV_PROJECT_ENVIRONMENT, "/venv");
});

test("`uv run` syncs the venv at start-up unless --no-sync or UV_NO_SYNC says otherwise; --frozen still syncs", () => {
  const final = (cmd: string, env = "") => startOf(`FROM python:3.13-slim\n${env}WORKDIR /app\nRUN uv sync --frozen --no-install-project\nCOPY . .\n${cmd}\n`)?.uvSync;
  assert.equal(final('CMD ["uv", "run", "gunicorn", "shop.wsgi"]'), true);
  assert.equal(final('CMD ["uv", "run", "--frozen", "manage.py", "runserver", "0.0.0.0:8000"]'), true);
  assert.equal(final('CMD ["/bin/uv", "run", "--no-sync", "gunicorn", "shop.wsgi"]'), false);
  assert.equal(final('CMD ["uv", "run", "gunicorn", "shop.wsgi"]', "ENV UV_NO_SYNC=1\n"), false);
  assert.equal(final("CMD uv run gunicorn shop.wsgi --bind 0.0.0.0:$PORT"), true, "shell form");
  assert.equal(final('CMD ["sh", "-c", "uv run --no-sync python manage.py migrate && uv run gunicorn shop.wsgi"]'), true, "the second command syncs");
  assert.equal(final('CMD ["sh", "-c", "UV_NO_SYNC=1 uv run gunicorn shop.wsgi"]'), false);
  assert.equal(final('CMD ["gunicorn", "shop.wsgi"]'), false);
  assert.equal(final('CMD ["uvicorn", "shop.asgi:application", "--run"]'), false);
  const composed = startOf('FROM python:3.13-slim\nENTRYPOINT ["uv", "run"]\nCMD ["gunicorn", "shop.wsgi:application"]\n');
  assert.deepEqual(composed, { source: "the image's ENTRYPOINT and CMD", shown: "uv run gunicorn shop.wsgi:application", uvSync: true });
});

test("ENTRYPOINT and CMD compose as Docker composes them", () => {
  const base = 'FROM python:3.13-slim AS base\nCMD ["gunicorn", "shop.wsgi"]\n';
  // An ENTRYPOINT drops the CMD the stage inherited...
  assert.deepEqual(startOf(`${base}FROM base\nENTRYPOINT ["/entrypoint.sh"]\n`), { source: "the image's ENTRYPOINT", shown: "/entrypoint.sh", uvSync: false });
  // ...but not one the same stage set, before or after it.
  assert.equal(startOf(`${base}FROM base\nCMD ["daphne", "shop.asgi:application"]\nENTRYPOINT ["/entrypoint.sh"]\n`)?.shown, "/entrypoint.sh daphne shop.asgi:application");
  assert.equal(startOf(`${base}FROM base\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["gunicorn", "x.wsgi"]\n`)?.shown, "/entrypoint.sh gunicorn x.wsgi");
  // A shell-form ENTRYPOINT ignores CMD.
  assert.deepEqual(startOf(`${base}ENTRYPOINT exec uv run gunicorn shop.wsgi\n`), { source: "the image's ENTRYPOINT", shown: "exec uv run gunicorn shop.wsgi", uvSync: true });
  // Exec-form ENTRYPOINT with a shell-form CMD: the CMD is the stage's shell running it.
  assert.deepEqual(imageCommand('FROM python:3.13\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD gunicorn x.wsgi\n')?.cmd, { form: "shell", text: "gunicorn x.wsgi", shell: ["/bin/bash", "-o", "pipefail", "-c"] });
  // Not a JSON array of strings: Docker runs it in shell form.
  assert.deepEqual(imageCommand("FROM python:3.13\nCMD [gunicorn, x.wsgi]\n")?.cmd, { form: "shell", text: "[gunicorn, x.wsgi]", shell: ["/bin/sh", "-c"] });
});

test("stages: the final one, or backend.target's; CMD inherited through FROM <earlier stage>, never from a stage copied from", () => {
  const dockerfile = [
    "# syntax=docker/dockerfile:1",
    "FROM --platform=$BUILDPLATFORM python:3.13-slim AS Builder",
    "RUN pip install uv",
    'CMD ["python", "-m", "http.server"]',
    "FROM builder AS web",
    "ENV UV_PROJECT_ENVIRONMENT=/venv \\",
    "    PATH=/venv/bin:$PATH",
    'CMD ["uv", "run", "gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]',
    "FROM web AS worker",
    'CMD ["uv", "run", "--no-sync", "celery", "-A", "shop", "worker"]',
    "FROM python:3.13-slim AS runtime",
    "COPY --from=web /venv /venv",
  ].join("\n");
  assert.equal(startOf(dockerfile), null, "the final stage sets no CMD: its base image's applies");
  assert.equal(describeStart(startOf(dockerfile)), "the base image's CMD (the Dockerfile sets none)");
  const web = imageCommand(dockerfile, "web");
  assert.equal(web?.stage, "web");
  assert.deepEqual(web?.env, { UV_PROJECT_ENVIRONMENT: "/venv", PATH: "/venv/bin:$PATH" });
  assert.equal(describeStart(startOf(dockerfile, "web")), "the image's CMD `uv run gunicorn shop.wsgi:application …`");
  assert.equal(startOf(dockerfile, "worker")?.shown, "uv run --no-sync celery -A shop worker");
  assert.equal(imageCommand(`${dockerfile}\nFROM Web\n`)?.cmd !== "base", true, "stage names are case-insensitive");
  assert.equal(imageCommand(dockerfile, "missing"), null);
  assert.equal(imageCommand("# just a comment\n"), null);
  // predeploy.json's backend.command replaces the image's ENTRYPOINT and CMD.
  assert.deepEqual(startOf(dockerfile, "web", { argv: ["uv", "run", "daphne", "shop.asgi:application"], source: "Procfile:2: the Procfile's web process" }), { source: "Procfile:2: the Procfile's web process", shown: "uv run daphne shop.asgi:application", uvSync: true });
});

test("instructions: continuations (with comment lines inside), heredoc bodies and the escape directive", () => {
  const dockerfile = [
    "# escape=`",
    "FROM python:3.13-slim",
    "RUN <<EOF",
    'CMD ["not", "an", "instruction"]',
    "EOF",
    "COPY <<-'END' /app/start.sh",
    "\tCMD also not one",
    "\tEND",
    "RUN pip install `",
    "  # a comment inside the continuation",
    "  gunicorn",
    'CMD ["gunicorn", `',
    '     "shop.wsgi"]',
  ].join("\n");
  assert.deepEqual(
    dockerfileInstructions(dockerfile).map((i) => `${i.keyword} ${i.args}`),
    ["FROM python:3.13-slim", "RUN <<EOF", "COPY <<-'END' /app/start.sh", "RUN pip install    gunicorn", 'CMD ["gunicorn",       "shop.wsgi"]'],
  );
  assert.deepEqual(imageCommand(dockerfile)?.cmd, { form: "exec", argv: ["gunicorn", "shop.wsgi"] });
});

test("any text: the Dockerfile readers never throw, and what they return is well-formed", () => {
  const line = fc.oneof(
    fc.constantFrom("FROM python:3.13 AS a", "FROM a", "FROM b AS b", "CMD [\"uv\", \"run\", \"x\"]", "ENTRYPOINT [\"sh\", \"-c\"]", "CMD uv run", "ENV A=1 B", "ENV", "SHELL [1]", "RUN <<EOF", "EOF", "\\", "`", "# escape=`", "CMD [", "ENTRYPOINT"),
    fc.string({ maxLength: 60 }),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), fc.option(fc.constantFrom("a", "b", "A", "zz"), { nil: undefined }), (lines, target) => {
      const command = imageCommand(lines.join("\n"), target);
      const start = imageStart(command);
      if (start !== null) {
        assert.equal(typeof start.uvSync, "boolean");
        assert.ok(!start.shown.includes("\n") && !start.shown.includes("`"));
      }
      assert.equal(typeof describeStart(start), "string");
    }),
    { numRuns: 300 },
  );
});
