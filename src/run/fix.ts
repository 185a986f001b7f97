import type { CheckResult, FixOutcome, Report } from "../model/report.js";
import { oneLine } from "../model/text.js";
import { inSource } from "../plan/containers.js";
import { fixArgv, fixCommandLine } from "../plan/fix-command.js";
import type { Plan } from "../plan/index.js";
import { shellQuote } from "../project/shell-quote.js";
import type { CheckSpec } from "../model/spec.js";
import type { Execution } from "./executor.js";
import { fixCommand } from "./runtime.js";

/**
 * Fixing what a report found, the same way in every executor: for each failing check whose
 * tool can fix its findings, one job runs the tool's fix commands in the check's own
 * container, and reports exactly the files they wrote (content hashes before and after), as
 * a base64 tar. Jobs run one after another, each on the tree the previous one left, linters
 * before formatters and generators last; a fixer that fails writes nothing.
 */

export const FIX_ARCHIVE = "/tmp/predeploy-fixed.tar.b64";

export interface FixJob {
  check: string;
  spec: CheckSpec;
  /** Each command, as run in the check's container and as a person runs it from the root. */
  commands: { argv: string[]; line: string }[];
  safe: boolean;
}

/** The fix jobs for a report's failing checks: safe ones, and with `includeUnsafe` the rest. */
export function fixJobs(plan: Pick<Plan, "checks">, report: Report, includeUnsafe: boolean): FixJob[] {
  const failing = new Map<string, CheckResult>(report.checks.filter((c) => c.status === "failed").map((c) => [c.id, c]));
  const jobs: FixJob[] = [];
  for (const spec of plan.checks) {
    const result = failing.get(spec.id);
    const fix = spec.fix;
    if (result === undefined || fix === undefined || (!fix.safe && !includeUnsafe)) continue;
    const seen = new Set<string>();
    const commands: FixJob["commands"] = [];
    for (const finding of result.findings) {
      if (finding.fix === undefined) continue;
      const argv = fixArgv(fix, finding);
      if (argv === null || seen.has(argv.join("\0"))) continue;
      seen.add(argv.join("\0"));
      commands.push({ argv, line: fixCommandLine(fix, argv) });
    }
    if (commands.length > 0) jobs.push({ check: spec.id, spec, commands, safe: fix.safe });
  }
  // Formatters last, so the formatter has the last word on what the linters' fixes wrote.
  const rank = (job: FixJob) => (!job.safe ? 2 : job.spec.tool.role === "formatter" ? 1 : 0);
  return jobs.sort((a, b) => rank(a) - rank(b));
}

/** The job as a spec any executor runs: the check's container, the fix commands as its command. */
export function fixJobSpec(job: FixJob): CheckSpec {
  const { fix: _fix, ...spec } = job.spec;
  return {
    ...spec,
    id: `${job.spec.id}.fix`,
    command: fixCommand(inSource("."), inSource(job.spec.fix?.cwd ?? "."), FIX_ARCHIVE, job.commands.map((c) => shellQuote(c.argv))),
    outputFiles: [FIX_ARCHIVE],
  };
}

/** The files a fix run says it wrote (from its stderr). */
export function fixedFiles(execution: Execution): string[] {
  const marker = execution.stderr.lastIndexOf("predeploy fixed:\n");
  if (marker === -1) return [];
  return execution.stderr
    .slice(marker + "predeploy fixed:\n".length)
    .split("\n")
    .map((line) => line.replace(/^\.\//, "").trim())
    .filter((line) => line !== "");
}

export interface FixPorts {
  /** Runs a spec on the tree as the fixes so far left it. */
  run(spec: CheckSpec): Promise<Execution>;
  /** Writes a fix run's files (a base64 tar) into the tree the next job and the re-validation see. */
  apply(archive: string, files: string[]): Promise<void>;
}

/** Runs the jobs in order; each outcome says what it wrote or why it failed (and then nothing was written). */
export async function applyFixes(jobs: readonly FixJob[], ports: FixPorts): Promise<FixOutcome[]> {
  const outcomes: FixOutcome[] = [];
  for (const job of jobs) {
    const command = job.commands.map((c) => c.line).join(" && ");
    const base = { check: job.check, command, safe: job.safe };
    let execution: Execution;
    try {
      execution = await ports.run(fixJobSpec(job));
    } catch (error) {
      outcomes.push({ ...base, status: "failed", files: [], message: oneLine(`the fixer could not run: ${error instanceof Error ? error.message : String(error)}`, 300) });
      continue;
    }
    const archive = execution.files[FIX_ARCHIVE] ?? "";
    if (execution.phase !== "command" || execution.exitCode !== 0) {
      const why = oneLine(execution.stderr.trim().split("\n").filter((l) => !l.startsWith("predeploy fix")).pop() ?? `exit ${execution.exitCode}`, 300);
      outcomes.push({ ...base, status: "failed", files: [], message: `the fixer failed (exit ${execution.exitCode}); nothing was written: ${why}` });
      continue;
    }
    const files = fixedFiles(execution);
    if (archive.trim() === "" || files.length === 0) {
      outcomes.push({ ...base, status: "nothing changed", files: [], message: "the fixer ran and changed no file" });
      continue;
    }
    await ports.apply(archive.trim(), files);
    outcomes.push({ ...base, status: "applied", files, message: `wrote ${files.join(", ")}` });
  }
  return outcomes;
}

/** Rounds of validate → fix: a fix can leave something another fixer fixes (a new migration to format). */
export const FIX_ROUNDS = 3;

export interface FixLoopPorts extends FixPorts {
  validate(): Promise<{ report: Report; plan: Pick<Plan, "checks"> }>;
}

/** Validates, applies the fixes, validates again, up to FIX_ROUNDS; the last report, with every fix's outcome. */
export async function fixAndRevalidate(ports: FixLoopPorts, includeUnsafe: boolean): Promise<Report> {
  const outcomes: FixOutcome[] = [];
  let { report, plan } = await ports.validate();
  for (let round = 0; round < FIX_ROUNDS; round += 1) {
    const jobs = fixJobs(plan, report, includeUnsafe);
    if (jobs.length === 0) break;
    const applied = await applyFixes(jobs, ports);
    outcomes.push(...applied);
    if (!applied.some((o) => o.status === "applied")) break;
    ({ report, plan } = await ports.validate());
  }
  return { ...report, fixes: outcomes };
}
