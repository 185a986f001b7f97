import type { CheckSpec } from "../model/spec.js";
import type { Execution } from "./executor.js";
import { infrastructureFailure } from "./infrastructure.js";

/**
 * How an engine's errors read, as plain data: the Dagger executor hands its errors here
 * so that their classification is pure and unit-tested on the engine's message forms.
 */
export interface EngineError {
  /** "ExecError" when a process the engine ran exited non-zero. */
  name: string;
  message: string;
  cmd?: string[];
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

export function engineError(error: unknown): EngineError {
  if (error === null || typeof error !== "object") return { name: "Error", message: String(error) };
  const e = error as Partial<EngineError>;
  return {
    name: typeof e.name === "string" ? e.name : "Error",
    message: typeof e.message === "string" ? e.message : String(error),
    ...(Array.isArray(e.cmd) ? { cmd: e.cmd.map(String) } : {}),
    ...(typeof e.exitCode === "number" ? { exitCode: e.exitCode } : {}),
    ...(typeof e.stdout === "string" ? { stdout: e.stdout } : {}),
    ...(typeof e.stderr === "string" ? { stderr: e.stderr } : {}),
  };
}

function prepareFailure(failedStep: string, error: EngineError): Execution {
  return { phase: "prepare", failedStep, exitCode: error.exitCode ?? 1, stdout: error.stdout ?? "", stderr: error.stderr || error.message, files: {} };
}

/** A layer (install step) that exited non-zero while the container was prepared: the check's failure. */
export function layerFailure(error: EngineError): Execution | null {
  return error.name === "ExecError" && error.cmd ? prepareFailure(error.cmd.join(" "), error) : null;
}

/**
 * `expect: Any` accepts exit codes 0–127 and 192–255 only: a command killed by a signal
 * (128–191, e.g. 137 when the time limit's KILL or the OOM killer ended it) still raises an
 * ExecError. When its command is the check's own, it is the command's result, not an error.
 */
export function killedCommand(spec: CheckSpec, error: EngineError): Execution | null {
  if (error.name !== "ExecError" || error.exitCode === undefined || !sameArgs(error.cmd, spec.command)) return null;
  return { phase: "command", exitCode: error.exitCode, stdout: error.stdout ?? "", stderr: error.stderr ?? "", files: {} };
}

function sameArgs(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((arg, i) => arg === b[i]);
}

// A bound service that could not be started (core/services.go:544, StartBindings: "start <host> (<aliases>): …").
const SERVICE_START = /\bstart ([\w.-]+) \(([^)]*)\): /;
// A bound service that exited while the command ran (core/container_exec.go:387-390, serviceBindingExitError:
// "bound service <host> (<aliases>) exited: <its error>"); a service's own bound service exiting stops it
// with that error (core/service.go:973, stopDueToDependencyExit), so the innermost names the one that exited.
// The aliases read "aliased as a, b" (core/service.go:1639-1645, AliasSet.String).
const SERVICE_EXITED = /\bbound service ([\w.-]+) \(([^)]*)\) exited\b/g;

function firstAlias(aliases: string): string {
  return aliases.replace(/^aliased as /, "").replace(/[[\]]/g, "").split(/[,\s]+/).filter(Boolean)[0] ?? "";
}

/**
 * An error while the check's own command ran. The command runs with any exit code accepted, so
 * it cannot raise an ExecError itself: a bound service that exited meanwhile (the engine cancels
 * the command and keeps none of its output) is the check's failure, phase "service", naming the
 * service that exited first; an ExecError, or the engine's "start <host> (aliases)", is a service
 * that could not be started, a failure of the check's set-up.
 */
export function serviceFailure(spec: CheckSpec, error: EngineError): Execution | null {
  if (killedCommand(spec, error) !== null) return null;
  const exited = [...error.message.matchAll(SERVICE_EXITED)];
  const root = exited[exited.length - 1];
  if (root !== undefined) {
    const after = error.message.slice((root.index ?? 0) + root[0].length);
    const code = /exit code: (\d+)/.exec(after);
    return { phase: "service", failedStep: firstAlias(root[2] ?? ""), exitCode: code ? Number(code[1]) : 1, stdout: "", stderr: error.message, files: {} };
  }
  const start = SERVICE_START.exec(error.message);
  if (error.name !== "ExecError" && start === null) return null;
  const named = start?.[2] !== undefined ? firstAlias(start[2]) : "";
  const aliases = named || spec.container.services.map((b) => b.alias).join(", ");
  const command = error.cmd ? `: ${error.cmd.join(" ")}` : "";
  return prepareFailure(`service ${aliases}${command}`, error);
}

// Dockerfile problems that are the repository's: syntax, a missing COPY source, a RUN step that failed.
// Dagger converts a Dockerfile to its own calls, so a missing COPY source reads "lstat <path>: no such file or directory".
const DOCKERFILE_FAULT =
  /dockerfile parse error|lstat \S+: no such file or directory|failed to (?:parse|read) dockerfile|unknown instruction|failed to compute cache key|failed to calculate checksum|: not found$|did not complete successfully: exit code|failed to solve: (?:process|failed to compute cache key)/im;

/**
 * A Dockerfile build error: the check's failure when the Dockerfile or its context is at
 * fault or a RUN step failed; null (an engine `error`) for registry, network and engine faults.
 */
export function dockerfileFailure(dockerfile: string, error: EngineError): Execution | null {
  if (infrastructureFailure(`${error.message}\n${error.stderr ?? ""}`) !== null) return null;
  if (error.name === "ExecError") return prepareFailure(`docker build -f ${dockerfile}: ${(error.cmd ?? []).join(" ")}`, error);
  return DOCKERFILE_FAULT.test(error.message) ? prepareFailure(`docker build -f ${dockerfile}`, error) : null;
}
