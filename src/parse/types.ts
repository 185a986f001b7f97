import type { Counts, Finding } from "../model/report.js";

/** What an executor hands back after running a check's command. */
export interface ToolOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Contents of the spec's `outputFiles` that existed after the command, by container path. */
  files: Record<string, string>;
}

export interface ParseContext {
  /** Source-relative directory that the tool's relative paths start from ("." for the root). */
  pathBase: string;
}

export interface ParseResult {
  /** error: the tool could not do its check (e.g. a probe that reached nothing), never the code failing. */
  status: "passed" | "failed" | "error";
  /** One line for people and agents, e.g. "3 errors in 2 files" or "12 passed". */
  summary: string;
  findings: Finding[];
  counts: Counts | null;
  /** Per finding, whether the tool says it can fix it safely; absent: the tool fixes whatever it reports. */
  fixable?: readonly boolean[];
}

/** Parsers are total: any input gives a valid result, and a non-zero exit is never a pass. */
export type Parser = (output: ToolOutput, context: ParseContext) => ParseResult;
