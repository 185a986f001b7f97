import type { Finding, Severity } from "../model/report.js";
import { sourcePath } from "./paths.js";
import { boundedBlock, oneLine, plural, positiveInt, toLines } from "../model/text.js";
import type { ParseContext, ParseResult, ToolOutput } from "./types.js";

export interface FindingInput {
  /** The path as the tool printed it; made source-relative here. */
  file?: string | null;
  line?: unknown;
  column?: unknown;
  rule?: string | null;
  severity?: Severity;
  message: string;
}

/** Builds a schema-valid Finding: source-relative file, 1-based positions or null, bounded message. */
export function makeFinding(input: FindingInput, context: ParseContext): Finding {
  const file = input.file?.trim() ? sourcePath(context.pathBase, input.file) : null;
  const rule = input.rule?.trim() ? oneLine(input.rule, 200) : null;
  return {
    file,
    line: positiveInt(input.line),
    column: positiveInt(input.column),
    rule,
    severity: input.severity ?? "error",
    message: boundedBlock(input.message.split("\n")) || "(no message)",
  };
}

// Lines that carry no information of their own: stack frames, rules, npm's log pointers.
const NOISE =
  /^\s*$|^\s*at\s|^[\s=\-_─━⎯*#~!.^|│╵╰╭]+$|^npm (error|ERR!)\s*$|^npm (error|ERR!) (code|errno|path|syscall|command|cwd|signal|workspace|location|A complete log|Lifecycle script|To see a list|\s+npm run)|Logs were written to|^\s*\d+ \| /;
const ERRORISH =
  /\b(error|exception|failed|failure|fatal|cannot|could not|can't|not found|no such|denied|invalid|refused|timed? ?out|traceback)\b|^[\w.]*(Error|Exception)\b|[✘✗✖×]/i;

/** The last line that reads like an error (not a stack frame or npm's log pointers), or null. */
export function lastErrorLine(lines: string[]): string | null {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index] ?? "";
    if (!NOISE.test(line) && ERRORISH.test(line)) return oneLine(line);
  }
  return null;
}

/** The line of output most likely to say what went wrong: the last error-looking line, else the last line. */
export function mostUsefulLine(output: ToolOutput): string | null {
  // stderr last: where a tool's error goes, after whatever progress it printed on stdout.
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const last = lines.filter((line) => !NOISE.test(line)).pop();
  return lastErrorLine(lines) ?? (last === undefined ? null : oneLine(last));
}

/** The finding a failed check gets when nothing in its output could be parsed. */
export function fallbackFinding(output: ToolOutput, context: ParseContext): Finding {
  return makeFinding({ message: mostUsefulLine(output) ?? `exited with code ${output.exitCode}` }, context);
}

/** "3 findings in 2 files" / "1 finding" / "no issues". */
export function describeFindings(findings: Finding[]): string {
  if (findings.length === 0) return "no issues";
  const files = new Set(findings.flatMap((f) => (f.file === null ? [] : [f.file])));
  const count = plural(findings.length, "finding");
  return files.size > 0 ? `${count} in ${plural(files.size, "file")}` : count;
}

/** "2 errors, 1 warning" / "no issues": for tools whose findings are not all errors. */
export function describeSeverities(findings: Finding[]): string {
  if (findings.length === 0) return "no issues";
  const severities: [Severity, string][] = [
    ["error", "error"],
    ["warning", "warning"],
    ["info", "note"],
  ];
  return severities
    .map(([severity, noun]) => [findings.filter((f) => f.severity === severity).length, noun] as const)
    .filter(([count]) => count > 0)
    .map(([count, noun]) => plural(count, noun))
    .join(", ");
}

/**
 * The result of a findings-based check: failed when the tool exited non-zero or reported an
 * error; a failure with nothing parsed gets one finding with the most useful output line.
 */
export function findingsResult(
  output: ToolOutput,
  context: ParseContext,
  findings: Finding[],
  summary: string = describeFindings(findings),
): ParseResult {
  const failed = output.exitCode !== 0 || findings.some((f) => f.severity === "error");
  if (!failed) return { status: "passed", summary: oneLine(summary), findings, counts: null };
  if (findings.length > 0) return { status: "failed", summary: oneLine(summary), findings, counts: null };
  const fallback = fallbackFinding(output, context);
  return { status: "failed", summary: fallback.message.split("\n")[0] ?? fallback.message, findings: [fallback], counts: null };
}
