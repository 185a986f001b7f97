/**
 * A Django project that type-checks with pyright instead of mypy
 * (tests/fixtures/projects/pyright-notes: pyright[nodejs] and django-types in its dev group,
 * `[tool.pyright]` naming what to check and, for editors, a `.venv` the checks do not have), run
 * by the module's plan in real containers: pyright is planned from its registry entry alone and
 * resolves the project's imports in the checks' environment. Its faults (a return type, an
 * include matching nothing) run with the other catalogues in faults.test.ts.
 * Run: node --import tsx --test tests/container/pyright-project.test.ts
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, checkById, describeProblems } from "./report-checks.js";
import { freshExampleCopy, SUITE_CONCURRENCY } from "./stack-copy.js";

test("pyright-notes: pyright checks its files against the installed dependencies, and every check passes", { skip: skipWithoutEngine }, async () => {
  const copy = await freshExampleCopy("pyright-notes");
  try {
    const { report, secretValues } = await runDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY });
    assert.equal(report.exitCode, 0, describeProblems(report));
    const ids = report.checks.map((check) => check.id);
    assert.ok(ids.includes("quality.pyright") && !ids.includes("quality.mypy"), ids.join(", "));
    // Every file of its include analysed: django-types and Django resolved from the checks' environment.
    assert.match(checkById(report, "quality.pyright").summary, /^no issues in \d+ files$/);
    assert.equal(checkById(report, "test.pytest").counts?.passed, 1);
    assertNoSecrets(report, secretValues);
  } finally {
    await copy.remove();
  }
});
