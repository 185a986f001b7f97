import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DaggerExecutor } from "../../src/dagger/executor.js";
import { SECRET_NAMES } from "../../src/plan/constants.js";
import { assertConforms, assertRunsKeepTheirLogs, CONFORMANCE } from "../support/conformance.js";
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

  it("two runs at once read each their own run's folder of the shared log volume", async () => {
    const runs = ["run-a", "run-b"].map((run) => {
      const crash = CONFORMANCE.find((c) => c.spec.id === "verify.crash-early");
      const fake = fakeEngine(crash?.engine);
      return { fake, executor: new DaggerExecutor(fake.engine, fake.source, { [SECRET_NAMES.run]: fake.secret(run) }, "node:22-slim") };
    });
    await assertRunsKeepTheirLogs([runs[0]!.executor, runs[1]!.executor]);
    for (const [index, run] of ["run-a", "run-b"].entries()) {
      const reader = runs[index]!.fake.recorder.evaluations.find((e) => e.includes('runtime.sh","logs"')) ?? "";
      assert.ok(reader.includes(`withSecretVariable("PREDEPLOY_RUN", secret(${run}))`), reader);
    }
  });
});
