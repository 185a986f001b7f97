import { describe, it } from "node:test";
import { DaggerExecutor } from "../../src/dagger/executor.js";
import { assertConforms, CONFORMANCE } from "../support/conformance.js";
import { fakeEngine } from "../support/dagger-fake.js";

/** The conformance table through the Dagger executor, on the recording fake of the SDK. */
describe("conformance: the Dagger executor (recording fake)", () => {
  for (const c of CONFORMANCE) {
    it(c.name, async () => {
      const fake = fakeEngine(c.engine);
      const executor = new DaggerExecutor(fake.engine, fake.source, {}, "node:22-slim");
      await assertConforms(c, executor, () => fake.recorder.evaluations.filter((e) => e.endsWith(".exitCode()")).length);
    });
  }
});
