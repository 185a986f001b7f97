import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import type { Plan, PlanOptions } from "../../src/plan/index.js";
import type { Report } from "../../src/model/report.js";
import type { Executor } from "../../src/run/executor.js";
import type { CallerSecrets } from "../../src/run/secrets.js";
import { validateSource } from "../../src/run/validate.js";
import { HostSourceTree } from "../support/host-tree.js";
import { DockerExecutor } from "./docker-executor.js";
import { ProgressExecutor } from "./progress-executor.js";
import { ResultStore } from "./result-cache.js";

export interface RunDirectoryOptions {
  planOptions?: Pick<PlanOptions, "only" | "skip" | "stage" | "smoke">;
  failFast?: boolean;
  concurrency?: number;
  /** Caller secrets (SECRET_KEY, INTAKE_API_KEY, DATABASE_URL); the rest are random for the run. */
  passedSecrets?: CallerSecrets;
  /** Progress lines (check started/ended); none when absent. */
  progress?: (line: string) => void;
  /** How `reproduce` names the directory. */
  displayDir?: string;
  /**
   * Reuse the stored execution of a check whose inputs are unchanged since it passed, as a
   * Dagger engine would (result-cache.ts). Default: on, unless PREDEPLOY_REUSE_RESULTS=0.
   * Off, every check runs (a fresh run) and nothing is stored.
   */
  reuseResults?: boolean;
  /** Where results are stored; default under the harness state dir. */
  resultsDir?: string;
  /** Wraps the Docker executor (e.g. to record what each check printed), given the run's secrets. */
  wrap?: (executor: Executor, secrets: Readonly<Record<string, string>>) => Executor;
}

/** The default of `reuseResults`: on unless the environment turns it off. */
export function reuseResultsByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PREDEPLOY_REUSE_RESULTS !== "0";
}

export interface DirectoryRun {
  report: Report;
  /** The run's secret values, for redaction when rendering and for tests that look for leaks. */
  secretValues: string[];
  /** The plan the report ran (absent when none could be made). */
  plan?: Plan;
}

/** Plans `dir` with the module's planner and runs it on Docker through the module's own `validateSource`. */
export async function runDirectory(dir: string, options: RunDirectoryOptions = {}): Promise<DirectoryRun> {
  const root = resolve(dir);
  const reuse = options.reuseResults ?? reuseResultsByDefault();
  // Without reuse every check runs, and its passes are still stored for the runs that reuse (the suite's faults after its examples).
  const results = { results: new ResultStore(options.resultsDir), ...(reuse ? {} : { storeOnly: true }) };
  const smoke = options.planOptions?.smoke;
  let docker: DockerExecutor | null = null;
  const run = await validateSource(
    {
      tree: new HostSourceTree(root),
      readConfig: async () => ({ text: await readFile(resolve(root, "predeploy.json"), "utf8").catch(() => null), origin: "predeploy.json" }),
      callerSecrets: async () => options.passedSecrets ?? {},
      executor: (secrets) => {
        docker = new DockerExecutor(root, secrets, { sourceExclude: SOURCE_EXCLUDES, ...results });
        const wrapped = options.wrap ? options.wrap(docker, secrets) : docker;
        return options.progress ? new ProgressExecutor(wrapped, options.progress) : wrapped;
      },
      reproduce: (id) => `npm run harness -- ${options.displayDir ?? dir}${smoke !== undefined ? ` --smoke ${smoke.environment}` : ""} --only ${id}`,
    },
    {
      planOptions: options.planOptions ?? {},
      failFast: options.failFast ?? false,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    },
  );
  const executor = docker as DockerExecutor | null;
  if (executor !== null) {
    // Only a verdict of `passed` makes an execution reusable: the parser, not the exit code, decides.
    await executor.storePassed(run.report.checks.filter((check) => check.status === "passed").map((check) => check.id));
    await executor.collectGarbage();
  }
  return run;
}
