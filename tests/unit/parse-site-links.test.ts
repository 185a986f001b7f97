import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSiteLinks } from "../../src/parse/site-links.js";

const context = { pathBase: "sites/www" };
const run = (exitCode: number, stdout: string, stderr = "") => parseSiteLinks({ exitCode, stdout, stderr, files: {} }, context);

test("a finding per broken target at its page, line and column; the totals say what was checked", () => {
  const stdout = [
    "dist/index.html  1.73 kB",
    '{"finding":{"page":"dist/index.html","line":14,"column":17,"rule":"missing-asset","message":"<img src> loads /roastery.jpg, which is not in the build output"}}',
    '{"pages":1,"links":5}',
  ].join("\n");
  const result = run(1, stdout);
  assert.equal(result.status, "failed");
  assert.equal(result.summary, "1 finding in 1 file (5 links on 1 page)");
  assert.deepEqual(result.findings, [
    { file: "sites/www/dist/index.html", line: 14, column: 17, rule: "missing-asset", severity: "error", message: "<img src> loads /roastery.jpg, which is not in the build output" },
  ]);
  assert.deepEqual(run(0, '{"pages":2,"links":4}\n'), { status: "passed", summary: "4 links on 2 pages, all in the build output or a worker's route", findings: [], counts: null });
});

test("no totals: the build failed in this container (the site-build parser reads it), or linkinator left no report", () => {
  const build = run(1, "", "src/pages/index.astro (4:9): \"x\" is not exported by \"ui\".\n");
  assert.equal(build.status, "failed");
  assert.equal(build.findings[0]?.file, "sites/www/src/pages/index.astro");
  const noReport = run(2, "", "predeploy: linkinator left no report at /tmp/predeploy/links.json\n");
  assert.equal(noReport.status, "failed");
  assert.match(noReport.summary, /linkinator left no report/);
});
