import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import type { ParserId } from "../../src/parse/index.js";
import { Counts, Finding } from "../../src/model/report.js";
import { readCapture } from "../support/captures.js";

// What black, flake8, isort and `manage.py test` printed in their containers on examples/classic
// and its faults (tests/faults-classic/), recorded by `npm run capture`.
function sample(slug: string, check: string): ToolOutput {
  return readCapture("classic", slug, check);
}

function check(id: ParserId, output: ToolOutput, pathBase = "."): ParseResult {
  const result = parseOutput(id, output, { pathBase });
  for (const finding of result.findings) Finding.parse(finding);
  if (result.counts) Counts.parse(result.counts);
  assert.ok(!result.summary.includes("\n"), "summary is one line");
  return result;
}

const CHECKS = { black: "quality.black", flake8: "quality.flake8", isort: "quality.isort", "django-test": "test.django-tests" } as const;
const parse = (id: keyof typeof CHECKS, slug: string, pathBase = "."): ParseResult => check(id, sample(slug, CHECKS[id]), pathBase);
const where = (r: ParseResult) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);

describe("classic tools on captured green output", () => {
  const green: [keyof typeof CHECKS, string][] = [
    ["black", "all files formatted"],
    ["flake8", "no issues"],
    ["isort", "imports sorted"],
    ["django-test", "10 passed"],
  ];
  for (const [id, summary] of green) {
    test(`${id} passes with no findings`, () => {
      const result = parse(id, "green");
      assert.equal(result.status, "passed", result.summary);
      assert.deepEqual(result.findings, []);
      assert.equal(result.summary, summary);
    });
  }

  test("manage.py test reports its counts", () => {
    assert.deepEqual(parse("django-test", "green").counts, { passed: 10, failed: 0, skipped: 0, errors: 0 });
  });
});

describe("black", () => {
  test("one finding per file that would be reformatted", () => {
    const result = parse("black", "black-unformatted");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["contact/admin.py:null:null format"]);
    assert.equal(result.findings[0]?.message, "File would be reformatted");
    assert.equal(result.summary, "1 file would be reformatted");
  });

  test("a file that does not parse (exit 123): the file at its position", () => {
    const result = parse("black", "python-syntax-error");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["contact/broken.py:1:11 invalid-syntax"]);
    assert.equal(result.findings[0]?.message, "Cannot parse: def broken(:");
    assert.equal(result.summary, "1 file would fail to reformat");
  });

  test("paths are made relative to the source root whatever the pathBase", () => {
    assert.deepEqual(where(parse("black", "black-unformatted", "apps/web")), ["contact/admin.py:null:null format"]);
  });

  test("a usage error with nothing parsed fails with black's message", () => {
    const result = check("black", { exitCode: 2, stdout: "", stderr: "Usage: black [OPTIONS] SRC ...\nTry 'black -h' for help.\n\nError: Invalid value for '-t' / '--target-version': 'py2' is not one of 'py33'.\n", files: {} });
    assert.equal(result.status, "failed");
    assert.match(result.findings[0]?.message ?? "", /^Error: Invalid value for '-t'/);
  });
});

describe("flake8", () => {
  test("one error per diagnostic, rule = code, relative path from ./", () => {
    const result = parse("flake8", "flake8-unused-import");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["contact/admin.py:1:1 F401"]);
    assert.ok(result.findings.every((f) => f.severity === "error"));
    assert.equal(result.findings[0]?.message, "'json' imported but unused");
    assert.equal(result.summary, "1 finding in 1 file");
  });

  test("relative paths start at the check's pathBase", () => {
    assert.equal(where(parse("flake8", "flake8-unused-import", "apps/web"))[0], "apps/web/contact/admin.py:1:1 F401");
  });

  test("a syntax error is E999 at its position", () => {
    const result = parse("flake8", "python-syntax-error");
    assert.deepEqual(where(result), ["contact/broken.py:1:13 E999"]);
    assert.equal(result.findings[0]?.message, "SyntaxError: invalid syntax");
  });

  test("a crash on bad configuration fails with the exception, not located in flake8's own code", () => {
    const result = parse("flake8", "lint-config-typos");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null ValueError"]);
    assert.equal(result.summary, "ValueError: invalid literal for int() with base 10: 'eighty'");
  });
});

describe("isort", () => {
  test("one finding per file at the first line its diff changes", () => {
    const result = parse("isort", "isort-unsorted");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["contact/views.py:6:null isort"]);
    assert.equal(result.summary, "1 file with unsorted imports");
  });

  test("the diff's context lines (blank ones stripped too) move the first change down; without a diff the line is unknown", () => {
    const diff = [
      "--- /src/shop/a.py:before\t2026-01-01 00:00:00.000000",
      "+++ /src/shop/a.py:after\t2026-01-01 00:00:00.000001",
      "@@ -3,5 +3,5 @@",
      " import django",
      "",
      "-import b",
      " import a",
      "+import b",
      "@@ -20,2 +20,2 @@",
      "-import z",
      "+import y",
      "Skipped 2 files",
    ].join("\n");
    const stderr = "ERROR: /src/shop/a.py Imports are incorrectly sorted and/or formatted.\nERROR: /src/shop/b.py Imports are incorrectly sorted and/or formatted.\n";
    const result = check("isort", { exitCode: 1, stdout: diff, stderr, files: {} });
    assert.deepEqual(where(result), ["shop/a.py:5:null isort", "shop/b.py:null:null isort"]);
  });

  test("a crash on bad configuration fails with the exception, not at isort's compiled modules", () => {
    const result = parse("isort", "lint-config-typos");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null isort.exceptions.ProfileDoesNotExist"]);
    assert.match(result.summary, /^isort\.exceptions\.ProfileDoesNotExist: Specified profile of classic does not exist/);
  });
});

describe("manage.py test", () => {
  test("counts and one finding per failed or erroring test at its deepest project frame", () => {
    const result = parse("django-test", "django-test-outcomes");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.counts, { passed: 11, failed: 3, skipped: 1, errors: 2 });
    assert.equal(result.summary, "11 passed, 3 failed, 1 skipped, 2 errors");
    assert.deepEqual(where(result), [
      "contact/tests/test_discounts.py:1:null ModuleNotFoundError",
      "contact/pricing.py:7:null KeyError",
      "contact/tests/test_pricing.py:24:null AssertionError",
      "contact/tests/helpers.py:2:null AssertionError",
      "null:null:null unexpected-success",
    ]);
    assert.deepEqual(
      result.findings.map((f) => f.message),
      [
        "contact.tests.test_discounts: ModuleNotFoundError: No module named 'contact.discounts'",
        "contact.tests.test_pricing.PricingTests.test_unknown_rate: KeyError: 'luxury'",
        "contact.tests.test_pricing.PricingTests.test_rates (rate='reduced'): AssertionError: Decimal('10.5000') not greater than Decimal('10.60')",
        "contact.tests.test_pricing.PricingTests.test_total: AssertionError: 10.5000 != 11.00",
        "contact.tests.test_pricing.PricingTests.test_fixed_bug: unexpected success (marked expectedFailure)",
      ],
    );
  });

  test("a run cut short before its summary counts the verbose lines", () => {
    const full = sample("django-test-outcomes", CHECKS["django-test"]);
    const stderr = full.stderr.slice(0, full.stderr.indexOf("====="));
    const result = check("django-test", { ...full, exitCode: 137, stderr });
    assert.equal(result.status, "failed");
    assert.deepEqual(result.counts, { passed: 11, failed: 3, skipped: 1, errors: 2 });
    assert.deepEqual(where(result), ["null:null:null unexpected-success"]);
  });

  test("zero tests is a failure, though Python 3.13's runner exits 0 ('NO TESTS RAN')", () => {
    const result = parse("django-test", "tests-deleted");
    assert.equal(sample("tests-deleted", CHECKS["django-test"]).exitCode, 0);
    assert.equal(result.status, "failed");
    assert.equal(result.summary, "no tests ran");
    assert.deepEqual(result.counts, { passed: 0, failed: 0, skipped: 0, errors: 0 });
    assert.deepEqual(where(result), ["null:null:null no-tests"]);
  });

  test("an import that fails before any test runs: the traceback at the project's import line", () => {
    const result = parse("django-test", "requirements-missing-package");
    assert.equal(result.status, "failed");
    assert.equal(result.counts, null);
    assert.deepEqual(where(result), ["contact/validators.py:1:null ModuleNotFoundError"]);
    assert.equal(result.summary, "ModuleNotFoundError: No module named 'magic'");
  });

  test("a system-check error that stops the run is reported per check", () => {
    const result = parse("django-test", "reverse-accessor-clash");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null fields.E304", "null:null:null fields.E304"]);
    assert.equal(result.summary, "system check failed: 2 errors");
  });

  test("passing tests with a non-zero exit still fail, with the most telling line", () => {
    const green = sample("green", CHECKS["django-test"]);
    const result = check("django-test", { ...green, exitCode: 1, stderr: `${green.stderr}django.db.utils.OperationalError: database is locked\n` });
    assert.equal(result.status, "failed");
    assert.equal(result.summary, "10 passed");
    assert.match(result.findings[0]?.message ?? "", /OperationalError: database is locked/);
  });
});
