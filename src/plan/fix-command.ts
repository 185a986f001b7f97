import type { Finding } from "../model/report.js";
import { migrationApp } from "../parse/makemigrations.js";
import { relativeTo } from "../project/paths.js";
import { shellQuote } from "../project/shell-quote.js";
import type { FixSpec } from "../model/spec.js";

/**
 * One finding's fix, from its check's FixSpec: the argv run in the check's container (its
 * working directory is `cwd`), and the same as one command a person runs from the repository
 * root. Null when the finding is not the fixer's (another rule, no file, no app).
 */
export function fixArgv(fix: FixSpec, finding: Pick<Finding, "file" | "rule" | "message">): string[] | null {
  if (fix.rules !== undefined && !fix.rules.includes(finding.rule ?? "")) return null;
  const file = finding.file === null ? null : relativeTo(fix.cwd, finding.file);
  const app = migrationApp(finding.message);
  const argv: string[] = [];
  for (const arg of fix.argv) {
    if (arg === "{file}") {
      if (file === null) return null;
      argv.push(file);
    } else if (arg === "{app}") {
      if (app === null) return null;
      argv.push(app);
    } else argv.push(arg);
  }
  return argv;
}

/** `argv` as a command run from the repository root. */
export function fixCommandLine(fix: FixSpec, argv: readonly string[]): string {
  return fix.cwd === "." ? shellQuote(argv) : `cd ${shellQuote([fix.cwd])} && ${shellQuote(argv)}`;
}
