import type { Finding } from "../model/report.js";
import { makeFinding } from "./findings.js";
import { toLines } from "../model/text.js";
import type { ParseContext, ToolOutput } from "./types.js";

const CAUSE = /^\s*Cause:\s*(.*)$/;
const CONFIG_FILE = /Failed to parse (\S+\.toml)/;
const TOML_POSITION = /at line (\d+), column (\d+)/;

/**
 * The finding for ruff itself failing (exit 2: bad configuration, unreadable file): "ruff failed"
 * followed by `Cause:` lines, the innermost last, and for a TOML error the offending key after
 * the source excerpt. Points at the config file when ruff names it.
 */
export function ruffFailureFinding(output: ToolOutput, context: ParseContext): Finding | null {
  const lines = toLines(output.stderr);
  const causes = lines.flatMap((line) => {
    const cause = CAUSE.exec(line);
    return cause?.[1] ? [cause[1]] : [];
  });
  const errors = lines.flatMap((line) => {
    const error = /^(?:error|ruff failed):\s*(.+)$/.exec(line.trim());
    return error?.[1] ? [error[1]] : [];
  });
  if (causes.length === 0 && errors.length === 0) return null;
  // After a TOML excerpt (lines starting with a gutter "|"), the explanation follows.
  const lastGutter = lines.reduce((last, line, index) => (/^\s*(\d+\s*)?\|/.test(line) ? index : last), -1);
  const detail = lastGutter === -1 ? undefined : lines.slice(lastGutter + 1).find((line) => line.trim() !== "");
  const text = [...errors, ...causes].join(" ");
  const config = CONFIG_FILE.exec(text);
  const position = TOML_POSITION.exec(text);
  return makeFinding(
    {
      file: config?.[1] ?? null,
      line: config ? position?.[1] : null,
      column: config ? position?.[2] : null,
      message: ["ruff failed", ...causes, ...errors, ...(detail ? [detail.trim()] : [])].join(": "),
    },
    context,
  );
}
