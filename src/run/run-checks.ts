import type { CheckResult } from "../model/report.js";
import type { CheckSpec } from "../model/spec.js";
import type { Executor } from "./executor.js";
import { buildResult, type ResultContext } from "./result.js";
import { schedule } from "./schedule.js";

export interface RunChecksOptions extends ResultContext {
  concurrency: number;
  failFast: boolean;
  now?: () => number;
}

/** Schedules the checks and turns each attempt into its result. */
export function runChecks(specs: readonly CheckSpec[], executor: Executor, options: RunChecksOptions): Promise<CheckResult[]> {
  const { concurrency, failFast, now, ...context } = options;
  return schedule(specs, executor, { concurrency, failFast, ...(now ? { now } : {}), settle: (attempt) => buildResult(attempt, context) });
}
