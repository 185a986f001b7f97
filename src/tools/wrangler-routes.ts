import { parse as parseJsonc, type ParseError } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { list, table } from "../project/parsed-data.js";

/**
 * Where a worker is deployed, as its wrangler configuration declares it: Cloudflare route patterns
 * (`host/path`, `*` any text), each of `route`/`routes` (a string or `{ pattern, zone_name |
 * zone_id | custom_domain }`, top level and under `[env.*]`); a custom domain takes every path of
 * its host; and `<name>.<account>.workers.dev` while `workers_dev` is on (wrangler's default when
 * no route is declared). Which paths the worker's own code answers is not read here.
 */
export function wranglerRoutes(text: string, file: string): string[] {
  const config = parseConfig(text, file);
  if (config === null) return [];
  const envs = Object.values(table(config.env)).map(table);
  const patterns = [config, ...envs].flatMap((scope) => [scope.route, ...list(scope.routes)]).flatMap((route) => {
    const entry = typeof route === "string" ? { pattern: route } : table(route);
    if (typeof entry.pattern !== "string" || entry.pattern.trim() === "") return [];
    const pattern = entry.pattern.trim().replace(/^https?:\/\//, "");
    return [entry.custom_domain === true || !pattern.includes("/") ? `${pattern.replace(/\/.*$/, "")}/*` : pattern];
  });
  const workersDev = config.workers_dev === true || (config.workers_dev === undefined && patterns.length === 0);
  const name = typeof config.name === "string" ? config.name : null;
  return [...new Set([...patterns, ...(workersDev && name !== null ? [`${name}.*.workers.dev/*`] : [])])];
}

function parseConfig(text: string, file: string): Record<string, unknown> | null {
  try {
    if (file.endsWith(".toml")) return table(parseToml(text));
    const errors: ParseError[] = [];
    const parsed: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
    return errors.length === 0 ? table(parsed) : null;
  } catch {
    // An invalid configuration is the worker bundle's to report (wrangler reads it there).
    return null;
  }
}
