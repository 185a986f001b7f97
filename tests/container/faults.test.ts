/**
 * Every fault of the examples' catalogues (tests/faults for examples/stack, tests/faults-agency
 * for examples/agency, tests/faults-classic for examples/classic), applied to a fresh copy of
 * its example and validated with the full plan on Docker: exactly the fault's failing checks
 * fail, with the expected finding; what depends on them is skipped with the reason; everything
 * else passes. Faults run two at a time, sharing the warm layer cache (and, with result reuse,
 * every check the fault does not touch).
 * Run: node --import tsx --test tests/container/faults.test.ts
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import { describe, test } from "node:test";
import { Report } from "../../src/model/report.js";
import { CATALOGUES, EXAMPLES, findingMatches, loadFaults, type CatalogueName } from "../support/fault-catalogue.js";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { assertNoSecrets, blockedBy, checkById, describeProblems } from "./report-checks.js";
import { freshExampleCopy, REPO_ROOT, SUITE_CONCURRENCY } from "./stack-copy.js";

const FAULT_CONCURRENCY = 2;

for (const example of Object.keys(CATALOGUES) as CatalogueName[]) {
  const faults = loadFaults(example);
  describe(`faults of ${relative(REPO_ROOT, CATALOGUES[example].dir)}`, { concurrency: FAULT_CONCURRENCY }, () => {
    test("there are faults to run", () => {
      // An example's catalogue covers its stack; a fixture project's, the shape it was made for.
      const least = example in EXAMPLES ? 8 : 1;
      assert.ok(faults.length >= least, `only ${faults.length} faults in ${CATALOGUES[example].faults}`);
    });

    // The examples' own tests run them green; a fixture project's catalogue starts from its green run.
    if (!(example in EXAMPLES)) {
      test("green: every check passes", { skip: skipWithoutEngine }, async () => {
        const copy = await freshExampleCopy(example);
        try {
          const { report, secretValues } = await runDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY });
          assert.equal(report.exitCode, 0, describeProblems(report));
          for (const check of report.checks) assert.equal(check.status, "passed", `${check.id}: ${check.summary}`);
          assertNoSecrets(report, secretValues);
        } finally {
          await copy.remove();
        }
      });
    }

    for (const { slug, fault, dir } of faults) {
      test(slug, { skip: skipWithoutEngine }, async () => {
        const copy = await freshExampleCopy(example, dir);
        try {
          const { report: raw, secretValues } = await runDirectory(copy.dir, { concurrency: SUITE_CONCURRENCY });
          const report = Report.parse(JSON.parse(JSON.stringify(raw)));
          const context = `${fault.title}\n${describeProblems(report)}`;
          assert.equal(report.exitCode, 1, context);
          const failed = new Set(report.checks.filter((c) => c.status === "failed").map((c) => c.id));
          assert.deepEqual([...failed].sort(), [...fault.failingChecks].sort(), context);

          const { finding } = fault;
          const found = checkById(report, finding.check).findings.some((f) => findingMatches(finding, f));
          const findings = JSON.stringify(checkById(report, finding.check).findings, null, 1);
          assert.ok(found, `${finding.check} has no finding like ${JSON.stringify(finding)}; it has ${findings}`);
          if (fault.serviceLog !== undefined) {
            const { service, includes } = fault.serviceLog;
            const log = checkById(report, finding.check).serviceLogs?.find((l) => l.service === service);
            assert.ok(log?.tail.includes(includes), `${finding.check} has no ${service} log including ${JSON.stringify(includes)}: ${JSON.stringify(checkById(report, finding.check).serviceLogs)}`);
          }

          const blocked = blockedBy(report, failed);
          for (const check of report.checks) {
            if (failed.has(check.id)) continue;
            if (blocked.has(check.id)) {
              assert.equal(check.status, "skipped", `${check.id} depends on a failed check: ${context}`);
              assert.ok(check.skippedBecause, `${check.id} is skipped without a reason`);
            } else {
              assert.equal(check.status, "passed", `${check.id}: ${context}`);
            }
          }
          assertNoSecrets(report, secretValues);
        } finally {
          await copy.remove();
        }
      });
    }
  });
}
