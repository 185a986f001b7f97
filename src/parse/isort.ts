import type { Finding } from "../model/report.js";
import { findingsResult, makeFinding } from "./findings.js";
import { sourcePath } from "./paths.js";
import { readTraceback } from "./python-traceback.js";
import { plural, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

const UNSORTED = /^ERROR: (.+) Imports are incorrectly sorted and\/or formatted\.\s*$/;
const DIFF_BEFORE = /^--- (.+):before(?:\t.*)?$/;
const HUNK = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/;

interface Unsorted {
  /** The path as isort printed it. */
  printed: string;
  /** The original file's line where the first hunk's first change is, when the diff shows it. */
  line: number | null;
}

/** The files isort would change, by source-relative path: from its ERROR lines and its `--diff` output. */
function unsortedFiles(lines: string[], context: ParseContext): Map<string, Unsorted> {
  const files = new Map<string, Unsorted>();
  const add = (printed: string): Unsorted => {
    const key = sourcePath(context.pathBase, printed);
    const entry = files.get(key) ?? { printed, line: null };
    files.set(key, entry);
    return entry;
  };
  let current: Unsorted | null = null;
  let line: number | null = null;
  for (const text of lines) {
    const unsorted = UNSORTED.exec(text) ?? DIFF_BEFORE.exec(text);
    if (unsorted?.[1]) {
      current = add(unsorted[1]);
      line = null;
      continue;
    }
    const hunk = HUNK.exec(text);
    if (hunk) {
      line = current?.line === null ? Number(hunk[1]) : null;
      continue;
    }
    if (current === null || line === null) continue;
    // An added line goes before the original's current line; a removed one is that line. An
    // empty line is a blank context line whose trailing space was stripped on the way.
    if (text.startsWith("-") || text.startsWith("+")) {
      current.line = line;
      line = null;
    } else if (text.startsWith(" ") || text === "") line += 1;
  }
  return files;
}

/** isort's own crash (a bad profile or setting): the exception, at a project frame but not one of isort's compiled modules. */
function crashFinding(lines: string[], context: ParseContext): Finding | null {
  const traceback = readTraceback(lines, context);
  if (traceback === null) return null;
  const frame = traceback.frame?.printed.startsWith("isort/") ? null : traceback.frame;
  return makeFinding(
    { file: frame?.printed, line: frame?.line, rule: traceback.type, message: traceback.exception ?? "isort crashed with a Python traceback" },
    context,
  );
}

/**
 * `isort --check-only --diff .`: one finding per file whose imports isort would change (rule
 * "isort"), at the first line its diff changes when the diff is there. "Skipped N files" (isort's
 * default excludes) is not a finding.
 */
export const parseIsort: Parser = (output, context) => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const findings = [...unsortedFiles(lines, context).values()].map(({ printed, line }) =>
    makeFinding({ file: printed, line, rule: "isort", message: "Imports are incorrectly sorted and/or formatted" }, context),
  );
  if (findings.length === 0 && output.exitCode !== 0) {
    const crash = crashFinding(lines, context);
    if (crash) return findingsResult(output, context, [crash], crash.message.split("\n")[0]);
  }
  return findingsResult(output, context, findings, findings.length === 0 ? "imports sorted" : `${plural(findings.length, "file")} with unsorted imports`);
};
