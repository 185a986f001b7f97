/**
 * `npm run bench [-- --concurrency N] [--keep-caches]`: how fast the example stack validates, and how much of
 * that is the scheduler's doing. One run each of:
 *   cold      every layer-cache image and cache volume removed first (--keep-caches skips that)
 *   warm      the same source again, everything cached
 *   barriers  the same checks run stage by stage (build, then quality, then test, then verify)
 * and, from the warm run's report: the sum of check durations (the work) and the critical
 * path (the longest dependsOn chain by duration: the best any scheduler could do with
 * unlimited cores). Prints a table and one JSON line.
 */
import { parseArgs } from "node:util";
import { STAGES, type Report } from "../../src/model/report.js";
import { freshStackCopy } from "../container/stack-copy.js";
import { clearCaches } from "./cache-maintenance.js";
import { criticalPath } from "./critical-path.js";
import { cleanUpOnInterrupt } from "./docker-scope.js";
import { runDirectory } from "./run-directory.js";

interface Timed {
  wallMs: number;
  report: Report;
}

async function timed(run: () => Promise<Report>): Promise<Timed> {
  const started = Date.now();
  const report = await run();
  return { wallMs: Date.now() - started, report };
}

function verdicts(report: Report): string {
  return `${report.totals.passed}/${report.totals.checks} passed`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { concurrency: { type: "string" }, "keep-caches": { type: "boolean", default: false } } });
  const concurrency = values.concurrency === undefined ? undefined : Number.parseInt(values.concurrency, 10);
  const runOptions = concurrency !== undefined && concurrency > 0 ? { concurrency } : {};
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const stack = await freshStackCopy();
  try {
    if (!values["keep-caches"]) {
      say("clearing the layer cache and cache volumes");
      await clearCaches();
    }
    const first = values["keep-caches"] ? "first run (caches kept)" : "cold";
    say(`${first} run`);
    const cold = await timed(async () => (await runDirectory(stack.dir, runOptions)).report);
    say(`${first}: ${seconds(cold.wallMs)} (${verdicts(cold.report)})`);
    say("warm run");
    const warm = await timed(async () => (await runDirectory(stack.dir, runOptions)).report);
    say(`warm: ${seconds(warm.wallMs)} (${verdicts(warm.report)})`);
    let barriersMs = 0;
    const stageRuns: Report[] = [];
    for (const stage of STAGES) {
      const stageRun = await timed(async () => (await runDirectory(stack.dir, { ...runOptions, planOptions: { stage } })).report);
      say(`barriers, ${stage}: ${seconds(stageRun.wallMs)} (${verdicts(stageRun.report)})`);
      barriersMs += stageRun.wallMs;
      stageRuns.push(stageRun.report);
    }
    const sumMs = warm.report.checks.reduce((total, check) => total + check.durationMs, 0);
    const path = criticalPath(warm.report);
    const allPassed = [cold.report, warm.report, ...stageRuns].every((report) => report.status === "passed");

    const rows: [string, string][] = [
      [`${first} wall time`, seconds(cold.wallMs)],
      ["warm wall time", seconds(warm.wallMs)],
      ["sum of check durations (warm)", seconds(sumMs)],
      ["critical path (warm)", `${seconds(path.ms)}  ${path.chain.join(" → ")}`],
      ["stage barriers wall time (warm)", seconds(barriersMs)],
      [`${first} / warm`, `${ratio(cold.wallMs, warm.wallMs)}×`],
      ["sum / warm (parallelism)", `${ratio(sumMs, warm.wallMs)}×`],
      ["warm / critical path", `${ratio(warm.wallMs, path.ms)}×`],
      ["barriers / warm", `${ratio(barriersMs, warm.wallMs)}×`],
      ["all runs passed", allPassed ? "yes" : "NO"],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(`${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n")}\n`);
    const json = {
      bench: "examples/stack",
      checks: warm.report.checks.length,
      concurrency: concurrency ?? null,
      cachesCleared: !values["keep-caches"],
      coldMs: cold.wallMs,
      warmMs: warm.wallMs,
      sumOfChecksMs: sumMs,
      criticalPathMs: path.ms,
      criticalPath: path.chain,
      stageBarriersMs: barriersMs,
      coldOverWarm: ratio(cold.wallMs, warm.wallMs),
      sumOverWarm: ratio(sumMs, warm.wallMs),
      warmOverCriticalPath: ratio(warm.wallMs, path.ms),
      barriersOverWarm: ratio(barriersMs, warm.wallMs),
      allPassed,
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return allPassed ? 0 : 1;
  } finally {
    await stack.remove();
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
