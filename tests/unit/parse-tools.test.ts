import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import type { ParserId } from "../../src/parse/index.js";
import { Finding } from "../../src/model/report.js";
import { findingMatches, loadFaults } from "../support/fault-catalogue.js";

// The example stack's real tool output (scripts/example/capture-tool-output.sh): green passes
// cleanly, and each fault is found where tests/faults/<slug>/fault.json says it is.
const ROOT = join(import.meta.dirname, "../..");
const TOOLS = join(ROOT, "tests/fixtures/tools");
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
    case "site-test":
      return ["node-test", project ? `sites/${project}` : onlyProject("sites")];
    case "worker-test":
      return ["node-test", project ? `workers/${project}` : onlyProject("workers")];
    case "worker-bundle":
      return ["worker-bundle", project ? `workers/${project}` : onlyProject("workers")];
    default:
      return null;
  }
}

/** The captured tools that stand in for a check (verify checks have none: they need the running stack). */
function fixtureToolsFor(check: string): string[] {
  const [stage, name] = check.split(".", 3);
  const key = `${stage}.${name}`;
  const tools: Record<string, string[]> = {
    "quality.ruff-check": ["ruff-check"],
    "quality.ruff-format": ["ruff-format"],
    "quality.mypy": ["mypy-json", "mypy"],
    "quality.tsc": ["tsc"],
    "test.pytest": ["pytest"],
    "test.django-check": ["django-check"],
    "test.migrations-check": ["makemigrations"],
    "test.worker-tests": ["worker-test"],
    "test.site-tests": ["site-test"],
    "build.site": ["site-build"],
    "build.worker-bundle": ["worker-bundle"],
  };
  return tools[key] ?? [];
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

  for (const { slug, fault } of loadFaults()) {
    const expected = fault.finding;
    const tools = fixtureToolsFor(expected.check);
    const caseDir = join(TOOLS, slug);
    const skip = tools.length === 0 ? `${expected.check} runs only in containers (tests/container proves it)` : !existsSync(caseDir) ? "no capture for this fault" : false;
    test(`${slug}: ${expected.check}'s tool fails with the expected finding`, { skip }, () => {
      const results = parseCase(caseDir).filter(({ tool }) => tools.includes(tool));
      assert.ok(results.length > 0, `no capture of ${tools.join("/")} for ${slug}`);
      for (const { tool, result } of results) {
        assert.equal(result.status, "failed", `${tool}: ${result.summary}`);
        assert.ok(
          result.findings.some((f) => findingMatches(expected, f)),
          `${tool}: expected ${JSON.stringify(expected)}; got ${JSON.stringify(result.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`))}`,
        );
      }
    });
  }
});
