import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import type { PlanOptions } from "../../src/plan/index.js";
import type { Report } from "../../src/model/report.js";
import { resolveRunSecrets } from "../../src/run/secrets.js";
import { validate } from "../../src/run/validate.js";
import { HostSourceTree } from "../support/host-tree.js";
import { DockerExecutor } from "./docker-executor.js";
import { ProgressExecutor } from "./progress-executor.js";

export interface RunDirectoryOptions {
  planOptions?: Pick<PlanOptions, "only" | "skip" | "stage">;
  failFast?: boolean;
  concurrency?: number;
  /** Caller secrets (SECRET_KEY, INTAKE_API_KEY); the rest are random for the run. */
  passedSecrets?: { secretKey?: string; intakeApiKey?: string };
  /** Progress lines (check started/ended); none when absent. */
  progress?: (line: string) => void;
  /** How `reproduce` names the directory. */
  displayDir?: string;
}

export interface DirectoryRun {
  report: Report;
  /** The run's secret values, for redaction when rendering and for tests that look for leaks. */
  secretValues: string[];
}

/** Plans `dir` with the module's planner and runs it on Docker through the module's `validate`. */
export async function runDirectory(dir: string, options: RunDirectoryOptions = {}): Promise<DirectoryRun> {
  const root = resolve(dir);
  const secrets = resolveRunSecrets(options.passedSecrets ?? {});
  const docker = new DockerExecutor(root, secrets, { sourceExclude: SOURCE_EXCLUDES });
  const configText = await readFile(resolve(root, "predeploy.json"), "utf8").catch(() => null);
  const report = await validate({
    tree: new HostSourceTree(root),
    configText,
    configOrigin: "predeploy.json",
    planOptions: options.planOptions ?? {},
    executor: options.progress ? new ProgressExecutor(docker, options.progress) : docker,
    secrets: Object.values(secrets),
    failFast: options.failFast ?? false,
    reproduce: (id) => `npm run harness -- ${options.displayDir ?? dir} --only ${id}`,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  await docker.collectGarbage();
  return { report, secretValues: Object.values(secrets) };
}
