import { Format, renderReport } from "../report/render.js";
import type { Report } from "../model/report.js";

/** A finished run, rendered once in every form the module hands out. */
export interface Outcome {
  report: Report;
  format: Format;
  json: string;
  text: string;
  selected: string;
}

export function renderOutcome(report: Report, format: Format, secrets: readonly string[]): Outcome {
  const options = { colourLevel: 0 as const, secretValues: secrets };
  const json = renderReport(report, "json", options);
  const text = renderReport(report, "text", options);
  const selected = format === "json" ? json : format === "text" ? text : renderReport(report, format, options);
  return { report, format, json, text, selected };
}

/** The rendered report, or an error carrying it so that `dagger call` exits non-zero. */
export function reportOrThrow(outcome: Outcome): string {
  if (outcome.report.exitCode !== 0) throw new Error(outcome.selected);
  return outcome.selected;
}

export const REPORT_FILE_NAMES: Record<Format, string> = {
  json: "report.json",
  text: "report.txt",
  markdown: "report.md",
  junit: "report.junit.xml",
  github: "report.github.txt",
  agent: "report.agent.txt",
  sarif: "report.sarif",
};

/** Every format of one report, as [file name, contents]. */
export function allReportFiles(report: Report): [string, string][] {
  return Format.options.map((format) => [REPORT_FILE_NAMES[format], renderReport(report, format, { colourLevel: 0 })]);
}
