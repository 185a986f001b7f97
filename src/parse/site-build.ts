import { EMPTY_OUTPUT_MARKER } from "../model/contracts.js";
import type { Finding } from "../model/report.js";
import { esbuildFindings } from "./esbuild.js";
import { describeFindings, findingsResult, lastErrorLine, makeFinding } from "./findings.js";
import { tscFindings } from "./tsc.js";
import { toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

// Rolldown (Vite 7+) frames the source excerpt under `╭─[ src/main.ts:2:27 ]`; Astro prints
// `Location:` then the path on the next line.
const FRAME = /^\s*╭─\[\s*(\S.*?):(\d+):(\d+)\s*\]\s*$/;
const LOCATION_LABEL = /^\s*(?:Location|File):\s*$/;
const BARE_LOCATION = /^\s+(\S+?):(\d+)(?::(\d+))?\s*$/;
// Rolldown's message line: `[UNRESOLVED_IMPORT] Could not resolve './greeting' in src/main.ts`.
const CODED = /^\s*\[([\w:./ -]+)\]\s+(.*\S)\s*$/;
// Vite/Rollup: `file: /src/sites/www/src/main.ts:2:26` under `error during build:`.
const VITE_FILE = /^file: (\S+?)(?::(\d+):(\d+))?\s*$/;
const ERROR_DURING_BUILD = /^error during build:\s*$/;
const AGGREGATE = /Build failed with \d+ errors?:?$|Transform failed with \d+ errors?:?$/;
// Rollup (Vite ≤ 6, Astro): `src/pages/index.astro (4:9): "x" is not exported by "…", imported by "…".`
const ROLLUP_LOCATED = /^(\S+\.[\w]+) \((\d+):(\d+)\): (.*\S)\s*$/;
// Lines that frame a message but are not it: source excerpts (`4: import …`), carets, `file:`.
const NOT_A_MESSAGE = /^\s*\d+:\s|^\s*\^+\s*$|^file: /;

/** The nearest line above `index` that says something (the message a location belongs to). */
function messageAbove(lines: string[], index: number): string | null {
  for (let i = index - 1; i >= Math.max(0, index - 12); i -= 1) {
    const line = lines[i] ?? "";
    if (line.trim() !== "" && !LOCATION_LABEL.test(line) && !NOT_A_MESSAGE.test(line)) return line;
  }
  return null;
}

/** Rollup's one-line located errors; the message keeps what the tool said after the position. */
function rollupFindings(lines: string[], context: ParseContext): Finding[] {
  return lines.flatMap((line) => {
    const match = ROLLUP_LOCATED.exec(line);
    return match ? [makeFinding({ file: match[1], line: match[2], column: match[3], message: match[4] ?? line }, context)] : [];
  });
}

/** One finding per place and message: tools print the same error in several framings. */
function distinct(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.file, f.line, f.column, f.message.replace(/^\S+ \(\d+:\d+\): /, "")]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Locations in Rolldown's and Astro's formats, with the message printed above them. */
function framedFindings(lines: string[], context: ParseContext): Finding[] {
  return lines.flatMap((line, index) => {
    const frame = FRAME.exec(line);
    const labelled = LOCATION_LABEL.test(lines[index - 1] ?? "") ? BARE_LOCATION.exec(line) : null;
    const where = frame ?? labelled;
    if (!where) return [];
    // Astro prefixes the message with its log level: `[ERROR] [CompilerError] …`.
    const above = (messageAbove(lines, labelled ? index - 1 : index) ?? "build error").replace(/^\s*\[ERROR\]\s*/i, "");
    const coded = CODED.exec(above);
    return [makeFinding({ file: where[1], line: where[2], column: where[3], rule: coded?.[1] ?? null, message: (coded?.[2] ?? above).trim() }, context)];
  });
}

/** Vite's `error during build:` block: its first real message line, at the `file:` it names. */
function viteErrorFinding(lines: string[], context: ParseContext): Finding | null {
  const start = lines.findIndex((line) => ERROR_DURING_BUILD.test(line));
  if (start === -1) return null;
  const block = lines.slice(start + 1, start + 12);
  const message = block.find((line) => line.trim() !== "" && !AGGREGATE.test(line) && !VITE_FILE.test(line));
  const file = block.map((line) => VITE_FILE.exec(line)).find((match) => match !== null);
  if (!message) return null;
  const coded = CODED.exec(message);
  return makeFinding({ file: file?.[1] ?? null, line: file?.[2], column: file?.[3], rule: coded?.[1] ?? null, message: (coded?.[2] ?? message).trim() }, context);
}

/**
 * A site's build (`npm run build`, then the plan's output-directory check) in sites/<name>:
 * located errors from esbuild, Rolldown/Rollup (Vite), Astro and tsc; else Vite's
 * `error during build:` message; else, when the build itself succeeded but the output check
 * printed its marker, an "empty-output" finding.
 */
export const parseSiteBuild: Parser = (output, context) => {
  const all = [...toLines(output.stdout), ...toLines(output.stderr)];
  const lines = all.filter((line) => !EMPTY_OUTPUT_MARKER.test(line));
  const located = distinct([...esbuildFindings(lines, context), ...tscFindings(lines, context), ...rollupFindings(lines, context), ...framedFindings(lines, context)]);
  if (located.length > 0) return findingsResult(output, context, located, describeFindings(located));
  if (output.exitCode === 0) return findingsResult(output, context, [], "built");
  const viteError = viteErrorFinding(lines, context);
  if (viteError) return findingsResult(output, context, [viteError], viteError.message);
  const marker = all.find((line) => EMPTY_OUTPUT_MARKER.test(line));
  const buildError = lastErrorLine(lines);
  if (marker && buildError === null) {
    const finding = makeFinding({ rule: "empty-output", message: marker.replace(/^predeploy: /, "") }, context);
    return findingsResult(output, context, [finding], finding.message);
  }
  return findingsResult(output, context, []);
};
