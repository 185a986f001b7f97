import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CATALOGUES, EXAMPLES, type CatalogueName } from "../support/fault-catalogue.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const EXAMPLE_STACK = EXAMPLES.stack.dir;

/**
 * Checks running at once in one suite run. On 2 cores the plan's default (16) starves the
 * critical path (the verify chain) and makes every check slower: measured with `npm run
 * bench -- --concurrency N`, 4 gave a 38 s warm run against 52 s at 16.
 */
export const SUITE_CONCURRENCY = 4;

/** What a checkout of the example would not have: host installs, build output, caches. */
const GENERATED = new Set(["node_modules", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".wrangler", "dist", ".astro", "staticfiles", "db.sqlite3"]);

export interface StackCopy {
  dir: string;
  remove: () => Promise<void>;
}

/** A fresh copy of examples/stack in a temp dir, optionally with a fault's apply.sh run in it. */
export function freshStackCopy(faultDir?: string): Promise<StackCopy> {
  return freshExampleCopy("stack", faultDir);
}

/** A fresh copy of one of the examples (or fixture projects), as a checkout would have it, optionally with a fault applied. */
export async function freshExampleCopy(example: CatalogueName, faultDir?: string): Promise<StackCopy> {
  const parent = await mkdtemp(join(tmpdir(), `predeploy-${example}-`));
  const dir = join(parent, example);
  await cp(CATALOGUES[example].dir, dir, { recursive: true, filter: (source) => !GENERATED.has(basename(source)) });
  if (faultDir !== undefined) await promisify(execFile)("bash", [join(faultDir, "apply.sh")], { cwd: dir });
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}
