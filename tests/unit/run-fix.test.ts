import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Execution } from "../../src/run/executor.js";
import { applyFixes, FIX_ARCHIVE, fixAndRevalidate, fixJobs, fixJobSpec } from "../../src/run/fix.js";
import { checkSpec } from "../support/check-spec.js";
import { check, finding, reportOf } from "../support/report-fixtures.js";

const ruff = checkSpec("quality.ruff-check", { parser: "ruff-check", tool: { program: "ruff", ecosystem: "python", role: "linter" }, fix: { argv: ["ruff", "check", "--fix", "{file}"], cwd: ".", safe: true } });
const format = checkSpec("quality.ruff-format", { parser: "ruff-format", tool: { program: "ruff", ecosystem: "python", role: "formatter" }, fix: { argv: ["ruff", "format", "{file}"], cwd: ".", safe: true } });
const migrations = checkSpec("test.migrations-check", {
  parser: "makemigrations",
  tool: { program: "python", ecosystem: "python", role: "checklist" },
  fix: { argv: ["python", "manage.py", "makemigrations", "{app}"], cwd: "apps/web", safe: false, rules: ["missing-migration"] },
});
const plan = { checks: [migrations, format, ruff] };

const fixed = (file: string, rule: string, message = "m", safe = true) => ({ ...finding({ file, line: 1, rule, message }), fix: { command: "x", safe } });
const failing = reportOf([
  check({ id: "quality.ruff-check", stage: "quality", status: "failed", findings: [fixed("a.py", "F401"), fixed("a.py", "F841"), finding({ file: "b.py", line: 2, rule: "E501", message: "no fix" })] }),
  check({ id: "quality.ruff-format", stage: "quality", status: "failed", findings: [fixed("a.py", "format")] }),
  check({ id: "test.migrations-check", stage: "test", status: "failed", findings: [fixed("apps/web/inbox/migrations/0002_x.py", "missing-migration", "App 'inbox' has model changes without a migration: Add field", false)] }),
]);

const ran = (overrides: Partial<Execution> = {}): Execution => ({ phase: "command", exitCode: 0, stdout: "", stderr: "predeploy fixed:\n./a.py\n", files: { [FIX_ARCHIVE]: "dGFy" }, ...overrides });

describe("fixes", () => {
  it("one job per failing check, one command per file (only findings with a fix), linters before formatters, generators last and only when unsafe is asked for", () => {
    const safe = fixJobs(plan, failing, false);
    assert.deepEqual(safe.map((j) => j.check), ["quality.ruff-check", "quality.ruff-format"]);
    assert.deepEqual(safe[0]?.commands.map((c) => c.argv), [["ruff", "check", "--fix", "a.py"]]);
    const all = fixJobs(plan, failing, true);
    assert.deepEqual(all.map((j) => j.check), ["quality.ruff-check", "quality.ruff-format", "test.migrations-check"]);
    assert.deepEqual(all[2]?.commands, [{ argv: ["python", "manage.py", "makemigrations", "inbox"], line: "cd apps/web && python manage.py makemigrations inbox" }]);
  });

  it("a job runs in the check's own container and reads back only the archive of what it wrote", () => {
    const spec = fixJobSpec(fixJobs(plan, failing, false)[0] as never);
    assert.equal(spec.container, ruff.container);
    assert.deepEqual(spec.outputFiles, [FIX_ARCHIVE]);
    assert.deepEqual(spec.command.slice(-4), ["/src", "/src", FIX_ARCHIVE, "ruff check --fix a.py"]);
    assert.equal(spec.fix, undefined);
  });

  it("a fixer that fails writes nothing and is listed as a failed fix; the others still apply", async () => {
    const applied: string[][] = [];
    const outcomes = await applyFixes(fixJobs(plan, failing, false), {
      run: async (spec) => (spec.id === "quality.ruff-check.fix" ? ran({ exitCode: 2, stderr: "predeploy fix: ruff check --fix a.py\nerror: Failed to parse a.py:1:1\n" }) : ran()),
      apply: async (_archive, files) => {
        applied.push(files);
      },
    });
    assert.deepEqual(outcomes.map((o) => [o.check, o.status]), [["quality.ruff-check", "failed"], ["quality.ruff-format", "applied"]]);
    assert.match(outcomes[0]?.message ?? "", /nothing was written: error: Failed to parse a\.py/);
    assert.deepEqual(applied, [["a.py"]], "only the job that succeeded wrote, and only the files it reported");
  });

  it("a fixer that changes nothing says so", async () => {
    const outcomes = await applyFixes(fixJobs(plan, failing, false).slice(0, 1), { run: async () => ran({ stderr: "predeploy fixed:\n", files: { [FIX_ARCHIVE]: "" } }), apply: async () => assert.fail("nothing to apply") });
    assert.equal(outcomes[0]?.status, "nothing changed");
  });

  it("validates again after fixing, and stops when nothing more is fixed", async () => {
    let validations = 0;
    const report = await fixAndRevalidate(
      {
        validate: async () => ({ report: validations++ === 0 ? failing : reportOf([check({ id: "quality.ruff-check", stage: "quality" })]), plan }),
        run: async () => ran(),
        apply: async () => undefined,
      },
      false,
    );
    assert.equal(validations, 2);
    assert.equal(report.status, "passed");
    assert.deepEqual(report.fixes?.map((f) => f.status), ["applied", "applied"]);
  });
});
