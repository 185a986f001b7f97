import { setMaxListeners } from "node:events";
import type { CheckResult } from "../model/report.js";
import type { CheckSpec } from "../model/spec.js";
import type { Attempt, AttemptOutcome } from "./attempt.js";
import type { Executor } from "./executor.js";
import { runContained, Stop } from "./contained.js";

export interface ScheduleOptions {
  /** Checks running at once; the rest wait. */
  concurrency: number;
  /** Stop starting checks after the first one that does not pass; what did not finish is skipped. */
  failFast: boolean;
  /** Judges a finished attempt; the scheduler only reads the status, to gate dependants. */
  settle: (attempt: Attempt) => CheckResult;
  /** Milliseconds clock; tests pass a fake. */
  now?: () => number;
}

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

function blockedBy(result: CheckResult): string {
  const how = result.status === "skipped" ? "was skipped" : result.status === "timeout" ? "timed out" : result.status;
  return `${result.id} ${how}`;
}

/**
 * Runs every check as soon as its prerequisites have passed — no stage barriers. A check
 * whose prerequisite did not pass is blocked with the reason; everything else still runs.
 * It only schedules: each attempt goes to `settle`, which makes the result.
 */
export async function schedule(specs: readonly CheckSpec[], executor: Executor, options: ScheduleOptions): Promise<CheckResult[]> {
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
  const blocked = (spec: CheckSpec, reason: string) => options.settle({ spec, outcome: { kind: "blocked", reason }, durationMs: 0 });

  /** The first of `ids` that did not pass, once all of them have ended. */
  const firstBlocker = async (ids: readonly string[]): Promise<CheckResult | undefined> =>
    (await Promise.all(ids.flatMap((id) => results.get(id) ?? []))).find((r) => r.status !== "passed");

  const runOne = async (spec: CheckSpec): Promise<CheckResult> => {
    if (cyclic.has(spec.id)) return blocked(spec, `dependency cycle through ${[...cyclic].join(", ")}`);
    // Prepared early: its container and services start once `prepareAfter` passed, outside the
    // slots (they mostly wait); the command takes a slot once every prerequisite passed.
    const early = spec.prepareAfter !== undefined;
    const blocker = await firstBlocker(early ? (spec.prepareAfter ?? []) : spec.dependsOn);
    if (blocker) return blocked(spec, blockedBy(blocker));
    let release: (() => void) | null = null;
    const takeSlot = async () => {
      release = await slots.acquire(priority.get(spec.id) ?? 1);
      if (stoppedBy !== null) throw new Stop({ kind: "blocked", reason: `fail-fast: stopped after ${stoppedBy} did not pass` });
    };
    let started = now();
    const ready = async () => {
      const late = await firstBlocker(spec.dependsOn);
      if (late) throw new Stop({ kind: "blocked", reason: blockedBy(late) });
      await takeSlot();
      // What it costs once its prerequisites passed: its duration starts here.
      started = now();
    };
    try {
      if (!early) {
        try {
          await takeSlot();
        } catch (error) {
          if (error instanceof Stop) return options.settle({ spec, outcome: error.outcome, durationMs: 0 });
          throw error;
        }
      }
      started = now();
      const cancel = { signal: stopAll.signal, outcome: (): AttemptOutcome => ({ kind: "cancelled", reason: `fail-fast: cancelled after ${stoppedBy ?? "another check"} did not pass` }) };
      const outcome = await runContained(spec, executor, { cancel, ...(early ? { ready } : {}) });
      const ran = outcome.kind !== "blocked";
      const result = options.settle({
        spec,
        outcome,
        durationMs: ran ? Math.max(0, Math.round(now() - started)) : 0,
        ...(ran ? { startOffsetMs: Math.max(0, Math.round(started - runStart)) } : {}),
      });
      if (options.failFast && result.status !== "passed" && outcome.kind !== "cancelled" && outcome.kind !== "blocked" && stoppedBy === null) {
        stoppedBy = spec.id;
        stopAll.abort();
      }
      return result;
    } finally {
      (release as (() => void) | null)?.();
    }
  };

  for (const spec of specs) {
    // Deferred so that every check's promise exists before any check looks up its prerequisites.
    results.set(spec.id, Promise.resolve().then(() => runOne(spec)));
  }
  return Promise.all(specs.map((s) => results.get(s.id) as Promise<CheckResult>));
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
