import type { Finding } from "../model/report.js";
import { makeFinding } from "./findings.js";
import { isProjectPath, sourcePath } from "./paths.js";
import type { ParseContext } from "./types.js";

const TRACEBACK_START = /^\s*Traceback \(most recent call last\):\s*$/;
const FRAME = /^\s*File "([^"]+)", line (\d+)/;
const EXCEPTION = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

export interface PythonTraceback {
  /** The exception line as printed ("KeyError: 'x'"), or null when the output stops before it. */
  exception: string | null;
  /** The exception's class as printed, dotted when Python prints it so ("isort.exceptions.ProfileDoesNotExist"). */
  type: string | null;
  /** The last frame inside the project (falling back to any project frame before the traceback), path as printed. */
  frame: { printed: string; line: number } | null;
}

/** The last uncaught-exception traceback in the lines, or null when they hold none. */
export function readTraceback(lines: string[], context: ParseContext): PythonTraceback | null {
  let start = -1;
  lines.forEach((line, index) => {
    if (TRACEBACK_START.test(line)) start = index;
  });
  if (start === -1) return null;

  let exception: string | null = null;
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || /^\s/.test(line)) continue;
    if (EXCEPTION.test(line)) {
      exception = line.trim();
      break;
    }
  }

  const projectFrame = (from: number) => {
    let found: { printed: string; line: number } | null = null;
    for (const line of lines.slice(from)) {
      const frame = FRAME.exec(line);
      const printed = frame?.[1];
      if (printed && isProjectPath(sourcePath(context.pathBase, printed))) found = { printed, line: Number(frame[2]) };
    }
    return found;
  };

  return {
    exception,
    type: exception ? (EXCEPTION.exec(exception)?.[1] ?? null) : null,
    frame: projectFrame(start) ?? projectFrame(0),
  };
}

/**
 * The finding for an uncaught Python exception: the exception line as the message, placed at
 * the last frame inside the project (falling back to any project frame before it), or null
 * when the lines hold no traceback.
 */
export function tracebackFinding(lines: string[], context: ParseContext): Finding | null {
  const traceback = readTraceback(lines, context);
  if (traceback === null) return null;
  return makeFinding(
    {
      file: traceback.frame?.printed ?? null,
      line: traceback.frame?.line ?? null,
      rule: traceback.type,
      message: traceback.exception ?? "Python traceback without an exception line",
    },
    context,
  );
}
