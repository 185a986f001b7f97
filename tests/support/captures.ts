import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CheckSpec } from "../../src/model/spec.js";
import type { Execution } from "../../src/run/executor.js";

/** Where `npm run capture` (tests/harness/capture.ts) stores each check's real output: <example>/<case>/<check id>.json. */
export const CAPTURES = join(import.meta.dirname, "../fixtures/checks");

/** The stored capture of one check in one case: `readCapture("classic", "green", "quality.black")`. */
export function readCapture(catalogue: string, slug: string, check: string): Capture {
  return JSON.parse(readFileSync(join(CAPTURES, catalogue, slug, `${check}.json`), "utf8")) as Capture;
}

/** One capture: the parser and path base the plan gave the check, and what its tool printed (redacted). */
export interface Capture {
  parser: CheckSpec["parser"];
  pathBase: string;
  /** The Dockerfile its container is built from, when it is. */
  dockerfile: string | null;
  /** "prepare": the container could not be made (a failed install, build or service), `failedStep` says which; "service": a bound service exited. */
  phase: Execution["phase"];
  failedStep?: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
  /** The end of its services' logs, when the executor read them (a failing verify check, a crashed service). */
  serviceLogs?: { service: string; text: string }[];
}

/** A check's execution as a capture, every text passed through `clean` (redaction, the copy's path made /src). */
export function captureOf(spec: CheckSpec, execution: Execution, clean: (text: string) => string): Capture {
  const base = spec.container.base;
  return {
    parser: spec.parser,
    pathBase: spec.pathBase,
    dockerfile: base.kind === "dockerfile" ? base.dockerfile : null,
    phase: execution.phase,
    ...(execution.failedStep !== undefined ? { failedStep: clean(execution.failedStep) } : {}),
    exitCode: execution.exitCode,
    stdout: clean(execution.stdout),
    stderr: clean(execution.stderr),
    files: Object.fromEntries(Object.entries(execution.files).map(([path, text]) => [path, clean(text)])),
    ...(execution.serviceLogs !== undefined ? { serviceLogs: execution.serviceLogs.map((log) => ({ service: log.service, text: clean(log.text) })) } : {}),
  };
}
