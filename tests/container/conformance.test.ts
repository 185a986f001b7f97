/**
 * The conformance table (tests/support/conformance.ts) through the Docker harness, on real
 * containers: the same specs, the same expected results as the Dagger executor's.
 * Run: node --import tsx --test tests/container/conformance.test.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Execution, Executor } from "../../src/run/executor.js";
import { DockerExecutor } from "../harness/docker-executor.js";
import { assertConforms, CONFORMANCE } from "../support/conformance.js";
import { skipWithoutEngine } from "./engine.js";

/** Counts how often the check's command itself ran (a prepare failure never runs it). */
class Counting implements Executor {
  commandRuns = 0;
  constructor(private readonly inner: Executor) {}
  async run(...args: Parameters<Executor["run"]>): Promise<Execution> {
    const execution = await this.inner.run(...args);
    if (execution.phase === "command") this.commandRuns += 1;
    return execution;
  }
}

describe("conformance: the Docker harness (real containers)", { skip: skipWithoutEngine, concurrency: 2 }, () => {
  for (const c of CONFORMANCE) {
    it(c.name, async () => {
      const source = await mkdtemp(join(tmpdir(), "predeploy-conformance-"));
      try {
        const executor = new Counting(new DockerExecutor(source, {}, { serviceReadyTimeoutMs: 30_000 }));
        await assertConforms(c, executor, () => executor.commandRuns);
      } finally {
        await rm(source, { recursive: true, force: true });
      }
    });
  }
});
