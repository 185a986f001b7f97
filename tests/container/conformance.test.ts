/**
 * The conformance table (tests/support/conformance.ts) through the Docker harness, on real
 * containers: the same specs, the same expected results as the Dagger executor's.
 * Run: node --import tsx --test tests/container/conformance.test.ts
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runChecks } from "../../src/run/run-checks.js";
import type { Execution, Executor } from "../../src/run/executor.js";
import { DockerExecutor } from "../harness/docker-executor.js";
import { CONFORMANCE } from "../support/conformance.js";
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
        const [result] = await runChecks([c.spec], executor, {
          concurrency: 1,
          failFast: false,
          secrets: [],
          limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 20 },
          reproduce: (id) => id,
        });
        assert.ok(result);
        assert.equal(result.status, c.expect.status, `${result.summary}\n${result.logTail}`);
        if (c.expect.summary) assert.match(result.summary, c.expect.summary);
        if (c.expect.logTail) assert.match(result.logTail, c.expect.logTail);
        if (c.expect.commandRuns !== undefined) assert.equal(executor.commandRuns, c.expect.commandRuns);
      } finally {
        await rm(source, { recursive: true, force: true });
      }
    });
  }
});
