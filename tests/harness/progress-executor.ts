import type { CheckSpec } from "../../src/model/spec.js";
import type { Execution, Executor } from "../../src/run/executor.js";

/** Wraps an executor to say on stderr when each check starts and ends: runs take minutes. */
export class ProgressExecutor implements Executor {
  constructor(
    private readonly inner: Executor,
    private readonly say: (line: string) => void,
  ) {}

  async run(spec: CheckSpec, signal: AbortSignal, commandStarted?: () => void, ready?: () => Promise<void>): Promise<Execution> {
    const started = Date.now();
    const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    this.say(`▶ ${spec.id}`);
    try {
      const execution = await this.inner.run(spec, signal, commandStarted, ready);
      const outcome = execution.phase === "prepare" ? `setup failed at ${execution.failedStep ?? "?"}` : `exit ${execution.exitCode}${execution.cached ? ", reused" : ""}`;
      this.say(`■ ${spec.id}: ${outcome} (${seconds()})`);
      return execution;
    } catch (error) {
      this.say(`■ ${spec.id}: stopped: ${error instanceof Error ? error.message : String(error)} (${seconds()})`);
      throw error;
    }
  }
}
