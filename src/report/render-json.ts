import { validateReport } from "./aggregate.js";
import type { Report } from "../model/report.js";

/**
 * The machine-readable report: validated (schema key order, so the output is stable for
 * the same input), 2-space indented, ending in a newline.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(validateReport(report), null, 2)}\n`;
}
