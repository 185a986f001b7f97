/**
 * `node --import tsx tests/harness/tool-cache-equivalence.ts`: proves that tool caches never
 * change a verdict. For the green example and then every fault of tests/faults, the checks
 * whose tools keep a cache (ruff, mypy, tsc) run twice with every check executed (no result
 * reuse): first with the tool caches as the previous tree left them (warm, and written by
 * another tree), then with the tool-cache volumes removed (fresh). Status, counts and
 * findings must be identical. Prints one line per tree and exits 1 on any difference.
 * Opt-in (about five minutes on 2 cores): `npm test` runs tests/container/tool-caches.test.ts,
 * the one case where a shared cache did change a verdict before content mtimes.
 */
import { join } from "node:path";
import type { CheckResult, Report } from "../../src/model/report.js";
import { TOOLS } from "../../src/tools/index.js";
import { toolCacheVolumePrefix } from "../../src/tools/tool-caches.js";
import { freshStackCopy } from "../container/stack-copy.js";
import { FAULTS_DIR, loadFaults } from "../support/fault-catalogue.js";
import { removeCacheVolumes } from "./cache-maintenance.js";
import { cleanUpOnInterrupt } from "./docker-scope.js";
import { runDirectory } from "./run-directory.js";

const CACHED_TOOLS = ["quality.ruff-check", "quality.ruff-format", "quality.mypy", "quality.tsc.intake"];

function verdict(check: CheckResult): string {
  const findings = check.findings.map((f) => JSON.stringify([f.file, f.line, f.column, f.rule, f.severity, f.message])).sort();
  return JSON.stringify({ status: check.status, counts: check.counts, findings });
}

function differences(warm: Report, fresh: Report): string[] {
  const problems: string[] = [];
  for (const id of CACHED_TOOLS) {
    const a = warm.checks.find((c) => c.id === id);
    const b = fresh.checks.find((c) => c.id === id);
    if (!a || !b) problems.push(`${id}: missing from a report`);
    else if (verdict(a) !== verdict(b)) problems.push(`${id}: warm ${verdict(a)}\n    fresh ${verdict(b)}`);
    else if (a.status === "error") problems.push(`${id}: could not run (${a.summary})`);
  }
  return problems;
}

const statuses = (report: Report) => CACHED_TOOLS.map((id) => `${id.replace("quality.", "")}=${report.checks.find((c) => c.id === id)?.status ?? "?"}`).join(" ");

async function main(): Promise<number> {
  const trees = [{ slug: "green", dir: undefined as string | undefined }, ...loadFaults().map(({ slug }) => ({ slug, dir: join(FAULTS_DIR, slug) }))];
  let failed = 0;
  for (const { slug, dir } of trees) {
    const stack = await freshStackCopy(dir);
    try {
      const run = async () => (await runDirectory(stack.dir, { planOptions: { only: CACHED_TOOLS }, reuseResults: false })).report;
      const startedWarm = Date.now();
      const warm = await run();
      const warmMs = Date.now() - startedWarm;
      await removeCacheVolumes([...new Set(TOOLS.flatMap((tool) => tool.caches).map(toolCacheVolumePrefix))]);
      const startedFresh = Date.now();
      const fresh = await run();
      const freshMs = Date.now() - startedFresh;
      const problems = differences(warm, fresh);
      const timing = `warm ${(warmMs / 1000).toFixed(1)}s, fresh ${(freshMs / 1000).toFixed(1)}s`;
      if (problems.length === 0) process.stdout.write(`same   ${slug}: ${statuses(fresh)} (${timing})\n`);
      else {
        failed++;
        process.stdout.write(`DIFFER ${slug} (${timing}):\n  ${problems.join("\n  ")}\n`);
      }
    } finally {
      await stack.remove();
    }
  }
  process.stdout.write(`${trees.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

cleanUpOnInterrupt("tool-cache-equivalence");
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tool-cache-equivalence: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
