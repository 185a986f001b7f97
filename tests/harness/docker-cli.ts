import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { BoundedOutput } from "./bounded-output.js";

/** The docker CLI as a function: spawn, capture bounded output, honour an abort signal. */

export interface DockerCall {
  /** Extra environment for the docker client only: how secrets reach `docker run -e NAME`. */
  env?: Record<string, string>;
  /** Piped to the client's stdin (e.g. a tar stream for `docker cp -`). */
  input?: Readable;
  signal?: AbortSignal;
  /** Bytes of stdout and of stderr kept in memory (head + tail). */
  captureBytes?: number;
  /** The client binary (default `docker` on PATH). */
  program?: string;
}

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
  droppedBytes: number;
}

const DEFAULT_CAPTURE_BYTES = 4 * 1024 * 1024;

const liveClients = new Set<ChildProcess>();

/** Kills every docker client this process is running (an interrupted run stops asking for more). */
export function killDockerClients(): void {
  for (const child of liveClients) child.kill("SIGKILL");
}

export class DockerCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: DockerResult,
  ) {
    super(`docker ${args.slice(0, 3).join(" ")} … exited ${result.code}: ${result.stderr.trim().slice(-2000)}`);
  }
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? "aborted"));
}

/** Runs `docker <args>`; resolves with the exit code (never rejects on a non-zero exit). */
export function docker(args: string[], call: DockerCall = {}): Promise<DockerResult> {
  const { signal } = call;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const limit = call.captureBytes ?? DEFAULT_CAPTURE_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn(call.program ?? "docker", args, {
      env: { ...process.env, ...call.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    liveClients.add(child);
    const stdout = new BoundedOutput(limit);
    const stderr = new BoundedOutput(limit);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on("error", () => undefined);
    if (call.input) call.input.pipe(child.stdin);
    else child.stdin.end();
    const onAbort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error) => {
      liveClients.delete(child);
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    child.on("close", (code, killedBy) => {
      liveClients.delete(child);
      signal?.removeEventListener("abort", onAbort);
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      resolve({
        code: code ?? (killedBy ? 128 : 1),
        stdout: stdout.text(),
        stderr: stderr.text(),
        droppedBytes: stdout.droppedBytes + stderr.droppedBytes,
      });
    });
  });
}

/** Runs `docker <args>` and returns its trimmed stdout; a non-zero exit is a throw. */
export async function dockerOk(args: string[], call: DockerCall = {}): Promise<string> {
  const result = await docker(args, call);
  if (result.code !== 0) throw new DockerCommandError(args, result);
  return result.stdout.trim();
}
