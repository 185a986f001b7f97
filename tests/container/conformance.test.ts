/**
 * The conformance table (tests/support/conformance.ts) through the Docker harness, on real
 * containers: the same specs, the same expected results as the Dagger executor's.
 * Run: node --import tsx --test tests/container/conformance.test.ts
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Execution, Executor } from "../../src/run/executor.js";
import { DockerExecutor } from "../harness/docker-executor.js";
import { SECRET_NAMES } from "../../src/plan/constants.js";
import { assertConforms, assertRunsKeepTheirLogs, CONFORMANCE } from "../support/conformance.js";
import { skipWithoutEngine } from "./engine.js";

/** Counts how often the check's command itself started (a prepare failure never starts it; a service's exit cancels it). */
class Counting implements Executor {
  commandRuns = 0;
  constructor(private readonly inner: Executor) {}
  async run(...args: Parameters<Executor["run"]>): Promise<Execution> {
    const execution = await this.inner.run(...args);
    if (execution.phase !== "prepare") this.commandRuns += 1;
    return execution;
  }
}

describe("conformance: the Docker harness (real containers)", { skip: skipWithoutEngine, concurrency: 2 }, () => {
  for (const c of CONFORMANCE) {
    it(c.name, async () => {
      const source = await mkdtemp(join(tmpdir(), "predeploy-conformance-"));
      try {
        for (const [name, text] of Object.entries(c.files ?? {})) await writeFile(join(source, name), text);
        const executor = new Counting(new DockerExecutor(source, { [SECRET_NAMES.run]: randomUUID() }));
        await assertConforms(c, executor, () => executor.commandRuns, "docker");
      } finally {
        await rm(source, { recursive: true, force: true });
      }
    });
  }

  it("two runs at once on one engine keep each their own service logs", async () => {
    const source = await mkdtemp(join(tmpdir(), "predeploy-conformance-"));
    try {
      await assertRunsKeepTheirLogs([new DockerExecutor(source, { [SECRET_NAMES.run]: randomUUID() }), new DockerExecutor(source, { [SECRET_NAMES.run]: randomUUID() })]);
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });
});
