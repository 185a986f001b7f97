import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CONFIG_SCHEMA_FILE, README_FILE, configJsonSchemaText, readmeWithReference } from "../../scripts/gen-config-docs.js";

const FIX = "run `npx tsx scripts/gen-config-docs.ts` and commit the result";

test("schema/predeploy.schema.json is generated from the zod config schema", () => {
  assert.equal(readFileSync(CONFIG_SCHEMA_FILE, "utf8"), configJsonSchemaText(), FIX);
});

test("the predeploy.json reference in README.md is generated from the zod config schema", () => {
  const readme = readFileSync(README_FILE, "utf8");
  assert.equal(readme, readmeWithReference(readme), FIX);
  assert.match(readme, /\| `checks\.<id>\.timeoutSeconds` \|/);
  assert.match(readme, /\| `e2e\.sql` \|/);
});
