import type { Plan } from "../plan/index.js";
import type { CheckSpec } from "../plan/spec.js";
import { buildReport, validateReport } from "../report/aggregate.js";
import { redactDeep } from "../model/redact.js";
import type { CheckResult, Report } from "../model/report.js";
import type { Executor } from "./executor.js";
import { runChecks } from "./schedule.js";
import { shellQuote } from "../plan/shell-quote.js";

export interface RunPlanOptions {
  failFast: boolean;
  /** Secret values of this run, redacted from the whole report. */
  secrets: readonly string[];
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
  const notRun = (spec: CheckSpec, reason: string): CheckResult => ({
    id: spec.id,
    stage: spec.stage,
    title: spec.title,
    status: "skipped",
    durationMs: 0,
    summary: `skipped: ${reason}`,
    command: shellQuote(spec.command),
    reproduce: options.reproduce(spec.id),
    findings: [],
    counts: null,
    logTail: "",
    skippedBecause: reason,
    dependsOn: spec.dependsOn,
    truncated: { logBytesDropped: 0, findingsDropped: 0 },
  });
  const ran = plan.runnable
    ? await runChecks(plan.checks, executor, {
        concurrency: options.concurrency ?? plan.limits.concurrency,
        failFast: options.failFast,
        secrets: options.secrets,
        limits: plan.limits,
        reproduce: options.reproduce,
        now,
      })
    : plan.checks.map((spec) => notRun(spec, "not run: the inputs are invalid (see errors)"));
  const excluded = plan.excluded.map(({ spec, reason }) => notRun(spec, reason));
  const report = buildReport([...ran, ...excluded], { startedAt, wallTimeMs: now() - start, errors: plan.errors });
  return validateReport(redactDeep(report, options.secrets));
}
