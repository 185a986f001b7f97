import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import AjvDraft04 from "ajv-draft-04";
import { renderSarif } from "../../src/report/render-sarif.js";
import { failedReport, passedReport } from "../support/report-fixtures.js";

/** SARIF 2.1.0, validated against the official JSON Schema (draft-04, as shipped by @microsoft/jest-sarif). */
const schemaPath = createRequire(import.meta.url).resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
// The official schema has a pattern invalid under the u flag, and formats beyond draft-04 core; neither is ours to fix.
const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false, logger: false }).compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);

function valid(text: string): Record<string, unknown> {
  const sarif = JSON.parse(text) as Record<string, unknown>;
  assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 1));
  return sarif;
}

type Run = { tool: { driver: { name: string; rules: { id: string; help: { text: string } }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] };

describe("renderSarif", () => {
  it("is valid SARIF 2.1.0: one run per check that ran, its rules with help, results with locations", () => {
    const sarif = valid(renderSarif(failedReport));
    const runs = sarif.runs as Run[];
    const ran = failedReport.checks.filter((c) => c.status !== "skipped").map((c) => c.id).sort();
    assert.deepEqual(runs.map((r) => r.tool.driver.name).sort(), ran);
    const ruff = runs.find((r) => r.tool.driver.name === "quality.ruff-check");
    assert.ok(ruff);
    const located = failedReport.checks.find((c) => c.id === "quality.ruff-check")?.findings.filter((f) => f.file !== null) ?? [];
    assert.equal(ruff.results.length, located.length);
    assert.equal(ruff.results[0]?.ruleId, "F401");
    assert.equal(ruff.results[0]?.level, "error");
    assert.equal(ruff.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, "apps/web/inbox/views.py");
    assert.equal(ruff.results[0]?.locations[0]?.physicalLocation.region?.startLine, 3);
    assert.deepEqual(ruff.tool.driver.rules.map((r) => r.id), [...new Set(located.map((f) => f.rule ?? "quality.ruff-check"))].sort());
    assert.ok(ruff.tool.driver.rules.every((r) => r.help.text.length > 0));
  });

  it("a passing run is an empty run, so code scanning closes what is fixed", () => {
    const runs = valid(renderSarif(passedReport)).runs as Run[];
    assert.equal(runs.length, passedReport.checks.length);
    assert.ok(runs.every((r) => r.results.length === 0));
  });

  it("the schema rejects what is not SARIF (so the validation can fail)", () => {
    assert.equal(validate({ version: "2.1.0", runs: [{ results: [] }] }), false, "a run needs its tool");
  });
});
