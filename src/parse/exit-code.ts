import { fallbackFinding } from "./findings.js";
import type { Parser } from "./types.js";

/** Any command: passed iff it exited 0; a failure carries its most telling output line. */
export const parseExitCode: Parser = (output, context) => {
  if (output.exitCode === 0) return { status: "passed", summary: "exited 0", findings: [], counts: null };
  const finding = fallbackFinding(output, context);
  return { status: "failed", summary: finding.message, findings: [finding], counts: null };
};
