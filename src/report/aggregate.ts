import {
  CheckResult,
  Report,
  SCHEMA_VERSION,
  STAGES,
  type SecretOrigin,
  type Stage,
  type StageSummary,
} from "../model/report.js";

export interface RunMeta {
  startedAt: Date;
  wallTimeMs: number;
  /** Run-level problems (bad config, bad input), each with its fix. */
  errors: string[];
  /** Where each secret came from. */
  secrets?: SecretOrigin[];
}

type Totals = Report["totals"];

const NOTHING_RAN = "No check ran: every check was skipped or none was planned. Check --only/--skip and the plan.";

export function countTotals(checks: readonly CheckResult[]): Totals {
  const totals: Totals = { checks: checks.length, passed: 0, failed: 0, skipped: 0, error: 0, timeout: 0 };
  for (const check of checks) totals[check.status] += 1;
  return totals;
}

/**
 * A stage's wall time: from its first check's start to its last one's end. Checks without
 * a start offset (older producers) count as their own duration, so the span is never
 * shorter than the stage's longest check. Skipped checks did not run and take no time.
 */
function stageSpanMs(checks: readonly CheckResult[]): number {
  let first = Infinity;
  let last = -Infinity;
  let longestUntimed = 0;
  for (const check of checks) {
    if (check.status === "skipped") continue;
    if (check.startOffsetMs === undefined) {
      longestUntimed = Math.max(longestUntimed, check.durationMs);
      continue;
    }
    first = Math.min(first, check.startOffsetMs);
    last = Math.max(last, check.startOffsetMs + check.durationMs);
  }
  return Math.max(last > first ? last - first : 0, longestUntimed);
}

function stageStatus(checks: readonly CheckResult[]): StageSummary["status"] {
  if (checks.length === 0) return "empty";
  if (checks.some((check) => check.status === "failed" || check.status === "timeout")) return "failed";
  if (checks.some((check) => check.status === "error")) return "error";
  if (checks.every((check) => check.status === "skipped")) return "skipped";
  return "passed";
}

export function summariseStages(checks: readonly CheckResult[]): StageSummary[] {
  return STAGES.map((stage: Stage) => {
    const inStage = checks.filter((check) => check.stage === stage);
    return { stage, status: stageStatus(inStage), durationMs: stageSpanMs(inStage), checks: inStage.length };
  });
}

/**
 * The verdict. A failure (a failed or timed-out check) is a definite "this deploy would
 * not succeed", so it wins: status failed, exit 1, even when something else also broke.
 * Without a failure, anything that kept the validation from being complete — a run-level
 * error, a check in `error`, or no check having run at all — is status error, exit 2.
 * Otherwise passed, exit 0 (skipped checks alone do not fail a run that has passes).
 */
export function verdict(totals: Totals, runErrors: readonly string[]): Pick<Report, "status" | "exitCode"> {
  if (totals.failed > 0 || totals.timeout > 0) return { status: "failed", exitCode: 1 };
  if (runErrors.length > 0 || totals.error > 0 || totals.passed === 0) return { status: "error", exitCode: 2 };
  return { status: "passed", exitCode: 0 };
}

/** The report of a run, validated: the one place a Report is made. */
export function buildReport(checks: readonly CheckResult[], meta: RunMeta): Report {
  const totals = countTotals(checks);
  const errors = [...meta.errors];
  const nothingRan = totals.passed + totals.failed + totals.error + totals.timeout === 0;
  if (nothingRan && errors.length === 0) errors.push(NOTHING_RAN);
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: "predeploy",
    ...verdict(totals, errors),
    startedAt: meta.startedAt.toISOString(),
    wallTimeMs: Math.max(0, Math.round(meta.wallTimeMs)),
    totals,
    stages: summariseStages(checks),
    checks: [...checks],
    errors,
    ...(meta.secrets !== undefined ? { secrets: meta.secrets } : {}),
  };
  return validateReport(report);
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The valid fields of a check that failed validation; anything unusable becomes a visible `error`. */
function salvageCheck(candidate: unknown, index: number): CheckResult {
  const parsed = CheckResult.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const raw = record(candidate);
  const keep = <K extends keyof CheckResult>(key: K, fallback: CheckResult[K]): CheckResult[K] => {
    const field = CheckResult.shape[key].safeParse(raw[key]);
    return field.success ? (field.data as CheckResult[K]) : fallback;
  };
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.join(".") || "(check)"}: ${issue.message}`)
    .join("; ");
  const id = keep("id", `unknown-check-${index + 1}`);
  return {
    id,
    stage: keep("stage", "verify"),
    title: keep("title", id),
    status: "error",
    durationMs: keep("durationMs", 0),
    summary: `Invalid check result (${problem})`,
    command: keep("command", ""),
    reproduce: keep("reproduce", ""),
    findings: keep("findings", []),
    counts: keep("counts", null),
    logTail: keep("logTail", ""),
    skippedBecause: null,
    dependsOn: keep("dependsOn", []),
    truncated: keep("truncated", { logBytesDropped: 0, findingsDropped: 0 }),
  };
}

/**
 * What the schema cannot express: the totals, stages and verdict must follow from the
 * checks. One exception: a report with run-level errors may be marked error (exit 2)
 * whatever its checks say — that is how `validateReport` marks a report it had to repair,
 * and a repaired report must validate as is.
 */
function inconsistencies(report: Report): string[] {
  const problems: string[] = [];
  const totals = countTotals(report.checks);
  if (JSON.stringify(totals) !== JSON.stringify(report.totals)) problems.push("totals: do not match the checks");
  const expected = verdict(totals, report.errors);
  const markedError = report.status === "error" && report.exitCode === 2 && report.errors.length > 0;
  if (!markedError && (expected.status !== report.status || expected.exitCode !== report.exitCode)) {
    problems.push(`status: ${report.status}/${report.exitCode} does not follow from the checks and errors`);
  }
  const stages = summariseStages(report.checks).map(({ stage, status, checks }) => ({ stage, status, checks }));
  const given = report.stages.map(({ stage, status, checks }) => ({ stage, status, checks }));
  if (JSON.stringify(stages) !== JSON.stringify(given)) problems.push("stages: do not match the checks");
  return problems;
}

/**
 * Parses a report with the schema and checks that its totals, stages and verdict follow
 * from its checks. A report that does not validate is never emitted as is, and never
 * thrown: it becomes an `error` report (exit 2) that names the problem and still lists
 * every check, keeping the fields that are valid. Idempotent.
 */
export function validateReport(candidate: unknown): Report {
  const parsed = Report.safeParse(candidate);
  const problems = parsed.success
    ? inconsistencies(parsed.data)
    : parsed.error.issues.map((issue) => `${issue.path.join(".") || "(report)"}: ${issue.message}`);
  if (parsed.success && problems.length === 0) return parsed.data;
  const raw = record(candidate);
  const checks = Array.isArray(raw.checks) ? raw.checks.map(salvageCheck) : [];
  const startedAt = typeof raw.startedAt === "string" ? raw.startedAt : new Date(0).toISOString();
  const wallTimeMs = typeof raw.wallTimeMs === "number" && Number.isFinite(raw.wallTimeMs) ? raw.wallTimeMs : 0;
  const runErrors = Array.isArray(raw.errors) ? raw.errors.filter((e): e is string => typeof e === "string") : [];
  const problem = problems.slice(0, 10).join("; ");
  const totals = countTotals(checks);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: "predeploy",
    status: "error",
    exitCode: 2,
    startedAt,
    wallTimeMs: Math.max(0, Math.round(wallTimeMs)),
    totals,
    stages: summariseStages(checks),
    checks,
    errors: [...runErrors, `The report failed validation, this is a predeploy bug: ${problem}`],
  };
}
