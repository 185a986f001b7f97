import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Chalk } from "chalk";
import { colourLevel } from "../../src/report/colour-level.js";
import { renderReport } from "../../src/report/render.js";
import { renderAgent } from "../../src/report/render-agent.js";
import { renderText } from "../../src/report/render-text.js";
import { stripAnsi } from "../../src/model/text.js";
import { check, failedReport, finding, passedReport, reportOf } from "../support/report-fixtures.js";

const plain = new Chalk({ level: 0 });
const RULE = "═".repeat(38);
const ESC = "\u001b[";

describe("renderText", () => {
  it("renders a passed report in the seed format", () => {
    const text = renderText(passedReport, { chalk: plain });
    const lines = text.trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, 3), [RULE, "PRE-DEPLOY VALIDATION: PASSED", RULE]);
    assert.equal(lines[3], "✓ Build: Django container (apps/web/Dockerfile) 12.3s");
    assert.ok(lines.includes("✓ Test: pytest (12 passed) 9.4s"));
    assert.deepEqual(lines.slice(-3), ["6 checks: 6 passed, 0 failed, 0 skipped · wall time 1m 13s", "Ready to deploy!", "Exit code: 0"]);
    assert.ok(!text.includes("reproduce:"), "passed checks need no reproduce line");
  });

  it("shows a passing check's warnings (the deployment checklist's, below its fail level) under its line, and in agent one WARN line", () => {
    const warnings = ["security.W004", "security.W008", "security.W012", "security.W016", "security.W018", "security.W020"].map((rule) =>
      finding({ file: null, line: null, rule, severity: "warning", message: `${rule} says so` }),
    );
    const report = reportOf([check({ id: "build.deploy-checklist", stage: "build", title: "Django deployment checklist (check --deploy)", status: "passed", summary: "6 warnings", findings: warnings })]);
    const lines = renderText(report, { chalk: plain }).split("\n");
    const at = lines.findIndex((line) => line.startsWith("✓ Build: Django deployment checklist (check --deploy) (6 warnings)"));
    assert.ok(at > 0, lines.join("\n"));
    assert.deepEqual(lines.slice(at + 1, at + 7), [...warnings.slice(0, 5).map((w) => `  ! ${w.rule} ${w.message}`), "  … 1 more finding"]);
    assert.equal(report.status, "passed");
    assert.match(renderAgent(report), /^WARN build\.deploy-checklist: 6 warnings: security\.W004 security\.W008 security\.W012 security\.W016 security\.W018 security\.W020$/m);
    // A passing check without findings shows nothing more.
    assert.ok(!renderAgent(passedReport).includes("WARN"));
  });

  it("renders a failed report with markers, findings, reasons and reproduce commands", () => {
    const text = renderText(failedReport, { chalk: plain });
    assert.match(text, /^PRE-DEPLOY VALIDATION: FAILED$/m);
    assert.match(text, /^✗ Build: intake worker bundle 3\.0s$/m);
    assert.match(text, /^ {2}→ workers\/intake\/src\/index\.ts:45:7 TS2322 Type 'string' is not assignable to type 'number'\.$/m);
    assert.match(text, /^ {2}reproduce: dagger call pre-deploy --only build\.worker-bundle\.intake$/m);
    assert.match(text, /^○ Verify: intake end to end .* \(skipped: build\.worker-bundle\.intake failed\)$/m);
    assert.match(text, /^! Test: Django system check \(error\) 200ms$/m);
    assert.match(text, /^⏱ Verify: backend health \(timed out\) 1m 00s$/m);
    assert.match(text, /^✗ Test: pytest \(11 passed, 1 failed\) 9\.4s$/m);
    assert.match(text, /^ {2}… 4 more findings$/m, "3 shown + 4 dropped before the report");
    assert.match(text, /^ {2}│ Watching for file changes with StatReloader$/m, "log tail when there are no findings");
    assert.ok(!text.includes("Ready to deploy!"));
    assert.ok(text.endsWith("Exit code: 1\n"));
  });

  it("orders checks by stage, then id", () => {
    const report = reportOf([
      check({ id: "verify.z", stage: "verify", title: "V" }),
      check({ id: "test.b", stage: "test", title: "T2" }),
      check({ id: "build.a", stage: "build", title: "B" }),
      check({ id: "test.a", stage: "test", title: "T1" }),
      check({ id: "quality.a", stage: "quality", title: "Q" }),
    ]);
    const titles = renderText(report, { chalk: plain })
      .split("\n")
      .filter((line) => line.startsWith("✓"))
      .map((line) => line.split(" ").slice(1, 3).join(""));
    assert.deepEqual(titles, ["Build:B", "Quality:Q", "Test:T1", "Test:T2", "Verify:V"]);
  });

  it("limits the findings shown per check", () => {
    const findings = Array.from({ length: 30 }, (_, i) => finding({ file: "a.py", line: i + 1, message: `problem ${i}` }));
    const report = reportOf([check({ id: "quality.a", stage: "quality", status: "failed", findings })]);
    const text = renderText(report, { chalk: plain, maxFindings: 2 });
    assert.equal(text.split("\n").filter((line) => line.startsWith("  → ")).length, 2);
    assert.match(text, /… 28 more findings/);
  });

  it("stays small however many findings and however much log a check has", () => {
    const findings = Array.from({ length: 1_000 }, () => finding({ file: "f".repeat(1_000), rule: "r".repeat(1_000), message: "m".repeat(10_000) }));
    const huge = (id: string, withFindings: boolean) =>
      check({
        id,
        stage: "test",
        status: "failed",
        title: "t".repeat(5_000),
        summary: "s".repeat(50_000),
        reproduce: "x".repeat(5_000),
        findings: withFindings ? findings : [],
        logTail: "log line\n".repeat(100_000),
      });
    const report = reportOf([huge("test.a", true), huge("test.b", false)], Array.from({ length: 100 }, () => "e".repeat(10_000)));
    const text = renderText(report, { chalk: plain });
    assert.ok(text.length < 10_000, `${text.length} characters`);
  });

  it("lists run-level errors", () => {
    const text = renderText(reportOf([], ["predeploy.json: checks.foo is not a known check"]), { chalk: plain });
    assert.match(text, /Run errors:\n {2}! predeploy\.json: checks\.foo is not a known check/);
    assert.match(text, /Exit code: 2/);
  });

  it("neutralises escape sequences and line breaks that come from tools", () => {
    const report = reportOf([
      check({ id: "test.a", stage: "test", status: "failed", summary: "\u001b[2J\u001b[31mred\u001b[0m\nsecond line", findings: [] }),
    ]);
    const text = renderText(report, { chalk: plain });
    assert.ok(!text.includes("\u001b"));
    assert.match(text, /^ {2}red second line$/m);
  });

  it("colours only when the chalk instance has a level", () => {
    assert.ok(!renderText(failedReport, { chalk: plain }).includes(ESC));
    const coloured = renderText(failedReport, { chalk: new Chalk({ level: 1 }) });
    assert.ok(coloured.includes(ESC));
    assert.equal(stripAnsi(coloured), renderText(failedReport, { chalk: plain }));
  });
});

describe("colourLevel", () => {
  it("is 0 when NO_COLOR is set, whatever its value, even with FORCE_COLOR or a TTY", () => {
    for (const value of ["1", "0", "false", "yes"]) {
      assert.equal(colourLevel({ NO_COLOR: value }, true), 0);
      assert.equal(colourLevel({ NO_COLOR: value, FORCE_COLOR: "3" }, true), 0);
    }
  });

  it("ignores an empty NO_COLOR, as no-color.org specifies", () => {
    assert.equal(colourLevel({ NO_COLOR: "" }, true), 1);
  });

  it("is 0 when not a TTY unless FORCE_COLOR says otherwise", () => {
    assert.equal(colourLevel({}, false), 0);
    assert.equal(colourLevel({ FORCE_COLOR: "1" }, false), 1);
    assert.equal(colourLevel({ FORCE_COLOR: "" }, false), 1);
    assert.equal(colourLevel({ FORCE_COLOR: "2" }, false), 2);
    assert.equal(colourLevel({ FORCE_COLOR: "3" }, false), 3);
    assert.equal(colourLevel({ FORCE_COLOR: "0" }, true), 0);
    assert.equal(colourLevel({ FORCE_COLOR: "false" }, true), 0);
  });

  it("follows the terminal's depth on a TTY", () => {
    assert.equal(colourLevel({ TERM: "xterm" }, true), 1);
    assert.equal(colourLevel({ TERM: "xterm-256color" }, true), 2);
    assert.equal(colourLevel({ COLORTERM: "truecolor" }, true), 3);
    assert.equal(colourLevel({ TERM: "dumb" }, true), 0);
  });

  it("renderReport's text has no colour at level 0 and colour above", () => {
    const level = colourLevel({ NO_COLOR: "1", FORCE_COLOR: "1" }, true);
    assert.ok(!renderReport(failedReport, "text", { colourLevel: level }).includes(ESC));
    assert.ok(renderReport(failedReport, "text", { colourLevel: 2 }).includes(ESC));
  });
});

it("a check reused from the engine's cache says so, in text and agent formats", () => {
  const report = reportOf([check({ id: "quality.x", stage: "quality", status: "passed", durationMs: 40, cached: true })]);
  assert.match(renderText(report, { chalk: new Chalk({ level: 0 }) }), /✓ Quality: .* 40ms \(cached\)$/m);
  assert.match(renderAgent(report), /^PASS 1 \(\* cached\): quality quality\.x\*$/m);
});
