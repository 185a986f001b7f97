import { redactor } from "../model/redact.js";
import type { CheckResult, CheckStatus, Finding, ServiceLog } from "../model/report.js";
import { boundFindings, cleanText, oneLine, tailText, toLines } from "../model/text.js";
import { tracebackFinding } from "../parse/python-traceback.js";
import { parseOutput } from "../parse/index.js";
import type { ParseResult } from "../parse/types.js";
import { shellQuote } from "../project/shell-quote.js";
import type { Attempt } from "./attempt.js";
import { fixArgv, fixCommandLine } from "../plan/fix-command.js";
import type { CheckSpec } from "../model/spec.js";
import type { Execution } from "./executor.js";
import { stoppedByTimeLimit } from "./time-limit.js";
import { missingLibraryMessage, missingToolMessage } from "./tool-missing.js";
import { infrastructureFailure } from "./infrastructure.js";
import { TIMEOUT_EXIT_CODES } from "./time-limit.js";
import { SERVICE_LOG_LINES } from "./service-logs.js";
import { NOT_READY_EXIT } from "./runtime.js";

export interface ResultContext {
  /** Secret values of the run: redacted from the raw output before anything reads it. */
  secrets: readonly string[];
  limits: { logTailBytes: number; logTailLines: number; maxFindings: number };
  /** The one-line command that runs just this check. */
  reproduce: (id: string) => string;
}

const SUMMARY_CHARS = 300;
/** Bytes of each service's log a result keeps. */
const SERVICE_LOG_BYTES = 6000;
/** BuildKit's progress prefix on a build step's output: `#8 0.512 `. */
const BUILDKIT_PREFIX = /^#\d+ \d+\.\d+ /;

type Verdict = Pick<CheckResult, "status" | "summary" | "findings" | "counts" | "skippedBecause" | "serviceLogs"> & { logTail?: string; logBytesDropped?: number };

/**
 * The one function that makes a CheckResult, for every way a check can end. Order matters:
 * the raw execution is redacted first — stdout, stderr, read-back files, the failed step,
 * thrown messages — and only then parsed, cut and bounded, so no cut can leave a fragment
 * of a secret that a later pass could no longer recognise.
 */
export function buildResult(attempt: Attempt, context: ResultContext): CheckResult {
  const redact = redactor(context.secrets);
  const { spec, outcome } = attempt;
  const verdict = ((): Verdict => {
    switch (outcome.kind) {
      case "blocked":
      case "cancelled":
        return skipped(outcome.reason);
      case "timeout":
        return timedOut(spec.id, outcome.limitMs, outcome.during);
      case "threw":
        return { ...nothing(), status: "error", summary: `the executor failed: ${redact(errorMessage(outcome.error))}` };
      case "ran": {
        const execution = redactExecution(outcome.execution, redact);
        return { ...judge(attempt, execution, context), serviceLogs: (execution.serviceLogs ?? []).map(boundServiceLog) };
      }
    }
  })();
  const bounded = boundFindings(verdict.findings, context.limits.maxFindings);
  const cached = outcome.kind === "ran" && outcome.execution.cached === true;
  return {
    id: spec.id,
    stage: spec.stage,
    title: spec.title,
    status: verdict.status,
    durationMs: Math.max(0, Math.round(attempt.durationMs)),
    ...(attempt.startOffsetMs !== undefined ? { startOffsetMs: attempt.startOffsetMs } : {}),
    ...(cached ? { cached } : {}),
    summary: oneLine(verdict.summary, SUMMARY_CHARS),
    command: redact(shellQuote(spec.command)),
    reproduce: context.reproduce(spec.id),
    findings: bounded.findings,
    counts: verdict.counts,
    logTail: verdict.logTail ?? "",
    ...(verdict.serviceLogs !== undefined && verdict.serviceLogs.length > 0 && verdict.status !== "passed" ? { serviceLogs: verdict.serviceLogs } : {}),
    skippedBecause: verdict.skippedBecause,
    dependsOn: spec.dependsOn,
    truncated: { logBytesDropped: verdict.logBytesDropped ?? 0, findingsDropped: bounded.dropped },
  };
}

function boundServiceLog(log: { service: string; text: string }): ServiceLog {
  return { service: log.service, tail: tailText(cleanText(log.text), { maxBytes: SERVICE_LOG_BYTES, maxLines: SERVICE_LOG_LINES }).text };
}

function nothing(): Pick<Verdict, "findings" | "counts" | "skippedBecause"> {
  return { findings: [], counts: null, skippedBecause: null };
}

function skipped(reason: string): Verdict {
  return { ...nothing(), status: "skipped", summary: `skipped: ${reason}`, skippedBecause: reason };
}

function timedOut(id: string, limitMs: number, during?: "setup"): Verdict {
  const seconds = Math.round(limitMs / 100) / 10;
  if (during === "setup") return { ...nothing(), status: "timeout", summary: `its container was not ready after ${seconds}s (image, installs, services); the command never started` };
  return { ...nothing(), status: "timeout", summary: `timed out after ${seconds}s; raise checks.${id}.timeoutSeconds in predeploy.json if it needs longer` };
}

function redactExecution(execution: Execution, redact: (text: string) => string): Execution {
  return {
    ...execution,
    stdout: redact(execution.stdout),
    stderr: redact(execution.stderr),
    files: Object.fromEntries(Object.entries(execution.files).map(([path, text]) => [path, redact(text)])),
    ...(execution.failedStep !== undefined ? { failedStep: redact(execution.failedStep) } : {}),
    ...(execution.serviceLogs !== undefined ? { serviceLogs: execution.serviceLogs.map((log) => ({ service: log.service, text: redact(log.text) })) } : {}),
  };
}

/** django.sh's word that the variable the settings failed on is unset in the check's environment. */
const UNSET_VARIABLE = /^predeploy: unset: [A-Za-z_]\w*$/m;

/** Status, summary and findings of a check whose executor returned (its output already redacted). */
function judge(attempt: Attempt, execution: Execution, context: ResultContext): Verdict {
  const { spec } = attempt;
  const combined = cleanText([execution.stdout, execution.stderr].filter((s) => s.length > 0).join("\n"));
  const tail = tailText(combined, { maxBytes: context.limits.logTailBytes, maxLines: context.limits.logTailLines });
  const log = { logTail: tail.text, logBytesDropped: tail.droppedBytes + (execution.outputBytesDropped ?? 0) };
  const library = missingLibraryMessage(spec, execution);
  if (library !== null) return { ...nothing(), ...log, status: "error", summary: library };
  if (execution.phase === "prepare") {
    const step = execution.failedStep ?? "container setup";
    // A setup step's own time limit, or the network under it, is not the project's failure.
    if (TIMEOUT_EXIT_CODES.has(execution.exitCode)) return { ...nothing(), ...log, status: "timeout", summary: `setup step exceeded its time limit: ${step} (exit ${execution.exitCode})` };
    const infrastructure = infrastructureFailure(combined);
    if (infrastructure !== null) return { ...nothing(), ...log, status: "error", summary: `setup could not reach a registry or the network (${step}): ${oneLine(infrastructure, SUMMARY_CHARS)}` };
    if (spec.setupFault !== undefined && !step.startsWith("docker build")) {
      return { ...nothing(), ...log, status: "error", summary: `predeploy's environment could not be set up (${step}: ${lastMeaningfulLine(combined) ?? `exit ${execution.exitCode}`}); ${spec.setupFault}` };
    }
    const summary = `setup failed before the check ran: ${step} (exit ${execution.exitCode})`;
    // A Python traceback in a build step (a Dockerfile RUN that imports the app) says more than its last line.
    const crash = tracebackFinding(toLines(combined).map((line) => line.replace(BUILDKIT_PREFIX, "")), { pathBase: spec.pathBase });
    const finding: Finding = crash ?? { file: null, line: null, column: null, rule: "setup", severity: "error", message: lastMeaningfulLine(combined) ?? summary };
    return { ...nothing(), ...log, status: "failed", summary, findings: [finding] };
  }
  if (execution.phase === "service") return { ...nothing(), ...log, ...serviceExited(execution) };
  if (execution.exitCode === NOT_READY_EXIT && NOT_READY.test(execution.stderr)) return { ...nothing(), ...log, ...serviceNotReady(execution) };
  if (stoppedByTimeLimit(execution.exitCode, attempt.durationMs, spec.timeoutMs)) return { ...timedOut(spec.id, spec.timeoutMs), ...log };
  const missing = missingToolMessage(spec, execution);
  if (missing !== null) return { ...nothing(), ...log, status: "error", summary: missing };
  let parsed: ParseResult;
  try {
    parsed = parseOutput(spec.parser, execution, { pathBase: spec.pathBase });
  } catch (error) {
    return { ...nothing(), ...log, status: "error", summary: `the ${spec.parser} parser failed: ${errorMessage(error)}` };
  }
  const status: CheckStatus = execution.exitCode !== 0 && parsed.status === "passed" ? "failed" : parsed.status;
  const summary = status === parsed.status ? parsed.summary : `exit code ${execution.exitCode}: ${parsed.summary}`;
  // The settings need a variable the deployment sets and predeploy was not given (django.sh checked it is unset): its input, not the project's failure.
  const unsetInput = status === "failed" && UNSET_VARIABLE.test(execution.stderr);
  return { ...log, status: unsetInput ? "error" : status, summary, findings: withFixes(spec, parsed), counts: parsed.counts, skippedBecause: null };
}

/** Each finding its tool can fix carries the command (see CheckSpec.fix, ParseResult.fixable). */
function withFixes(spec: CheckSpec, parsed: ParseResult): Finding[] {
  const fix = spec.fix;
  if (fix === undefined) return parsed.findings;
  return parsed.findings.map((finding, index) => {
    if (parsed.fixable?.[index] === false) return finding;
    const argv = fixArgv(fix, finding);
    return argv === null ? finding : { ...finding, fix: { command: fixCommandLine(fix, argv), safe: fix.safe } };
  });
}

/** What the runtime says of a service that was not ready (runtime.sh `wait_ready`). */
const NOT_READY = /^predeploy: service (\S+) was not ready within/m;
/** The runtime's own lines in a service's log (runtime.sh `serve`); its first says when it started. */
const RUNTIME_LINE = /^predeploy: /;

/** A Python exception's last line (`RuntimeError: TELEMETRY_ENDPOINT is not set`): the cause a server's own last words wrap. */
const EXCEPTION_LINE = /^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning): \S/;

/**
 * Why a service failed, from the end of its log: the runtime's diagnosis (it listens elsewhere, on
 * loopback only, its healthcheck did not pass), else the last exception it printed, else the last
 * line it printed.
 */
function serviceDiagnosis(execution: Execution, alias: string): string | null {
  const log = execution.serviceLogs?.find((l) => l.service === alias)?.text ?? "";
  const lines = toLines(cleanText(log)).map((l) => l.trim()).filter((l) => l !== "" && !/^predeploy: starting at /.test(l));
  const diagnosis = lines.filter((l) => RUNTIME_LINE.test(l) && !/ exited with code \d+/.test(l) && !/ ready after /.test(l) && !/ done after /.test(l)).pop();
  const own = lines.filter((l) => !RUNTIME_LINE.test(l));
  const why = diagnosis?.replace(RUNTIME_LINE, "") ?? own.filter((l) => EXCEPTION_LINE.test(l)).pop() ?? own.pop();
  return why === undefined ? null : oneLine(why, SUMMARY_CHARS);
}

function serviceFinding(alias: string, message: string): Finding {
  return { file: null, line: null, column: null, rule: `service:${alias}`, severity: "error", message };
}

/** A bound service exited while the command ran: the check's failure, said with its log. */
function serviceExited(execution: Execution): Pick<Verdict, "status" | "summary" | "findings"> {
  const alias = execution.failedStep ?? "a service";
  const why = serviceDiagnosis(execution, alias);
  const summary = `service ${alias} exited with code ${execution.exitCode}${why !== null ? `: ${why}` : " (its log is empty)"}`;
  return { status: "failed", summary, findings: [serviceFinding(alias, summary)] };
}

/** The command's services were not ready within their time: the check's failure, said with the service's log. */
function serviceNotReady(execution: Execution): Pick<Verdict, "status" | "summary" | "findings"> {
  const alias = NOT_READY.exec(execution.stderr)?.[1] ?? "a service";
  const why = serviceDiagnosis(execution, alias);
  const summary = `service ${alias} was not ready${why !== null ? `: ${why}` : ""}`;
  return { status: "failed", summary, findings: [serviceFinding(alias, summary)] };
}

function lastMeaningfulLine(text: string): string | null {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.length > 0 ? oneLine(lines[lines.length - 1] as string, SUMMARY_CHARS) : null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
