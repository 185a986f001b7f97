import type { Finding, Severity } from "../model/report.js";
import { makeFinding } from "./findings.js";
import type { ParseContext } from "./types.js";

// `✘ [ERROR] Could not resolve "x"` (X on terminals without Unicode), `▲ [WARNING] … [rule]`.
const HEADER = /^\s*(?:✘|X|▲)\s+\[(ERROR|WARNING)\]\s+(.*)$/;
// The location line under a header: `    src/index.ts:3:19:`.
const LOCATION = /^\s+(\S(?:.*\S)?):(\d+):(\d+):\s*$/;
// The one-line form: `src/index.ts:3:19: ERROR: Could not resolve "x"`.
const ONE_LINE = /^\s*(\S.*?):(\d+):(\d+): (ERROR|WARNING|error|warning): (.*)$/;
// The aggregate header esbuild prints above the real errors.
const AGGREGATE = /^Build failed with \d+ errors?:?$/;
const RULE_SUFFIX = /^(.*\S)\s+\[([\w-]+)\]$/;

const SEVERITY: Record<string, Severity> = { ERROR: "error", WARNING: "warning", error: "error", warning: "warning" };

/**
 * esbuild diagnostics (wrangler's bundler, Vite 5's transform step): a `✘ [ERROR] message`
 * header followed by its `file:line:col:` location line, or the one-line
 * `file:line:col: ERROR: message` form. Duplicates (esbuild repeats errors in its summary) are
 * dropped, as is the "Build failed with N errors" aggregate.
 */
export function esbuildFindings(lines: string[], context: ParseContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const add = (finding: Finding) => {
    const key = JSON.stringify([finding.file, finding.line, finding.column, finding.message]);
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(finding);
  };
  lines.forEach((line, index) => {
    const header = HEADER.exec(line);
    if (header) {
      const text = (header[2] ?? "").trim();
      if (AGGREGATE.test(text)) return;
      let location: RegExpExecArray | null = null;
      for (const next of lines.slice(index + 1, index + 8)) {
        if (HEADER.test(next)) break;
        location = LOCATION.exec(next);
        if (location) break;
      }
      const suffix = RULE_SUFFIX.exec(text);
      add(
        makeFinding(
          {
            file: location?.[1] ?? null,
            line: location?.[2],
            column: location?.[3],
            rule: suffix?.[2] ?? null,
            severity: SEVERITY[header[1] ?? ""] ?? "error",
            message: suffix?.[1] ?? text,
          },
          context,
        ),
      );
      return;
    }
    const oneLine = ONE_LINE.exec(line);
    if (oneLine) {
      add(
        makeFinding(
          { file: oneLine[1], line: oneLine[2], column: oneLine[3], severity: SEVERITY[oneLine[4] ?? ""] ?? "error", message: (oneLine[5] ?? "").trim() },
          context,
        ),
      );
    }
  });
  return findings;
}
