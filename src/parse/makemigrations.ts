import type { Finding } from "../model/report.js";
import { systemCheckFindings } from "./django-system-check.js";
import { findingsResult, makeFinding } from "./findings.js";
import { tracebackFinding } from "./python-traceback.js";
import { plural, toLines } from "../model/text.js";
import type { ParseContext, Parser } from "./types.js";

const APP = /^Migrations for '([^']+)':\s*$/;
const MIGRATION_FILE = /^\s+(\S+\.py)\s*$/;
// Django 5.x marks operations with + - ~ x *; older versions with "-".
const OPERATION = /^\s{3,}(?:[-+~x*]\s+)?(\S.*)$/;

const APP_MESSAGE = /^App '([^']+)' has model changes without a migration/;

/** The Django app a missing-migration finding names (its message is made here, below). */
export function migrationApp(message: string): string | null {
  return APP_MESSAGE.exec(message)?.[1] ?? null;
}

/** One finding per app Django would write a migration for, at the file it would write. */
function missingMigrations(lines: string[], context: ParseContext): Finding[] {
  const apps: { app: string; file: string | null; operations: string[] }[] = [];
  for (const line of lines) {
    const app = APP.exec(line);
    if (app) {
      apps.push({ app: app[1] ?? "", file: null, operations: [] });
      continue;
    }
    const current = apps[apps.length - 1];
    if (!current || !/^\s/.test(line)) continue;
    const file = MIGRATION_FILE.exec(line);
    if (file && current.file === null) current.file = file[1] ?? null;
    else if (current.file !== null) {
      const operation = OPERATION.exec(line);
      if (operation?.[1]) current.operations.push(operation[1].trim());
    }
  }
  return apps.map(({ app, file, operations }) =>
    makeFinding(
      {
        file,
        rule: "missing-migration",
        message: `App '${app}' has model changes without a migration${operations.length > 0 ? `: ${operations.join("; ")}` : ""}`,
      },
      context,
    ),
  );
}

/**
 * `manage.py makemigrations --check --dry-run`: exit 0 "No changes detected" passes; exit 1
 * lists, per app, the migration file it would write and its operations. A system-check error
 * or a traceback stops the command before that; those are reported instead.
 */
export const parseMakemigrations: Parser = (output, context) => {
  const lines = [...toLines(output.stdout), ...toLines(output.stderr)];
  const missing = missingMigrations(lines, context);
  if (missing.length > 0) return findingsResult(output, context, missing, `${plural(missing.length, "app")} missing migrations`);
  if (output.exitCode === 0) return findingsResult(output, context, [], "no changes detected");
  const checkErrors = systemCheckFindings(lines, context).filter((f) => f.severity === "error");
  if (checkErrors.length > 0) return findingsResult(output, context, checkErrors, `system check failed: ${plural(checkErrors.length, "error")}`);
  const crash = tracebackFinding(lines, context);
  return findingsResult(output, context, crash ? [crash] : [], crash?.message.split("\n")[0]);
};
