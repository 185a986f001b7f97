import { esbuildFindings } from "./esbuild.js";
import { describeFindings, findingsResult } from "./findings.js";
import { toLines } from "../model/text.js";
import type { Parser } from "./types.js";

/**
 * `npx wrangler deploy --dry-run --outdir …` in workers/<name>: wrangler reports bundling
 * problems (and its own configuration errors) in esbuild's `✘ [ERROR]` format.
 */
export const parseWorkerBundle: Parser = (output, context) => {
  const findings = esbuildFindings([...toLines(output.stderr), ...toLines(output.stdout)], context);
  const summary = output.exitCode === 0 && findings.length === 0 ? "bundled" : describeFindings(findings);
  return findingsResult(output, context, findings, summary);
};
