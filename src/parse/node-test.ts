import type { Counts, Finding } from "../model/report.js";
import { describeCounts } from "../model/text.js";
import { fallbackFinding, makeFinding } from "./findings.js";
import { isProjectPath, sourcePath } from "./paths.js";
import { toLines } from "../model/text.js";
import type { ParseContext, ParseResult, Parser } from "./types.js";

type CountKey = keyof Counts;
const KIND: Record<string, CountKey> = {
  pass: "passed",
  passed: "passed",
  passing: "passed",
  fail: "failed",
  failed: "failed",
  failing: "failed",
  skipped: "skipped",
  skip: "skipped",
  todo: "skipped",
  pending: "skipped",
  cancelled: "errors",
  error: "errors",
  errors: "errors",
};

// Summary lines, each adding to the counts:
// vitest `Tests  1 failed | 3 passed (4)` and `Errors  1 error`; jest `Tests: 1 failed, 3 passed, 4 total`;
// node:test `ℹ pass 3` (spec) / `# pass 3` (TAP); mocha `3 passing`.
const VITEST = /^\s*(?:Tests|Errors)\s{2,}(\d.*)$/;
const JEST = /^Tests:\s+(\d.*)$/;
const NODE = /^(?:ℹ|#) (pass|fail|skipped|todo|cancelled) (\d+)\s*$/;
const MOCHA = /^\s+(\d+) (passing|failing|pending)\b/;
const PART = /(\d+) (passed|failed|skipped|todo|pending|errors?)\b/g;
const NO_TESTS = /No test files found|No tests found|no tests? (?:ran|to run|found)/i;

function countsIn(lines: string[]): Counts | null {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, errors: 0 };
  let found = false;
  const add = (kind: string | undefined, n: string | undefined) => {
    const key = KIND[kind ?? ""];
    if (key === undefined) return;
    counts[key] += Number(n);
    found = true;
  };
  for (const line of lines) {
    const node = NODE.exec(line) ?? MOCHA.exec(line);
    if (node) {
      if (NODE.test(line)) add(node[1], node[2]);
      else add(node[2], node[1]);
      continue;
    }
    const parts = (VITEST.exec(line) ?? JEST.exec(line))?.[1];
    if (parts === undefined) continue;
    found = true;
    for (const [, n, kind] of parts.matchAll(PART)) add(kind, n);
  }
  return found ? counts : null;
}

// A stack frame or location naming a file: `at fn (file:///src/x.test.ts:9:10)`, `❯ test/x.test.ts:12:27`.
const FRAME_LOCATION = /(?:\(|\s|^)((?:file:\/\/)?[^\s()]+?\.[cm]?[jt]sx?):(\d+):(\d+)\)?\s*$/;

function projectLocation(lines: string[], context: ParseContext): { file: string; line: string; column: string } | null {
  for (const line of lines) {
    const match = FRAME_LOCATION.exec(line);
    if (match?.[1] && !match[1].startsWith("node:") && isProjectPath(sourcePath(context.pathBase, match[1]))) {
      return { file: match[1], line: match[2] ?? "", column: match[3] ?? "" };
    }
  }
  return null;
}

/** The lines after `index` up to (not including) the first that `isEnd` accepts, at most `max`. */
function blockAfter(lines: string[], index: number, isEnd: (line: string) => boolean, max = 60): string[] {
  const block: string[] = [];
  for (const line of lines.slice(index + 1, index + 1 + max)) {
    if (isEnd(line)) break;
    block.push(line);
  }
  return block;
}

const firstText = (lines: string[]): string => lines.find((line) => line.trim() !== "")?.trim() ?? "test failed";

/** Vitest: ` FAIL  test/x.test.ts > suite > test` then the error, then `❯ file:line:col`. */
function vitestFailures(lines: string[], context: ParseContext): Finding[] {
  // Jest's `FAIL ./x.test.js` suite lines have neither ` > ` nor ` [ … ]`; its failures are read from `●`.
  const FAIL = /^\s*FAIL\s+(\S+)(?:\s+>\s+(.*?)|\s+\[.*\])\s*$/;
  return lines.flatMap((line, index) => {
    const fail = FAIL.exec(line);
    if (!fail?.[1] || !/\.[cm]?[jt]sx?$/.test(fail[1])) return [];
    const block = blockAfter(lines, index, (next) => FAIL.test(next) || /⎯{3,}/.test(next));
    const where = projectLocation(block, context);
    return [makeFinding({ file: where?.file ?? fail[1], line: where?.line, column: where?.column, rule: fail[2] ?? fail[1], message: firstText(block) }, context)];
  });
}

/** Jest: `● suite › test` then the error, then `at … (file:line:col)`. */
function jestFailures(lines: string[], context: ParseContext): Finding[] {
  const HEADER = /^\s+● (.+)$/;
  return lines.flatMap((line, index) => {
    const header = HEADER.exec(line);
    if (!header?.[1]) return [];
    const block = blockAfter(lines, index, (next) => HEADER.test(next) || /^Test Suites:/.test(next));
    const where = projectLocation(block, context);
    return [makeFinding({ file: where?.file, line: where?.line, column: where?.column, rule: header[1].trim(), message: firstText(block) }, context)];
  });
}

/** node:test spec reporter: the `✖ failing tests:` section (`test at file:line:col`, `✖ name (1ms)`, error). */
function nodeSpecFailures(lines: string[], context: ParseContext): Finding[] {
  const section = lines.findIndex((line) => /^✖ failing tests:\s*$/.test(line));
  const TEST_AT = /^test at (.+):(\d+):(\d+)\s*$/;
  const FAILED = /^(\s*)✖ (.+?)(?: \([\d.]+m?s\))?\s*$/;
  const scope = section === -1 ? lines : lines.slice(section + 1);
  return scope.flatMap((line, index) => {
    const failed = FAILED.exec(line);
    if (!failed?.[2] || failed[2] === "failing tests:") return [];
    const at = TEST_AT.exec(scope[index - 1] ?? "");
    const indent = failed[1]?.length ?? 0;
    const block = blockAfter(scope, index, (next) => next.trim() !== "" && (next.length - next.trimStart().length <= indent || TEST_AT.test(next)));
    const where = at ? { file: at[1], line: at[2], column: at[3] } : projectLocation(block, context);
    return [makeFinding({ file: where?.file, line: where?.line, column: where?.column, rule: failed[2], message: firstText(block) }, context)];
  });
}

/** TAP: `not ok 2 - name` and its YAML block (`location:`, `error:`); parents of failed subtests are skipped. */
function tapFailures(lines: string[], context: ParseContext): Finding[] {
  const NOT_OK = /^\s*not ok \d+ - (.+?)(?:\s+#.*)?$/;
  return lines.flatMap((line, index) => {
    const notOk = NOT_OK.exec(line);
    if (!notOk?.[1]) return [];
    // The YAML block ends with `...` at its own indent (an assertion diff may contain deeper `...` lines).
    const end = `${" ".repeat((/^\s*/.exec(line)?.[0].length ?? 0) + 2)}...`;
    const block = blockAfter(lines, index, (next) => next.trimEnd() === end, 400);
    if (block.some((l) => /failureType: '?subtestsFailed/.test(l))) return [];
    const location = block.map((l) => /^\s*location: '?(.+?):(\d+):(\d+)'?\s*$/.exec(l)).find((m) => m !== null);
    const errorAt = block.findIndex((l) => /^\s*error:/.test(l));
    const inline = errorAt === -1 ? null : /^\s*error: '?(.*?)'?\s*$/.exec(block[errorAt] ?? "")?.[1];
    const message = inline && !/^[|>]-?$/.test(inline) ? inline : firstText(block.slice(errorAt + 1));
    // The failing assertion's frame beats `location` (the test's declaration, which a TypeScript loader may leave unmapped).
    const stackAt = block.findIndex((l) => /^\s*stack:/.test(l));
    const frame = stackAt === -1 ? null : projectLocation(block.slice(stackAt + 1), context);
    const where = frame ?? (location ? { file: location[1], line: location[2], column: location[3] } : null);
    return [makeFinding({ file: where?.file, line: where?.line, column: where?.column, rule: notOk[1], message }, context)];
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\u0000${f.file}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `npm test` in a worker or site: counts from vitest, jest, node:test (spec or TAP) or mocha,
 * and each failed test as a finding (rule = test name) at the file:line printed for it.
 * Zero tests ran is a failure.
 */
export const parseNodeTest: Parser = (output, context): ParseResult => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const counts = countsIn(lines);
  const total = counts ? counts.passed + counts.failed + counts.skipped + counts.errors : 0;
  if ((counts !== null && total === 0) || (counts === null && lines.some((line) => NO_TESTS.test(line)))) {
    const finding = makeFinding({ rule: "no-tests", message: "no tests ran" }, context);
    return { status: "failed", summary: "no tests ran", findings: [finding], counts };
  }
  const failures = dedupe([
    ...vitestFailures(lines, context),
    ...jestFailures(lines, context),
    ...nodeSpecFailures(lines, context),
    ...tapFailures(lines, context),
  ]);
  const failed = output.exitCode !== 0 || failures.length > 0 || (counts !== null && counts.failed + counts.errors > 0);
  const findings = failed && failures.length === 0 ? [fallbackFinding(output, context)] : failures;
  const summary = counts ? describeCounts(counts) : failed ? (findings[0]?.message.split("\n")[0] ?? "failed") : "exited 0; no test summary recognised";
  return { status: failed ? "failed" : "passed", summary, findings, counts };
};
