import type { CheckSpec } from "../model/spec.js";
import type { Execution } from "./executor.js";

/**
 * How one check's turn ended, as the scheduler saw it: nothing here is parsed, redacted
 * or bounded yet — `buildResult` (result.ts) is the one place that turns it into a result.
 */
export type AttemptOutcome =
  /** The executor returned: the command ran (any exit code) or its container could not be prepared. */
  | { kind: "ran"; execution: Execution }
  /** The check's time limit passed after its command started, or its setup outlasted the setup limit. */
  | { kind: "timeout"; limitMs: number; during?: "setup" }
  /** Fail-fast stopped it after it started. */
  | { kind: "cancelled"; reason: string }
  /** The executor itself broke (engine error, a bug): the check could not be judged. */
  | { kind: "threw"; error: unknown }
  /** It never started: a prerequisite did not pass, fail-fast, a cycle, or the caller left it out. */
  | { kind: "blocked"; reason: string };

export interface Attempt {
  spec: CheckSpec;
  outcome: AttemptOutcome;
  durationMs: number;
  /** When it started, in ms after the run started; absent when it never started. */
  startOffsetMs?: number;
}
