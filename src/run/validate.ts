import { planChecks, type PlanOptions } from "../plan/index.js";
import type { SourceTree } from "../plan/source-tree.js";
import { buildReport, validateReport } from "../report/aggregate.js";
import { redactDeep, redactSecrets } from "../model/redact.js";
import type { Report } from "../model/report.js";
import type { Executor } from "./executor.js";
import { runPlan } from "./run-plan.js";

export interface ValidateInput {
  tree: SourceTree;
  /** predeploy.json text, or null when there is none. */
  configText: string | null;
  configOrigin: string;
  planOptions: PlanOptions;
  executor: Executor;
  secrets: readonly string[];
  failFast: boolean;
  reproduce: (id: string) => string;
  concurrency?: number;
}

/** Plans and runs; whatever breaks on the way still ends in a valid report (status error). */
export async function validate(input: ValidateInput): Promise<Report> {
  const startedAt = new Date();
  try {
    const plan = await planChecks(input.tree, input.configText, { ...input.planOptions, configOrigin: input.configOrigin });
    return await runPlan(plan, input.executor, {
      failFast: input.failFast,
      secrets: input.secrets,
      reproduce: input.reproduce,
      ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
    });
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error), input.secrets);
    const report = buildReport([], { startedAt, wallTimeMs: Date.now() - startedAt.getTime(), errors: [`predeploy could not plan or run the checks: ${message}`] });
    return validateReport(redactDeep(report, input.secrets));
  }
}
