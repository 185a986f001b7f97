import type { CheckSpec, Layer } from "../model/spec.js";
import { program } from "../programs/index.js";
import { readyWaitSeconds } from "./runtime.js";

/**
 * Time limits are enforced inside the containers, because an engine cannot be told to stop
 * a call it has started: a check's command runs under coreutils `timeout` (TERM at the limit,
 * KILL 10 s later) with the check's limit, counted from when its services are ready (the
 * runtime's `check`, runtime.ts). Set-up steps (installs) run under one fixed limit for every
 * check (limit.sh), so a per-check limit never changes their arguments and shared installs stay
 * shared. Images without `timeout` run the command as is; the scheduler's deadline is the backstop.
 */

/** The limit of each set-up step, and of a check's whole set-up, for every check alike. */
export const SETUP_LIMIT_MS = 30 * 60_000;

/** Exit codes of `timeout`: 124 after TERM, 137 (128 + KILL) when the command ignored TERM. */
export const TIMEOUT_EXIT_CODES: ReadonlySet<number> = new Set([124, 137]);

export function limitSeconds(limitMs: number): number {
  return Math.max(1, Math.ceil(limitMs / 1000));
}

/** A set-up step under the set-up limit (limit.sh, inline: it needs no file in the container). */
export function setupStep(layer: Layer): Layer {
  return layer.kind === "exec" ? { kind: "exec", args: ["sh", "-c", program("limit.sh"), String(limitSeconds(SETUP_LIMIT_MS)), ...layer.args] } : layer;
}

/**
 * When the scheduler stops waiting for an executor that has not returned, counted from when the
 * executor says the command started: after the check's limit and `timeout`'s KILL, so the
 * container's own limit ends the command first and its output is kept; for a check that binds
 * services, also after the time the command may wait for them (an engine starts them with the
 * command, so "started" comes before they are ready).
 */
export function backstopMs(spec: Pick<CheckSpec, "timeoutMs" | "container">): number {
  return spec.timeoutMs + readyWaitSeconds(spec.container.services) * 1000 + Math.min(30_000, Math.max(5_000, Math.ceil(spec.timeoutMs / 10)));
}

/** The backstop of a check's set-up (image, installs), before its command starts. */
export function setupBackstopMs(): number {
  return SETUP_LIMIT_MS + 30_000;
}

/** True when the command's exit says `timeout` stopped it (and it had run that long). */
export function stoppedByTimeLimit(exitCode: number, durationMs: number, limitMs: number): boolean {
  return TIMEOUT_EXIT_CODES.has(exitCode) && durationMs >= limitSeconds(limitMs) * 1000 - 1000;
}
