import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import type { ParserId } from "../../src/plan/spec.js";
import { Finding } from "../../src/report/schema.js";

// The example stack's real tool output (scripts/example/capture-tool-output.sh): green passes
// cleanly, and each fault is found where tests/faults/<slug>/fault.json says it is.
const ROOT = join(import.meta.dirname, "../..");
const TOOLS = join(ROOT, "tests/fixtures/tools");
const FAULTS = join(ROOT, "tests/faults");
const STACK = join(ROOT, "examples/stack");

/** The one non-template directory under examples/stack/<kind> (the workers' and sites' pathBase). */
function onlyProject(kind: string): string {
  const names = existsSync(join(STACK, kind)) ? readdirSync(join(STACK, kind)).filter((n) => !n.startsWith("_") && !n.startsWith(".")) : [];
  return `${kind}/${names.length === 1 ? names[0] : "unknown"}`;
}

/** Captured tool → its parser and the directory the tool ran in. `tsc.<worker>` / `site-build.<site>` name theirs. */
function parserFor(tool: string): [ParserId, string] | null {
  const [base, project] = tool.split(".", 2);
  switch (base) {
    case "ruff-check":
    case "ruff-format":
    case "django-check":
    case "makemigrations":
      return [base, "."];
    case "mypy":
    case "mypy-json":
      return ["mypy", "."];
    case "pytest":
      return ["pytest-junit", "."];
    case "tsc":
      return ["tsc", project ? `workers/${project}` : onlyProject("workers")];
    case "site-build":
      return ["site-build", project ? `sites/${project}` : onlyProject("sites")];
    default:
      return null;
  }
}

function parseCase(caseDir: string): { tool: string; result: ParseResult }[] {
  const read = (name: string) => (existsSync(join(caseDir, name)) ? readFileSync(join(caseDir, name), "utf8") : "");
  return readdirSync(caseDir)
    .filter((name) => name.endsWith(".exitcode"))
    .flatMap((name) => {
      const tool = name.slice(0, -".exitcode".length);
      const parser = parserFor(tool);
      if (!parser) return [];
      const xml = tool === "pytest" ? read("pytest.junit.xml") : "";
      const output: ToolOutput = {
        exitCode: Number(read(name).trim()),
        stdout: read(`${tool}.stdout`),
        stderr: read(`${tool}.stderr`),
        files: xml ? { "/tmp/predeploy/pytest.xml": xml } : {},
      };
      const result = parseOutput(parser[0], output, { pathBase: parser[1] });
      for (const finding of result.findings) Finding.parse(finding);
      return [{ tool, result }];
    });
}

const captured = existsSync(TOOLS);

describe("parsers on the example stack's captured output", { skip: captured ? false : "tests/fixtures/tools not captured yet" }, () => {
  test("green: every tool passes with no findings", { skip: existsSync(join(TOOLS, "green")) ? false : "no green capture" }, () => {
    const results = parseCase(join(TOOLS, "green"));
    assert.ok(results.length > 0, "green has captured tools");
    for (const { tool, result } of results) {
      assert.equal(result.status, "passed", `${tool}: ${result.summary}`);
      assert.deepEqual(result.findings, [], tool);
    }
  });

  const faults = existsSync(FAULTS) ? readdirSync(FAULTS).filter((slug) => existsSync(join(FAULTS, slug, "fault.json"))) : [];
  for (const slug of faults) {
    const fault = JSON.parse(readFileSync(join(FAULTS, slug, "fault.json"), "utf8")) as { finding?: Record<string, unknown> };
    const expected = fault.finding;
    const caseDir = join(TOOLS, slug);
    const skip = !expected ? "fault.json names no finding" : !existsSync(caseDir) ? "no capture for this fault" : false;
    test(`${slug}: a tool fails with the expected finding`, { skip }, () => {
      const results = parseCase(caseDir);
      const matches = (finding: Finding) =>
        Object.entries(expected ?? {}).every(([key, value]) =>
          key === "message" ? typeof value === "string" && finding.message.includes(value) : !(key in finding) || finding[key as keyof Finding] === value,
        );
      const hit = results.find(({ result }) => result.status === "failed" && result.findings.some(matches));
      assert.ok(
        hit,
        `expected ${JSON.stringify(expected)}; got ${JSON.stringify(results.map(({ tool, result }) => [tool, result.status, result.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)]))}`,
      );
    });
  }
});
