/**
 * Captures what each check's tool really printed, in its container, as parser fixtures:
 * tests/fixtures/checks/<example>/<case>/<check id>.json, where <case> is `green` or a fault
 * slug. Each file holds the parser and path base the plan gave the check and the tool's
 * (redacted) output, so the parser tests need no map of their own from tools to parsers.
 *
 *   npm run capture -- [stack|agency|classic|pyright-notes ...]      (default: every example and fixture project)
 *   npm run capture -- stack/green stack/debug-in-production --only build.deploy-checklist
 *
 * A green run executes every check afresh; a fault run only its failingChecks. `<example>/<case>`
 * captures that case alone; `--only` keeps a case's other captures and rewrites just these
 * checks' (a new check, without re-running the rest). Needs Docker and the base images
 * (scripts/docker/up.sh, scripts/images/build.sh).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { redactor } from "../../src/model/redact.js";
import type { CheckSpec } from "../../src/model/spec.js";
import type { Execution, Executor } from "../../src/run/executor.js";
import { CATALOGUES, loadFaults, type CatalogueName } from "../support/fault-catalogue.js";
import { freshExampleCopy } from "../container/stack-copy.js";
import { CAPTURES, captureOf } from "../support/captures.js";
import { runDirectory } from "./run-directory.js";


/** Records every execution of a run into `dir`, secrets redacted, the copy's path made the example's. */
class RecordingExecutor implements Executor {
  private readonly redact: (text: string) => string;
  readonly written: Promise<void>[] = [];

  constructor(
    private readonly inner: Executor,
    secrets: Readonly<Record<string, string>>,
    private readonly dir: string,
    private readonly copyDir: string,
  ) {
    this.redact = redactor(Object.values(secrets));
  }

  async run(spec: CheckSpec, signal: AbortSignal, commandStarted?: () => void, ready?: () => Promise<void>): Promise<Execution> {
    const execution = await this.inner.run(spec, signal, commandStarted, ready);
    const capture = captureOf(spec, execution, (text) => this.redact(text).split(this.copyDir).join("/src"));
    this.written.push(writeFile(join(this.dir, `${spec.id}.json`), `${JSON.stringify(capture, null, 2)}\n`));
    return execution;
  }
}

async function captureCase(example: CatalogueName, slug: string, faultDir: string | undefined, only: string[] | undefined, keep = false): Promise<void> {
  const out = join(CAPTURES, example, slug);
  if (!keep) await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const copy = await freshExampleCopy(example, faultDir);
  let recorder: RecordingExecutor | null = null;
  try {
    const { report } = await runDirectory(copy.dir, {
      concurrency: 4,
      reuseResults: false,
      ...(only ? { planOptions: { only } } : {}),
      wrap: (executor, secrets) => (recorder = new RecordingExecutor(executor, secrets, out, copy.dir)),
    });
    await Promise.all((recorder as RecordingExecutor | null)?.written ?? []);
    process.stdout.write(`${example}/${slug}: ${report.status} (${report.checks.filter((c) => c.status !== "skipped").length} checks)\n`);
  } finally {
    await copy.remove();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { only: { type: "string" } } });
  const only = values.only?.split(",").filter(Boolean);
  const requested = positionals.length > 0 ? positionals : Object.keys(CATALOGUES);
  for (const request of requested) {
    const [example, wanted] = request.split("/") as [CatalogueName, string | undefined];
    if (!(example in CATALOGUES)) throw new Error(`unknown example ${example}; known: ${Object.keys(CATALOGUES).join(", ")}`);
    const faults = loadFaults(example);
    if (wanted !== undefined && wanted !== "green" && !faults.some((f) => f.slug === wanted)) throw new Error(`unknown case ${request}; known: green, ${faults.map((f) => f.slug).join(", ")}`);
    if (wanted === undefined || wanted === "green") await captureCase(example, "green", undefined, only, only !== undefined);
    for (const { slug, dir, fault } of faults.filter((f) => wanted === undefined || f.slug === wanted)) {
      await captureCase(example, slug, dir, only ?? fault.failingChecks, only !== undefined);
    }
  }
}

await main();
