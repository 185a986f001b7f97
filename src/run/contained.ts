import type { CheckSpec, ContainerSpec } from "../model/spec.js";
import type { AttemptOutcome } from "./attempt.js";
import type { Execution, Executor } from "./executor.js";
import { checkCommand, withRuntime } from "./runtime.js";
import { backstopMs, setupBackstopMs, setupStep, SETUP_LIMIT_MS } from "./time-limit.js";

/**
 * The one execution boundary: every check, fix job and debugging container is run through here,
 * by every executor. Containment makes the spec an executor runs (set-up steps under the set-up
 * limit, the runtime written last into the check's container and each service's, the command
 * waiting for its services and then under its limit); the backstop and cancellation bound the
 * executor's call from outside.
 */

function contained(container: ContainerSpec, service: boolean): ContainerSpec {
  return withRuntime(
    {
      ...container,
      layers: container.layers.map(setupStep),
      services: container.services.map(({ alias, service: inner }) => ({ alias, service: { ...inner, container: contained(inner.container, true) } })),
    },
    service,
  );
}

/** The spec an executor runs: the same check, contained (see above). */
export function containedSpec(spec: CheckSpec): CheckSpec {
  const container = contained(spec.container, false);
  return { ...spec, container, command: checkCommand(spec.command, spec.timeoutMs, container.services) };
}

/** Ends an attempt early with the outcome it carries (a refused `ready`, fail-fast, the backstop). */
export class Stop extends Error {
  constructor(readonly outcome: AttemptOutcome) {
    super(outcome.kind);
  }
}

export interface ContainedOptions {
  /** Aborted when the run stops starting work (fail-fast); `outcome` says how this attempt then ends. */
  cancel?: { signal: AbortSignal; outcome: () => AttemptOutcome };
  /** The scheduler's gate for a check prepared early (Executor.run); it throws a Stop to end the attempt. */
  ready?: () => Promise<void>;
}

/**
 * One execution, bounded: the time limit is enforced inside the container and counts from when
 * the command's services are ready; the deadline here is a backstop a little later, for an
 * executor that does not return. Until the command starts, the set-up limit applies.
 */
export async function runContained(spec: CheckSpec, executor: Executor, options: ContainedOptions = {}): Promise<AttemptOutcome> {
  const controller = new AbortController();
  const stop = (outcome: AttemptOutcome) => controller.abort(new Stop(outcome));
  const { cancel, ready } = options;
  const onCancel = () => cancel && stop(cancel.outcome());
  cancel?.signal.addEventListener("abort", onCancel, { once: true });
  if (cancel?.signal.aborted) onCancel();
  const runnable = containedSpec(spec);
  let timer = setTimeout(() => stop({ kind: "timeout", limitMs: SETUP_LIMIT_MS, during: "setup" }), setupBackstopMs());
  const commandStarted = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stop({ kind: "timeout", limitMs: spec.timeoutMs }), backstopMs(runnable));
  };
  const stopped = new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }));
  // A `ready` that refuses (a prerequisite did not pass) ends the attempt with its outcome.
  const gate =
    ready &&
    (async () => {
      try {
        await ready();
      } catch (error) {
        if (error instanceof Stop) stop(error.outcome);
        throw error;
      }
    });
  const running = Promise.resolve().then(() => executor.run(runnable, controller.signal, commandStarted, gate));
  // The loser of the race settles later; nobody awaits it then.
  for (const promise of [running, stopped]) promise.catch(() => undefined);
  try {
    return { kind: "ran", execution: await Promise.race([running, stopped]) };
  } catch (error) {
    return error instanceof Stop ? error.outcome : { kind: "threw", error };
  } finally {
    clearTimeout(timer);
    cancel?.signal.removeEventListener("abort", onCancel);
    controller.abort(new Stop({ kind: "cancelled", reason: "check finished" }));
  }
}

/** A contained execution whose only acceptable end is that it ran (a fix job): anything else is thrown, saying why. */
export async function executeContained(spec: CheckSpec, executor: Executor): Promise<Execution> {
  const outcome = await runContained(spec, executor);
  switch (outcome.kind) {
    case "ran":
      return outcome.execution;
    case "timeout":
      throw new Error(`${spec.id} timed out after ${Math.round(outcome.limitMs / 1000)}s${outcome.during === "setup" ? " (set-up)" : ""}`);
    case "threw":
      throw outcome.error;
    default:
      throw new Error(`${spec.id} did not run: ${outcome.reason}`);
  }
}
