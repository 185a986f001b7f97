import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult } from "../../src/parse/types.js";
import { Counts, Finding } from "../../src/model/report.js";
import { readCapture } from "../support/captures.js";
import type { CatalogueName } from "../support/fault-catalogue.js";

// What each check's tool printed in its container on the examples, the fixture projects and their
// faults (`npm run capture`), parsed with the parser and path base the plan gave the check.
function parse(catalogue: CatalogueName, slug: string, check: string): ParseResult {
  const capture = readCapture(catalogue, slug, check);
  const result = parseOutput(capture.parser, capture, { pathBase: capture.pathBase });
  for (const finding of result.findings) Finding.parse(finding);
  if (result.counts) Counts.parse(result.counts);
  assert.ok(!result.summary.includes("\n"), "summary is one line");
  return result;
}

const where = (r: ParseResult) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);

describe("parsers on captured green output", () => {
  const green: [CatalogueName, string][] = [
    ["stack", "quality.ruff-check"],
    ["stack", "quality.ruff-format"],
    ["stack", "quality.mypy"],
    ["stack", "test.pytest"],
    ["stack", "test.django-check"],
    ["stack", "test.migrations-check"],
    ["stack", "quality.tsc.intake"],
    ["stack", "build.worker-bundle.intake"],
    ["stack", "build.site.coffee-shop"],
    ["agency", "build.site.bright-dental"],
    ["stack", "test.worker-tests.intake"],
    ["classic", "test.worker-tests.contact-form"],
    ["jest-shop", "test.site-tests.shop"],
  ];
  for (const [catalogue, check] of green) {
    test(`${catalogue}'s ${check} passes with no findings`, () => {
      const result = parse(catalogue, "green", check);
      assert.equal(result.status, "passed", result.summary);
      assert.deepEqual(result.findings, []);
    });
  }

  test("test runners report their counts", () => {
    assert.deepEqual(parse("stack", "green", "test.pytest").counts, { passed: 23, failed: 0, skipped: 0, errors: 0 });
    assert.equal(parse("classic", "green", "test.worker-tests.contact-form").summary, "4 passed");
    assert.equal(parse("stack", "green", "test.worker-tests.intake").counts?.passed, 13);
  });
});

describe("ruff", () => {
  test("check: one finding per diagnostic, source-relative with rule and 1-based position", () => {
    const result = parse("compose", "ruff-unused-import", "quality.ruff-check");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["shop/views.py:1:1 I001", "shop/views.py:1:8 F401"]);
    assert.equal(result.findings[1]?.message, "`os` imported but unused");
    assert.equal(result.summary, "2 findings in 1 file");
  });

  test("check: syntax errors keep ruff's invalid-syntax code", () => {
    assert.deepEqual(where(parse("stack", "python-syntax-error", "quality.ruff-check")), [
      "apps/web/inbox/broken.py:1:12 invalid-syntax",
      "apps/web/inbox/broken.py:1:13 invalid-syntax",
    ]);
  });

  test("exit 2 (bad configuration) fails with ruff's message at the config file, in check and format alike", () => {
    for (const check of ["quality.ruff-check", "quality.ruff-format"]) {
      const result = parse("stack", "lint-config-typos", check);
      assert.equal(result.status, "failed", check);
      assert.deepEqual(where(result), ["pyproject.toml:26:1 null"], check);
      assert.match(result.findings[0]?.message ?? "", /^ruff failed: Failed to parse .*unknown field `line-lenght`/, check);
    }
  });

  test("format: the file that would be reformatted, at its first change", () => {
    const result = parse("stack", "unformatted-python", "quality.ruff-format");
    assert.deepEqual(where(result), ["apps/web/inbox/models.py:23:17 format"]);
    assert.equal(result.summary, "1 file would be reformatted");
  });

  test("format: a file that does not parse fails at its location", () => {
    const result = parse("stack", "python-syntax-error", "quality.ruff-format");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["apps/web/inbox/broken.py:1:12 invalid-syntax"]);
  });
});

describe("mypy", () => {
  test("JSON: 0-based columns become 1-based, with mypy's error code", () => {
    const result = parse("stack", "mypy-return-type", "quality.mypy");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["apps/web/inbox/validation.py:33:16 return-value"]);
    assert.deepEqual(
      result.findings.map((f) => f.severity),
      ["error"],
    );
    assert.equal(result.findings[0]?.message, 'Incompatible return value type (got "None", expected "str")');
    assert.equal(result.summary, "1 error in 1 file");
  });

  test("exit 2: syntax errors and a broken plugin config fail with mypy's message", () => {
    assert.deepEqual(where(parse("stack", "python-syntax-error", "quality.mypy")), [
      "apps/web/inbox/broken.py:1:13 syntax",
      "apps/web/inbox/broken.py:1:14 syntax",
    ]);
    const config = parse("stack", "lint-config-typos", "quality.mypy");
    assert.equal(config.status, "failed");
    assert.match(config.findings[0]?.message ?? "", /Error importing plugin "not_a_plugin.main"/);
  });
});

describe("pytest JUnit", () => {
  test("counts and one finding per failed test at its last project frame", () => {
    const result = parse("stack", "failing-test", "test.pytest");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.counts, { passed: 21, failed: 2, skipped: 0, errors: 0 });
    assert.equal(result.summary, "21 passed, 2 failed");
    assert.deepEqual(where(result), [
      "apps/web/inbox/tests/test_intake_api.py:23:null apps.web.inbox.tests.test_intake_api::test_valid_submission_is_stored_and_its_id_returned",
      "apps/web/inbox/tests/test_validation.py:11:null apps.web.inbox.tests.test_validation::test_valid_submission_is_cleaned",
    ]);
    assert.equal(result.findings[0]?.message, "AssertionError: assert 'Ada@Example.com' == 'ada@example.com'");
  });

  test("an error in app code is reported at the app's frame, and errors are counted apart from failures", () => {
    const result = parse("stack", "model-without-migration", "test.pytest");
    assert.equal(where(result)[0], "apps/web/inbox/views.py:58:null apps.web.inbox.tests.test_intake_api::test_valid_submission_is_stored_and_its_id_returned");
    assert.deepEqual(parse("compose", "release-migration-fails", "test.pytest").counts, { passed: 3, failed: 0, skipped: 0, errors: 4 });
  });

  test("a collection error is reported at the module that failed to import", () => {
    const result = parse("stack", "test-import-error", "test.pytest");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["apps/web/inbox/tests/test_validation.py:5:null apps.web.inbox.tests.test_validation"]);
    assert.equal(result.findings[0]?.message, "ImportError: cannot import name 'MAX_MESSAGE_LENGTH' from 'apps.web.inbox.validation' (/src/apps/web/inbox/validation.py)");
  });

  test("no tests collected (exit 5) is a failure", () => {
    const result = parse("pyright-notes", "tests-deleted", "test.pytest");
    assert.equal(result.status, "failed");
    assert.equal(result.summary, "no tests collected");
  });
});

describe("Django", () => {
  test("check: one finding per message, rule = check id, severity by block, hint kept", () => {
    const result = parse("classic", "reverse-accessor-clash", "test.django-check");
    assert.equal(result.status, "failed");
    assert.deepEqual(
      result.findings.map((f) => `${f.severity} ${f.rule} ${f.file}`),
      ["error fields.E304 null", "error fields.E304 null"],
    );
    assert.match(result.findings[0]?.message ?? "", /^contact\.Reply\.follow_up_of: Reverse accessor .*\(hint: Add or change a related_name/);
    assert.equal(result.summary, "2 errors");
  });

  test("check: an import-time traceback points at the last project frame", () => {
    const result = parse("classic", "requirements-missing-package", "test.django-check");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["contact/validators.py:1:null ModuleNotFoundError"]);
    assert.equal(result.findings[0]?.message, "ModuleNotFoundError: No module named 'magic'");
  });

  test("makemigrations: one finding per app at the migration it would write", () => {
    const result = parse("stack", "model-without-migration", "test.migrations-check");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["apps/web/inbox/migrations/0002_submission_phone.py:null:null missing-migration"]);
    assert.match(result.findings[0]?.message ?? "", /'inbox'.*Add field phone to submission/);
  });

  test("makemigrations: a system-check error that stops the command is reported", () => {
    const result = parse("classic", "reverse-accessor-clash", "test.migrations-check");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null fields.E304", "null:null:null fields.E304"]);
  });
});

describe("TypeScript, bundles and sites", () => {
  test("tsc: findings relative to the source root via pathBase", () => {
    const result = parse("stack", "worker-type-error", "quality.tsc.intake");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["workers/intake/src/handler.ts:87:23 TS2345"]);
    assert.equal(result.summary, "1 type error in 1 file");
  });

  test("worker bundle: esbuild's unresolved import at its location", () => {
    const result = parse("classic", "worker-imports-missing-file", "build.worker-bundle.contact-form");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["workers/contact-form/src/index.js:5:30 null"]);
    assert.equal(result.findings[0]?.message, 'Could not resolve "./spam.js"');
  });

  test("site build: Vite 8 (Rolldown) and Astro errors at their location", () => {
    const expected: [CatalogueName, string, string, string][] = [
      ["stack", "site-syntax-error", "build.site.coffee-shop", "sites/coffee-shop/src/main.js:9:25 PARSE_ERROR"],
      ["stack", "site-missing-module", "build.site.coffee-shop", "sites/coffee-shop/src/main.js:3:35 UNRESOLVED_IMPORT"],
      ["agency", "site-missing-ui-export", "build.site.bright-dental", "sites/bright-dental/src/pages/index.astro:4:9 null"],
    ];
    for (const [catalogue, slug, check, location] of expected) {
      const result = parse(catalogue, slug, check);
      assert.equal(result.status, "failed", slug);
      assert.deepEqual(where(result), [location], slug);
      assert.ok(!result.findings.some((f) => f.rule === "empty-output"), `${slug}: the build error, not its consequence`);
    }
  });

  test("site build: the empty-output marker", () => {
    const result = parse("lint-site", "build-writes-elsewhere", "build.site.www");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null empty-output"]);
  });
});

describe("node test runners", () => {
  const failures: [CatalogueName, string, string, string[]][] = [
    [
      "classic",
      "worker-test-fails",
      "test.worker-tests.contact-form",
      ["workers/contact-form/test/validate.test.js:8:20 validateContact > accepts a complete form and trims the fields", "workers/contact-form/test/validate.test.js:18:47 validateContact > requires every field"],
    ],
    ["stack", "worker-wrong-channel", "test.worker-tests.intake", ["workers/intake/test/handler.test.ts:67:10 a valid form is forwarded as JSON with the API key and the backend id returned"]],
    [
      "jest-shop",
      "line-total-adds",
      "test.site-tests.shop",
      ["sites/shop/test/cart.test.cjs:6:52 cart › a line is its price times its quantity", "sites/shop/test/cart.test.cjs:10:83 cart › the cart adds its lines"],
    ],
  ];
  for (const [catalogue, slug, check, locations] of failures) {
    test(`${catalogue}'s ${check}: counts and the failed tests at their file:line`, () => {
      const result = parse(catalogue, slug, check);
      assert.equal(result.status, "failed");
      assert.equal(result.counts?.failed, locations.length);
      assert.deepEqual(where(result), locations);
    });
  }

  test("Jest: the counts of a green run; a failure's message is the assertion, without the code frame's colours", () => {
    assert.deepEqual(parse("jest-shop", "green", "test.site-tests.shop").counts, { passed: 3, failed: 0, skipped: 0, errors: 0 });
    const [first] = parse("jest-shop", "line-total-adds", "test.site-tests.shop").findings;
    assert.match(first?.message ?? "", /^expect\(received\)\.toBe\(expected\)/);
    assert.doesNotMatch(first?.message ?? "", /\u001b\[/);
  });

  test("zero tests is a failure", () => {
    const result = parse("classic", "worker-tests-deleted", "test.worker-tests.contact-form");
    assert.equal(result.status, "failed");
    assert.equal(result.summary, "no tests ran");
  });
});
