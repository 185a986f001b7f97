import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import { Counts, Finding } from "../../src/model/report.js";
import { readCapture } from "../support/captures.js";

// What `prettier --check .` and `eslint --format json .` printed in sites/www of the lint-site
// fixture project (tests/fixtures/projects/lint-site) and its faults, recorded by `npm run capture`.
const PACKAGE = "sites/www";
const capture = (slug: string, tool: "prettier" | "eslint") => readCapture("lint-site", slug, `quality.${tool}.www`);

function judge(tool: "prettier" | "eslint", output: ToolOutput): ParseResult {
  const result = parseOutput(tool, output, { pathBase: PACKAGE });
  for (const finding of result.findings) Finding.parse(finding);
  if (result.counts) Counts.parse(result.counts);
  assert.ok(!result.summary.includes("\n"), "summary is one line");
  assert.equal(result.counts, null);
  return result;
}

function parse(tool: "prettier" | "eslint", slug: string): ParseResult {
  const output = capture(slug, tool);
  assert.equal(output.pathBase, PACKAGE, "the plan runs the linters in the package");
  return judge(tool, output);
}

type Expected = Pick<Finding, "file" | "line" | "column" | "rule" | "severity" | "message">;
const at = (file: string | null, line: number | null, column: number | null, rule: string | null, message: string, severity: Expected["severity"] = "error"): Expected => ({
  file,
  line,
  column,
  rule,
  severity,
  message,
});
const reformat = (file: string) => at(file, null, null, "format", "File would be reformatted");

describe("prettier --check on captured output", () => {
  test("green: passes with no findings", () => {
    const result = parse("prettier", "green");
    assert.equal(result.status, "passed");
    assert.deepEqual(result.findings, []);
    assert.equal(result.summary, "all files formatted");
  });

  test("unformatted-menu: one finding per unformatted file, package-relative paths made source-relative (ANSI colour stripped)", () => {
    const result = parse("prettier", "unformatted-menu");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [reformat("sites/www/src/menu.js")]);
    assert.deepEqual(result.fixable, [true]);
    assert.equal(result.summary, "1 file would be reformatted");
  });

  test("a file that does not parse (exit 2): at line:col with rule invalid-syntax, the code frame dropped; --write cannot fix it", () => {
    const result = parse("prettier", "syntax-error-beside-warning");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [at("sites/www/src/broken.js", 3, 16, "invalid-syntax", 'SyntaxError: Unexpected token, expected ")"')]);
    assert.deepEqual(result.fixable, [false]);
    assert.equal(result.summary, "1 file could not be formatted");
  });

  test("an invalid .prettierrc value is one file-less finding, and the summary", () => {
    const result = parse("prettier", "lint-configs-broken");
    assert.equal(result.status, "failed");
    const message = 'Invalid semi value. Expected true or false, but received "sometimes".';
    assert.deepEqual(result.findings, [at(null, null, null, null, message)]);
    assert.equal(result.summary, message);
  });

  test("prettier 2's summary line and option warnings are not files", () => {
    const stderr = "[warn] Ignored unknown option { semi2: true }.\n[warn] src/a.ts\n[warn] Code style issues found in the above file(s). Forgot to run Prettier?\n";
    const result = parseOutput("prettier", { exitCode: 1, stdout: "Checking formatting...\n", stderr, files: {} }, { pathBase: PACKAGE });
    assert.deepEqual(result.findings, [reformat("sites/www/src/a.ts")]);
  });
});

describe("eslint --format json on captured output", () => {
  /** The capture with a syntax error and a warning, as ESLint prints it for the warned file alone. */
  const warningsOnly = (exitCode: number): ToolOutput => {
    const output = capture("syntax-error-beside-warning", "eslint");
    const files = (JSON.parse(output.stdout) as { filePath: string }[]).filter((file) => file.filePath.endsWith("/src/parse.js"));
    return { ...output, exitCode, stdout: JSON.stringify(files) };
  };

  test("green: passes with no findings", () => {
    const result = parse("eslint", "green");
    assert.equal(result.status, "passed");
    assert.deepEqual(result.findings, []);
    assert.equal(result.summary, "no issues");
  });

  test("unused-parameter: one finding per message at file:line:col with its rule; not fixable (ESLint has no fix for it)", () => {
    const result = parse("eslint", "unused-parameter");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [at("sites/www/src/menu.js", 10, 34, "no-unused-vars", "'heading' is defined but never used.")]);
    assert.deepEqual(result.fixable, [false]);
    assert.equal(result.summary, "1 error in 1 file");
  });

  test("absolute container paths under /src become source-relative whatever the pathBase", () => {
    const atRoot = parseOutput("eslint", capture("unused-parameter", "eslint"), { pathBase: "." });
    assert.deepEqual(
      atRoot.findings.map((f) => f.file),
      ["sites/www/src/menu.js"],
    );
  });

  test("a parse error keeps ruleId null and says so in its message; a warning is a warning, with a suggestion that is not a fix", () => {
    const result = parse("eslint", "syntax-error-beside-warning");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [
      at("sites/www/src/broken.js", 3, 16, null, "Parsing error: Unexpected token {"),
      at("sites/www/src/parse.js", 4, 11, "no-empty", "Empty block statement.", "warning"),
    ]);
    assert.deepEqual(result.fixable, [false, false]);
    assert.equal(result.summary, "1 error, 1 warning in 2 files");
  });

  test("warnings only (exit 0): the warning is reported and the check passes", () => {
    const result = judge("eslint", warningsOnly(0));
    assert.equal(result.status, "passed");
    assert.deepEqual(result.findings, [at("sites/www/src/parse.js", 4, 11, "no-empty", "Empty block statement.", "warning")]);
    assert.equal(result.summary, "1 warning in 1 file");
  });

  test("warnings with a non-zero exit (e.g. --max-warnings in the project's own wrapper) fail", () => {
    assert.equal(judge("eslint", warningsOnly(1)).status, "failed");
  });

  test("a crash on its configuration (exit 2, no JSON) fails with ESLint's error line", () => {
    const result = parse("eslint", "lint-configs-broken");
    assert.equal(result.status, "failed");
    const message = "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'eslint-plugin-react' imported from /src/sites/www/eslint.config.js";
    assert.deepEqual(result.findings, [at(null, null, null, null, message)]);
    assert.equal(result.summary, message);
  });

  test("a crash with no banner falls back to the most useful line", () => {
    const result = parseOutput("eslint", { exitCode: 2, stdout: "", stderr: "TypeError: Cannot read properties of undefined (reading 'rules')\n    at x (/src/a.js:1:1)\n", files: {} }, { pathBase: PACKAGE });
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [at(null, null, null, null, "TypeError: Cannot read properties of undefined (reading 'rules')")]);
  });
});
