import type { Report } from "../model/report.js";

/**
 * The machine-readable report, 2-space indented, ending in a newline. Reports come from
 * `buildReport`, validated, in the schema's key order, so the output is stable.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
