import { FAIL_LEVELS, looksSecret, type Config, type FailLevel } from "../model/config.js";
import { describeOrigin, type Origin } from "./declared.js";
import { literalText } from "./ci-workflow.js";
import { words } from "./dockerfile.js";
import { list, table } from "./parsed-data.js";
import { dirname } from "./paths.js";
import { join, type SourceTree } from "./source-tree.js";
import { readYaml } from "./yaml-file.js";

/**
 * Django's deployment checklist as this project runs it: the level it fails at, and the settings
 * and plain environment the project's own `check --deploy` line gives it (`DEBUG=False python
 * manage.py check --deploy --settings=config.settings.production`), and why.
 */
export interface DeployCheck {
  level: FailLevel;
  /** `--settings` on the project's own line, else null (manage.py chooses, as it does at start). */
  settings: string | null;
  /** Literal assignments before the project's own command: never a secret, a URL or a value computed by the shell. */
  env: Record<string, string>;
  why: string;
}

/** Where projects run their own `check --deploy`: CI, task runners, platform build commands, start scripts. */
const FIXED_FILES = ["Makefile", "justfile", "Justfile", "tox.ini", "noxfile.py", "render.yaml", "Procfile", ".gitlab-ci.yml", "bitbucket-pipelines.yml"];
const SCRIPT_DIRS = [".", "scripts", "bin", "docker"];
const SCRIPT = /\.(?:sh|bash)$|^(?:start|entrypoint|docker-entrypoint|release|prestart|predeploy)$/;
const YAML = /\.ya?ml$/;
const DEPLOY_CHECK = /(?:manage\.py|django-admin)\s+check\b[^\n]*?--deploy\b/;
const FAIL_LEVEL = /--fail-level(?:=|\s+)["']?([A-Za-z]+)/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** The level a `check --deploy` command line fails at: its --fail-level, else Django's default; null when the line runs none. */
export function failLevelOf(line: string): FailLevel | null {
  if (!DEPLOY_CHECK.test(line)) return null;
  const named = FAIL_LEVEL.exec(line)?.[1]?.toUpperCase();
  return FAIL_LEVELS.find((level) => level === named) ?? "ERROR";
}

/** Lines joined where a backslash continues them, each with the number of its first line. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | null = null;
  for (const [index, raw] of text.split("\n").entries()) {
    const current: { text: string; line: number } = pending === null ? { text: raw, line: index + 1 } : { text: `${pending.text} ${raw.trim()}`, line: pending.line };
    if (/\\\s*$/.test(current.text)) pending = { text: current.text.replace(/\\\s*$/, ""), line: current.line };
    else {
      out.push(current);
      pending = null;
    }
  }
  if (pending !== null) out.push(pending);
  return out;
}

/** `$(…)` and backquoted substitutions, each made one opaque word: their output is the shell's, not a literal. */
function withoutSubstitutions(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i += 1) {
    if (text.startsWith("$(", i)) {
      let depth = 0;
      for (; i < text.length; i += 1) {
        if (text[i] === "(") depth += 1;
        else if (text[i] === ")" && --depth === 0) break;
      }
      out += "$SUBSTITUTED";
    } else if (text[i] === "`") {
      const end = text.indexOf("`", i + 1);
      i = end === -1 ? text.length : end;
      out += "$SUBSTITUTED";
    } else out += text[i];
  }
  return out;
}

/** A value a check may take from the project's own command: literal, never a secret nor a URL (the run's services are its own). */
function plainValue(name: string, value: string): boolean {
  return !/[$`]/.test(value) && !value.includes("://") && !looksSecret(name, value);
}

/**
 * The literal variables a GitHub Actions workflow (or composite action) gives the step whose `run`
 * holds `command`: the workflow's `env`, then its job's, then the step's; expressions (`${{ … }}`) and
 * secrets are left out.
 */
function workflowStepEnv(file: string, text: string, command: string): Record<string, string> {
  const yaml = readYaml(file, text, [], "");
  if (yaml === null) return {};
  const root = table(yaml.data);
  const jobs = [...Object.values(table(root.jobs)).map(table), table(root.runs)];
  for (const job of jobs) {
    for (const step of list(job.steps).map(table)) {
      const run = typeof step.run === "string" ? step.run : "";
      if (!logicalLines(run).some((line) => line.text.trim() === command.trim())) continue;
      const env: Record<string, string> = {};
      for (const level of [root.env, job.env, step.env]) {
        for (const [name, raw] of Object.entries(table(level))) {
          const value = literalText(raw);
          if (value !== null && plainValue(name, value)) env[name] = value;
          else delete env[name];
        }
      }
      return env;
    }
  }
  return {};
}

/** The settings and plain environment a project's own `check --deploy` command line gives Django. */
export function deployCommandOf(line: string): { settings: string | null; env: Record<string, string> } {
  const simple = withoutSubstitutions(line.replace(/^\s*(?:-\s+)?(?:run:\s*[|>]?\s*)?/, ""))
    .split(/&&|\|\||;/)
    .find((part) => DEPLOY_CHECK.test(part));
  const tokens = words(simple ?? "");
  const env: Record<string, string> = {};
  for (const token of tokens) {
    const assignment = ASSIGNMENT.exec(token);
    if (assignment === null) break;
    const [, name = "", value = ""] = assignment;
    if (plainValue(name, value)) env[name] = value;
  }
  const flag = tokens.findIndex((token) => token === "--settings" || token.startsWith("--settings="));
  const named = flag === -1 ? undefined : tokens[flag]?.startsWith("--settings=") ? tokens[flag]?.slice("--settings=".length) : tokens[flag + 1];
  return { settings: named !== undefined && /^[A-Za-z_][\w.]*$/.test(named) ? named : null, env };
}

/** The first `check --deploy` among the files, with where it is written and, in a workflow, its step's variables. */
async function declaredDeployCheck(tree: SourceTree, files: readonly string[]): Promise<{ line: string; from: Origin; stepEnv: Record<string, string> } | null> {
  for (const file of files) {
    const text = await tree.readText(file);
    if (text === null) continue;
    const found = logicalLines(text).find((line) => DEPLOY_CHECK.test(line.text));
    if (found === undefined) continue;
    const inRun = found.text.replace(/^\s*(?:-\s+)?(?:run:\s*[|>]?\s*)?/, "");
    return { line: found.text, from: { file, line: found.line }, stepEnv: file.startsWith(".github/") && YAML.test(file) ? workflowStepEnv(file, text, inRun) : {} };
  }
  return null;
}

async function candidateFiles(tree: SourceTree, dirs: readonly string[]): Promise<string[]> {
  const yamlIn = async (dir: string) => (await tree.list(dir)).filter((e) => YAML.test(e)).sort().map((e) => join(dir, e));
  // Workflows, and the composite actions they call (in a folder of their own, under workflows/ or actions/).
  const workflows = await yamlIn(".github/workflows");
  for (const parent of [".github/workflows", ".github/actions"]) {
    for (const folder of (await tree.list(parent)).filter((e) => e.endsWith("/")).sort()) workflows.push(...(await yamlIn(join(parent, folder.slice(0, -1)))));
  }
  const scripts: string[] = [];
  for (const dir of [...new Set([...SCRIPT_DIRS, ...dirs])]) {
    scripts.push(...(await tree.list(dir)).filter((e) => !e.endsWith("/") && SCRIPT.test(e)).sort().map((e) => join(dir, e)));
  }
  return [...workflows, ...FIXED_FILES, ...dirs.map((dir) => join(dir, "Makefile")), ...scripts];
}

/**
 * The deployment checklist as the project runs it. Its fail level: predeploy.json's
 * `backend.deployCheckFailLevel`, else the level of the project's own `check --deploy` (a CI
 * workflow or composite action, Makefile, platform build command or start script; the Django
 * directory's and the Dockerfile's too), else Django's default, ERROR (warnings are reported and do
 * not fail). The settings and plain variables that line gives Django come with it.
 */
export async function deployCheckOf(tree: SourceTree, config: Config, djangoDir: string, dockerfile: string | null): Promise<DeployCheck> {
  const dirs = [djangoDir, ...(dockerfile !== null ? [dirname(dockerfile)] : [])];
  const declared = await declaredDeployCheck(tree, [...(await candidateFiles(tree, dirs)), ...(dockerfile !== null ? [dockerfile] : [])]);
  const line = declared === null ? { settings: null, env: {} } : deployCommandOf(declared.line);
  // The line's own assignments over its step's variables.
  const own = { settings: line.settings, env: { ...(declared?.stepEnv ?? {}), ...line.env } };
  const assigned = Object.entries(own.env).map(([name, value]) => `${name}=${value}`);
  const given = [...assigned, ...(own.settings !== null ? [`--settings=${own.settings}`] : [])];
  const asRun = declared === null ? "" : ` (${describeOrigin(declared.from)}${given.length > 0 ? `, with ${given.join(" ")}` : ""})`;
  const configured = config.backend.deployCheckFailLevel;
  if (configured !== undefined) return { level: configured, ...own, why: `backend.deployCheckFailLevel in predeploy.json${declared === null ? "" : `; as the project runs it${asRun}`}` };
  if (declared !== null) {
    const level = failLevelOf(declared.line) ?? "ERROR";
    return { level, ...own, why: `the project runs check --deploy at ${level}${asRun}` };
  }
  return { level: "ERROR", ...own, why: "Django's default: the project runs no check --deploy of its own (set backend.deployCheckFailLevel in predeploy.json to fail on warnings)" };
}
