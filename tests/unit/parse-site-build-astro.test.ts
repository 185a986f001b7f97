import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseSiteBuild } from "../../src/parse/site-build.js";

// An Astro 5 site of examples/agency importing an export packages/ui does not have
// (tests/faults-agency/site-missing-ui-export), as `pnpm run build` printed it, paths as in the container.
const output = readFileSync(new URL("../fixtures/agency/site-missing-ui-export.site-build.log", import.meta.url), "utf8");

test("Astro's Rollup error is one finding at the page's line, naming the missing export", () => {
  const result = parseSiteBuild({ exitCode: 1, stdout: output, stderr: "", files: {} }, { pathBase: "sites/bright-dental" });
  assert.equal(result.status, "failed");
  assert.equal(result.findings.length, 1, JSON.stringify(result.findings));
  const [finding] = result.findings;
  assert.equal(finding?.file, "sites/bright-dental/src/pages/index.astro");
  assert.equal(finding?.line, 4);
  assert.equal(finding?.column, 9);
  assert.match(finding?.message ?? "", /"formatOpeningHours" is not exported by "..\/..\/packages\/ui\/src\/index.ts"/);
});
