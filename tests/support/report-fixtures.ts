/** Realistic check results and reports for the report module's tests. */
import { buildReport } from "../../src/report/aggregate.js";
import type { CheckResult, Finding, Report } from "../../src/model/report.js";

export const STARTED_AT = new Date("2025-11-23T10:00:00.000Z");

const reproduce = (id: string): string => `dagger call pre-deploy --only ${id}`;

/**
 * A check result with defaults for everything a test does not care about. An explicit
 * `startOffsetMs: undefined` leaves the field out, like a check that never started.
 */
export function check(overrides: Partial<CheckResult> & Pick<CheckResult, "id" | "stage">): CheckResult {
  const result: CheckResult = {
    title: overrides.id,
    status: "passed",
    durationMs: 1000,
    startOffsetMs: 0,
    summary: "ok",
    command: "true",
    reproduce: reproduce(overrides.id),
    findings: [],
    counts: null,
    logTail: "",
    skippedBecause: null,
    dependsOn: [],
    truncated: { logBytesDropped: 0, findingsDropped: 0 },
    ...overrides,
  };
  if (result.startOffsetMs === undefined) delete result.startOffsetMs;
  return result;
}

export function finding(overrides: Partial<Finding>): Finding {
  return { file: null, line: null, column: null, rule: null, severity: "error", message: "something is wrong", ...overrides };
}

export const passedChecks: CheckResult[] = [
  check({
    id: "build.backend-image",
    stage: "build",
    title: "Django container (apps/web/Dockerfile)",
    durationMs: 12_300,
    startOffsetMs: 0,
    summary: "image built",
    command: "docker build -f apps/web/Dockerfile .",
  }),
  check({
    id: "build.worker-bundle.intake",
    stage: "build",
    title: "intake worker bundle",
    durationMs: 4_200,
    startOffsetMs: 150,
    summary: "bundled 14.2 KiB",
    command: "npx wrangler deploy --dry-run --outdir /tmp/bundle",
  }),
  check({
    id: "quality.ruff-check",
    stage: "quality",
    title: "ruff check",
    durationMs: 800,
    startOffsetMs: 13_000,
    summary: "no findings",
    command: "ruff check --output-format=json .",
  }),
  check({
    id: "quality.tsc.intake",
    stage: "quality",
    title: "tsc --noEmit (intake)",
    durationMs: 3_100,
    startOffsetMs: 4_500,
    summary: "no type errors",
    command: "npx tsc --noEmit",
  }),
  check({
    id: "test.pytest",
    stage: "test",
    title: "pytest",
    durationMs: 9_400,
    startOffsetMs: 13_100,
    summary: "12 passed",
    command: "pytest --junitxml=/tmp/pytest.xml",
    counts: { passed: 12, failed: 0, skipped: 0, errors: 0 },
  }),
  check({
    id: "verify.intake-e2e",
    stage: "verify",
    title: "intake end to end (form → intake worker → backend → Postgres)",
    durationMs: 21_000,
    startOffsetMs: 25_000,
    summary: "row reached Postgres",
    command: "node /probe/e2e.mjs",
    dependsOn: ["build.worker-bundle.intake", "verify.backend-health"],
  }),
];

export const failedChecks: CheckResult[] = [
  check({
    id: "build.backend-image",
    stage: "build",
    title: "Django container (apps/web/Dockerfile)",
    durationMs: 12_300,
    startOffsetMs: 0,
    summary: "image built",
  }),
  check({
    id: "build.worker-bundle.intake",
    stage: "build",
    title: "intake worker bundle",
    status: "failed",
    durationMs: 3_000,
    startOffsetMs: 100,
    summary: "wrangler could not bundle the worker",
    command: "npx wrangler deploy --dry-run --outdir /tmp/bundle",
    findings: [
      finding({
        file: "workers/intake/src/index.ts",
        line: 45,
        column: 7,
        rule: "TS2322",
        message: "Type 'string' is not assignable to type 'number'.",
      }),
    ],
    logTail: "✘ [ERROR] Build failed with 1 error:\nsrc/index.ts:45:7: ERROR: Type 'string' is not assignable\n",
  }),
  check({
    id: "quality.ruff-check",
    stage: "quality",
    title: "ruff check",
    status: "failed",
    durationMs: 900,
    startOffsetMs: 12_400,
    summary: "7 errors in 2 files",
    command: "ruff check --output-format=json .",
    findings: [
      finding({ file: "apps/web/inbox/views.py", line: 3, column: 8, rule: "F401", message: "`os` imported but unused" }),
      finding({ file: "apps/web/inbox/views.py", line: 17, column: 5, rule: "E711", message: "Comparison to `None` should be `cond is None`" }),
      finding({ file: "apps/web/inbox/models.py", line: 9, column: 1, rule: "W291", severity: "warning", message: "Trailing whitespace" }),
    ],
    truncated: { logBytesDropped: 0, findingsDropped: 4 },
  }),
  check({
    id: "test.pytest",
    stage: "test",
    title: "pytest",
    status: "failed",
    durationMs: 9_400,
    startOffsetMs: 12_400,
    summary: "1 failed, 11 passed",
    command: "pytest --junitxml=/tmp/pytest.xml",
    counts: { passed: 11, failed: 1, skipped: 0, errors: 0 },
    findings: [
      finding({
        file: "apps/web/inbox/tests/test_api.py",
        line: 42,
        rule: "test_intake_rejects_bad_key",
        message: "assert 201 == 403",
      }),
    ],
    logTail: "FAILED apps/web/inbox/tests/test_api.py::test_intake_rejects_bad_key - assert 201 == 403\n1 failed, 11 passed in 3.2s\n",
  }),
  check({
    id: "test.django-check",
    stage: "test",
    title: "Django system check",
    status: "error",
    durationMs: 200,
    startOffsetMs: 12_400,
    summary: "the executor failed: container exited unexpectedly",
  }),
  check({
    id: "verify.backend-health",
    stage: "verify",
    title: "backend health",
    status: "timeout",
    durationMs: 60_000,
    startOffsetMs: 12_500,
    summary: "timed out after 60s; raise checks.verify.backend-health.timeoutSeconds in predeploy.json if it needs longer",
    logTail: "Watching for file changes with StatReloader\n",
  }),
  check({
    id: "verify.intake-e2e",
    stage: "verify",
    title: "intake end to end (form → intake worker → backend → Postgres)",
    status: "skipped",
    durationMs: 0,
    startOffsetMs: undefined,
    summary: "skipped: build.worker-bundle.intake failed",
    skippedBecause: "build.worker-bundle.intake failed",
    dependsOn: ["build.worker-bundle.intake", "verify.backend-health"],
  }),
];

export function reportOf(checks: CheckResult[], errors: string[] = []): Report {
  return buildReport(checks, { startedAt: STARTED_AT, wallTimeMs: 73_400, errors });
}

export const passedReport: Report = reportOf(passedChecks);
export const failedReport: Report = reportOf(failedChecks);
