import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SCHEMA_FILE, reportJsonSchemaText } from "../../scripts/gen-schema.js";
import { REPORT_SCHEMA_ID } from "../../src/report/json-schema.js";
import { SCHEMA_VERSION } from "../../src/model/report.js";
import { failedReport, passedReport } from "../support/report-fixtures.js";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { planChecks } from "../../src/plan/index.js";
import { renderJson } from "../../src/report/render-json.js";
import { runPlan } from "../../src/run/run-plan.js";
import { FakeExecutor } from "../support/fake-executor.js";
import { stackTree } from "../support/trees.js";

/** The committed schema, compiled by a real JSON Schema (draft 2020-12) validator. */
function compiled(): ValidateFunction {
  return new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(committed()) as object);
}

function problems(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "$"}: ${e.message ?? e.keyword}`);
}

/** A real run: a plan of the stack, run through the scheduler and the result builder, every status on the way, rendered as JSON. */
async function realRunJson(): Promise<unknown> {
  const plan = await planChecks(stackTree(), null);
  const executor = new FakeExecutor({
    "quality.ruff-check": { kind: "exit", code: 1, stdout: '[{"code":"F401","filename":"/src/apps/web/x.py","location":{"row":1,"column":8},"message":"`os` imported but unused"}]' },
    "quality.mypy": { kind: "exit", code: 127, stderr: "sh: 1: exec: mypy: not found" },
    "test.pytest": { kind: "exit", code: 124, stderr: "Terminated" },
    "build.worker-bundle.intake": { kind: "prepare-fail", step: "npm ci", stderr: "npm error missing lockfile" },
  });
  const report = await runPlan({ ...plan, checks: plan.checks.map((c) => (c.id === "test.pytest" ? { ...c, timeoutMs: 100 } : c)) }, executor, {
    failFast: false,
    secrets: [],
    secretOrigins: [],
    reproduce: (id) => `predeploy check ${id}`,
  });
  return JSON.parse(renderJson(report));
}

const committed = (): string => readFileSync(SCHEMA_FILE, "utf8");

describe("schema/report.schema.json", () => {
  it("is in sync with the zod schema", () => {
    assert.equal(committed(), reportJsonSchemaText(), "schema/report.schema.json is stale: run `npx tsx scripts/gen-schema.ts` and commit it");
  });

  it("is draft 2020-12 with an id and a title naming the schema version", () => {
    const schema = JSON.parse(committed());
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.equal(schema.$id, REPORT_SCHEMA_ID);
    assert.ok(REPORT_SCHEMA_ID.endsWith(SCHEMA_VERSION));
    assert.equal(schema.title, "predeploy report");
    assert.deepEqual(schema.properties.checks.items.properties.status.enum, ["passed", "failed", "skipped", "error", "timeout"]);
    assert.ok(!schema.properties.checks.items.required.includes("startOffsetMs"), "startOffsetMs is optional");
  });

  it("accepts a real run's JSON rendering (every status), and the report fixtures", async () => {
    const validate = compiled();
    const json = (await realRunJson()) as { checks: { status: string }[] };
    assert.deepEqual(problems(validate, json), []);
    assert.deepEqual([...new Set(json.checks.map((c) => c.status))].sort(), ["error", "failed", "passed", "skipped", "timeout"]);
    assert.deepEqual(problems(validate, JSON.parse(JSON.stringify(passedReport))), []);
    assert.deepEqual(problems(validate, JSON.parse(JSON.stringify(failedReport))), []);
  });

  it("rejects reports that break the contract (so the validator can fail)", () => {
    const report = JSON.parse(JSON.stringify(failedReport));
    report.exitCode = 3;
    report.checks[0].status = "green";
    report.checks[1].findings[0].line = 0;
    delete report.checks[2].reproduce;
    report.checks[3].extra = true;
    const found = problems(compiled(), report).join("\n");
    for (const path of ["/exitCode", "/checks/0/status", "/checks/1/findings/0/line", "/checks/2", "/checks/3"]) assert.match(found, new RegExp(`^${path}: `, "m"), path);
  });
});
