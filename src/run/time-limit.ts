import type { CheckSpec, ContainerSpec, Layer } from "../plan/spec.js";
import { afterServicesListen, serviceTargets } from "./readiness.js";
import { showingServiceLogs } from "./service-logs.js";

/**
 * Time limits are enforced inside the containers, because an engine cannot be told to stop
 * a call it has started: a check's command and its services' commands run under coreutils
 * `timeout` (TERM at the limit, KILL 10 s later) with the check's limit, counted from when the
 * command starts. Set-up steps (installs) run under one fixed limit for every check, so a
 * per-check limit never changes their arguments and shared installs stay shared. Images
 * without `timeout` run the command as is; the scheduler's deadline is the backstop.
 */

/** The limit of each set-up step, and of a check's whole set-up, for every check alike. */
export const SETUP_LIMIT_MS = 30 * 60_000;

const KILL_AFTER_SECONDS = 10;

/** Exit codes of `timeout`: 124 after TERM, 137 (128 + KILL) when the command ignored TERM. */
export const TIMEOUT_EXIT_CODES: ReadonlySet<number> = new Set([124, 137]);

export function limitSeconds(limitMs: number): number {
  return Math.max(1, Math.ceil(limitMs / 1000));
}

/** `argv` under the limit: `sh -c` runs it through `timeout` when the image has it, else as is. */
export function underTimeLimit(argv: readonly string[], limitMs: number): string[] {
  const script = `if command -v timeout >/dev/null 2>&1; then exec timeout -k ${KILL_AFTER_SECONDS} "$0" "$@"; fi; exec "$@"`;
  return ["sh", "-c", script, String(limitSeconds(limitMs)), ...argv];
}

/**
 * When the scheduler stops waiting for an executor that has not returned: late enough for
 * the container's own limit (and its KILL) to end the command first, so its output is kept.
 */
export function backstopMs(limitMs: number): number {
  return limitMs + Math.min(30_000, Math.max(5_000, Math.ceil(limitMs / 10)));
}

/** True when the command's exit says `timeout` stopped it (and it had run that long). */
export function stoppedByTimeLimit(exitCode: number, durationMs: number, limitMs: number): boolean {
  return TIMEOUT_EXIT_CODES.has(exitCode) && durationMs >= limitSeconds(limitMs) * 1000 - 1000;
}

function containedLayer(layer: Layer): Layer {
  return layer.kind === "exec" ? { kind: "exec", args: underTimeLimit(layer.args, SETUP_LIMIT_MS) } : layer;
}

function containedContainer(container: ContainerSpec, limitMs: number): ContainerSpec {
  return {
    ...container,
    layers: container.layers.map(containedLayer),
    services: container.services.map((binding) => {
      const inner = containedContainer(binding.service.container, limitMs);
      // No args: the image's own entrypoint and command, which the executor runs as it is.
      const args = binding.service.args.length > 0 ? underTimeLimit(afterServicesListen(binding.service.args, serviceTargets(inner.services)), limitMs) : [];
      return { alias: binding.alias, service: { ...binding.service, container: inner, args } };
    }),
  };
}

/**
 * The spec an executor runs: the same check with every command it starts under the check's
 * limit, each first waiting for the services it binds (readiness.ts), and a verify check's
 * command printing their logs when it fails (service-logs.ts).
 */
export function containedSpec(spec: CheckSpec): CheckSpec {
  const container = containedContainer(spec.container, spec.timeoutMs);
  const command = underTimeLimit(afterServicesListen(spec.command, serviceTargets(container.services)), spec.timeoutMs);
  // Only a verify check's services are what it checks; a test's Postgres log would be noise.
  return { ...spec, container, command: spec.stage === "verify" ? showingServiceLogs(command, container.services) : command };
}
