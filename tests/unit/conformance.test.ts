import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DaggerExecutor } from "../../src/dagger/executor.js";
import { SECRET_NAMES } from "../../src/plan/constants.js";
import { assertConforms, CONFORMANCE } from "../support/conformance.js";
import { fakeEngine } from "../support/dagger-fake.js";

/** The conformance table through the Dagger executor, on the recording fake of the SDK. */
describe("conformance: the Dagger executor (recording fake)", () => {
  for (const c of CONFORMANCE) {
    it(c.name, async () => {
      const fake = fakeEngine(c.engine);
      const executor = new DaggerExecutor(fake.engine, fake.source, { [SECRET_NAMES.run]: fake.secret("run-1") }, "node:22-slim");
      await assertConforms(c, executor, () => fake.recorder.evaluations.filter((e) => e.endsWith(".exitCode()")).length, "dagger");
      const chains = fake.recorder.evaluations.join("\n");
      for (const call of c.expect.daggerCalls ?? []) assert.match(chains, call);
    });
  }
});
