import type { Plan } from "../plan/index.js";
import { buildReport } from "../report/aggregate.js";
import type { Report, SecretOrigin } from "../model/report.js";
import type { Executor } from "./executor.js";
import { buildResult } from "./result.js";
import { runChecks } from "./run-checks.js";

export interface RunPlanOptions {
  failFast: boolean;
  /** Secret values of this run, redacted from everything a check produced. */
  secrets: readonly string[];
  /** Where each secret came from, for the report. */
  secretOrigins?: SecretOrigin[];
  reproduce: (id: string) => string;
  /** Overrides the plan's concurrency (the harness runs fewer at once on small machines). */
  concurrency?: number;
  now?: () => number;
}

/** Runs a plan and returns the validated report. Never throws for anything a check does. */
export async function runPlan(plan: Plan, executor: Executor, options: RunPlanOptions): Promise<Report> {
  const now = options.now ?? Date.now;
  const startedAt = new Date(now());
  const start = now();
  const context = { secrets: options.secrets, limits: plan.limits, reproduce: options.reproduce };
  const notRun = (spec: Plan["checks"][number], reason: string) => buildResult({ spec, outcome: { kind: "blocked", reason }, durationMs: 0 }, context);
  const ran = plan.runnable
    ? await runChecks(plan.checks, executor, { ...context, concurrency: options.concurrency ?? plan.limits.concurrency, failFast: options.failFast, now })
    : plan.checks.map((spec) => notRun(spec, "not run: the inputs are invalid (see errors)"));
  const excluded = plan.excluded.map(({ spec, reason }) => notRun(spec, reason));
  return buildReport([...ran, ...excluded], {
    startedAt,
    wallTimeMs: now() - start,
    errors: plan.errors,
    ...(options.secretOrigins ? { secrets: options.secretOrigins } : {}),
  });
}
