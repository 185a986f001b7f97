import { randomUUID } from "node:crypto";
import type { Images } from "../plan/containers.js";
import type { Report } from "../model/report.js";
import { redactSecrets } from "../model/redact.js";
import { planChecks, type Plan, type PlanOptions } from "../plan/index.js";
import type { SourceTree } from "../project/source-tree.js";
import { buildReport } from "../report/aggregate.js";
import type { Executor } from "./executor.js";
import { runPlan } from "./run-plan.js";
import { resolveRunSecrets, secretOrigins, type CallerSecrets } from "./secrets.js";

/** What a run needs from where it runs: the Dagger module and the Docker harness each provide these. */
export interface SourcePorts {
  tree: SourceTree;
  /** predeploy.json (or the file the caller named); may throw, e.g. an unreadable file. */
  readConfig(): Promise<{ text: string | null; origin: string }>;
  /** The secrets the caller passed, as plaintext; may throw (a secret from an unset variable). */
  callerSecrets(): Promise<CallerSecrets>;
  /** The executor, given every secret value of the run by name and the plan's images (its own helper containers use the Node one). */
  executor(secrets: Readonly<Record<string, string>>, images: Images): Executor;
  reproduce(id: string): string;
}

/** A finished run: the report, and the run's secret values for the belt-and-braces pass over renderings. */
export interface ValidatedRun {
  report: Report;
  secretValues: string[];
  /** The plan the report ran, when one could be made (a fix run needs its checks' specs). */
  plan?: Plan;
}

export interface ValidateRequest {
  planOptions: PlanOptions;
  failFast: boolean;
  concurrency?: number;
}

/**
 * The one composition of a run — read the inputs, resolve the secrets, plan, run — shared by
 * the module and the harness. Never throws: whatever breaks on the way still ends in a
 * valid report (status error, exit 2) that says what to fix.
 */
export async function validateSource(ports: SourcePorts, request: ValidateRequest): Promise<ValidatedRun> {
  const startedAt = new Date();
  let secretValues: string[] = [];
  try {
    const passed = await ports.callerSecrets().catch((error: unknown) => {
      throw new Error(`a secret argument could not be read (${errorMessage(error)}); pass it as env:NAME with NAME set, or leave it out`);
    });
    secretValues = Object.values(passed);
    const config = await ports.readConfig().catch((error: unknown) => {
      throw new Error(`the config file could not be read (${errorMessage(error)}); fix --config or remove it`);
    });
    const planOptions = { ...request.planOptions, externalDatabase: passed.databaseUrl !== undefined, runId: randomUUID(), configOrigin: config.origin };
    const plan = await planChecks(ports.tree, config.text, planOptions);
    // The throw-away database is created as the project names its own.
    const secrets = resolveRunSecrets(passed, plan.stack?.django?.database);
    secretValues = [...Object.values(passed), ...Object.values(secrets)];
    const report = await runPlan(plan, ports.executor(secrets, plan.images), {
      failFast: request.failFast,
      secrets: secretValues,
      secretOrigins: secretOrigins(passed),
      reproduce: (id) => ports.reproduce(id),
      ...(request.concurrency !== undefined ? { concurrency: request.concurrency } : {}),
    });
    return { report, secretValues, plan };
  } catch (error) {
    return { report: failedRun(startedAt, `predeploy could not plan or run the checks: ${errorMessage(error)}`, secretValues), secretValues };
  }
}

/** A report for a run that could not start or finish: no checks, the problem as its error (exit 2). */
export function failedRun(startedAt: Date, problem: string, secrets: readonly string[]): Report {
  return buildReport([], { startedAt, wallTimeMs: Date.now() - startedAt.getTime(), errors: [redactSecrets(problem, secrets)] });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
