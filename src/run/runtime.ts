import { SECRET_NAMES } from "../plan/constants.js";
import { program } from "../programs/index.js";
import { shellQuote } from "../project/shell-quote.js";
import type { ContainerSpec, Layer, ServiceBinding, ServiceSpec } from "../model/spec.js";
import { BEGIN_LOG, END_LOG, SERVICE_LOGS, serviceLogFile } from "./service-logs.js";

/**
 * predeploy's runtime inside containers (src/programs/runtime.sh): the arguments every
 * executor gives it, and the file it is written to, last, in each container that runs it. One
 * service model for every engine: a service starts once the services it binds are ready, keeps
 * its output in the run's log, and signals its own readiness on READY_PORT; a check's command
 * waits for its services' readiness, then runs under its limit. No engine's health check or
 * start order is relied on (executors skip the engine's own checks: see src/dagger/executor.ts).
 */

/** Where the runtime is written in every container that runs it. */
export const RUNTIME_PATH = "/predeploy/runtime.sh";
/** The port a ready service accepts connections on (one per service container, never one it serves). */
export const READY_PORT = 47_801;
/** The exit code of a service, or a command, whose services were not ready (sysexits EX_UNAVAILABLE). */
export const NOT_READY_EXIT = 69;
/** Seconds a service may take to be ready, and a command waits for its services. */
export const READY_SECONDS = 300;
/**
 * The lifetime limit of every service, the same for all (a service's arguments must not depend
 * on the check that binds it, or equal services would be started twice): the longest check limit
 * predeploy.json allows, plus the time its services may take to be ready.
 */
export const SERVICE_LIMIT_SECONDS = 7200 + READY_SECONDS;
/** The file a check's command writes its start time to (run/replay.ts). */
export const STARTED_FILE = "/tmp/predeploy.started";
/**
 * The environment variable that names the run (its log folder). It is a secret of the run
 * (SECRET_NAMES.run): an engine keying secrets by value runs a service anew each run anyway, and
 * one keying them by name (the Docker harness) changes no cache key.
 */
export const RUN_ENV = "PREDEPLOY_RUN";

let text: string | null = null;

/** The runtime program with its constants assigned above it. */
export function runtimeProgram(): string {
  text ??= [
    `READY_PORT=${READY_PORT}`,
    `NOT_READY_EXIT=${NOT_READY_EXIT}`,
    `BEGIN_LOG=${shellQuote([BEGIN_LOG])}`,
    `END_LOG=${shellQuote([END_LOG])}`,
    `STARTED_FILE=${STARTED_FILE}`,
    `LOGS_DIR=${SERVICE_LOGS.dir}`,
    program("runtime.sh"),
  ].join("\n");
  return text;
}

/** The layer that writes the runtime: last, after the container's own layers, so none of theirs changes. */
export function runtimeLayer(): Layer {
  return { kind: "file", path: RUNTIME_PATH, contents: runtimeProgram() };
}

/** Seconds a waiting command gives a service beyond its own readiness limit: its container may start after the command's. */
const READY_MARGIN_SECONDS = 15;

/**
 * Seconds a command, or a service, waits for the services it binds (none: 0): the longest any of
 * them may take, counting its own wait for the services it binds, plus a margin, so that a
 * service that is not ready says why itself (it exits first, with its diagnosis) before anyone
 * waiting for it gives up.
 */
export function readyWaitSeconds(services: readonly ServiceBinding[]): number {
  if (services.length === 0) return 0;
  return Math.max(...services.map(({ service }) => (service.readySeconds ?? READY_SECONDS) + readyWaitSeconds(service.container.services))) + READY_MARGIN_SECONDS;
}

function aliases(services: readonly ServiceBinding[]): string {
  return [...new Set(services.map((binding) => binding.alias))].join(" ");
}

function seconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/** A check's command: it waits for the services it binds, then runs under its limit, counted from then. */
export function checkCommand(command: readonly string[], limitMs: number, services: readonly ServiceBinding[]): string[] {
  return ["sh", RUNTIME_PATH, "check", seconds(limitMs), String(readyWaitSeconds(services)), aliases(services), ...command];
}

/**
 * What a service runs: its command (its own, or the image's entrypoint and CMD that the executor
 * read from the image) under the runtime's `serve`, which orders, logs and signals readiness.
 */
export function serveCommand(service: ServiceSpec, command: readonly string[]): string[] {
  return [
    "sh",
    RUNTIME_PATH,
    "serve",
    service.name,
    serviceLogFile(service),
    String(SERVICE_LIMIT_SECONDS),
    String(service.readySeconds ?? READY_SECONDS),
    String(readyWaitSeconds(service.container.services)),
    aliases(service.container.services),
    service.ports.join(" "),
    service.oneShot === true ? "1" : "",
    service.readiness ?? "",
    ...command,
  ];
}

/** Prints the last `lines` lines of each service's log, between markers. */
export function logsCommand(logs: readonly { alias: string; file: string }[], lines: number): string[] {
  return ["sh", RUNTIME_PATH, "logs", String(lines), ...logs.map(({ alias, file }) => `${alias}=${file}`)];
}

/** A fix job's command: the fix commands in `cwd`, then the files they wrote into `archive`. */
export function fixCommand(root: string, cwd: string, archive: string, commands: readonly string[]): string[] {
  return ["sh", RUNTIME_PATH, "fix", root, cwd, archive, ...commands];
}

/** A container that runs the runtime: it is written last, and a service container also gets the run's id. */
export function withRuntime(container: ContainerSpec, service: boolean): ContainerSpec {
  return {
    ...container,
    layers: [...container.layers, runtimeLayer()],
    secretEnv: service ? { ...container.secretEnv, [RUN_ENV]: SECRET_NAMES.run } : container.secretEnv,
  };
}
