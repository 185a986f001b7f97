import { findingsResult, makeFinding } from "./findings.js";
import { tracebackFinding } from "./python-traceback.js";
import { toLines } from "../model/text.js";
import type { Parser } from "./types.js";

// flake8's default format: "./app/x.py:12:1: F401 'os' imported but unused" (codes from plugins too: B950, DJ01).
const DIAGNOSTIC = /^(.+?):(\d+):(\d+): ([A-Z]+\d+) (.*)$/;

/**
 * `flake8 .`: one finding per diagnostic, rule = its code. flake8 fails the run for every code,
 * so every finding is an error. A crash (bad configuration, a broken plugin) is a traceback.
 */
export const parseFlake8: Parser = (output, context) => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const findings = lines.flatMap((line) => {
    const match = DIAGNOSTIC.exec(line);
    if (!match) return [];
    return [makeFinding({ file: match[1], line: match[2], column: match[3], rule: match[4], message: match[5] ?? "" }, context)];
  });
  if (findings.length === 0 && output.exitCode !== 0) {
    const crash = tracebackFinding(lines, context);
    if (crash) return findingsResult(output, context, [crash], crash.message.split("\n")[0]);
  }
  return findingsResult(output, context, findings);
};
