/**
 * `npm run bench [-- --example stack|agency] [--concurrency N] [--keep-caches]`: what a change
 * costs. On a fresh copy of the example, one run each of:
 *   cold       stored results, layer-cache images and cache volumes removed first
 *              (--keep-caches skips that)
 *   warm       every check executed again (results reuse off), install layers and tool caches warm
 *   noChange   the same source again, results reused (as a Dagger engine reuses unchanged execs)
 *   pythonEdit a comment line added to one backend module, then workerEdit (the worker) and
 *   siteEdit   (one site), each on top of the previous one, results reused
 *   barriers   the warm checks run stage by stage (build, then quality, then test, then verify)
 * Every reusing scenario's verdicts are compared with a fresh run of the same tree (every check
 * executed); a mismatch is printed loudly and makes the exit code 1. From the warm run: the sum
 * of check durations and the critical path (the longest dependsOn chain by duration). Prints a
 * table and one JSON line; `rerunChecks` lists, per edit, the checks that were executed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import { STAGES, type CheckResult, type Report } from "../../src/model/report.js";
import { freshExampleCopy } from "../container/stack-copy.js";
import { EXAMPLES, type ExampleName } from "../support/fault-catalogue.js";
import { clearCaches } from "./cache-maintenance.js";
import { criticalPath } from "./critical-path.js";
import { cleanUpOnInterrupt } from "./docker-scope.js";
import { runDirectory, type RunDirectoryOptions } from "./run-directory.js";

type EditScenario = "python" | "worker" | "site";

/** Per example: the file each edit scenario changes (one line added); an example without sites has no site scenario. */
const EDITS: Record<ExampleName, Partial<Record<EditScenario, string>>> = {
  stack: { python: "apps/web/inbox/validation.py", worker: "workers/intake/src/handler.ts", site: "sites/coffee-shop/src/menu.js" },
  agency: { python: "apps/web/leads/views.py", worker: "workers/intake/src/form.ts", site: "sites/bright-dental/src/site.ts" },
  classic: { python: "contact/views.py", worker: "workers/contact-form/src/validate.js" },
  compose: { python: "shop/views.py" },
};

/** One added comment line, first in the file, where every formatter and linter accepts it. */
async function addLine(path: string): Promise<void> {
  const comment = extname(path) === ".py" ? "# bench: one changed line" : "// bench: one changed line";
  await writeFile(path, `${comment}\n${await readFile(path, "utf8")}`);
}

interface Timed {
  wallMs: number;
  report: Report;
}

/** What a verdict is made of: status, counts and findings, per check. */
function verdicts(report: Report): Map<string, string> {
  const of = (check: CheckResult) =>
    JSON.stringify({ status: check.status, counts: check.counts, findings: check.findings.map((f) => [f.file, f.line, f.rule, f.message]).sort() });
  return new Map(report.checks.map((check) => [check.id, of(check)]));
}

function mismatches(reused: Report, fresh: Report): string[] {
  const a = verdicts(reused);
  const b = verdicts(fresh);
  return [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id) !== b.get(id)).map((id) => `${id}: reused ${a.get(id) ?? "absent"} / fresh ${b.get(id) ?? "absent"}`);
}

const executed = (report: Report) => report.checks.filter((check) => check.cached !== true && check.status !== "skipped").map((check) => check.id);
const totals = (report: Report) => `${report.totals.passed}/${report.totals.checks} passed, ${executed(report).length} executed`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/** Today's warm wall time on examples/stack, before the shorter verify chain (README). */
const BASELINE_WARM_MS = 33_500;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { example: { type: "string", default: "stack" }, concurrency: { type: "string" }, "keep-caches": { type: "boolean", default: false } },
  });
  const example = values.example;
  if (!(example in EXAMPLES)) throw new Error(`--example: "${example}" is not one of ${Object.keys(EXAMPLES).join(", ")}`);
  const edits = EDITS[example as ExampleName];
  const concurrency = values.concurrency === undefined ? undefined : Number.parseInt(values.concurrency, 10);
  const base: RunDirectoryOptions = concurrency !== undefined && concurrency > 0 ? { concurrency } : {};
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const copy = await freshExampleCopy(example as ExampleName);
  const loud: string[] = [];
  const inUse: string[] = [];
  const timed = async (label: string, options: RunDirectoryOptions): Promise<Timed> => {
    const started = Date.now();
    const { report } = await runDirectory(copy.dir, { ...base, ...options });
    const run = { wallMs: Date.now() - started, report };
    say(`${label}: ${seconds(run.wallMs)} (${totals(report)})`);
    return run;
  };
  /** A reusing run and a fresh run of the same tree: their verdicts must be the same. */
  const compared = async (label: string): Promise<Timed> => {
    const reused = await timed(label, { reuseResults: true });
    const fresh = await timed(`${label}, fresh run for comparison`, { reuseResults: false });
    for (const problem of mismatches(reused.report, fresh.report)) loud.push(`${label}: ${problem}`);
    return reused;
  };
  try {
    if (!values["keep-caches"]) {
      say("removing stored results, layer-cache images and cache volumes");
      inUse.push(...(await clearCaches()));
      if (inUse.length > 0) say(`not completely cold: another run uses ${inUse.join(", ")}`);
    }
    const first = values["keep-caches"] ? "first run (caches kept)" : "cold";
    const cold = await timed(first, { reuseResults: true });
    const warm = await timed("warm (every check executed)", { reuseResults: false });
    const noChange = await timed("no change", { reuseResults: true });
    for (const problem of mismatches(noChange.report, warm.report)) loud.push(`no change: ${problem}`);
    const edited: Partial<Record<EditScenario, Timed>> = {};
    for (const [scenario, file] of Object.entries(edits) as [EditScenario, string][]) {
      await addLine(join(copy.dir, file));
      edited[scenario] = await compared(`${scenario} edit (${file})`);
    }
    let barriersMs = 0;
    for (const stage of STAGES) barriersMs += (await timed(`barriers, ${stage}`, { reuseResults: false, planOptions: { stage } })).wallMs;

    const sumMs = warm.report.checks.reduce((total, check) => total + check.durationMs, 0);
    const path = criticalPath(warm.report);
    const allPassed = [cold, warm, noChange, ...Object.values(edited)].every((run) => run.report.status === "passed");
    const rerunChecks = Object.fromEntries(Object.entries(edited).map(([scenario, run]) => [scenario, executed(run.report)]));
    const targets: [string, boolean][] = [
      ["noChange ≤ 0.1 × warm", noChange.wallMs <= 0.1 * warm.wallMs],
      ...Object.entries(edited).map(([scenario, run]): [string, boolean] => [`${scenario}Edit ≤ 0.5 × warm`, run.wallMs <= 0.5 * warm.wallMs]),
      [`warm ≤ 0.75 × ${seconds(BASELINE_WARM_MS)}`, warm.wallMs <= 0.75 * BASELINE_WARM_MS],
    ];

    const rows: [string, string][] = [
      [`${first} wall time`, `${seconds(cold.wallMs)}${inUse.length > 0 ? `  (volumes in use by another run, not cleared: ${inUse.join(", ")})` : ""}`],
      ["warm wall time (every check executed)", seconds(warm.wallMs)],
      ["no change (results reused)", `${seconds(noChange.wallMs)}  ${ratio(noChange.wallMs, warm.wallMs)}× warm`],
      ...Object.entries(edited).map(([scenario, run]): [string, string] => [
        `${scenario} edit`,
        `${seconds(run.wallMs)}  ${ratio(run.wallMs, warm.wallMs)}× warm, executed ${executed(run.report).join(", ") || "nothing"}`,
      ]),
      ["sum of check durations (warm)", `${seconds(sumMs)}  ${ratio(sumMs, warm.wallMs)}× warm`],
      ["critical path (warm)", `${seconds(path.ms)}  ${path.chain.join(" → ")}`],
      ["stage barriers wall time", `${seconds(barriersMs)}  ${ratio(barriersMs, warm.wallMs)}× warm`],
      ...targets.map(([target, met]): [string, string] => [`target: ${target}`, met ? "met" : "MISSED"]),
      ["verdicts equal to fresh runs", loud.length === 0 ? "yes" : "NO"],
      ["all runs passed", allPassed ? "yes" : "NO"],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(`${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n")}\n`);
    if (loud.length > 0) process.stdout.write(`\n!!! VERDICTS DIFFER FROM A FRESH RUN !!!\n${loud.map((line) => `!!! ${line}`).join("\n")}\n\n`);
    const json = {
      bench: `examples/${example}`,
      checks: warm.report.checks.length,
      concurrency: concurrency ?? null,
      cachesCleared: !values["keep-caches"],
      volumesInUseAtColdStart: inUse,
      coldMs: cold.wallMs,
      warmMs: warm.wallMs,
      noChangeMs: noChange.wallMs,
      pythonEditMs: edited.python?.wallMs ?? null,
      workerEditMs: edited.worker?.wallMs ?? null,
      siteEditMs: edited.site?.wallMs ?? null,
      criticalPathMs: path.ms,
      criticalPath: path.chain,
      sumOfChecksMs: sumMs,
      stageBarriersMs: barriersMs,
      rerunChecks,
      targetsMissed: targets.filter(([, met]) => !met).map(([target]) => target),
      verdictsMatchFresh: loud.length === 0,
      allPassed,
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return allPassed && loud.length === 0 ? 0 : 1;
  } finally {
    await copy.remove();
  }
}

cleanUpOnInterrupt("bench");
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
