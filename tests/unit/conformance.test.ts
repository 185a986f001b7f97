import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DaggerExecutor } from "../../src/dagger/executor.js";
import { runChecks } from "../../src/run/run-checks.js";
import { CONFORMANCE } from "../support/conformance.js";
import { fakeEngine } from "../support/dagger-fake.js";

/** The conformance table through the Dagger executor, on the recording fake of the SDK. */
describe("conformance: the Dagger executor (recording fake)", () => {
  for (const c of CONFORMANCE) {
    it(c.name, async () => {
      const fake = fakeEngine(c.engine);
      const executor = new DaggerExecutor(fake.engine, fake.source, {}, "node:22-slim");
      const [result] = await runChecks([c.spec], executor, {
        concurrency: 1,
        failFast: false,
        secrets: [],
        limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 20 },
        reproduce: (id) => id,
      });
      assert.ok(result);
      assert.equal(result.status, c.expect.status, result.summary);
      if (c.expect.summary) assert.match(result.summary, c.expect.summary);
      if (c.expect.logTail) assert.match(result.logTail, c.expect.logTail);
      if (c.expect.commandRuns !== undefined) assert.equal(fake.recorder.evaluations.filter((e) => e.endsWith(".exitCode()")).length, c.expect.commandRuns);
    });
  }
});
