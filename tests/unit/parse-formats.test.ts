import { TOOLS } from "../../src/tools/index.js";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseOutput, parsers } from "../../src/parse/index.js";
import { sourcePath } from "../../src/parse/paths.js";
import { stripAnsi, toLines } from "../../src/model/text.js";
import type { ToolOutput } from "../../src/parse/types.js";
import type { ParserId } from "../../src/parse/index.js";

// Formats the captured samples do not cover (older tool versions, other reporters, edge cases).
const out = (exitCode: number, stdout = "", stderr = "", files: Record<string, string> = {}): ToolOutput => ({ exitCode, stdout, stderr, files });
const at = (id: ParserId, output: ToolOutput, pathBase = ".") => parseOutput(id, output, { pathBase });
const where = (r: { findings: { file: string | null; line: number | null; column: number | null; rule: string | null }[] }) =>
  r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);

describe("text and paths", () => {
  test("ANSI colours, hyperlinks and progress redraws are removed", () => {
    assert.equal(stripAnsi("\u001b[1;31merror\u001b[0m: \u001b]8;;https://x\u0007link\u001b]8;;\u0007"), "error: link");
    assert.deepEqual(toLines("10%\r50%\r100% done\nnext"), ["100% done", "next"]);
  });

  test("tool paths become source-relative", () => {
    assert.equal(sourcePath(".", "/src/apps/web/x.py"), "apps/web/x.py");
    assert.equal(sourcePath("workers/intake", "./src/index.ts"), "workers/intake/src/index.ts");
    assert.equal(sourcePath("workers/intake", "file:///src/workers/intake/test/a.test.ts"), "workers/intake/test/a.test.ts");
    assert.equal(sourcePath("sites/www", "../../apps/web/x.py"), "apps/web/x.py");
    assert.equal(sourcePath(".", "/usr/local/lib/python3.13/x.py"), "/usr/local/lib/python3.13/x.py");
  });
});

describe("exit-code", () => {
  test("passes on 0, fails otherwise with the telling line", () => {
    assert.equal(at("exit-code", out(0, "ok")).status, "passed");
    const failed = at("exit-code", out(1, "building\n", "npm error Missing script: \"build\"\nnpm error\nnpm error A complete log of this run can be found in: /root/.npm/x.log\n"));
    assert.equal(failed.status, "failed");
    assert.equal(failed.summary, 'npm error Missing script: "build"');
    assert.equal(failed.findings.length, 1);
    assert.equal(at("exit-code", out(137)).summary, "exited with code 137");
  });
});

describe("tsc", () => {
  test("continuation lines join the message; pretty and file-less forms are read", () => {
    const result = at(
      "tsc",
      out(
        2,
        [
          "src/index.ts(14,9): error TS2322: Type '{ a: number; }' is not assignable to type 'Intake'.",
          "  Object literal may only specify known properties.",
          "src/env.ts:3:1 - error TS2304: Cannot find name 'Env'.",
          "error TS18003: No inputs were found in config file 'tsconfig.json'.",
        ].join("\n"),
      ),
      "workers/intake",
    );
    assert.deepEqual(where(result), ["workers/intake/src/index.ts:14:9 TS2322", "workers/intake/src/env.ts:3:1 TS2304", "null:null:null TS18003"]);
    assert.equal(result.findings[0]?.message, "Type '{ a: number; }' is not assignable to type 'Intake'.\nObject literal may only specify known properties.");
  });

  test("npx failing before tsc runs still fails", () => {
    const result = at("tsc", out(1, "", "npm error could not determine executable to run\n"));
    assert.equal(result.status, "failed");
    assert.equal(result.findings[0]?.message, "npm error could not determine executable to run");
  });
});

describe("mypy text", () => {
  test("columns, end positions, and notes attached to the error before them", () => {
    const result = at(
      "mypy",
      out(
        1,
        [
          "apps/web/a.py:3:5: error: Argument 1 has incompatible type \"str\"; expected \"int\"  [arg-type]",
          "apps/web/a.py:3:5: note: This is likely because \"f\" has no annotation",
          "apps/web/b.py:10:1:10:8: error: Name \"x\" is not defined  [name-defined]",
          "Found 2 errors in 2 files (checked 3 source files)",
        ].join("\n"),
      ),
    );
    assert.deepEqual(where(result), ["apps/web/a.py:3:5 arg-type", "apps/web/b.py:10:1 name-defined"]);
    assert.match(result.findings[0]?.message ?? "", /expected "int"\nThis is likely because/);
  });

  test("a crash without parseable lines fails with its message", () => {
    const result = at("mypy", out(2, "", "mypy: error: Cannot find config file 'nope.ini'\n"));
    assert.equal(result.status, "failed");
    assert.equal(result.findings[0]?.file, null);
    assert.match(result.findings[0]?.message ?? "", /Cannot find config file/);
  });
});

describe("esbuild (wrangler 3 format)", () => {
  test("the block and its repeat in the summary give one finding", () => {
    const stderr = [
      '✘ [ERROR] Could not resolve "hono"',
      "",
      "    src/index.ts:3:21:",
      '      3 │ import { Hono } from "hono";',
      "        ╵                      ~~~~~~",
      "",
      '  You can mark the path "hono" as external to exclude it from the bundle.',
      "",
      "▲ [WARNING] Comparison with -0 using the \"===\" operator will also match 0 [equals-negative-zero]",
      "",
      "    src/util.ts:9:8:",
      "",
      "✘ [ERROR] Build failed with 1 error:",
      "",
      '  src/index.ts:3:21: ERROR: Could not resolve "hono"',
    ].join("\n");
    const result = at("worker-bundle", out(1, "", stderr), "workers/intake");
    assert.deepEqual(where(result), ["workers/intake/src/index.ts:3:21 null", "workers/intake/src/util.ts:9:8 equals-negative-zero"]);
    assert.deepEqual(
      result.findings.map((f) => f.severity),
      ["error", "warning"],
    );
  });

  test("wrangler's own errors have no location", () => {
    const result = at("worker-bundle", out(1, "", "✘ [ERROR] Missing entry-point to Worker script or to assets directory\n"), "workers/intake");
    assert.deepEqual(where(result), ["null:null:null null"]);
    assert.match(result.findings[0]?.message ?? "", /Missing entry-point/);
  });
});

describe("site-build", () => {
  test("Astro's Location: block and a tsc step before the build", () => {
    const stderr = [
      "[ERROR] [CompilerError] Unable to assign attributes when using <> Fragment shorthand syntax!",
      "  Location:",
      "    /src/sites/www/src/pages/index.astro:3:1",
      "  Stack trace:",
      "    at file:///src/sites/www/node_modules/astro/dist/core/compile/compile.js:50:11",
    ].join("\n");
    const astro = at("site-build", out(1, "", stderr), "sites/www");
    assert.deepEqual(where(astro), ["sites/www/src/pages/index.astro:3:1 CompilerError"]);
    const tsc = at("site-build", out(2, "src/main.ts(4,7): error TS2322: Type 'number' is not assignable to type 'string'.\n"), "sites/www");
    assert.deepEqual(where(tsc), ["sites/www/src/main.ts:4:7 TS2322"]);
  });

  test("a failed build without a location: Vite's message, not the output marker", () => {
    const result = at("site-build", out(1, "vite v5 building\n", "error during build:\nRollupError: something broke\n"), "sites/www");
    assert.equal(result.findings[0]?.message, "RollupError: something broke");
  });
});

describe("node-test", () => {
  test("mocha counts, and output with no recognised summary", () => {
    const mocha = at("node-test", out(1, "  3 passing (12ms)\n  1 failing\n\n  1) adds:\n     AssertionError: x\n"));
    assert.deepEqual(mocha.counts, { passed: 3, failed: 1, skipped: 0, errors: 0 });
    assert.equal(mocha.status, "failed");
    assert.equal(mocha.findings.length, 1);
    const unknown = at("node-test", out(0, "all good\n"));
    assert.equal(unknown.status, "passed");
    assert.equal(unknown.counts, null);
  });

  test("npm without a test script fails with npm's message", () => {
    const result = at("node-test", out(1, "", 'npm error Missing script: "test"\nnpm error\nnpm error To see a list of scripts, run:\nnpm error   npm run\n'));
    assert.equal(result.status, "failed");
    assert.equal(result.findings[0]?.message, 'npm error Missing script: "test"');
  });
});

describe("pytest without a usable report", () => {
  test("counts from pytest's summary line when no XML was written", () => {
    const result = at("pytest-junit", out(1, "..F\n=== 1 failed, 2 passed, 1 warning in 0.20s ===\n"));
    assert.deepEqual(result.counts, { passed: 2, failed: 1, skipped: 0, errors: 0 });
    assert.equal(result.status, "failed");
    assert.equal(result.findings.length, 1);
  });

  test("truncated XML with a non-zero exit fails with the output tail", () => {
    const result = at("pytest-junit", out(137, "", "Killed\n", { "/tmp/predeploy/pytest.xml": '<testsuites><testsuite name="pytest"><testcase name="a"></testsuite>' }));
    assert.equal(result.status, "failed");
    assert.equal(result.findings[0]?.message, "Killed");
  });

  test("xunit1 file/line attributes are used when the failure text has no frame (0-based line)", () => {
    const xml = '<testsuites><testsuite><testcase classname="t" name="a" file="tests/test_a.py" line="4"><failure message="boom">no frames</failure></testcase></testsuite></testsuites>';
    const result = at("pytest-junit", out(1, "", "", { "/tmp/predeploy/pytest.xml": xml }));
    assert.deepEqual(where(result), ["tests/test_a.py:5:null t::a"]);
  });
});

describe("django-check", () => {
  test("INFOS are info; a `?` label is left out; passing with warnings stays passed", () => {
    const stderr = ["System check identified some issues:", "", "WARNINGS:", "?: (security.W004) You have not set SECURE_HSTS_SECONDS.", "", "INFOS:", "?: (app.I001) Just saying.", "", "System check identified 2 issues (0 silenced)."].join("\n");
    const result = at("django-check", out(0, "", stderr));
    assert.equal(result.status, "passed");
    assert.deepEqual(
      result.findings.map((f) => `${f.severity} ${f.rule} ${f.message}`),
      ["warning security.W004 You have not set SECURE_HSTS_SECONDS.", "info app.I001 Just saying."],
    );
  });
});

describe("http-probe", () => {
  const probe = (line: object, exitCode = 0) => at("http-probe", out(exitCode, `{"step":"health","status":200}\n${JSON.stringify(line)}\n`));

  test("failures become findings with the step as rule", () => {
    const result = probe({ ok: false, summary: "1 of 3 steps failed", failures: [{ step: "intake", message: "row not found in Postgres" }] }, 1);
    assert.equal(result.status, "failed");
    assert.equal(result.summary, "1 of 3 steps failed");
    assert.deepEqual(where(result), ["null:null:null intake"]);
  });

  test("ok passes; ok with a non-zero exit does not; no result line fails", () => {
    assert.equal(probe({ ok: true, summary: "3 steps passed", failures: [] }).status, "passed");
    assert.equal(probe({ ok: true, summary: "3 steps passed", failures: [] }, 1).status, "failed");
    const missing = at("http-probe", out(1, "", "Error: connect ECONNREFUSED backend:8000\n"));
    assert.equal(missing.status, "failed");
    assert.match(missing.summary, /ECONNREFUSED/);
  });

  test("a deployed host that never answered is an error, not a failure; a wrong answer from it fails", () => {
    const unreachable = probe({ ok: false, summary: "GET https://api.example.com/health: unreachable", failures: [{ step: "connect", message: "unreachable for 60s" }], unreachable: true }, 1);
    assert.equal(unreachable.status, "error");
    assert.deepEqual(where(unreachable), ["null:null:null connect"]);
    const wrong = probe({ ok: false, summary: "GET /health answered 500", failures: [{ step: "health", message: "answered 500" }] }, 1);
    assert.equal(wrong.status, "failed");
    // The flag never turns a pass into anything else.
    assert.equal(probe({ ok: true, summary: "passed", failures: [], unreachable: true }).status, "passed");
  });
});

test("every registry tool names a registered parser, and every parser but the plan's own (probe, exit code) belongs to a tool", () => {
  const used = new Set<string>(TOOLS.map((tool) => tool.parser));
  for (const parser of used) assert.ok(parser in parsers, parser);
  const planOwn: ParserId[] = ["exit-code", "http-probe"];
  assert.deepEqual(Object.keys(parsers).filter((id) => !used.has(id)).sort(), planOwn);
});
