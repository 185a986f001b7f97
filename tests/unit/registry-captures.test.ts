import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TOOLS, type Tool } from "../../src/tools/index.js";
import { CAPTURES } from "../support/captures.js";
import { CATALOGUES, loadFaults, type CatalogueName } from "../support/fault-catalogue.js";

/**
 * Every registry entry is proven on its real tool's output: a capture of it passing (a green run
 * of an example or fixture project) and one of it failing (a fault that names it among its failing
 * checks), both of which parse-captures.test.ts judges. A new entry without them fails here.
 */

/** The ids a tool's checks take: exactly its own for a Python tool, any package's for a Node tool. */
function idPattern(tool: Tool): RegExp {
  if (tool.ecosystem === "python") return new RegExp(`^${tool.check.id.replace(/\./g, "\\.")}$`);
  const ids = tool.packages.map((role) => tool.check("PACKAGE", role).id.replace(/\./g, "\\.").replace("PACKAGE", "[^.]+"));
  return new RegExp(`^(?:${ids.join("|")})$`);
}

const captured = (catalogue: CatalogueName, slug: string): string[] => {
  const dir = join(CAPTURES, catalogue, slug);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)) : [];
};

const catalogues = Object.keys(CATALOGUES) as CatalogueName[];
const green = catalogues.flatMap((catalogue) => captured(catalogue, "green"));
const failing = catalogues.flatMap((catalogue) => loadFaults(catalogue).flatMap(({ slug, fault }) => captured(catalogue, slug).filter((id) => fault.failingChecks.includes(id))));

const checkName = (tool: Tool) => (tool.ecosystem === "python" ? tool.check.id : [...new Set(tool.packages.map((role) => tool.check("<package>", role).id))].join(", "));

for (const tool of TOOLS) {
  const pattern = idPattern(tool);
  test(`${checkName(tool)}: a passing and a failing capture of ${tool.program}`, () => {
    assert.ok(green.some((id) => pattern.test(id)), `no green capture: adopt it in an example or fixture project and run npm run capture`);
    assert.ok(failing.some((id) => pattern.test(id)), `no failing capture: add a fault that fails it to a catalogue and run npm run capture -- <catalogue>/<fault>`);
  });
}
