import { Format, renderReport } from "../report/render.js";
import type { Report, Stage } from "../model/report.js";

/** What a module function asks for. */
export interface RunRequest {
  format: string;
  only: string[];
  skip: string[];
  failFast: boolean;
  stage?: Stage;
}

/** A finished run, rendered once in every form the module hands out. */
export interface Outcome {
  report: Report;
  format: Format;
  json: string;
  text: string;
  selected: string;
}

/** Bad `format` values fail at once, naming the valid ones. */
export function parseFormat(format: string): Format {
  const parsed = Format.safeParse(format);
  if (!parsed.success) throw new Error(`format: "${format}" is not one of ${Format.options.join(", ")}; pass e.g. --format json`);
  return parsed.data;
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
};

/** Every format of one report, as [file name, contents]. */
export function allReportFiles(report: Report, secrets: readonly string[]): [string, string][] {
  return Format.options.map((format) => [REPORT_FILE_NAMES[format], renderReport(report, format, { colourLevel: 0, secretValues: secrets })]);
}
