import type { Counts, Finding } from "../model/report.js";
import { systemCheckFindings } from "./django-system-check.js";
import { fallbackFinding, makeFinding } from "./findings.js";
import { readTraceback, tracebackFinding } from "./python-traceback.js";
import { describeCounts, oneLine, plural, toLines } from "../model/text.js";
import type { ParseContext, ParseResult, Parser, ToolOutput } from "./types.js";

// unittest's description of a test: "test_x (pkg.mod.Class.test_x)" (Python 3.11+) or
// "test_x (pkg.mod.Class)", then a subtest's parameters: " (rate='reduced')".
const DESCRIPTION = /^(\S+) \(([\w.]+)\)((?: \(.*\))?)$/;
const STATUS = /^(ok|FAIL|ERROR|skipped(?: .*)?|expected failure|unexpected success)$/;
const SEPARATOR = /^={20,}$/;
const PROBLEM = /^(FAIL|ERROR): (.+)$/;
const UNEXPECTED_SUCCESS = /^UNEXPECTED SUCCESS: (.+)$/;
const RAN = /^Ran (\d+) tests? in [\d.]+s$/;
const OUTCOME = /^(OK|FAILED|NO TESTS RAN)(?: \((.*)\))?$/;

/** The dotted id of a described test, or null when the text is not a test description. */
function testId(description: string): string | null {
  const match = DESCRIPTION.exec(description.trim());
  if (!match?.[1] || !match[2]) return null;
  const [, name, where, subtest = ""] = match;
  // A module that failed to import is a stand-in test named after the module.
  const id = where.startsWith("unittest.loader._Failed") ? name : where.endsWith(`.${name}`) ? where : `${where}.${name}`;
  return `${id}${subtest.trimEnd()}`;
}

/**
 * The verbose (-v 2) result lines: "<description> ... <status>". A docstring's first line may
 * stand in for the description (the test id is then on the line before), and output the test
 * wrote to stderr may push the status onto a later line of its own.
 */
function verboseResults(lines: string[]): { id: string; status: string }[] {
  const results: { id: string; status: string }[] = [];
  let waiting: string | null = null;
  let previous: string | null = null;
  for (const line of lines) {
    const parts = line.split(" ... ");
    if (parts.length >= 2) {
      const id = testId(parts[parts.length - 2] ?? "") ?? previous;
      const status = (parts[parts.length - 1] ?? "").trim();
      waiting = STATUS.test(status) ? null : id;
      if (id !== null && STATUS.test(status)) results.push({ id, status });
    } else if (waiting !== null && STATUS.test(line.trim())) {
      results.push({ id: waiting, status: line.trim() });
      waiting = null;
    }
    previous = parts.length >= 2 ? null : testId(line);
  }
  return results;
}

/** Counts from "Ran N tests" and the outcome line after it ("FAILED (failures=1, skipped=2)"), or null. */
function summaryCounts(lines: string[]): Counts | null {
  let ranAt = -1;
  lines.forEach((line, index) => {
    if (RAN.test(line)) ranAt = index;
  });
  if (ranAt === -1) return null;
  const outcome = lines.slice(ranAt + 1).find((line) => line.trim() !== "") ?? "";
  const parts = new Map<string, number>();
  for (const part of (OUTCOME.exec(outcome.trim())?.[2] ?? "").split(",")) {
    const [key, value] = part.split("=");
    if (key !== undefined && value !== undefined) parts.set(key.trim(), Number(value) || 0);
  }
  const get = (key: string) => parts.get(key) ?? 0;
  const ran = Number(RAN.exec(lines[ranAt] ?? "")?.[1]);
  const notPassed = get("failures") + get("errors") + get("skipped") + get("expected failures") + get("unexpected successes");
  return {
    // Errors outside a test (setUpClass) are not in "Ran N".
    passed: Math.max(0, ran - notPassed),
    failed: get("failures") + get("unexpected successes"),
    skipped: get("skipped") + get("expected failures"),
    errors: get("errors"),
  };
}

/** Counts from the verbose lines, for a run cut short before its summary. */
function verboseCounts(results: { status: string }[]): Counts | null {
  if (results.length === 0) return null;
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const { status } of results) {
    if (status === "ok") counts.passed += 1;
    else if (status === "FAIL" || status === "unexpected success") counts.failed += 1;
    else if (status === "ERROR") counts.errors += 1;
    else counts.skipped += 1;
  }
  return counts;
}

/** The lines of the FAIL/ERROR block whose header is at `start`: up to the next separator or "Ran N tests". */
function blockAt(lines: string[], start: number): string[] {
  let end = start + 1;
  while (end < lines.length && !SEPARATOR.test(lines[end] ?? "") && !RAN.test(lines[end] ?? "")) end += 1;
  return lines.slice(start + 1, end);
}

/** One finding per FAIL/ERROR block: the exception at the deepest project frame of its traceback. */
function problemFindings(lines: string[], context: ParseContext): Finding[] {
  return lines.flatMap((line, index) => {
    const description = PROBLEM.exec(line)?.[2];
    if (description === undefined || !SEPARATOR.test(lines[index - 1] ?? "")) return [];
    const block = blockAt(lines, index);
    const traceback = readTraceback(block, context);
    const exception = traceback?.exception ?? block.find((text) => text.trim() !== "" && !/^-+$/.test(text))?.trim() ?? "test failed";
    const id = testId(description) ?? oneLine(description);
    return [makeFinding({ file: traceback?.frame?.printed, line: traceback?.frame?.line, rule: traceback?.type, message: `${id}: ${exception}` }, context)];
  });
}

/** Tests marked expectedFailure that passed: they fail the run, but print no traceback. */
function unexpectedSuccesses(lines: string[], results: { id: string; status: string }[], context: ParseContext): Finding[] {
  const ids = new Set([
    ...lines.flatMap((line) => {
      const description = UNEXPECTED_SUCCESS.exec(line)?.[1];
      return description === undefined ? [] : [testId(description) ?? oneLine(description)];
    }),
    ...results.flatMap((r) => (r.status === "unexpected success" ? [r.id] : [])),
  ]);
  return [...ids].map((id) => makeFinding({ rule: "unexpected-success", message: `${id}: unexpected success (marked expectedFailure)` }, context));
}

/** Why the run failed when no test result says so: a system-check error, a traceback, else the output's most telling line. */
function crashFindings(lines: string[], output: ToolOutput, context: ParseContext): { findings: Finding[]; summary: string } {
  const checkErrors = systemCheckFindings(lines, context).filter((f) => f.severity === "error");
  if (checkErrors.length > 0) return { findings: checkErrors, summary: `system check failed: ${plural(checkErrors.length, "error")}` };
  const crash = tracebackFinding(lines, context) ?? fallbackFinding(output, context);
  return { findings: [crash], summary: oneLine(crash.message.split("\n")[0] ?? crash.message) };
}

/**
 * `manage.py test --noinput -v 2` (Django's unittest runner): counts from its closing summary
 * (from the verbose lines when the run was cut short), one finding per failed or erroring test
 * at the deepest project frame of its traceback (rule = exception class), and one per unexpected
 * success. Zero tests run is a failure; a crash before the tests (settings, system check) is reported.
 */
export const parseDjangoTest: Parser = (output, context): ParseResult => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const results = verboseResults(lines);
  const counts = summaryCounts(lines) ?? verboseCounts(results);
  const findings = [...problemFindings(lines, context), ...unexpectedSuccesses(lines, results, context)];
  if (counts !== null && counts.passed + counts.failed + counts.skipped + counts.errors === 0) {
    const finding = makeFinding({ rule: "no-tests", message: "manage.py test ran no tests" }, context);
    return { status: "failed", summary: "no tests ran", findings: [...findings, finding], counts };
  }
  if (findings.length === 0 && (output.exitCode !== 0 || (counts !== null && counts.failed + counts.errors > 0))) {
    const crash = crashFindings(lines, output, context);
    return { status: "failed", summary: counts ? describeCounts(counts) : crash.summary, findings: crash.findings, counts };
  }
  if (counts === null) {
    if (findings.length > 0) return { status: "failed", summary: plural(findings.length, "failed test"), findings, counts };
    return { status: "passed", summary: "exited 0; no test summary recognised", findings, counts };
  }
  const failed = output.exitCode !== 0 || findings.length > 0 || counts.failed + counts.errors > 0;
  return { status: failed ? "failed" : "passed", summary: describeCounts(counts), findings, counts };
};
