import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SCHEMA_FILE, reportJsonSchemaText } from "../../scripts/gen-schema.js";
import { REPORT_SCHEMA_ID } from "../../src/report/json-schema.js";
import { SCHEMA_VERSION } from "../../src/model/report.js";
import { failedReport, passedReport } from "./report-fixtures.js";

type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
};

/**
 * A deliberately small JSON Schema validator covering the keywords the generated schema
 * uses (type, const, enum, anyOf, properties, required, additionalProperties, items,
 * minimum, exclusiveMinimum, maximum, minLength). It throws on a keyword it does not know, so a schema change
 * that needs more cannot pass silently. Returns the problems found, as paths.
 */
const KNOWN = new Set(["type", "const", "enum", "anyOf", "properties", "required", "additionalProperties", "items", "minimum", "exclusiveMinimum", "maximum", "minLength", "description", "$schema", "$id", "title"]);

function validate(schema: Schema, value: unknown, path = "$"): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`validator does not know ${key} (at ${path})`);
  if (schema.anyOf) {
    return schema.anyOf.some((option) => validate(option, value, path).length === 0) ? [] : [`${path}: matches no anyOf option`];
  }
  const problems: string[] = [];
  const typeOk: Record<string, (v: unknown) => boolean> = {
    object: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
    array: Array.isArray,
    string: (v) => typeof v === "string",
    number: (v) => typeof v === "number",
    integer: (v) => Number.isInteger(v),
    boolean: (v) => typeof v === "boolean",
    null: (v) => v === null,
  };
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length > 0 && !types.some((type) => (typeOk[type] ?? (() => false))(value))) return [`${path}: not ${types.join("|")}`];
  if ("const" in schema && value !== schema.const) problems.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: not one of ${schema.enum.join("|")}`);
  if (schema.minimum !== undefined && typeof value === "number" && value < schema.minimum) problems.push(`${path}: below minimum`);
  if (schema.maximum !== undefined && typeof value === "number" && value > schema.maximum) problems.push(`${path}: above maximum`);
  if (schema.exclusiveMinimum !== undefined && typeof value === "number" && value <= schema.exclusiveMinimum) {
    problems.push(`${path}: not above ${schema.exclusiveMinimum}`);
  }
  if (schema.minLength !== undefined && typeof value === "string" && value.length < schema.minLength) problems.push(`${path}: too short`);
  if (schema.items && Array.isArray(value)) value.forEach((item, i) => problems.push(...validate(schema.items as Schema, item, `${path}[${i}]`)));
  if (types.includes("object") && value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${path}.${key}: missing`);
    for (const [key, child] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...validate(property, child, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${key}: not allowed`);
    }
  }
  return problems;
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

  it("accepts real reports", () => {
    const schema = JSON.parse(committed()) as Schema;
    assert.deepEqual(validate(schema, JSON.parse(JSON.stringify(passedReport))), []);
    assert.deepEqual(validate(schema, JSON.parse(JSON.stringify(failedReport))), []);
  });

  it("rejects reports that break the contract (so the validator can fail)", () => {
    const schema = JSON.parse(committed()) as Schema;
    const report = JSON.parse(JSON.stringify(failedReport));
    report.exitCode = 3;
    report.checks[0].status = "green";
    report.checks[1].findings[0].line = 0;
    delete report.checks[2].reproduce;
    report.checks[3].extra = true;
    assert.deepEqual(validate(schema, report), [
      "$.exitCode: matches no anyOf option",
      "$.checks[0].status: not one of passed|failed|skipped|error|timeout",
      "$.checks[1].findings[0].line: matches no anyOf option",
      "$.checks[2].reproduce: missing",
      "$.checks[3].extra: not allowed",
    ]);
  });
});
