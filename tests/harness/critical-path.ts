import type { Report } from "../../src/model/report.js";

/** Longest chain of durations through `dependsOn` (checks that did not run count zero). */
export function criticalPath(report: Report): { ms: number; chain: string[] } {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const memo = new Map<string, { ms: number; chain: string[] }>();
  const longest = (id: string): { ms: number; chain: string[] } => {
    const known = memo.get(id);
    if (known) return known;
    const check = byId.get(id);
    if (!check) return { ms: 0, chain: [] };
    // Provisional entry: a dependency cycle ends here instead of recursing forever.
    memo.set(id, { ms: 0, chain: [] });
    const before = check.dependsOn.map(longest).reduce((best, path) => (path.ms > best.ms ? path : best), { ms: 0, chain: [] as string[] });
    const path = { ms: before.ms + check.durationMs, chain: [...before.chain, id] };
    memo.set(id, path);
    return path;
  };
  return report.checks.map((c) => longest(c.id)).reduce((best, path) => (path.ms > best.ms ? path : best), { ms: 0, chain: [] as string[] });
}
