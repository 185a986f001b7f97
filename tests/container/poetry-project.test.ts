/**
 * A Django project managed with Poetry (tests/fixtures/projects/poetry-blog: pyproject.toml's
 * [tool.poetry] tables and the poetry.lock Poetry 2.2.1 wrote), run by the module's plan in real
 * containers: its dependencies installed by that Poetry from the lockfile alone, the dev group for
 * the checks and only the main group for the backend (no Dockerfile); its image built the common
 * way (Poetry's own environment, `poetry run`); then a failing test, found at its file and line. Run: node --import tsx --test tests/container/poetry-project.test.ts
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, checkById, describeProblems } from "./report-checks.js";
import { REPO_ROOT, SUITE_CONCURRENCY } from "./stack-copy.js";

const TEST_FILE = "blog/tests/test_views.py";

/** The common shape: Poetry from PyPI, the main group installed into the environment Poetry makes, the command through `poetry run`. */
const DOCKERFILE = `FROM python:3.13-slim
ENV PYTHONUNBUFFERED=1
RUN pip install --no-cache-dir poetry==2.2.1
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root --only main --no-interaction
COPY . .
EXPOSE 8000
CMD ["poetry", "run", "python", "manage.py", "runserver", "0.0.0.0:8000"]
`;

describe("a Poetry project", () => {
  let parent: string;
  let dir: string;

  before(async () => {
    if (skipWithoutEngine) return;
    parent = await mkdtemp(join(tmpdir(), "predeploy-poetry-"));
    dir = join(parent, "poetry-blog");
    await cp(join(REPO_ROOT, "tests/fixtures/projects/poetry-blog"), dir, { recursive: true });
  });

  after(async () => {
    if (skipWithoutEngine) return;
    await rm(parent, { recursive: true, force: true });
  });

  test("installs with the Poetry that wrote its lockfile, and every check passes", { skip: skipWithoutEngine }, async () => {
    const { report, secretValues } = await runDirectory(dir, { concurrency: SUITE_CONCURRENCY });
    assert.equal(report.exitCode, 0, describeProblems(report));
    const ids = report.checks.map((check) => check.id).sort();
    assert.deepEqual(ids, ["build.backend-image", "build.deploy-checklist", "quality.ruff-check", "quality.ruff-format", "test.django-check", "test.migrations-check", "test.pytest", "verify.backend-health", "verify.migrations"]);
    assert.equal(checkById(report, "test.pytest").counts?.passed, 1);
    assertNoSecrets(report, secretValues);
  });

  test("its image built as Poetry projects build theirs (Poetry's own environment, `poetry run` as the command) sets up, migrates its SQLite file and serves", { skip: skipWithoutEngine }, async () => {
    const image = await mkdtemp(join(tmpdir(), "predeploy-poetry-image-"));
    try {
      await cp(dir, image, { recursive: true });
      await writeFile(join(image, "Dockerfile"), DOCKERFILE);
      const { report } = await runDirectory(image, { concurrency: SUITE_CONCURRENCY, planOptions: { only: ["build.backend-image", "verify.migrations", "verify.backend-health"] } });
      assert.equal(report.exitCode, 0, describeProblems(report));
      assert.match(checkById(report, "build.backend-image").logTail, /Python: Poetry's environment for the project \(\/root\/\.cache\/pypoetry\/virtualenvs\//);
    } finally {
      await rm(image, { recursive: true, force: true });
    }
  });

  test("a failing test fails test.pytest at its file and line, and nothing else", { skip: skipWithoutEngine }, async () => {
    const path = join(dir, TEST_FILE);
    await writeFile(path, (await readFile(path, "utf8")).replace('["second", "first"]', '["first", "second"]'));
    const { report } = await runDirectory(dir, { concurrency: SUITE_CONCURRENCY });
    const failed = report.checks.filter((check) => check.status !== "passed").map((check) => check.id);
    assert.deepEqual(failed, ["test.pytest"], describeProblems(report));
    const pytest = checkById(report, "test.pytest");
    assert.ok(pytest.findings.some((f) => f.file === TEST_FILE && f.line === 10), JSON.stringify(pytest.findings));
  });
});
