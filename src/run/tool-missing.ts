import type { CheckSpec } from "../model/spec.js";
import type { Execution } from "./executor.js";

/**
 * A check whose tool is not installed cannot say anything about the code: it is `error`
 * with the fix, never a finding. Recognised from the exit code (126/127, as shells and
 * `timeout` report "not found"/"not executable"), the runtimes' own words, and npx's.
 */

const MISSING_PATTERNS: RegExp[] = [
  /exec(?:utable)?:? "?([\w.+-]+)"?: executable file not found/i,
  /exec ([\w.+-]+) failed: No such file or directory/i,
  /(?:^|\s)(?:sh|bash|timeout): (?:\d+: )?(?:line \d+: )?(?:failed to run command )?['‘]?([\w.+-]+)['’]?: (?:command )?not found/im,
  /^(?:sh: \d+: )?([\w.+-]+): not found$/m,
  /could not determine executable to run/i,
  /Command "([\w.+-]+)" not found/i,
  /Failed to spawn: `([\w.+-]+)`/i,
];

/** Where the missing tool should have come from, and how to put it there. */
function fix(spec: CheckSpec): string {
  const base = spec.container.base;
  if (base.kind === "dockerfile") return `the image built from ${base.dockerfile} does not provide it: install it in the image, or name the interpreter with backend.python in predeploy.json`;
  if (spec.tool.ecosystem === "python") {
    return "add it to a dependency group or an optional-dependency extra (predeploy installs all of them) or to the requirements file, or set this check's command in predeploy.json";
  }
  return "add it to the package's devDependencies and commit the lockfile, or set this check's command in predeploy.json";
}

/**
 * A system library the environment lacks (python-magic's libmagic, psycopg2's libpq): the
 * project said what it needs in its Dockerfile, so a missing one is predeploy's set-up, never
 * the project's failure.
 */
const MISSING_LIBRARY: RegExp[] = [
  /\b(lib[\w+.-]+?\.so(?:\.[\d.]+)?): cannot open shared object file/,
  /failed to find (libmagic)/i,
  /(pg_config) executable not found/i,
  /\b(msgfmt)\b.*(?:not found|No such file)|CommandError: Can't find (msgfmt)/,
];

/** The `error` summary when a system library is missing, or null. */
export function missingLibraryMessage(spec: CheckSpec, execution: Execution): string | null {
  if (spec.container.base.kind === "dockerfile" || spec.tool.ecosystem !== "python" || execution.exitCode === 0) return null;
  const output = `${execution.stderr}\n${execution.stdout}`;
  for (const pattern of MISSING_LIBRARY) {
    const match = pattern.exec(output);
    const library = match?.slice(1).find((group) => group !== undefined);
    if (library !== undefined) {
      return `the system library or program ${library} is missing from the check's environment: name its Debian package in the backend Dockerfile's apt-get install line (predeploy installs those) or in python.systemPackages in predeploy.json`;
    }
  }
  return null;
}

/** The `error` summary when the check's tool is missing, or null when the tool ran. */
export function missingToolMessage(spec: CheckSpec, execution: Execution): string | null {
  if (execution.phase !== "command") return null;
  const output = `${execution.stderr}\n${execution.stdout}`;
  let named: string | null = null;
  let matched = false;
  for (const pattern of MISSING_PATTERNS) {
    const match = pattern.exec(output);
    if (match) {
      matched = true;
      named = match[1] ?? null;
      break;
    }
  }
  const byExit = execution.exitCode === 126 || execution.exitCode === 127;
  if (!byExit && !matched) return null;
  // A 127 from deep inside a test run is that run's business; the launcher's own words or a bare 127 are ours.
  if (!matched && execution.stdout.length + execution.stderr.length > 2000) return null;
  const tool = named ?? spec.tool.program;
  return `${tool} is not installed in the project's environment (exit ${execution.exitCode}): ${fix(spec)}`;
}
