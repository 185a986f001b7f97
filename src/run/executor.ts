import type { CheckSpec } from "../model/spec.js";
import type { ToolOutput } from "../parse/types.js";

/**
 * Where an execution ended: building its container ("prepare"), its command ("command"), or a
 * service the command bound that exited while it ran ("service": the engine then cancels the
 * command, whose output is lost).
 */
export type ExecutionPhase = "prepare" | "command" | "service";

export interface Execution extends ToolOutput {
  /** "prepare" when building the container (image, Dockerfile, install layer) failed. */
  phase: ExecutionPhase;
  /** For a prepare failure: the step that failed, as shown to people; for a service failure, the service's alias. */
  failedStep?: string;
  /** The end of each of its services' logs (raw: the result builder redacts them), read when it did not pass. */
  serviceLogs?: { service: string; text: string }[];
  /** Output bytes the executor did not keep (it bounds what it captures); reported as cut. */
  outputBytesDropped?: number;
  /** True when this is an earlier passing execution with identical inputs, reused without running. */
  cached?: boolean;
}

/**
 * Runs one check's container and command. Implementations: `src/dagger/executor.ts` (the product)
 * and the Docker harness in tests. A non-zero exit of the command is a normal return,
 * not a throw; a throw means the executor itself broke and the check becomes `error`.
 * Implementations stop work and reject when `signal` aborts (timeouts, fail-fast).
 */
export interface Executor {
  /**
   * `commandStarted` is called once the container (its image, layers and services) is ready
   * and the check's own command starts: the check's time limit counts from then. `ready`, when
   * given, is awaited once the container and its services are up and before the command (and
   * before a reused result is returned): the scheduler's gate for a check prepared early
   * (`CheckSpec.prepareAfter`); it rejects when the check must not run, and so does `run`.
   */
  run(spec: CheckSpec, signal: AbortSignal, commandStarted?: () => void, ready?: () => Promise<void>): Promise<Execution>;
}
