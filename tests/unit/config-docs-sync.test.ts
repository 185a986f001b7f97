import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CONFIG_SCHEMA_FILE, README_FILE, checkDocs, configJsonSchemaText, readmeGenerated } from "../../scripts/gen-config-docs.js";
import { planChecks } from "../../src/plan/index.js";
import { agencyTree, stackTree } from "../support/trees.js";

const FIX = "run `npx tsx scripts/gen-config-docs.ts` and commit the result";

test("schema/predeploy.schema.json is generated from the zod config schema", () => {
  assert.equal(readFileSync(CONFIG_SCHEMA_FILE, "utf8"), configJsonSchemaText(), FIX);
});

test("the predeploy.json reference in README.md is generated from the zod config schema", () => {
  const readme = readFileSync(README_FILE, "utf8");
  assert.equal(readme, readmeGenerated(readme), FIX);
  assert.match(readme, /\| `checks\.<id>\.timeoutSeconds` \|/);
  assert.match(readme, /\| `e2e\.sql` \|/);
});

test("README.md's check table is generated from the registry and the plan's own checks, and names every check a plan makes", async () => {
  const readme = readFileSync(README_FILE, "utf8");
  assert.equal(readme, readmeGenerated(readme), FIX);
  const patterns = checkDocs().map((doc) => new RegExp(`^${doc.id.replace(/\./g, "\\.").replace(/<\w+>/g, "[^.]+")}$`));
  for (const tree of [stackTree(), agencyTree()]) {
    const plan = await planChecks(tree, null);
    for (const { id } of [...plan.checks, ...plan.leftOut]) assert.ok(patterns.some((p) => p.test(id)), `${id} is not in the check table`);
  }
  for (const id of ["quality.prettier.<package>", "build.deploy-checklist", "verify.intake-e2e"]) assert.ok(readme.includes(`| \`${id}\` |`), id);
});
