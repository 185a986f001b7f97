import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CheckSpec, ContainerSpec, ServiceBinding } from "../../src/model/spec.js";
import type { Execution } from "../../src/run/executor.js";

/**
 * Reuse of passing executions, as a Dagger engine reuses an exec whose inputs are all
 * unchanged. The key of a check is a hash of everything its command can see:
 * - its container's layer-cache key (image-builder.ts: the base image id, or the id of the
 *   image its Dockerfile built; workdir, env, cache mounts; every layer, with the names,
 *   modes and contents of the files each copy layer includes);
 * - the names of its secrets (environment variable → secret name), never their values, so a
 *   random per-run secret does not make every check that uses it look changed;
 * - its services, recursively, keyed the same way, with their aliases and every other field;
 * - its command, output files and time limit.
 * Only executions whose check passed are stored (run-directory.ts decides, after the report):
 * a failure, a prepare failure or a timeout always runs again. Entries live on disk, one JSON
 * file per key, so separate processes (bench scenarios, test files) share them.
 */

const KEY_VERSION = 2;

/** The layer-cache key of a container (ImageBuilder.resolve). */
export type ContainerKey = (container: ContainerSpec) => Promise<string>;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function bindingsKey(bindings: readonly ServiceBinding[], containerKey: ContainerKey): Promise<unknown[]> {
  return Promise.all(
    bindings.map(async ({ alias, service: { container, ...service } }) => ({
      alias,
      container: await containerKey(container),
      secretEnv: sortedEntries(container.secretEnv),
      services: await bindingsKey(container.services, containerKey),
      // name, args, ports, readiness, readySeconds, oneShot: in a stable order.
      service: Object.fromEntries(Object.entries(service).sort(([a], [b]) => (a < b ? -1 : 1))),
    })),
  );
}

/** The key of a check's execution: equal keys mean the command would see exactly the same inputs. */
export async function executionKey(spec: CheckSpec, containerKey: ContainerKey): Promise<string> {
  const [container, services] = await Promise.all([containerKey(spec.container), bindingsKey(spec.container.services, containerKey)]);
  return sha256(
    JSON.stringify({
      version: KEY_VERSION,
      container,
      secretEnv: sortedEntries(spec.container.secretEnv),
      services,
      command: spec.command,
      outputFiles: spec.outputFiles,
      timeoutMs: spec.timeoutMs,
    }),
  );
}

/** Where the harness keeps state that is not in Docker; `PREDEPLOY_HARNESS_STATE` moves it. */
export function harnessStateDir(): string {
  return process.env.PREDEPLOY_HARNESS_STATE ?? join(homedir(), ".cache", "predeploy-harness");
}

export function defaultResultsDir(): string {
  return join(harnessStateDir(), "results");
}

interface StoredExecution {
  version: number;
  exitCode: number;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
  outputBytesDropped: number;
}

function isStored(value: unknown): value is StoredExecution {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.version === KEY_VERSION &&
    v.exitCode === 0 &&
    typeof v.stdout === "string" &&
    typeof v.stderr === "string" &&
    typeof v.outputBytesDropped === "number" &&
    typeof v.files === "object" &&
    v.files !== null &&
    Object.values(v.files).every((text) => typeof text === "string")
  );
}

/** Passing executions on disk by key. A missing, unreadable or malformed entry is a miss. */
export class ResultStore {
  constructor(readonly dir: string = defaultResultsDir()) {}

  private path(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`not a result key: ${key}`);
    return join(this.dir, `${key}.json`);
  }

  async get(key: string): Promise<Execution | null> {
    const path = this.path(key);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, "utf8"));
    } catch {
      return null;
    }
    if (!isStored(parsed)) return null;
    // A hit counts as recent use for `prune`.
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    const { stdout, stderr, files, exitCode, outputBytesDropped } = parsed;
    return { phase: "command", exitCode, stdout, stderr, files, outputBytesDropped, cached: true };
  }

  /** Stores a passing command execution (its output already redacted); written whole or not at all. */
  async put(key: string, execution: Execution): Promise<void> {
    if (execution.phase !== "command" || execution.exitCode !== 0) throw new Error("only a command that exited 0 can be stored");
    const stored: StoredExecution = {
      version: KEY_VERSION,
      exitCode: execution.exitCode,
      stdout: execution.stdout,
      stderr: execution.stderr,
      files: execution.files,
      outputBytesDropped: execution.outputBytesDropped ?? 0,
    };
    await mkdir(this.dir, { recursive: true });
    const target = this.path(key);
    const temporary = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(stored));
      await rename(temporary, target);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** Removes every entry. */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Keeps the `keep` most recently written or reused entries; returns how many were removed. */
  async prune(keep: number): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const entries = await Promise.all(
      names.map(async (name) => ({ name, mtimeMs: (await stat(join(this.dir, name)).catch(() => null))?.mtimeMs ?? 0 })),
    );
    entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
    const doomed = entries.slice(keep);
    await Promise.all(doomed.map(({ name }) => rm(join(this.dir, name), { force: true })));
    return doomed.length;
  }
}
