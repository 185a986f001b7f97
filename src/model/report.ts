import { z } from "zod";

/** Bumped on any breaking change to the report; additive fields keep the major. */
export const SCHEMA_VERSION = "1.4.0";

export const Stage = z.enum(["build", "quality", "test", "verify", "smoke"]);
export type Stage = z.infer<typeof Stage>;
export const STAGES: readonly Stage[] = Stage.options;

export const CheckStatus = z.enum(["passed", "failed", "skipped", "error", "timeout"]);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const Severity = z.enum(["error", "warning", "info"]);
export type Severity = z.infer<typeof Severity>;

export const Fix = z
  .object({
    command: z.string().describe("Run from the repository root; it rewrites the finding's file (or writes the migration)"),
    safe: z.boolean().describe("true: a mechanical change (formatting, a safe lint autofix); false: it writes code a person or agent must read (a migration)"),
  })
  .strict();
export type Fix = z.infer<typeof Fix>;

export const Finding = z
  .object({
    file: z.string().nullable().describe("Path relative to the source root, when the tool names one"),
    line: z.number().int().positive().nullable(),
    column: z.number().int().positive().nullable(),
    rule: z.string().nullable().describe("Tool rule or error code, e.g. F401, arg-type, TS2322"),
    severity: Severity,
    message: z.string(),
    fix: Fix.optional().describe("How the tool fixes it, where it can"),
  })
  .strict();
export type Finding = z.infer<typeof Finding>;

export const Counts = z
  .object({
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
  })
  .strict();
export type Counts = z.infer<typeof Counts>;

export const Truncation = z
  .object({
    logBytesDropped: z.number().int().nonnegative(),
    findingsDropped: z.number().int().nonnegative(),
  })
  .strict();

export const ServiceLog = z
  .object({
    service: z.string().min(1).describe("The alias the check reached it by, e.g. backend, worker, neon, db"),
    tail: z.string().describe("The last lines of its output, bounded, secrets redacted"),
  })
  .strict();
export type ServiceLog = z.infer<typeof ServiceLog>;

export const CheckResult = z
  .object({
    id: z.string().min(1),
    stage: Stage,
    title: z.string(),
    status: CheckStatus,
    durationMs: z.number().int().nonnegative(),
    startOffsetMs: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("When the check started, in ms after the run started; absent for checks that never started"),
    cached: z
      .boolean()
      .optional()
      .describe("True when the engine reused an earlier passing run with identical inputs instead of running it; failures are always run afresh"),
    summary: z.string().describe("One line"),
    command: z.string().describe("The command the check ran, shell-quoted"),
    reproduce: z.string().describe("One command that runs just this check"),
    findings: z.array(Finding),
    counts: Counts.nullable(),
    logTail: z.string().describe("Last lines of output, bounded, secrets redacted"),
    serviceLogs: z
      .array(ServiceLog)
      .optional()
      .describe("A failing verify check's services (backend, worker, Neon bridge, Postgres…): the end of each one's output; absent when it passed or bound none"),
    skippedBecause: z.string().nullable(),
    dependsOn: z.array(z.string()),
    truncated: Truncation,
  })
  .strict();
export type CheckResult = z.infer<typeof CheckResult>;

export const RunStatus = z.enum(["passed", "failed", "error"]);
export type RunStatus = z.infer<typeof RunStatus>;

export const StageSummary = z
  .object({
    stage: Stage,
    status: z.enum(["passed", "failed", "skipped", "error", "empty"]),
    durationMs: z.number().int().nonnegative().describe("From the first check's start to the last one's end"),
    checks: z.number().int().nonnegative(),
  })
  .strict();
export type StageSummary = z.infer<typeof StageSummary>;

export const Totals = z
  .object({
    checks: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    error: z.number().int().nonnegative(),
    timeout: z.number().int().nonnegative(),
  })
  .strict();

export const SecretOrigin = z
  .object({
    name: z.string().describe("The module argument, e.g. secretKey"),
    origin: z.enum(["passed", "random per run", "not used"]).describe("passed: the caller handed it in (e.g. from Doppler); random per run: made up for this run's throw-away stack"),
  })
  .strict();
export type SecretOrigin = z.infer<typeof SecretOrigin>;

export const FixOutcome = z
  .object({
    check: z.string().describe("The check whose findings the fixer fixed"),
    command: z.string(),
    safe: z.boolean(),
    status: z.enum(["applied", "failed", "nothing changed"]).describe("failed: the fixer failed and the tree was left as it was"),
    files: z.array(z.string()).describe("Source-relative files the fixer wrote"),
    message: z.string().describe("One line: what it wrote, or why it failed"),
  })
  .strict();
export type FixOutcome = z.infer<typeof FixOutcome>;

export const Report = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    tool: z.literal("predeploy"),
    status: RunStatus,
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]).describe("0 passed, 1 failed, 2 error"),
    startedAt: z.string().describe("ISO 8601"),
    wallTimeMs: z.number().int().nonnegative(),
    totals: Totals,
    stages: z.array(StageSummary),
    checks: z.array(CheckResult),
    errors: z.array(z.string()).describe("Run-level problems (bad config, bad input) with the fix"),
    secrets: z.array(SecretOrigin).optional().describe("Where each secret of the run came from; never its value"),
    fixes: z.array(FixOutcome).optional().describe("With --fix: what each fixer did before this report's validation ran"),
  })
  .strict();
export type Report = z.infer<typeof Report>;
