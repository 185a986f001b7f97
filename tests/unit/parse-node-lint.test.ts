import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import { Counts, Finding } from "../../src/model/report.js";

// Real output of `prettier --check .` and `eslint --format json .` run in a site package
// (sites/www), captured by tests/fixtures/parse-samples-node/capture.sh (see its README).
const SAMPLES = join(import.meta.dirname, "../fixtures/parse-samples-node");
const PACKAGE = "sites/www";

function sample(caseName: string, tool: "prettier" | "eslint"): ToolOutput {
  const read = (name: string) => {
    const path = join(SAMPLES, caseName, name);
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  };
  const exitcode = read(`${tool}.exitcode`);
  assert.ok(exitcode !== "", `sample ${caseName}/${tool} exists`);
  return { exitCode: Number(exitcode.trim()), stdout: read(`${tool}.stdout`), stderr: read(`${tool}.stderr`), files: {} };
}

function parse(tool: "prettier" | "eslint", caseName: string): ParseResult {
  const result = parseOutput(tool, sample(caseName, tool), { pathBase: PACKAGE });
  for (const finding of result.findings) Finding.parse(finding);
  if (result.counts) Counts.parse(result.counts);
  assert.ok(!result.summary.includes("\n"), "summary is one line");
  assert.equal(result.counts, null);
  return result;
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

  test("warnings-only (eslint's case): every file formatted", () => {
    const result = parse("prettier", "warnings-only");
    assert.equal(result.status, "passed");
    assert.deepEqual(result.findings, []);
  });

  test("faults: one finding per unformatted file, package-relative paths made source-relative (ANSI colour stripped)", () => {
    const result = parse("prettier", "faults");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [reformat("sites/www/src/ugly.css"), reformat("sites/www/src/ugly.js")]);
    assert.deepEqual(result.fixable, [true, true]);
    assert.equal(result.summary, "2 files would be reformatted");
  });

  test("a pnpm workspace member, run from the workspace root with pnpm --dir: the same findings", () => {
    assert.deepEqual(parse("prettier", "pnpm-faults"), parse("prettier", "faults"));
  });

  test("syntax-error (exit 2): the file at line:col with rule invalid-syntax, the code frame dropped; --write cannot fix it", () => {
    const result = parse("prettier", "syntax-error");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [
      at("sites/www/src/broken.js", 3, 17, "invalid-syntax", 'SyntaxError: Unexpected token, expected ")"'),
      reformat("sites/www/src/ugly.js"),
    ]);
    assert.deepEqual(result.fixable, [false, true]);
    assert.equal(result.summary, "1 file would be reformatted, 1 file could not be formatted");
  });

  test("bad-config: an invalid .prettierrc value is one file-less finding, and the summary", () => {
    const result = parse("prettier", "bad-config");
    assert.equal(result.status, "failed");
    const message = 'Invalid semi value. Expected true or false, but received "sometimes".';
    assert.deepEqual(result.findings, [at(null, null, null, null, message)]);
    assert.equal(result.summary, message);
  });

  test("a target that names nothing (exit 2) fails, though stdout says all matched files are formatted", () => {
    const result = parse("prettier", "pnpm-wrong-dir");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [at(null, null, null, null, 'No files matching the pattern were found: "sites/www".')]);
  });

  test("prettier 2's summary line and option warnings are not files", () => {
    const stderr = "[warn] Ignored unknown option { semi2: true }.\n[warn] src/a.ts\n[warn] Code style issues found in the above file(s). Forgot to run Prettier?\n";
    const result = parseOutput("prettier", { exitCode: 1, stdout: "Checking formatting...\n", stderr, files: {} }, { pathBase: PACKAGE });
    assert.deepEqual(result.findings, [reformat("sites/www/src/a.ts")]);
  });
});

describe("eslint --format json on captured output", () => {
  test("green: passes with no findings", () => {
    const result = parse("eslint", "green");
    assert.equal(result.status, "passed");
    assert.deepEqual(result.findings, []);
    assert.equal(result.summary, "no issues");
  });

  test("faults: one finding per message at file:line:col with its rule; fixable only where ESLint has a fix (not a suggestion)", () => {
    const result = parse("eslint", "faults");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [
      at("sites/www/src/bugs.js", 2, 9, "no-unused-vars", "'unused' is assigned a value but never used."),
      at("sites/www/src/bugs.js", 3, 7, "no-extra-boolean-cast", "Redundant double negation."),
      at("sites/www/src/bugs.js", 4, 12, "no-undef", "'formatPrice' is not defined."),
    ]);
    assert.deepEqual(result.fixable, [false, true, false]);
    assert.equal(result.summary, "3 errors in 1 file");
  });

  test("absolute container paths under /src become source-relative whatever the pathBase", () => {
    const atRoot = parseOutput("eslint", sample("faults", "eslint"), { pathBase: "." });
    assert.deepEqual(
      atRoot.findings.map((f) => f.file),
      ["sites/www/src/bugs.js", "sites/www/src/bugs.js", "sites/www/src/bugs.js"],
    );
  });

  test("a pnpm workspace member, run from the workspace root with pnpm --dir: the same findings", () => {
    assert.deepEqual(parse("eslint", "pnpm-faults"), parse("eslint", "faults"));
  });

  test("warnings-only (exit 0): the warning is reported and the check passes", () => {
    const result = parse("eslint", "warnings-only");
    assert.equal(result.status, "passed");
    assert.deepEqual(result.findings, [at("sites/www/src/parse.js", 4, 11, "no-empty", "Empty block statement.", "warning")]);
    assert.deepEqual(result.fixable, [false]);
    assert.equal(result.summary, "1 warning in 1 file");
  });

  test("syntax-error: the parse error keeps ruleId null and says so in its message", () => {
    const result = parse("eslint", "syntax-error");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [at("sites/www/src/broken.js", 3, 17, null, "Parsing error: Unexpected token {")]);
    assert.equal(result.summary, "1 error in 1 file");
  });

  test("bad-config: a crash (exit 2, no JSON) fails with ESLint's error line", () => {
    const result = parse("eslint", "bad-config");
    assert.equal(result.status, "failed");
    const message = "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'eslint-plugin-react' imported from /src/sites/www/eslint.config.js";
    assert.deepEqual(result.findings, [at(null, null, null, null, message)]);
    assert.equal(result.summary, message);
  });

  test("no configuration (only when forced by checks.<id>.enabled): a crash naming the missing eslint.config", () => {
    const result = parse("eslint", "no-eslint-config");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [at(null, null, null, null, "ESLint couldn't find an eslint.config.* file.")]);
  });

  test("warnings with a non-zero exit (e.g. --max-warnings in the project's own wrapper) fail", () => {
    const output = { ...sample("warnings-only", "eslint"), exitCode: 1 };
    assert.equal(parseOutput("eslint", output, { pathBase: PACKAGE }).status, "failed");
  });

  test("a crash with no banner falls back to the most useful line", () => {
    const result = parseOutput("eslint", { exitCode: 2, stdout: "", stderr: "TypeError: Cannot read properties of undefined (reading 'rules')\n    at x (/src/a.js:1:1)\n", files: {} }, { pathBase: PACKAGE });
    assert.equal(result.status, "failed");
    assert.deepEqual(result.findings, [at(null, null, null, null, "TypeError: Cannot read properties of undefined (reading 'rules')")]);
  });
});
