/**
 * `--fix` on real containers: copies of the examples with lint, format and migration faults
 * get fix commands on their findings; fixing with --include-unsafe applies them in place and
 * the re-validation passes; the tree then differs from the faulted copy only by what the
 * fixers wrote, and from the example only by the migration the model change needed.
 * Run: node --import tsx --test tests/container/fix.test.ts
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Report } from "../../src/model/report.js";
import { EXAMPLES, type ExampleName } from "../support/fault-catalogue.js";
import { fixDirectory } from "../harness/fix-directory.js";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, checkById } from "./report-checks.js";
import { freshExampleCopy, SUITE_CONCURRENCY } from "./stack-copy.js";

/** Relative paths of the files of a tree (what a checkout has), with their contents. */
function files(root: string, dir = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) for (const [p, c] of files(root, path)) found.set(p, c);
    else found.set(path, readFileSync(join(root, path), "utf8"));
  }
  return found;
}

function differing(a: string, b: string): string[] {
  const [left, right] = [files(a), files(b)];
  return [...new Set([...left.keys(), ...right.keys()])].filter((p) => left.get(p) !== right.get(p)).sort();
}

const CASES: { example: ExampleName; faults: string[]; model: string; fixable: string[] }[] = [
  { example: "stack", faults: ["ruff-unused-import", "unformatted-python", "model-without-migration"], model: "model-without-migration", fixable: ["quality.ruff-check", "quality.ruff-format", "test.migrations-check"] },
  { example: "agency", faults: ["ruff-unused-import", "leads-choice-without-migration"], model: "leads-choice-without-migration", fixable: ["quality.ruff-check", "test.migrations-check"] },
];

describe("--fix applies every fix and validates again", { skip: skipWithoutEngine }, () => {
  for (const { example, faults, model, fixable } of CASES) {
    test(`examples/${example} with ${faults.join(", ")}`, async () => {
      const copy = await freshExampleCopy(example);
      const modelOnly = await freshExampleCopy(example, join(EXAMPLES[example].faults, model));
      try {
        for (const fault of faults) execFileSync("bash", [join(EXAMPLES[example].faults, fault, "apply.sh")], { cwd: copy.dir });
        const before = await runDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY });
        for (const id of fixable) {
          const fixes = checkById(before.report, id).findings.filter((f) => f.fix !== undefined);
          assert.ok(fixes.length > 0, `${id}'s findings carry fix commands`);
          assert.equal(fixes.every((f) => f.fix?.safe === (id !== "test.migrations-check")), true, `${id}: safe only where it writes no code to review`);
        }
        const { report: raw, secretValues } = await fixDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY }, true);
        const report = Report.parse(JSON.parse(JSON.stringify(raw)));
        assert.equal(report.status, "passed", report.checks.filter((c) => c.status !== "passed").map((c) => `${c.id}: ${c.summary}`).join("\n"));
        assert.equal(report.exitCode, 0);
        assert.ok((report.fixes ?? []).every((f) => f.status !== "failed"), JSON.stringify(report.fixes));
        const written = differing(modelOnly.dir, copy.dir);
        assert.equal(written.length, 1, `only the migration differs from the model change alone: ${written.join(", ")}`);
        assert.match(written[0] ?? "", /\/migrations\/0\d{3}_[\w]+\.py$/);
        assertNoSecrets(report, secretValues);
      } finally {
        await copy.remove();
        await modelOnly.remove();
      }
    });
  }
});
