import { renderSarif } from "../../src/report/render-sarif.js";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse, type TNode } from "txml";
import { validateReport } from "../../src/report/aggregate.js";
import { Format, renderReport } from "../../src/report/render.js";
import { renderAgent } from "../../src/report/render-agent.js";
import { escapeData, escapeProperty, renderGithub } from "../../src/report/render-github.js";
import { renderJson } from "../../src/report/render-json.js";
import { escapeXmlAttribute, renderJunit } from "../../src/report/render-junit.js";
import { escapeMarkdown, renderMarkdown } from "../../src/report/render-markdown.js";
import { Report, SCHEMA_VERSION } from "../../src/model/report.js";
import { check, failedReport, finding, passedReport, reportOf } from "../support/report-fixtures.js";

function elements(nodes: (TNode | string)[], tagName: string): TNode[] {
  return nodes.flatMap((node) => {
    if (typeof node === "string") return [];
    return [...(node.tagName === tagName ? [node] : []), ...elements(node.children, tagName)];
  });
}

const parseXml = (xml: string): (TNode | string)[] => parse(xml, { decodeEntities: true, keepWhitespace: true });

describe("renderJson", () => {
  it("is 2-space JSON of the validated report that parses back to the same report", () => {
    const json = renderJson(failedReport);
    assert.ok(json.startsWith(`{\n  "schemaVersion": "${SCHEMA_VERSION}",\n  "tool": "predeploy",`));
    assert.ok(json.endsWith("}\n"));
    assert.deepEqual(Report.parse(JSON.parse(json)), failedReport);
  });

  it("is stable: validation puts keys in the schema's order, whatever the input's", () => {
    const shuffled = Object.fromEntries(Object.entries(passedReport).reverse()) as Report;
    assert.equal(renderJson(validateReport(shuffled)), renderJson(passedReport));
  });
});

describe("renderMarkdown", () => {
  it("passed: verdict heading and one table per non-empty stage, no problem section", () => {
    const md = renderMarkdown(passedReport);
    assert.ok(md.startsWith("## ✅ Pre-deploy validation: passed\n"));
    assert.equal(md.match(/^\| Status \| Check \| Duration \| Summary \|$/gm)?.length, 4);
    assert.match(md, /^\| ✅ passed \| `test\.pytest` pytest \| 9\.4s \| 12 passed \|$/m);
    assert.ok(!md.includes("## Problems"));
  });

  it("failed: details per problem with file:line bullets, reproduce and a collapsed log tail", () => {
    const md = renderMarkdown(failedReport);
    assert.ok(md.startsWith("## ❌ Pre-deploy validation: failed\n"));
    assert.match(md, /^### ❌ `quality\.ruff-check` ruff check$/m);
    assert.match(md, /^- `apps\/web\/inbox\/views\.py:3:8` `F401` \\`os\\` imported but unused$/m);
    assert.match(md, /^- … and 4 more \(see the JSON report\)$/m);
    assert.match(md, /```sh\ndagger call pre-deploy --only test\.pytest\n```/);
    assert.match(md, /<details><summary>Log tail<\/summary>\n\n```text\nFAILED apps\/web/);
    assert.match(md, /^\| ⏭️ skipped \| `verify\.intake-e2e` .* \| — \| skipped: build\.worker-bundle\.intake failed \|$/m);
    assert.equal(md.match(/<details>/g)?.length, md.match(/<\/details>/g)?.length);
  });

  it("escapes table breakers, HTML and emphasis; fences outlast backticks in the log", () => {
    assert.equal(escapeMarkdown("a|b <script> *x* _y_ [l](u) $m$"), "a\\|b &lt;script&gt; \\*x\\* \\_y\\_ \\[l\\](u) \\$m\\$");
    const report = reportOf([
      check({
        id: "test.a|b",
        stage: "test",
        status: "failed",
        title: "pipe | title",
        summary: "x | y\nz",
        logTail: "```\n</details>\n````\n",
      }),
    ]);
    const md = renderMarkdown(report);
    const row = md.split("\n").find((line) => line.startsWith("| ❌"));
    assert.equal(row, "| ❌ failed | `test.a\\|b` pipe \\| title | 1.0s | x \\| y z |");
    assert.match(md, /\n`````text\n```\n<\/details>\n````\n`````\n/);
  });
});

describe("renderJunit", () => {
  it("parses back with one testsuite per stage and counts that match the report", () => {
    const xml = renderJunit(failedReport);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    const nodes = parseXml(xml);
    const [root] = elements(nodes, "testsuites");
    assert.ok(root);
    assert.equal(root.attributes.tests, "7");
    assert.equal(root.attributes.failures, String(failedReport.totals.failed + failedReport.totals.timeout));
    assert.equal(root.attributes.errors, "1");
    assert.equal(root.attributes.skipped, "1");
    const suites = elements(nodes, "testsuite");
    assert.deepEqual(
      suites.map((s) => [s.attributes.name, s.attributes.tests]),
      [
        ["build", "2"],
        ["quality", "1"],
        ["test", "2"],
        ["verify", "2"],
      ],
    );
    const cases = elements(nodes, "testcase");
    assert.equal(cases.length, failedReport.checks.length);
    const pytest = cases.find((c) => c.attributes.name === "test.pytest");
    assert.equal(pytest?.attributes.classname, "predeploy.test");
    assert.equal(pytest?.attributes.time, "9.400");
    assert.equal(elements(nodes, "failure").length, 4);
    assert.deepEqual(
      elements(nodes, "failure").map((f) => f.attributes.type),
      ["failed", "failed", "failed", "timeout"],
    );
    assert.equal(elements(nodes, "error").length, 1);
    assert.equal(elements(nodes, "skipped")[0]?.attributes.message, "build.worker-bundle.intake failed");
    const ruff = cases.find((c) => c.attributes.name === "quality.ruff-check");
    const failureText = elements(ruff?.children ?? [], "failure")[0]?.children.join("");
    assert.match(failureText ?? "", /apps\/web\/inbox\/views\.py:3:8 F401 `os` imported but unused/);
  });

  it("a passed report has testcases without children", () => {
    const nodes = parseXml(renderJunit(passedReport));
    assert.equal(elements(nodes, "testcase").length, 6);
    assert.equal(elements(nodes, "failure").length + elements(nodes, "error").length + elements(nodes, "skipped").length, 0);
  });

  it("escapes markup and drops characters XML 1.0 forbids, and round-trips text", () => {
    const nasty = `a<b>&"c'\u0000\u0001\u001b[31m\uFFFF\uD800 ]]> é😀`;
    const report = reportOf([
      check({ id: "test.x", stage: "test", status: "failed", summary: nasty, findings: [finding({ message: nasty })], logTail: nasty }),
    ]);
    const xml = renderJunit(report);
    assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml));
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(xml), "no lone high surrogate");
    const nodes = parseXml(xml);
    const failure = elements(nodes, "failure")[0];
    assert.equal(failure?.attributes.message, `a<b>&"c'\uFFFD\uFFFD ]]> é😀`);
    assert.match(failure?.children.join("") ?? "", /^a<b>&"c'\uFFFD\uFFFD \]\]> é😀/);
    assert.equal(escapeXmlAttribute("x\ny\tz"), "x&#10;y&#9;z");
  });

  it("adds a run testcase for run-level errors", () => {
    const nodes = parseXml(renderJunit(reportOf([], ["predeploy.json is not valid JSON"])));
    const [root] = elements(nodes, "testsuites");
    assert.equal(root?.attributes.errors, "1");
    assert.equal(elements(nodes, "error")[0]?.attributes.message, "predeploy.json is not valid JSON");
  });
});

describe("renderGithub", () => {
  it("escapes data and properties as @actions/core does", () => {
    assert.equal(escapeData("100% done\r\nnext"), "100%25 done%0D%0Anext");
    assert.equal(escapeProperty("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
  });

  it("annotates each finding of a failed check at its file and line", () => {
    const lines = renderGithub(failedReport).trimEnd().split("\n");
    assert.ok(
      lines.includes(
        "::error file=workers/intake/src/index.ts,line=45,col=7,title=intake worker bundle%3A TS2322::Type 'string' is not assignable to type 'number'.",
      ),
    );
    assert.ok(lines.includes("::warning file=apps/web/inbox/models.py,line=9,col=1,title=ruff check%3A W291::Trailing whitespace"));
    assert.ok(lines.includes("::error file=apps/web/inbox/tests/test_api.py,line=42,title=pytest%3A test_intake_rejects_bad_key::assert 201 == 403"));
    assert.ok(lines.some((line) => line.startsWith("::error title=Verify%3A backend health::timed out: ")));
    assert.ok(lines.some((line) => line.startsWith("::error title=Test%3A Django system check::error: ")));
    assert.ok(!lines.some((line) => line.includes("intake-e2e") || line.includes("intake end to end")), "skipped checks are not annotated");
    assert.ok(lines.every((line) => line.startsWith("::")), "every line is a workflow command");
  });

  it("keeps one command per line whatever the message contains", () => {
    const report = reportOf([
      check({
        id: "quality.x",
        stage: "quality",
        status: "failed",
        findings: [finding({ file: "a,b:c.py", line: 1, rule: "R1", message: "line one\nline two\r\n::error::injected 100%" })],
      }),
    ]);
    const lines = renderGithub(report).trimEnd().split("\n");
    assert.equal(lines[0], "::error file=a%2Cb%3Ac.py,line=1,title=quality.x%3A R1::line one%0Aline two%0A::error::injected 100%25");
    assert.equal(lines.length, 2);
  });

  it("a passed report is a single notice", () => {
    assert.equal(
      renderGithub(passedReport),
      "::notice title=predeploy::Pre-deploy validation passed: 6 checks: 6 passed, 0 failed, 0 skipped (exit code 0)\n",
    );
  });
});

describe("renderAgent", () => {
  it("passed: verdict line, the passes on one line by stage, next step", () => {
    const lines = renderAgent(passedReport).trimEnd().split("\n");
    assert.equal(lines[0], "predeploy PASSED exit=0 checks=6 passed=6 failed=0 skipped=0 error=0 timeout=0 wall=1m 13s");
    assert.equal(lines[1], "PASS 6: build build.backend-image build.worker-bundle.intake; quality quality.ruff-check quality.tsc.intake; test test.pytest; verify verify.intake-e2e");
    assert.equal(lines.length, 3);
    assert.match(lines[2] ?? "", /^next: nothing to fix/);
  });

  it("a finding's fix is shown under it, and next prefers the fixes", () => {
    const withFix = {
      ...failedReport,
      checks: failedReport.checks.map((c) =>
        c.id === "quality.ruff-check" ? { ...c, findings: c.findings.map((f, i) => (i === 0 ? { ...f, fix: { command: "ruff check --fix apps/web/inbox/views.py", safe: true } } : f)) } : c,
      ),
    };
    const text = renderAgent(withFix);
    assert.match(text, /F401: `os` imported but unused\n {4}fix: ruff check --fix apps\/web\/inbox\/views\.py$/m);
    assert.match(text.trimEnd().split("\n").at(-1) ?? "", /^next: apply the safe fixes at once \(dagger call fix -y\) or each fix: line, then fix /);
    const unsafe = { ...withFix, checks: withFix.checks.map((c) => ({ ...c, findings: c.findings.map((f) => (f.fix ? { ...f, fix: { ...f.fix, safe: false } } : f)) })) };
    assert.match(renderAgent(unsafe), /fix: ruff check --fix apps\/web\/inbox\/views\.py \(review: it writes code\)/);
  });

  it("failed: details only for checks that did not pass", () => {
    const text = renderAgent(failedReport);
    assert.match(text, /^FAIL quality\.ruff-check 900ms\n {2}summary: 7 errors in 2 files\n {2}apps\/web\/inbox\/views\.py:3:8 F401: `os` imported but unused$/m);
    assert.match(text, /^ {2}\(4 more findings in the JSON report\)$/m);
    assert.match(text, /^SKIP verify\.intake-e2e\n {2}skipped because: build\.worker-bundle\.intake failed$/m);
    assert.match(text, /^TIMEOUT verify\.backend-health 1m 00s$/m);
    assert.match(text, /^ERROR test\.django-check 200ms$/m);
    assert.match(text, /^ {2}reproduce: dagger call pre-deploy --only test\.pytest$/m);
    assert.match(text, /^PASS 1: build build\.backend-image$/m, "the passes, one line");
    assert.ok(!/^PASS build\.backend-image/m.test(text), "no line of its own for a passed check");
    assert.match(text.trimEnd().split("\n").at(-1) ?? "", /^next: fix build\.worker-bundle\.intake, quality\.ruff-check/);
    assert.ok(!text.includes("\u001b") && !text.includes("═"));
  });
});

describe("renderReport", () => {
  it("dispatches every format", () => {
    assert.deepEqual(Format.options, ["text", "json", "markdown", "junit", "github", "agent", "sarif"]);
    assert.match(renderReport(failedReport, "text", { colourLevel: 0 }), /PRE-DEPLOY VALIDATION: FAILED/);
    assert.equal(renderReport(failedReport, "json", { colourLevel: 3 }), renderJson(failedReport));
    assert.equal(renderReport(failedReport, "markdown", { colourLevel: 0 }), renderMarkdown(failedReport));
    assert.equal(renderReport(failedReport, "junit", { colourLevel: 0 }), renderJunit(failedReport));
    assert.equal(renderReport(failedReport, "github", { colourLevel: 0 }), renderGithub(failedReport));
    assert.equal(renderReport(failedReport, "agent", { colourLevel: 0 }), renderAgent(failedReport));
    assert.equal(renderReport(failedReport, "sarif", { colourLevel: 0 }), renderSarif(failedReport));
  });
});
