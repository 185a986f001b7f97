import { isDeepStrictEqual } from "node:util";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse, type TNode } from "txml";
import { buildReport, validateReport } from "../../src/report/aggregate.js";
import { Format, renderReport } from "../../src/report/render.js";
import { CheckStatus, Report, Severity, STAGES, type CheckResult, type Finding } from "../../src/model/report.js";

// Plain text mixed with everything that breaks renderers: control and escape characters,
// markup of every format, lone surrogates, astral characters.
const nasty = fc.constantFrom("\u0000", "\u001b[31m", "\u009b", "\n", "\r", "\t", "|", "`", "<", ">", "&", "%", ":", ",", "]]>", "\uD800", "\uFFFF", "é", "😀", "::", "*", "$", "a", " ");
const text = (maxLength: number) =>
  fc.oneof(fc.string({ unit: "binary", maxLength }), fc.string({ unit: nasty, maxLength }), fc.string({ maxLength }));
const positive = fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null });

const findingArb: fc.Arbitrary<Finding> = fc.record({
  file: fc.option(text(80), { nil: null }),
  line: positive,
  column: positive,
  rule: fc.option(text(20), { nil: null }),
  severity: fc.constantFrom(...Severity.options),
  message: text(400),
});

const countsArb = fc.option(
  fc.record({ passed: fc.nat(10_000), failed: fc.nat(100), skipped: fc.nat(100), errors: fc.nat(100) }),
  { nil: null },
);

const checkArb: fc.Arbitrary<CheckResult> = fc
  .record(
    {
      id: text(60).filter((id) => id.length > 0),
      stage: fc.constantFrom(...STAGES),
      title: text(200),
      status: fc.constantFrom(...CheckStatus.options),
      durationMs: fc.nat(10_000_000),
      startOffsetMs: fc.nat(10_000_000),
      summary: text(500),
      command: text(200),
      reproduce: text(200),
      findings: fc.array(findingArb, { maxLength: 40 }),
      counts: countsArb,
      logTail: fc.oneof(text(300), fc.string({ unit: nasty, minLength: 2_000, maxLength: 6_000 })),
      skippedBecause: fc.option(text(300), { nil: null }),
      dependsOn: fc.array(text(30), { maxLength: 3 }),
      truncated: fc.record({ logBytesDropped: fc.nat(), findingsDropped: fc.nat(1000) }),
    },
    { requiredKeys: ["id", "stage", "title", "status", "durationMs", "summary", "command", "reproduce", "findings", "counts", "logTail", "skippedBecause", "dependsOn", "truncated"] },
  );

const reportArb: fc.Arbitrary<Report> = fc
  .tuple(fc.array(checkArb, { maxLength: 12 }), fc.array(text(300), { maxLength: 15 }), fc.nat(100_000_000))
  .map(([checks, errors, wallTimeMs]) => buildReport(checks, { startedAt: new Date(1_700_000_000_000), wallTimeMs, errors }));

function elements(nodes: (TNode | string)[], tagName: string): TNode[] {
  return nodes.flatMap((node) =>
    typeof node === "string" ? [] : [...(node.tagName === tagName ? [node] : []), ...elements(node.children, tagName)],
  );
}

// Generous per-check and per-report allowances; what matters is that a check's share
// does not grow with its findings or log.
const TEXT_BASE_CHARS = 8_000;
const TEXT_CHARS_PER_CHECK = 6_000;

describe("renderers on arbitrary valid reports (property)", () => {
  it("the arbitrary builds reports the schema accepts and validation leaves unchanged", () => {
    fc.assert(fc.property(reportArb, (report) => Report.safeParse(report).success && isDeepStrictEqual(validateReport(report), report)));
  });

  it("validateReport turns anything into a valid report, idempotently", () => {
    const junk = fc.oneof(fc.anything(), fc.record({ checks: fc.array(fc.oneof(fc.anything(), checkArb.map((c) => ({ ...c, durationMs: -1 })))) }));
    fc.assert(
      fc.property(junk, (candidate) => {
        const report = validateReport(candidate);
        assert.ok(Report.safeParse(report).success);
        assert.deepEqual(validateReport(report), report);
      }),
    );
  });

  it("never throw, in any format", () => {
    fc.assert(
      fc.property(reportArb, fc.constantFrom(...Format.options), fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>, (report, format, level) => {
        assert.equal(typeof renderReport(report, format, { colourLevel: level }), "string");
      }),
    );
  });

  it("text output is bounded, one line per line, and free of control characters at level 0", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const output = renderReport(report, "text", { colourLevel: 0 });
        assert.ok(Array.from(output).length <= TEXT_BASE_CHARS + TEXT_CHARS_PER_CHECK * report.checks.length);
        assert.ok(!/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(output));
        assert.ok(output.endsWith(`Exit code: ${report.exitCode}\n`));
      }),
    );
  });

  it("JSON parses back to the validated report", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        assert.deepEqual(JSON.parse(renderReport(report, "json", { colourLevel: 0 })), JSON.parse(JSON.stringify(validateReport(report))));
      }),
    );
  });

  it("JUnit is parseable XML 1.0 with one testcase per check", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const xml = renderReport(report, "junit", { colourLevel: 0 });
        assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml));
        assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml));
        assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(xml), "every & starts a reference");
        const nodes = parse(xml, { decodeEntities: true });
        const extra = report.errors.length > 0 ? 1 : 0;
        assert.equal(elements(nodes, "testcase").length, report.checks.length + extra);
        assert.equal(elements(nodes, "testsuites")[0]?.attributes.tests, String(report.checks.length + extra));
      }),
    );
  });

  it("GitHub output is one workflow command per line", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const lines = renderReport(report, "github", { colourLevel: 0 }).trimEnd().split("\n");
        assert.ok(lines.every((line) => /^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::/.test(line)), lines.join("\n"));
      }),
    );
  });

  it("Markdown closes every code fence, and user text cannot open or close a <details> block", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        const md = renderReport(report, "markdown", { colourLevel: 0 });
        let fence = 0;
        let opened = 0;
        let closed = 0;
        for (const line of md.split("\n")) {
          const run = /^(`{3,})/.exec(line)?.[1]?.length ?? 0;
          if (fence === 0 && run > 0) fence = run;
          else if (fence > 0 && run >= fence && /^`+$/.test(line)) fence = 0;
          else if (fence === 0) {
            opened += line.split("<details>").length - 1;
            closed += line.split("</details>").length - 1;
          }
        }
        assert.equal(fence, 0, "a fence is left open");
        assert.equal(opened, closed);
      }),
    );
  });
});
