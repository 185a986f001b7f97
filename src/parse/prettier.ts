import type { Finding } from "../model/report.js";
import { findingsResult, makeFinding } from "./findings.js";
import { plural, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

// `prettier --check <dir>` (prettier 3): "Checking formatting..." on stdout, then on stderr
// `[warn] <path>` per file that would change and `[warn] Code style issues found in 2 files. Run
// Prettier with --write to fix.` (exit 1); a file it cannot parse is `[error] <path>: SyntaxError:
// <message> (<line>:<col>)` followed by `[error]` lines of code frame (exit 2); a configuration
// problem is an `[error]` line naming no file. Paths are relative to where it ran (the package).
const TAGGED = /^\[(warn|error)\] ?(.*)$/;
// Prettier 3's and 2's summary lines, and its warnings about options: not files.
const WARN_MESSAGE = /^(Code style issues |Ignored unknown option)|\.\s*$/;
const FILE_ERROR = /^(\S(?:.*?\S)?): ((?:\w+\.)*\w*Error): (.*?)(?: \((\d+):(\d+)\))?$/;
// The code frame (`  1 | …`, `> 3 | …`, `    |    ^`) and stack frames under an error.
const CONTINUATION = /^\s*(>\s*)?\d*\s*\|(\s|$)|^\s+at\s/;

interface Parsed {
  findings: Finding[];
  /** `prettier --write` fixes what it would reformat, not a file it cannot parse. */
  fixable: boolean[];
}

function prettierFindings(lines: string[], context: ParseContext): Parsed {
  const findings: Finding[] = [];
  const fixable: boolean[] = [];
  // File-less error lines in a row are one message.
  let message: string[] = [];
  const flush = () => {
    if (message.length > 0) {
      findings.push(makeFinding({ message: message.join("\n") }, context));
      fixable.push(false);
    }
    message = [];
  };
  for (const line of lines) {
    const tagged = TAGGED.exec(line);
    if (!tagged) continue;
    const [, level, text = ""] = tagged;
    if (level === "warn") {
      flush();
      if (text.trim() === "" || WARN_MESSAGE.test(text)) continue;
      findings.push(makeFinding({ file: text, rule: "format", message: "File would be reformatted" }, context));
      fixable.push(true);
      continue;
    }
    if (text.trim() === "" || CONTINUATION.test(text)) continue;
    const fileError = FILE_ERROR.exec(text);
    if (fileError) {
      flush();
      const [, file, name, detail, row, column] = fileError;
      findings.push(
        makeFinding(
          { file, line: row, column, rule: name === "SyntaxError" ? "invalid-syntax" : "cannot-format", message: `${name}: ${detail ?? ""}` },
          context,
        ),
      );
      fixable.push(false);
    } else if (message.length < 12) {
      message.push(text.trim());
    }
  }
  flush();
  return { findings, fixable };
}

/**
 * `prettier --check .` in a package: one finding per file that would be reformatted (rule
 * "format"), one per file it could not parse at the error's position (rule "invalid-syntax"),
 * and its other errors (an invalid configuration, a pattern matching nothing) without a file.
 */
export const parsePrettier: Parser = (output, context) => {
  const { findings, fixable } = prettierFindings([...toLines(output.stdout), ...toLines(output.stderr)], context);
  const reformat = findings.filter((f) => f.rule === "format").length;
  const unformattable = findings.filter((f) => f.file !== null && f.rule !== "format").length;
  const parts = [
    reformat > 0 ? `${plural(reformat, "file")} would be reformatted` : null,
    unformattable > 0 ? `${plural(unformattable, "file")} could not be formatted` : null,
  ].filter((part) => part !== null);
  const other = findings.find((f) => f.file === null);
  const summary = parts.length > 0 ? parts.join(", ") : (other?.message.split("\n")[0] ?? "all files formatted");
  return { ...findingsResult(output, context, findings, summary), fixable };
};
