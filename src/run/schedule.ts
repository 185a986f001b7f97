import { setMaxListeners } from "node:events";
import { parseOutput } from "../parse/index.js";
import type { CheckSpec } from "../plan/spec.js";
import { redactDeep, redactSecrets } from "../model/redact.js";
import type { CheckResult, CheckStatus, Finding } from "../model/report.js";
import { boundFindings, cleanText, oneLine, tailText } from "../model/text.js";
import type { Execution, Executor } from "./executor.js";
import { shellQuote } from "../plan/shell-quote.js";

export interface ScheduleOptions {
  /** Checks running at once; the rest wait. */
  concurrency: number;
  /** Stop starting checks after the first failure; what did not finish is skipped. */
  failFast: boolean;
  /** Secret values to redact from everything a result carries. */
  secrets: readonly string[];
  limits: { logTailBytes: number; logTailLines: number; maxFindings: number };
  /** The one-line command that runs just this check. */
  reproduce: (id: string) => string;
  /** Milliseconds clock; tests pass a fake. */
  now?: () => number;
}

const SUMMARY_CHARS = 300;

/** Grants slots to the waiting check with the highest priority first (FIFO among equals). */
class PrioritySlots {
  private waiting: { priority: number; grant: () => void }[] = [];
  constructor(private free: number) {}
  async acquire(priority: number): Promise<() => void> {
    if (this.free > 0) this.free -= 1;
    else
      await new Promise<void>((grant) => {
        const at = this.waiting.findIndex((w) => w.priority < priority);
        this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { priority, grant });
      });
    return () => {
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free += 1;
    };
  }
}

/**
 * Length of the longest chain of dependants below each check. Checks heading long chains
 * (build → migrations → health → end to end) go first, so a busy machine does not starve
 * the critical path.
 */
function chainLengths(specs: readonly CheckSpec[]): Map<string, number> {
  const dependants = new Map<string, string[]>();
  for (const spec of specs) for (const dep of spec.dependsOn) dependants.set(dep, [...(dependants.get(dep) ?? []), spec.id]);
  const memo = new Map<string, number>();
  const length = (id: string, seen: Set<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    const below = (dependants.get(id) ?? []).map((d) => length(d, new Set([...seen, id])));
    const value = 1 + Math.max(0, ...below);
    memo.set(id, value);
    return value;
  };
  return new Map(specs.map((s) => [s.id, length(s.id, new Set())]));
}

class TimeoutError extends Error {}
class CancelledError extends Error {}

/**
 * Runs every check as soon as its prerequisites have passed — no stage barriers. A check
 * whose prerequisite did not pass is skipped with the reason; everything else still runs.
 * Whatever goes wrong inside one check (executor, parser) becomes that check's `error`.
 */
export async function runChecks(specs: readonly CheckSpec[], executor: Executor, options: ScheduleOptions): Promise<CheckResult[]> {
  const now = options.now ?? Date.now;
  const runStart = now();
  const slots = new PrioritySlots(Math.max(1, options.concurrency));
  const priority = chainLengths(specs);
  const stopAll = new AbortController();
  // Every running check listens for fail-fast; more than Node's default of 10 is expected.
  setMaxListeners(Math.max(10, specs.length + 1), stopAll.signal);
  let stoppedBy: string | null = null;
  const results = new Map<string, Promise<CheckResult>>();
  const cyclic = findCycles(specs);

  const base = (spec: CheckSpec) => ({
    id: spec.id,
    stage: spec.stage,
    title: spec.title,
    command: redactSecrets(shellQuote(spec.command), options.secrets),
    reproduce: options.reproduce(spec.id),
    dependsOn: spec.dependsOn,
  });

  const skipped = (spec: CheckSpec, reason: string): CheckResult => ({
    ...base(spec),
    status: "skipped",
    durationMs: 0,
    summary: `skipped: ${reason}`,
    findings: [],
    counts: null,
    logTail: "",
    skippedBecause: reason,
    truncated: { logBytesDropped: 0, findingsDropped: 0 },
  });

  const runOne = async (spec: CheckSpec): Promise<CheckResult> => {
    if (cyclic.has(spec.id)) return skipped(spec, `dependency cycle through ${[...cyclic].join(", ")}`);
    const prerequisites = await Promise.all(spec.dependsOn.map((id) => results.get(id)).filter((p): p is Promise<CheckResult> => p !== undefined));
    const blocker = prerequisites.find((r) => r.status !== "passed");
    if (blocker) return skipped(spec, `${blocker.id} ${blocker.status === "skipped" ? "was skipped" : blocker.status === "timeout" ? "timed out" : blocker.status}`);
    const release = await slots.acquire(priority.get(spec.id) ?? 1);
    try {
      if (stoppedBy !== null) return skipped(spec, `fail-fast: stopped after ${stoppedBy} did not pass`);
      const started = now();
      const result = await execute(spec, executor, stopAll.signal, options);
      if (result.status === "skipped") return skipped(spec, `fail-fast: cancelled after ${stoppedBy ?? "another check"} did not pass`);
      const timed = { ...base(spec), ...result, durationMs: Math.max(0, Math.round(now() - started)), startOffsetMs: Math.max(0, Math.round(started - runStart)) };
      if (options.failFast && result.status !== "passed" && stoppedBy === null) {
        stoppedBy = spec.id;
        stopAll.abort();
      }
      return timed;
    } finally {
      release();
    }
  };

  for (const spec of specs) {
    // Deferred so that every check's promise exists before any check looks up its prerequisites.
    results.set(spec.id, Promise.resolve().then(() => runOne(spec)));
  }
  return Promise.all(specs.map((s) => results.get(s.id) as Promise<CheckResult>));
}

type Outcome = Pick<CheckResult, "status" | "summary" | "findings" | "counts" | "logTail" | "skippedBecause" | "truncated">;

async function execute(spec: CheckSpec, executor: Executor, stopAll: AbortSignal, options: ScheduleOptions): Promise<Outcome> {
  const controller = new AbortController();
  const onStop = () => controller.abort(new CancelledError("cancelled by fail-fast"));
  stopAll.addEventListener("abort", onStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(`timed out after ${formatSeconds(spec.timeoutMs)}`);
      controller.abort(error);
      reject(error);
    }, spec.timeoutMs);
  });
  const cancelled = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  const running = Promise.resolve().then(() => executor.run(spec, controller.signal));
  // The losers of the race below settle later; nobody awaits them then.
  for (const promise of [running, deadline, cancelled]) promise.catch(() => undefined);
  try {
    // Raced so a stuck executor cannot hold the run: the check ends at its deadline either way.
    const execution = await Promise.race([running, deadline, cancelled]);
    return interpret(spec, execution, options);
  } catch (error) {
    const message = redactSecrets(oneLine(errorMessage(error), SUMMARY_CHARS), options.secrets);
    if (error instanceof TimeoutError) {
      return { ...empty(), status: "timeout", summary: `${message}; raise checks.${spec.id}.timeoutSeconds in predeploy.json if it needs longer` };
    }
    if (error instanceof CancelledError) return { ...empty(), status: "skipped", summary: "cancelled by fail-fast" };
    return { ...empty(), status: "error", summary: `the executor failed: ${message}` };
  } finally {
    clearTimeout(timer);
    stopAll.removeEventListener("abort", onStop);
    controller.abort(new CancelledError("check finished"));
  }
}

function empty(): Omit<Outcome, "status" | "summary"> {
  return { findings: [], counts: null, logTail: "", skippedBecause: null, truncated: { logBytesDropped: 0, findingsDropped: 0 } };
}

/** Turns an execution into an outcome: parse, redact, bound. A parser that throws makes the check `error`. */
function interpret(spec: CheckSpec, execution: Execution, options: ScheduleOptions): Outcome {
  const secrets = options.secrets;
  const combined = cleanText([execution.stdout, execution.stderr].filter((s) => s.length > 0).join("\n"));
  const tail = tailText(redactSecrets(combined, secrets), { maxBytes: options.limits.logTailBytes, maxLines: options.limits.logTailLines });
  const logBytesDropped = tail.droppedBytes + (execution.outputBytesDropped ?? 0);
  let status: CheckStatus;
  let summary: string;
  let findings: Finding[];
  let counts: Outcome["counts"] = null;
  if (execution.phase === "prepare") {
    status = "failed";
    const step = execution.failedStep ?? "container setup";
    summary = `setup failed before the check ran: ${step} (exit ${execution.exitCode})`;
    const lastLine = lastMeaningfulLine(combined);
    findings = [{ file: null, line: null, column: null, rule: "setup", severity: "error", message: lastLine ?? summary }];
  } else {
    try {
      const parsed = parseOutput(spec.parser, execution, { pathBase: spec.pathBase });
      status = parsed.status;
      summary = parsed.summary;
      findings = parsed.findings;
      counts = parsed.counts;
      if (execution.exitCode !== 0 && status === "passed") {
        status = "failed";
        summary = `exit code ${execution.exitCode}: ${summary}`;
      }
    } catch (error) {
      return { ...empty(), status: "error", summary: redactSecrets(oneLine(`the ${spec.parser} parser failed: ${errorMessage(error)}`, SUMMARY_CHARS), secrets), logTail: tail.text, truncated: { logBytesDropped, findingsDropped: 0 } };
    }
  }
  const bounded = boundFindings(redactDeep(findings, secrets), options.limits.maxFindings);
  return {
    status,
    summary: redactSecrets(oneLine(summary, SUMMARY_CHARS), secrets),
    findings: bounded.findings,
    counts,
    logTail: tail.text,
    skippedBecause: null,
    truncated: { logBytesDropped, findingsDropped: bounded.dropped },
  };
}

function lastMeaningfulLine(text: string): string | null {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.length > 0 ? oneLine(lines[lines.length - 1] as string, SUMMARY_CHARS) : null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/** Ids of checks on a dependency cycle (they can never start). */
function findCycles(specs: readonly CheckSpec[]): Set<string> {
  const edges = new Map(specs.map((s) => [s.id, s.dependsOn]));
  const state = new Map<string, "visiting" | "done">();
  const cyclic = new Set<string>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      path.slice(path.indexOf(id)).forEach((c) => cyclic.add(c));
      return;
    }
    state.set(id, "visiting");
    for (const dep of edges.get(id) ?? []) visit(dep, [...path, id]);
    state.set(id, "done");
  };
  for (const spec of specs) visit(spec.id, []);
  return cyclic;
}
