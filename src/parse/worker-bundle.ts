import { esbuildFindings } from "./esbuild.js";
import { describeFindings, findingsResult } from "./findings.js";
import { toLines } from "../model/text.js";
import type { Parser } from "./types.js";

/** wrangler 3's notice that a newer wrangler exists: about the tool and the registry's date, not the project. */
const UPDATE_NOTICE = /^The version of Wrangler you are using is now out-of-date\.?$/;

/**
 * `npx wrangler deploy --dry-run --outdir …` in workers/<name>: wrangler reports bundling
 * problems (and its own configuration errors) in esbuild's `✘ [ERROR]` format.
 */
export const parseWorkerBundle: Parser = (output, context) => {
  const findings = esbuildFindings([...toLines(output.stderr), ...toLines(output.stdout)], context).filter((f) => !UPDATE_NOTICE.test(f.message));
  const summary = output.exitCode === 0 && findings.length === 0 ? "bundled" : describeFindings(findings);
  return findingsResult(output, context, findings, summary);
};
