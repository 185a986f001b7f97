import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { djangoDiagnosis } from "../../src/parse/django-check.js";
import { systemCheckFindings } from "../../src/parse/django-system-check.js";
import { toLines } from "../../src/model/text.js";
import { parsers } from "../../src/parse/index.js";
import type { ParseResult, ToolOutput } from "../../src/parse/types.js";
import type { ParserId } from "../../src/parse/index.js";
import { Counts, Finding } from "../../src/model/report.js";
import { CAPTURES, readCapture } from "../support/captures.js";

// Lines of real tool output (every check's capture, and django.sh's diagnoses in the backend image) so
// generated inputs reach the parsers' real branches, mixed with arbitrary text, ANSI escapes and lone
// carriage returns.
const IMAGE_DIAGNOSES = join(import.meta.dirname, "../fixtures/image-diagnosis");
const capturesIn = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".json"))
    .map((path) => JSON.parse(readFileSync(join(dir, path), "utf8")) as { exitCode?: number; stdout: string; stderr: string; files?: Record<string, string> });
const diagnosisCaptures = capturesIn(IMAGE_DIAGNOSES);
// What every check's tool printed in its container on the examples and fixture projects (`npm run capture`).
const checkCaptures = capturesIn(CAPTURES);
/** Whole outputs, for the parsers that read a document (pyright's JSON, a JUnit report) rather than lines. */
const wholeOutputs = [...new Set(checkCaptures.flatMap((capture) => [capture.stdout, capture.stderr, ...Object.values(capture.files ?? {})]).filter((printed) => printed.trim() !== ""))];
const sampleLines = [
  ...new Set(
    [...diagnosisCaptures, ...checkCaptures].flatMap((capture) => [capture.stdout, capture.stderr, ...Object.values(capture.files ?? {})].join("\n").split("\n")),
  ),
];
const junitSample = readCapture("stack", "failing-test", "test.pytest").files["/tmp/predeploy/pytest.xml"];
if (junitSample === undefined) throw new Error("stack/failing-test's pytest capture has no JUnit report");

const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...sampleLines) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom("\u001b[31m", "\u001b[0m", "\u001b]8;;x\u0007", "\r", "\u001b", "{", "[", "}", "]", '{"ok": false}', "<testcase>") },
  { weight: 1, arbitrary: fc.json() },
);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.array(line, { maxLength: 40 }).map((lines) => lines.join("\n")) },
  // A whole captured output, cut anywhere, with garbage after the cut.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...wholeOutputs), fc.nat(), fc.string({ maxLength: 40 })).map(([whole, cut, junk]) => whole.slice(0, cut % (whole.length + 1)) + junk) },
);
const junit = fc.oneof(
  fc.nat({ max: junitSample.length }).map((cut) => junitSample.slice(0, cut)),
  fc.string({ maxLength: 200 }).map((junk) => `<testsuites><testsuite>${junk}<testcase name="x">${junk}</testcase></testsuite></testsuites>`),
  text,
);
const output: fc.Arbitrary<ToolOutput> = fc.record({
  exitCode: fc.oneof(fc.constantFrom(0, 1, 2, 5, 127, 137), fc.integer({ min: -1, max: 255 })),
  stdout: text,
  stderr: text,
  files: fc.oneof(fc.constant({}), junit.map((xml) => ({ "/tmp/predeploy/pytest.xml": xml })), fc.dictionary(fc.string(), text, { maxKeys: 2 })),
});
const pathBase = fc.constantFrom(".", "workers/intake", "sites/www", "", "apps/../x");

const lineCount = (o: ToolOutput) => [o.stdout, o.stderr, ...Object.values(o.files)].reduce((n, s) => n + s.split("\n").length, 0);

function assertValid(result: ParseResult, input: ToolOutput): void {
  assert.ok(result.status === "passed" || result.status === "failed");
  assert.equal(typeof result.summary, "string");
  assert.ok(!/[\r\n]/.test(result.summary), "summary is one line");
  for (const finding of result.findings) {
    Finding.parse(finding);
    assert.ok(finding.file === null || (!finding.file.startsWith("./") && !finding.file.startsWith("/src/")), `source-relative file: ${finding.file}`);
  }
  if (result.counts !== null) Counts.parse(result.counts);
  if (input.exitCode !== 0) {
    assert.equal(result.status, "failed", "a non-zero exit never passes");
    assert.ok(result.findings.length > 0, "a failure says why");
  }
  assert.ok(result.findings.length <= lineCount(input) + 1, "findings bounded by the input");
}

for (const [id, parser] of Object.entries(parsers) as [ParserId, (typeof parsers)[ParserId]][]) {
  describe(`${id} parser properties`, () => {
    test("any output gives a schema-valid result; non-zero exit never passes", () => {
      fc.assert(
        fc.property(output, pathBase, (input, base) => {
          assertValid(parser(input, { pathBase: base }), input);
        }),
        { numRuns: 150 },
      );
    });

    test("every capture, as its tool printed it, gives a schema-valid result", () => {
      for (const capture of checkCaptures) {
        const input = { exitCode: capture.exitCode ?? 0, stdout: capture.stdout, stderr: capture.stderr, files: capture.files ?? {} };
        assertValid(parser(input, { pathBase: "." }), input);
      }
    });

    test("the same output with ANSI colour gives the same findings", () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...sampleLines), { maxLength: 30 }), fc.constantFrom(0, 1, 2), (lines, exitCode) => {
          const plain = lines.join("\n");
          const coloured = lines.map((l) => l.replace(/(\S+)/, "\u001b[1;31m$1\u001b[0m")).join("\n");
          const a = parser({ exitCode, stdout: plain, stderr: plain, files: {} }, { pathBase: "." });
          const b = parser({ exitCode, stdout: coloured, stderr: coloured, files: {} }, { pathBase: "." });
          assert.deepEqual(b.findings, a.findings);
          assert.equal(b.status, a.status);
        }),
        { numRuns: 50 },
      );
    });

    test("huge output is parsed to a valid, bounded result (its speed is the bench's to measure)", () => {
      const big = sampleLines.join("\n").repeat(Math.ceil(2_000_000 / sampleLines.join("\n").length));
      const long = "x:1:1: ".repeat(200_000);
      for (const stdout of [big, long]) {
        const input = { exitCode: 1, stdout, stderr: long, files: { "/tmp/predeploy/pytest.xml": big } };
        assertValid(parser(input, { pathBase: "." }), input);
      }
    });
  });
}

describe("Node lint parsers", () => {
  test("prettier and eslint are in the registry, so the properties above cover them", () => {
    for (const id of ["prettier", "eslint"]) assert.ok(id in parsers, id);
  });
});

describe("django-check and django.sh's diagnosis", () => {
  test("a failure whose stderr ends with a diagnosis has it as the summary, whatever came before; garbage after the prefix never passes", () => {
    const diagnosis = fc.oneof(fc.string({ unit: "binary", maxLength: 500 }), fc.constantFrom(...diagnosisCaptures.map((c) => c.stderr.trim().split("\n").pop() ?? "")));
    fc.assert(
      fc.property(text, text, diagnosis, fc.integer({ min: 1, max: 255 }), (stdout, before, said, exitCode) => {
        const line = said.startsWith("predeploy: diagnosis: ") ? said : `predeploy: diagnosis: ${said}`;
        const input = { exitCode, stdout, stderr: `${before}\n${line}`, files: {} };
        const result = parsers["django-check"](input, { pathBase: "." });
        assertValid(result, input);
        const explained = djangoDiagnosis(input.stderr);
        const checkReport = systemCheckFindings([...toLines(input.stderr), ...toLines(stdout)], { pathBase: "." });
        if (explained !== null && checkReport.length === 0) {
          assert.equal(result.summary, explained);
          assert.equal(result.findings.length, 1);
          assert.ok(result.findings[0]?.message.endsWith(explained));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("classic Python parsers", () => {
  test("black, flake8, isort and django-test are in the registry, so the properties above cover them", () => {
    for (const id of ["black", "flake8", "isort", "django-test"]) assert.ok(id in parsers, id);
  });

  test("django-test: a run whose summary says zero tests ran never passes, whatever the exit code", () => {
    const zero = fc.constantFrom("Ran 0 tests in 0.000s\n\nOK", "Ran 0 tests in 0.000s\n\nNO TESTS RAN");
    fc.assert(
      fc.property(text, zero, fc.constantFrom(0, 1), (before, summary, exitCode) => {
        const result = parsers["django-test"]({ exitCode, stdout: before, stderr: summary, files: {} }, { pathBase: "." });
        assert.equal(result.status, "failed");
        assert.ok(result.findings.some((f) => f.rule === "no-tests"));
      }),
      { numRuns: 100 },
    );
  });
});
