import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { Executor } from "../../src/run/executor.js";
import { fixAndRevalidate } from "../../src/run/fix.js";
import { executeContained } from "../../src/run/contained.js";
import { runDirectory, type DirectoryRun, type RunDirectoryOptions } from "./run-directory.js";

/** Extracts a tar (as the fix run wrote it, base64) into `dir`: exactly the files the fixer wrote. */
function extract(archive: string, dir: string): Promise<void> {
  return new Promise((done, fail) => {
    const tar = spawn("tar", ["-xf", "-", "-C", dir], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    tar.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    tar.on("error", fail);
    tar.on("close", (code) => (code === 0 ? done() : fail(new Error(`tar -x exited ${code}: ${stderr.trim()}`))));
    tar.stdin.end(Buffer.from(archive, "base64"));
  });
}

/**
 * `npm run harness -- <dir> --fix`: validates `dir`, applies every safe fix the report offers
 * (with `includeUnsafe`, the rest too) to `dir` in place, and validates again; the result is
 * the last validation, its report listing every fix's outcome.
 */
export async function fixDirectory(dir: string, options: RunDirectoryOptions, includeUnsafe: boolean): Promise<DirectoryRun> {
  const root = resolve(dir);
  let executor: Executor | null = null;
  const secretValues = new Set<string>();
  const report = await fixAndRevalidate(
    {
      validate: async () => {
        const run = await runDirectory(root, { ...options, wrap: (docker) => (executor = docker) });
        for (const value of run.secretValues) secretValues.add(value);
        return { report: run.report, plan: run.plan ?? { checks: [] } };
      },
      run: async (spec) => {
        if (executor === null) throw new Error("no executor: the validation did not run");
        return executeContained(spec, executor);
      },
      apply: (archive) => extract(archive, root),
    },
    includeUnsafe,
  );
  return { report, secretValues: [...secretValues] };
}
