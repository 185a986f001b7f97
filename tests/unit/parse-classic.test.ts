import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import type { ParserId } from "../../src/parse/index.js";
import { Counts, Finding } from "../../src/model/report.js";

// Real output of black, flake8, isort and `manage.py test` captured by
// tests/fixtures/parse-samples-classic/capture.sh (see its README).
const SAMPLES = join(import.meta.dirname, "../fixtures/parse-samples-classic");

function sample(caseName: string, tool: string): ToolOutput {
  const read = (name: string) => {
    const path = join(SAMPLES, caseName, name);
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  };
  const exitcode = read(`${tool}.exitcode`);
  assert.ok(exitcode !== "", `sample ${caseName}/${tool} exists`);
  return { exitCode: Number(exitcode.trim()), stdout: read(`${tool}.stdout`), stderr: read(`${tool}.stderr`), files: {} };
}

function check(id: ParserId, output: ToolOutput, pathBase = "."): ParseResult {
  const result = parseOutput(id, output, { pathBase });
  for (const finding of result.findings) Finding.parse(finding);
  if (result.counts) Counts.parse(result.counts);
  assert.ok(!result.summary.includes("\n"), "summary is one line");
  return result;
}

const parse = (id: ParserId, caseName: string, tool: string, pathBase = "."): ParseResult => check(id, sample(caseName, tool), pathBase);
const where = (r: ParseResult) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);

describe("classic tools on captured green output", () => {
  const green: [ParserId, string, string][] = [
    ["black", "black", "all files formatted"],
    ["flake8", "flake8", "no issues"],
    ["isort", "isort", "imports sorted"],
    ["django-test", "django-test", "2 passed"],
  ];
  for (const [id, tool, summary] of green) {
    test(`${tool} passes with no findings`, () => {
      const result = parse(id, "green", tool);
      assert.equal(result.status, "passed", result.summary);
      assert.deepEqual(result.findings, []);
      assert.equal(result.summary, summary);
    });
  }

  test("manage.py test reports its counts", () => {
    assert.deepEqual(parse("django-test", "green", "django-test").counts, { passed: 2, failed: 0, skipped: 0, errors: 0 });
  });
});

describe("black", () => {
  test("one finding per file that would be reformatted", () => {
    const result = parse("black", "style-faults", "black");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["shop/forms.py:null:null format", "shop/views.py:null:null format"]);
    assert.equal(result.findings[0]?.message, "File would be reformatted");
    assert.equal(result.summary, "2 files would be reformatted");
  });

  test("a file that does not parse: black 26 and 25 formats, with and without a target version", () => {
    const expected: [string, string][] = [
      ["black", "Cannot parse: def broken(:"],
      ["black-target", "Cannot parse for target version Python 3.11: def broken(:"],
      ["black-legacy", "Cannot parse: def broken(:"],
      ["black-legacy-target", "Cannot parse for target version Python 3.11: def broken(:"],
    ];
    for (const [tool, message] of expected) {
      const result = parse("black", "syntax-error", tool);
      assert.equal(result.status, "failed", tool);
      assert.deepEqual(where(result), ["shop/broken.py:1:11 invalid-syntax"], tool);
      assert.equal(result.findings[0]?.message, message, tool);
      assert.equal(result.summary, "1 file would fail to reformat", tool);
    }
  });

  test("paths are made relative to the source root whatever the pathBase", () => {
    assert.deepEqual(where(parse("black", "style-faults", "black", "apps/web")), ["shop/forms.py:null:null format", "shop/views.py:null:null format"]);
  });

  test("a usage error with nothing parsed fails with black's message", () => {
    const result = check("black", { exitCode: 2, stdout: "", stderr: "Usage: black [OPTIONS] SRC ...\nTry 'black -h' for help.\n\nError: Invalid value for '-t' / '--target-version': 'py2' is not one of 'py33'.\n", files: {} });
    assert.equal(result.status, "failed");
    assert.match(result.findings[0]?.message ?? "", /^Error: Invalid value for '-t'/);
  });
});

describe("flake8", () => {
  test("one error per diagnostic, rule = code, relative path from ./", () => {
    const result = parse("flake8", "style-faults", "flake8");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), [
      "shop/forms.py:1:16 E201",
      "shop/forms.py:1:22 E202",
      "shop/forms.py:2:24 E201",
      "shop/views.py:1:1 F401",
      "shop/views.py:2:1 F401",
      "shop/views.py:11:14 E711",
      "shop/views.py:12:80 E501",
    ]);
    assert.ok(result.findings.every((f) => f.severity === "error"));
    assert.equal(result.findings[3]?.message, "'sys' imported but unused");
    assert.equal(result.summary, "7 findings in 2 files");
  });

  test("relative paths start at the check's pathBase", () => {
    assert.equal(where(parse("flake8", "style-faults", "flake8", "apps/web"))[0], "apps/web/shop/forms.py:1:16 E201");
  });

  test("a syntax error is E999 at its position", () => {
    const result = parse("flake8", "syntax-error", "flake8");
    assert.deepEqual(where(result), ["shop/broken.py:1:13 E999"]);
    assert.equal(result.findings[0]?.message, "SyntaxError: invalid syntax");
  });

  test("a crash on bad configuration fails with the exception, not located in flake8's own code", () => {
    const result = parse("flake8", "bad-config", "flake8");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null ValueError"]);
    assert.equal(result.summary, "ValueError: invalid literal for int() with base 10: 'eighty'");
  });
});

describe("isort", () => {
  test("one finding per file at the first line its diff changes", () => {
    const result = parse("isort", "style-faults", "isort");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["shop/admin.py:1:null isort", "shop/views.py:1:null isort"]);
    assert.equal(result.summary, "2 files with unsorted imports");
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
    const result = parse("isort", "bad-config", "isort");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null isort.exceptions.ProfileDoesNotExist"]);
    assert.match(result.summary, /^isort\.exceptions\.ProfileDoesNotExist: Specified profile of classic does not exist/);
  });
});

describe("manage.py test", () => {
  const failures = [
    "shop/pricing.py:7:null KeyError",
    "shop/tests/test_checkout.py:22:null AssertionError",
    "shop/tests/helpers.py:2:null AssertionError",
    "null:null:null unexpected-success",
  ];

  for (const tool of ["django-test", "django-test-py313", "django-test-py310"]) {
    test(`${tool}: counts and one finding per failed test at its deepest project frame`, () => {
      const result = parse("django-test", "test-failures", tool);
      assert.equal(result.status, "failed");
      assert.deepEqual(result.counts, { passed: 4, failed: 3, skipped: 2, errors: 1 });
      assert.equal(result.summary, "4 passed, 3 failed, 2 skipped, 1 error");
      assert.deepEqual(where(result), failures);
      assert.deepEqual(
        result.findings.map((f) => f.message),
        [
          "shop.tests.test_checkout.CheckoutTests.test_unknown_rate: KeyError: 'luxury'",
          "shop.tests.test_checkout.CheckoutTests.test_rates (rate='reduced'): AssertionError: Decimal('10.50') not greater than Decimal('10.60')",
          "shop.tests.test_checkout.CheckoutTests.test_total: AssertionError: Decimal('12.00') != Decimal('11.00')",
          "shop.tests.test_checkout.CheckoutTests.test_fixed_bug: unexpected success (marked expectedFailure)",
        ],
      );
    });
  }

  test("a run cut short before its summary counts the verbose lines", () => {
    const full = sample("test-failures", "django-test");
    const stderr = full.stderr.slice(0, full.stderr.indexOf("====="));
    const result = check("django-test", { ...full, exitCode: 137, stderr });
    assert.equal(result.status, "failed");
    assert.deepEqual(result.counts, { passed: 4, failed: 3, skipped: 2, errors: 1 });
    assert.deepEqual(where(result), ["null:null:null unexpected-success"]);
  });

  test("a test module that fails to import is an error at its import line", () => {
    const result = parse("django-test", "test-import-error", "django-test");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.counts, { passed: 2, failed: 0, skipped: 0, errors: 1 });
    assert.deepEqual(where(result), ["shop/tests/test_missing.py:1:null ModuleNotFoundError"]);
    assert.equal(result.findings[0]?.message, "shop.tests.test_missing: ModuleNotFoundError: No module named 'shop.discounts'");
  });

  test("zero tests is a failure: 'OK' before Python 3.12, 'NO TESTS RAN' since", () => {
    for (const tool of ["django-test", "django-test-py313"]) {
      const result = parse("django-test", "no-tests", tool);
      assert.equal(sample("no-tests", tool).exitCode, 0, tool);
      assert.equal(result.status, "failed", tool);
      assert.equal(result.summary, "no tests ran", tool);
      assert.deepEqual(result.counts, { passed: 0, failed: 0, skipped: 0, errors: 0 }, tool);
      assert.deepEqual(where(result), ["null:null:null no-tests"], tool);
    }
  });

  test("settings that fail to import: the traceback at the settings line", () => {
    const result = parse("django-test", "settings-error", "django-test");
    assert.equal(result.status, "failed");
    assert.equal(result.counts, null);
    assert.deepEqual(where(result), ["config/settings.py:17:null ModuleNotFoundError"]);
    assert.equal(result.summary, "ModuleNotFoundError: No module named 'config.secrets'");
  });

  test("a system-check error that stops the run is reported per check", () => {
    const result = parse("django-test", "check-error", "django-test");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null fields.E304", "null:null:null fields.E304"]);
    assert.equal(result.summary, "system check failed: 2 errors");
  });

  test("passing tests with a non-zero exit still fail, with the most telling line", () => {
    const green = sample("green", "django-test");
    const result = check("django-test", { ...green, exitCode: 1, stderr: `${green.stderr}django.db.utils.OperationalError: database is locked\n` });
    assert.equal(result.status, "failed");
    assert.equal(result.summary, "2 passed");
    assert.match(result.findings[0]?.message ?? "", /OperationalError: database is locked/);
  });
});
