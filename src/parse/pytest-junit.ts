import { parse as parseXml, type TNode } from "txml";
import type { Counts, Finding } from "../model/report.js";
import { describeCounts } from "../model/text.js";
import { fallbackFinding, makeFinding } from "./findings.js";
import { isProjectPath, sourcePath } from "./paths.js";
import { oneLine, toLines } from "../model/text.js";
import type { ParseContext, ParseResult, Parser, ToolOutput } from "./types.js";

/** The JUnit report among the files read back from the container (the check names exactly one). */
function junitXml(files: Record<string, string>): string | null {
  return Object.values(files).find((text) => text.includes("<testsuite")) ?? null;
}

/** All `<testcase>` elements, or null when the text is not a JUnit report. */
function testcases(xml: string): TNode[] | null {
  let roots: (TNode | string)[];
  try {
    roots = parseXml(xml, { decodeEntities: true });
  } catch {
    // Truncated or malformed XML (pytest killed mid-write): treated as no report.
    return null;
  }
  const found: TNode[] = [];
  let sawSuite = false;
  const pending = [...roots];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === undefined || typeof node === "string") continue;
    if (node.tagName === "testsuite" || node.tagName === "testsuites") sawSuite = true;
    if (node.tagName === "testcase") found.push(node);
    else pending.push(...node.children);
  }
  return sawSuite ? found.reverse() : null;
}

const text = (node: TNode): string => node.children.filter((c): c is string => typeof c === "string").join("");
const child = (node: TNode, tag: string): TNode | undefined =>
  node.children.find((c): c is TNode => typeof c !== "string" && c.tagName === tag);

// pytest's long traceback: `path.py:12: AssertionError`; --tb=native: `File "path.py", line 12`.
const FRAME = /^(\S+\.py):(\d+):|^\s*File "([^"]+\.py)", line (\d+)/;
const IMPORTING = /importing test module '([^']+\.py)'/;

/** The last traceback frame inside the project, else the testcase's own file/line attributes. */
function location(testcase: TNode, body: string, context: ParseContext): { file: string | null; line: number | null } {
  let last: { file: string; line: number } | null = null;
  for (const line of body.split("\n")) {
    const frame = FRAME.exec(line);
    const file = frame?.[1] ?? frame?.[3];
    if (file && isProjectPath(sourcePath(context.pathBase, file))) last = { file, line: Number(frame?.[2] ?? frame?.[4]) };
  }
  if (last) return last;
  const imported = IMPORTING.exec(body)?.[1];
  if (imported) return { file: imported, line: null };
  const file = testcase.attributes["file"];
  // pytest writes the `line` attribute 0-based.
  const line = Number(testcase.attributes["line"]);
  return { file: file ?? null, line: file && Number.isInteger(line) && line >= 0 ? line + 1 : null };
}

function failureMessage(problem: TNode, body: string): string {
  const attribute = problem.attributes["message"]?.split("\n")[0]?.trim();
  if (attribute && attribute !== "collection failure") return attribute;
  const raised = body.split("\n").find((line) => /^E\s+\S/.test(line));
  if (raised) return raised.replace(/^E\s+/, "");
  return body.split("\n").find((line) => line.trim() !== "")?.trim() ?? attribute ?? "test failed";
}

function testcaseFinding(testcase: TNode, problem: TNode, context: ParseContext): Finding {
  const body = text(problem);
  const classname = testcase.attributes["classname"] ?? "";
  const name = testcase.attributes["name"] ?? "";
  const where = location(testcase, body, context);
  return makeFinding(
    { file: where.file, line: where.line, rule: classname ? `${classname}::${name}` : name, message: failureMessage(problem, body) },
    context,
  );
}

// The terminal summary, e.g. "==== 2 failed, 3 passed, 1 skipped in 0.12s ====" or "no tests ran in 0.02s".
const SUMMARY_PART = /(\d+) (passed|failed|skipped|xfailed|xpassed|errors?)\b/g;
const SUMMARY_LINE = / in [\d.]+s\b/;
const HAS_PART = /\d+ (passed|failed|skipped|xfailed|xpassed|errors?)\b|no tests ran/;

/** Counts from pytest's last summary line, for when no JUnit report was written. */
function terminalCounts(stdout: string): Counts | null {
  const line = toLines(stdout)
    .reverse()
    .find((l) => SUMMARY_LINE.test(l) && HAS_PART.test(l));
  if (line === undefined) return null;
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const [, n, kind] of line.matchAll(SUMMARY_PART)) {
    const value = Number(n);
    if (kind === "passed" || kind === "xpassed") counts.passed += value;
    else if (kind === "failed") counts.failed += value;
    else if (kind === "skipped" || kind === "xfailed") counts.skipped += value;
    else counts.errors += value;
  }
  return counts;
}

function countsResult(output: ToolOutput, context: ParseContext, counts: Counts, findings: Finding[]): ParseResult {
  const total = counts.passed + counts.failed + counts.skipped + counts.errors;
  if (total === 0 || output.exitCode === 5) {
    // Exit 5 is pytest's "no tests collected"; any other exit with no tests is a crash worth quoting.
    const finding =
      output.exitCode === 0 || output.exitCode === 5
        ? makeFinding({ rule: "no-tests", message: "pytest collected no tests" }, context)
        : fallbackFinding(output, context);
    return { status: "failed", summary: "no tests collected", findings: [...findings, finding], counts };
  }
  const failed = output.exitCode !== 0 || counts.failed > 0 || counts.errors > 0;
  const all = failed && findings.length === 0 ? [fallbackFinding(output, context)] : findings;
  return { status: failed ? "failed" : "passed", summary: describeCounts(counts), findings: all, counts };
}

/**
 * pytest's JUnit XML (`--junitxml=/tmp/predeploy/pytest.xml -q`): counts, and one finding per
 * failed or errored test (collection errors included) at the failing line. No tests collected
 * is a failure; with no readable report, pytest's own summary line and output are used.
 */
export const parsePytestJunit: Parser = (output, context) => {
  const xml = junitXml(output.files);
  const cases = xml === null ? null : testcases(xml);
  if (cases !== null) {
    const counts: Counts = { passed: 0, failed: 0, skipped: 0, errors: 0 };
    const findings: Finding[] = [];
    for (const testcase of cases) {
      const failure = child(testcase, "failure");
      const error = child(testcase, "error");
      if (failure) counts.failed += 1;
      else if (error) counts.errors += 1;
      else if (child(testcase, "skipped")) counts.skipped += 1;
      else counts.passed += 1;
      const problem = failure ?? error;
      if (problem) findings.push(testcaseFinding(testcase, problem, context));
    }
    return countsResult(output, context, counts, findings);
  }
  const counts = terminalCounts(output.stdout);
  if (counts !== null) return countsResult(output, context, counts, []);
  if (output.exitCode === 0) return { status: "passed", summary: "exited 0 (no JUnit report)", findings: [], counts: null };
  const finding = fallbackFinding(output, context);
  return { status: "failed", summary: oneLine(finding.message), findings: [finding], counts: null };
};
