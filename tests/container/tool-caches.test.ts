/**
 * Tool caches shared by two checkouts of one project must not change a verdict. mypy trusts a
 * cached module when its path, size and mtime (whole seconds) match: two trees whose module
 * differs in contents but not in size or mtime (copies made in the same second, a CI clone)
 * would read each other's results. The plan sets each Python file's mtime from its contents
 * before mypy and ruff run (src/tools/tool-caches.ts), so the second tree is checked afresh.
 * Run: node --import tsx --test tests/container/tool-caches.test.ts
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { checkById, describeProblems } from "./report-checks.js";
import { freshStackCopy, type StackCopy } from "./stack-copy.js";

const MODULE = "apps/web/inbox/validation.py";

describe("tool caches", () => {
  const trees: StackCopy[] = [];

  before(async () => {
    if (skipWithoutEngine) return;
    // A marker only these two trees hold: their source layers are built from these files, with these mtimes.
    const marker = `tool-cache test ${randomUUID()}\n`;
    for (let i = 0; i < 2; i++) {
      const tree = await freshStackCopy();
      await writeFile(join(tree.dir, "tool-cache-marker.txt"), marker);
      trees.push(tree);
    }
  });

  after(async () => {
    await Promise.all(trees.map((tree) => tree.remove()));
  });

  test("a module edited to the same size and mtime in a second checkout is type-checked afresh", { skip: skipWithoutEngine }, async () => {
    const [clean, edited] = trees as [StackCopy, StackCopy];
    const original = await readFile(join(clean.dir, MODULE), "utf8");
    // `return ""` → `return 42`: the same size, and a type error on line 33.
    const lines = original.split("\n");
    assert.equal(lines[32]?.trim(), 'return ""');
    lines[32] = (lines[32] as string).replace('return ""', "return 42");
    const changed = lines.join("\n");
    assert.equal(Buffer.byteLength(changed), Buffer.byteLength(original));
    await writeFile(join(edited.dir, MODULE), changed);
    const { mtime } = await stat(join(clean.dir, MODULE));
    await utimes(join(edited.dir, MODULE), mtime, mtime);

    const mypy = async (tree: StackCopy) => (await runDirectory(tree.dir, { planOptions: { only: ["quality.mypy"] }, reuseResults: false })).report;
    const first = await mypy(clean);
    assert.equal(checkById(first, "quality.mypy").status, "passed", describeProblems(first));
    const second = await mypy(edited);
    const check = checkById(second, "quality.mypy");
    assert.equal(check.status, "failed", `the cached clean module was trusted: ${describeProblems(second)}`);
    assert.ok(
      check.findings.some((f) => f.file === MODULE && f.line === 33 && f.rule === "return-value"),
      JSON.stringify(check.findings),
    );
  });
});
