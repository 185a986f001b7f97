/**
 * Reuse of passing results on the example stack, as a Dagger engine reuses unchanged execs:
 * the same source again re-executes nothing (even with new random secrets); an edited file
 * re-executes exactly the checks whose copy layers include it; a failing check is never
 * reused. A subset of the plan keeps it quick: checks on their own image, no Dockerfile
 * (whose context the expected set below could not see).
 * Run: node --import tsx --test tests/container/result-reuse.test.ts
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import { planChecks } from "../../src/plan/index.js";
import type { ContainerSpec } from "../../src/model/spec.js";
import type { Report } from "../../src/model/report.js";
import { runDirectory } from "../harness/run-directory.js";
import { FileHasher, selectSource } from "../harness/source-selection.js";
import { HostSourceTree } from "../support/host-tree.js";
import { skipWithoutEngine } from "./engine.js";
import { describeProblems } from "./report-checks.js";
import { freshStackCopy, SUITE_CONCURRENCY, type StackCopy } from "./stack-copy.js";

const ONLY = ["quality.ruff-check", "quality.ruff-format", "quality.mypy", "quality.tsc.intake", "test.worker-tests.intake", "test.site-tests.coffee-shop"];
const WORKER_FILE = "workers/intake/src/handler.ts";

function reexecuted(report: Report): string[] {
  return report.checks.filter((check) => check.cached !== true).map((check) => check.id).sort();
}

/** Whether any copy layer of the container (or of its services, recursively) brings `path` in. */
async function copies(container: ContainerSpec, root: string, path: string): Promise<boolean> {
  for (const layer of container.layers) {
    if (layer.kind !== "copy") continue;
    const { from, include = [], exclude = [] } = layer.copy;
    const prefix = from === "." ? "" : `${from}/`;
    if (!path.startsWith(prefix)) continue;
    const selection = await selectSource({ sourceRoot: root, from, include, exclude, sourceExclude: SOURCE_EXCLUDES }, new FileHasher());
    if (selection.entries.some((entry) => entry.kind === "file" && entry.path === path.slice(prefix.length))) return true;
  }
  for (const { service } of container.services) if (await copies(service.container, root, path)) return true;
  return false;
}

describe("result reuse", () => {
  let stack: StackCopy;
  let resultsDir: string;
  const run = async () => {
    const { report } = await runDirectory(stack.dir, { concurrency: SUITE_CONCURRENCY, planOptions: { only: ONLY }, resultsDir });
    assert.equal(report.checks.length, ONLY.length, describeProblems(report));
    return report;
  };

  before(async () => {
    if (skipWithoutEngine) return;
    stack = await freshStackCopy();
    resultsDir = await mkdtemp(join(tmpdir(), "predeploy-results-"));
  });

  after(async () => {
    if (skipWithoutEngine) return;
    await stack.remove();
    await rm(resultsDir, { recursive: true, force: true });
  });

  test("a first run executes every check; the same source again executes none, with new random secrets", { skip: skipWithoutEngine }, async () => {
    const first = await run();
    assert.equal(first.status, "passed", describeProblems(first));
    assert.deepEqual(reexecuted(first), [...ONLY].sort());
    const second = await run();
    assert.equal(second.status, "passed", describeProblems(second));
    assert.deepEqual(reexecuted(second), [], "every input is unchanged, the secrets' values are new");
    for (const check of second.checks) {
      const before = first.checks.find((c) => c.id === check.id);
      assert.deepEqual({ ...check, durationMs: 0, startOffsetMs: 0, cached: false }, { ...before, durationMs: 0, startOffsetMs: 0, cached: false }, `${check.id} reads as it did`);
    }
  });

  /**
   * Writes `text` to `file`, then runs: exactly the checks whose copies include it re-execute, and
   * they pass. Returns those checks' ids for the test's own claims about them.
   */
  const editAndRun = async (file: string, text: string): Promise<string[]> => {
    await writeFile(join(stack.dir, file), text);
    const plan = await planChecks(new HostSourceTree(stack.dir), null, { only: ONLY });
    const expected: string[] = [];
    for (const spec of plan.checks) if (await copies(spec.container, stack.dir, file)) expected.push(spec.id);
    const report = await run();
    assert.equal(report.status, "passed", describeProblems(report));
    assert.deepEqual(reexecuted(report), expected.sort());
    return expected;
  };

  test("an edited file re-executes exactly the checks whose copies include it", { skip: skipWithoutEngine }, async () => {
    const expected = await editAndRun(WORKER_FILE, `${await readFile(join(stack.dir, WORKER_FILE), "utf8")}\n// edited by the result-reuse test\n`);
    assert.ok(expected.includes("quality.tsc.intake") && !expected.includes("test.site-tests.coffee-shop"), `unexpected copies: ${expected.join(", ")}`);
  });

  test("a file no linter or type checker reads (a template) re-executes none of them: their copies leave it out", { skip: skipWithoutEngine }, async () => {
    // In a directory the copies already hold: a new directory is itself an input of every copy that
    // keeps directories (an exclude-only copy keeps them, as the engine's does).
    const expected = await editAndRun("apps/web/inbox/thanks.html", "<p>Thank you, {{ name }}.</p>\n");
    for (const id of ["quality.ruff-check", "quality.ruff-format", "quality.mypy"]) assert.ok(!expected.includes(id), `${id} copies the template: ${expected.join(", ")}`);
  });

  test("a worker's file tsc does not read (its notes) re-executes its tests, not tsc: tsc's copy holds only what it reads", { skip: skipWithoutEngine }, async () => {
    const expected = await editAndRun("workers/intake/src/NOTES.md", "Forms are forwarded to the backend's intake API.\n");
    assert.ok(expected.includes("test.worker-tests.intake") && !expected.includes("quality.tsc.intake"), `unexpected copies: ${expected.join(", ")}`);
  });

  test("a failing check is never reused: run twice, it executes twice; what passed stays reused", { skip: skipWithoutEngine }, async () => {
    const views = join(stack.dir, "apps/web/inbox/views.py");
    await writeFile(views, (await readFile(views, "utf8")).replace(/^import logging$/m, "import logging\nimport os"));
    const first = await run();
    const second = await run();
    for (const report of [first, second]) {
      const ruff = report.checks.find((check) => check.id === "quality.ruff-check");
      assert.equal(ruff?.status, "failed", describeProblems(report));
      assert.notEqual(ruff?.cached, true, "a failure is executed again");
      assert.ok(ruff?.findings.some((f) => f.rule === "F401" && f.file === "apps/web/inbox/views.py"));
    }
    assert.deepEqual(reexecuted(second), ["quality.ruff-check"], "the passing checks of the first run are reused in the second");
  });
});
