import { chmod, mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { SERVICE_LOGS } from "../../src/run/service-logs.js";
import { harnessStateDir } from "./result-cache.js";

/**
 * The harness's stand-in for Dagger's `predeploy-service-logs` cache volume: one host folder
 * (the engine runs on this host) mounted into every service of every check and run, as the
 * engine's volume is shared by every run on it (core/schema/cache.go:45-60, keyed by name and
 * module). Runs are kept apart only by their own folder, as on the engine.
 */
export async function serviceLogsVolume(): Promise<string> {
  const root = join(harnessStateDir(), "service-logs");
  const all = join(root, SERVICE_LOGS.subdir);
  await mkdir(all, { recursive: true });
  // World-writable with the sticky bit, as the module creates it (src/dagger/executor.ts).
  await chmod(all, 0o1777);
  return root;
}

/** Removes the run folders not written to for `maxAgeMs`; returns how many. */
export async function pruneServiceLogs(maxAgeMs: number): Promise<number> {
  const all = join(await serviceLogsVolume(), SERVICE_LOGS.subdir);
  let removed = 0;
  for (const run of await readdir(all)) {
    const folder = join(all, run);
    const { mtimeMs } = await stat(folder).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs < maxAgeMs) continue;
    await rm(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
