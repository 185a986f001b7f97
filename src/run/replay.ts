import type { Execution } from "./executor.js";
import { TIMEOUT_EXIT_CODES } from "./time-limit.js";

/**
 * Engine cache policy for failures: an engine answers an exec whose inputs are unchanged from
 * its cache, failures included. A failure is run again, fresh, only when it was replayed —
 * the command writes its start time (engine clock, seconds) into a file as it starts (runtime.sh
 * `check`, STARTED_FILE), and a start well before this run's is a replay. A time limit's kill
 * (124/137) is never re-run.
 */

/** Clock skew between the engine and this process that still counts as "this run". */
const SKEW_MS = 60_000;

/** Whether a failed execution must be run again before it is reported: it was replayed (or it cannot be told). */
export function mustRunFresh(execution: Execution, startedFile: string | null, runStartedMs: number): boolean {
  if (execution.phase !== "command" || execution.exitCode === 0 || TIMEOUT_EXIT_CODES.has(execution.exitCode)) return false;
  const startedSeconds = Number((startedFile ?? "").trim());
  if (!Number.isFinite(startedSeconds) || startedSeconds <= 0) return true;
  return startedSeconds * 1000 < runStartedMs - SKEW_MS;
}
