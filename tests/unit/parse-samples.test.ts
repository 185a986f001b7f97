import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseOutput } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import type { ParserId } from "../../src/parse/index.js";
import { Counts, Finding } from "../../src/model/report.js";

// Real tool output captured by tests/fixtures/parse-samples/capture.sh (see its README).
const SAMPLES = join(import.meta.dirname, "../fixtures/parse-samples");
const JUNIT = "/tmp/predeploy/pytest.xml";

function sample(caseName: string, tool: string): ToolOutput {
  const read = (name: string) => {
    const path = join(SAMPLES, caseName, name);
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  };
  const xml = tool === "pytest" ? read("pytest.junit.xml") : "";
  return {
    exitCode: Number(read(`${tool}.exitcode`).trim()),
    stdout: read(`${tool}.stdout`),
    stderr: read(`${tool}.stderr`),
    files: xml ? { [JUNIT]: xml } : {},
  };
}

function parse(id: ParserId, caseName: string, tool: string, pathBase = "."): ParseResult {
  const result = parseOutput(id, sample(caseName, tool), { pathBase });
  for (const finding of result.findings) Finding.parse(finding);
  if (result.counts) Counts.parse(result.counts);
  assert.ok(!result.summary.includes("\n"), "summary is one line");
  return result;
}

const where = (r: ParseResult) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);

describe("parsers on captured green output", () => {
  const green: [ParserId, string, string][] = [
    ["ruff-check", "ruff-check", "."],
    ["ruff-format", "ruff-format", "."],
    ["mypy", "mypy", "."],
    ["mypy", "mypy-json", "."],
    ["pytest-junit", "pytest", "."],
    ["django-check", "django-check", "."],
    ["makemigrations", "makemigrations", "."],
    ["tsc", "tsc", "workers/intake"],
    ["worker-bundle", "worker-bundle", "workers/intake"],
    ["site-build", "site-build", "sites/www"],
    ["node-test", "vitest", "workers/intake"],
    ["node-test", "node-test-spec", "workers/intake"],
    ["node-test", "node-test-tap", "workers/intake"],
    ["node-test", "jest", "sites/www"],
  ];
  for (const [id, tool, pathBase] of green) {
    test(`${tool} passes with no findings`, () => {
      const result = parse(id, "green", tool, pathBase);
      assert.equal(result.status, "passed", result.summary);
      assert.deepEqual(result.findings, []);
    });
  }

  test("test runners report their counts", () => {
    assert.deepEqual(parse("pytest-junit", "green", "pytest").counts, { passed: 2, failed: 0, skipped: 0, errors: 0 });
    assert.equal(parse("node-test", "green", "vitest", "workers/intake").summary, "2 passed");
    assert.equal(parse("node-test", "green", "node-test-tap", "workers/intake").counts?.passed, 2);
    assert.equal(parse("node-test", "green", "jest", "sites/www").counts?.passed, 2);
  });
});

describe("ruff", () => {
  test("check: one finding per diagnostic, source-relative with rule and 1-based position", () => {
    const result = parse("ruff-check", "py-faults", "ruff-check");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), [
      "apps/web/inbox/models.py:22:5 F821",
      "apps/web/inbox/views.py:1:1 I001",
      "apps/web/inbox/views.py:1:8 F401",
      "apps/web/inbox/views.py:2:8 F401",
      "apps/web/inbox/views.py:7:16 E711",
    ]);
    assert.equal(result.findings[2]?.message, "`os` imported but unused");
    assert.equal(result.summary, "5 findings in 2 files");
  });

  test("check: syntax errors keep ruff's invalid-syntax code", () => {
    assert.deepEqual(where(parse("ruff-check", "syntax-error", "ruff-check")), [
      "apps/web/inbox/broken.py:1:12 invalid-syntax",
      "apps/web/inbox/broken.py:1:13 invalid-syntax",
    ]);
  });

  test("check: exit 2 (bad configuration) fails with ruff's message at the config file", () => {
    const result = parse("ruff-check", "bad-config", "ruff-check");
    assert.equal(result.status, "failed");
    assert.equal(result.findings.length, 1);
    assert.equal(where(result)[0], "pyproject.toml:11:1 null");
    assert.match(result.findings[0]?.message ?? "", /^ruff failed: Failed to parse .*unknown field `unknown-option`/);
  });

  test("format: new and legacy output name the file that would be reformatted", () => {
    assert.deepEqual(where(parse("ruff-format", "py-faults", "ruff-format")), ["apps/web/inbox/forms.py:1:11 format"]);
    const legacy = parse("ruff-format", "py-faults", "ruff-format-legacy");
    assert.deepEqual(where(legacy), ["apps/web/inbox/forms.py:null:null format"]);
    assert.equal(legacy.summary, "1 file would be reformatted");
  });

  test("format: a file that does not parse fails at its location", () => {
    for (const tool of ["ruff-format", "ruff-format-legacy"]) {
      const result = parse("ruff-format", "syntax-error", tool);
      assert.equal(result.status, "failed");
      assert.deepEqual(where(result), ["apps/web/inbox/broken.py:1:12 invalid-syntax"]);
    }
  });
});

describe("mypy", () => {
  test("JSON: 0-based columns become 1-based, notes become info", () => {
    const result = parse("mypy", "py-faults", "mypy-json");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), [
      "apps/web/inbox/models.py:22:17 misc",
      "apps/web/inbox/models.py:23:12 return-value",
      "apps/web/inbox/views.py:9:12 return-value",
    ]);
    assert.deepEqual(
      result.findings.map((f) => f.severity),
      ["info", "error", "error"],
    );
    assert.equal(result.summary, "2 errors in 2 files");
  });

  test("text output gives the same findings without columns", () => {
    const result = parse("mypy", "py-faults", "mypy");
    assert.deepEqual(where(result), [
      "apps/web/inbox/models.py:22:null null",
      "apps/web/inbox/models.py:23:null return-value",
      "apps/web/inbox/views.py:9:null return-value",
    ]);
    assert.equal(result.findings[1]?.message, 'Incompatible return value type (got "int", expected "str")');
  });

  test("exit 2: syntax errors and a broken plugin config fail with mypy's message", () => {
    assert.deepEqual(where(parse("mypy", "syntax-error", "mypy")), [
      "apps/web/inbox/broken.py:1:null syntax",
      "apps/web/inbox/broken.py:1:null syntax",
    ]);
    const config = parse("mypy", "bad-config", "mypy-json");
    assert.equal(config.status, "failed");
    assert.match(config.findings[0]?.message ?? "", /Error importing plugin "not_a_plugin.main"/);
  });
});

describe("pytest JUnit", () => {
  test("counts and one finding per failed or errored test at its last project frame", () => {
    const result = parse("pytest-junit", "py-faults", "pytest");
    assert.equal(result.status, "failed");
    assert.deepEqual(result.counts, { passed: 2, failed: 2, skipped: 1, errors: 1 });
    assert.equal(result.summary, "2 passed, 2 failed, 1 skipped, 1 error");
    assert.deepEqual(where(result), [
      "apps/web/inbox/tests/test_views.py:8:null apps.web.inbox.tests.test_views::test_handle",
      "apps/web/inbox/tests/test_views.py:17:null apps.web.inbox.tests.test_views::test_math",
      "apps/web/inbox/tests/test_views.py:27:null apps.web.inbox.tests.test_views::test_uses_broken",
    ]);
    assert.equal(result.findings[0]?.message, "AssertionError: assert 2 == '2 words'");
  });

  test("a collection error is reported at the module that failed to import", () => {
    const result = parse("pytest-junit", "collection-error", "pytest");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["apps/web/inbox/tests/test_import.py:1:null apps.web.inbox.tests.test_import"]);
    assert.equal(result.findings[0]?.message, "ModuleNotFoundError: No module named 'apps.web.inbox.missing'");
  });

  test("no tests collected (exit 5) is a failure", () => {
    const result = parse("pytest-junit", "no-tests", "pytest");
    assert.equal(result.status, "failed");
    assert.equal(result.summary, "no tests collected");
  });

  test("no report and a crash: failed with the most telling output line", () => {
    const result = parse("pytest-junit", "import-error", "pytest");
    assert.equal(result.status, "failed");
    assert.equal(result.counts, null);
    assert.match(result.summary, /could not find a Django project|No module named/);
  });
});

describe("Django", () => {
  test("check: one finding per message, rule = check id, severity by block, hint kept", () => {
    const result = parse("django-check", "py-faults", "django-check");
    assert.equal(result.status, "failed");
    assert.deepEqual(
      result.findings.map((f) => `${f.severity} ${f.rule} ${f.file}`),
      ["error fields.E304 null", "error fields.E304 null", "warning fields.W340 null"],
    );
    assert.match(result.findings[0]?.message ?? "", /^inbox\.Attachment\.message: Reverse accessor .*\(hint: Add or change a related_name/);
    assert.equal(result.summary, "2 errors, 1 warning");
  });

  test("check: an import-time traceback points at the last project frame", () => {
    const settings = parse("django-check", "import-error", "django-check");
    assert.equal(settings.status, "failed");
    assert.deepEqual(where(settings), ["apps/web/config/settings.py:8:null ModuleNotFoundError"]);
    assert.equal(settings.findings[0]?.message, "ModuleNotFoundError: No module named 'apps.web.config.secrets'");
    assert.deepEqual(where(parse("django-check", "improperly-configured", "django-check")), ["apps/web/manage.py:9:null ModuleNotFoundError"]);
  });

  test("makemigrations: one finding per app at the migration it would write", () => {
    const result = parse("makemigrations", "missing-migration", "makemigrations");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["apps/web/inbox/migrations/0002_message_subject_reply.py:null:null missing-migration"]);
    assert.match(result.findings[0]?.message ?? "", /'inbox'.*Add field subject to message; Create model Reply/);
  });

  test("makemigrations: a system-check error that stops the command is reported", () => {
    const result = parse("makemigrations", "py-faults", "makemigrations");
    assert.equal(result.status, "failed");
    assert.ok(result.findings.length > 0);
  });
});

describe("TypeScript, bundles and sites", () => {
  test("tsc: findings relative to the source root via pathBase", () => {
    const result = parse("tsc", "ts-faults", "tsc", "workers/intake");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), [
      "workers/intake/src/index.ts:1:24 TS2307",
      "workers/intake/src/index.ts:9:9 TS2322",
      "workers/intake/src/index.ts:10:3 TS2322",
      "workers/intake/src/index.ts:14:44 TS2322",
    ]);
    assert.equal(result.summary, "4 type errors in 1 file");
  });

  test("worker bundle: esbuild's unresolved import at its location", () => {
    const result = parse("worker-bundle", "ts-faults", "worker-bundle", "workers/intake");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["workers/intake/src/index.ts:1:23 null"]);
    assert.equal(result.findings[0]?.message, 'Could not resolve "./missing-module"');
  });

  test("site build: Vite 8 (Rolldown) and Vite 5 (esbuild, Rollup) errors", () => {
    const expected: [string, string][] = [
      ["site-syntax", "sites/www/src/main.ts:2:27 builtin:vite-transform"],
      ["site-unresolved", "sites/www/src/main.ts:1:23 UNRESOLVED_IMPORT"],
      ["site-syntax-vite5", "sites/www/src/main.ts:2:26 null"],
      ["site-unresolved-vite5", "sites/www/src/main.ts:null:null null"],
    ];
    for (const [caseName, location] of expected) {
      const result = parse("site-build", caseName, "site-build", "sites/www");
      assert.equal(result.status, "failed", caseName);
      assert.deepEqual(where(result), [location], caseName);
      assert.ok(!result.findings.some((f) => f.rule === "empty-output"), `${caseName}: the build error, not its consequence`);
    }
  });

  test("site build: the empty-output marker", () => {
    const result = parse("site-build", "site-empty", "site-build", "sites/www");
    assert.equal(result.status, "failed");
    assert.deepEqual(where(result), ["null:null:null empty-output"]);
  });
});

describe("node test runners", () => {
  const failures: [string, string, string][] = [
    ["vitest", "workers/intake", "workers/intake/test/words.test.ts:12:27 wordCount > handles empty text"],
    ["node-test-spec", "workers/intake", "workers/intake/test/words.node.test.mjs:8:1 splits"],
    ["node-test-tap", "workers/intake", "workers/intake/test/words.node.test.mjs:9:10 splits"],
    ["jest", "sites/www", "sites/www/sum.test.js:10:21 adds wrongly"],
  ];
  for (const [tool, pathBase, location] of failures) {
    test(`${tool}: counts and the failed test at its file:line`, () => {
      const result = parse("node-test", "ts-faults", tool, pathBase);
      assert.equal(result.status, "failed");
      assert.equal(result.counts?.failed, 1);
      assert.deepEqual(where(result), [location]);
    });
  }

  test("zero tests is a failure", () => {
    for (const tool of ["vitest", "node-test-spec"]) {
      const result = parse("node-test", "no-tests", tool, "workers/intake");
      assert.equal(result.status, "failed", tool);
      assert.equal(result.summary, "no tests ran", tool);
    }
  });
});
