import { FAIL_LEVELS, type Config, type FailLevel } from "../model/config.js";
import { describeOrigin, type Origin } from "./declared.js";
import { dirname } from "./paths.js";
import { join, type SourceTree } from "./source-tree.js";

/** The level Django's deployment checklist fails at for this project, and why. */
export interface DeployFailLevel {
  level: FailLevel;
  why: string;
}

/** Where projects run their own `check --deploy`: CI, task runners, platform build commands, start scripts. */
const FIXED_FILES = ["Makefile", "justfile", "Justfile", "tox.ini", "noxfile.py", "render.yaml", "Procfile", ".gitlab-ci.yml", "bitbucket-pipelines.yml"];
const SCRIPT_DIRS = [".", "scripts", "bin", "docker"];
const SCRIPT = /\.(?:sh|bash)$|^(?:start|entrypoint|docker-entrypoint|release|prestart|predeploy)$/;
const DEPLOY_CHECK = /(?:manage\.py|django-admin)\s+check\b[^\n]*?--deploy\b/;
const FAIL_LEVEL = /--fail-level(?:=|\s+)["']?([A-Za-z]+)/;

/** The level a `check --deploy` command line fails at: its --fail-level, else Django's default; null when the line runs none. */
export function failLevelOf(line: string): FailLevel | null {
  if (!DEPLOY_CHECK.test(line)) return null;
  const named = FAIL_LEVEL.exec(line)?.[1]?.toUpperCase();
  return FAIL_LEVELS.find((level) => level === named) ?? "ERROR";
}

/** The first `check --deploy` among the files, with where it is written. */
async function declaredDeployCheck(tree: SourceTree, files: readonly string[]): Promise<{ level: FailLevel; from: Origin } | null> {
  for (const file of files) {
    const text = await tree.readText(file);
    if (text === null) continue;
    const lines = text.split("\n");
    for (const [index, line] of lines.entries()) {
      const level = failLevelOf(line);
      if (level !== null) return { level, from: { file, line: index + 1 } };
    }
  }
  return null;
}

async function candidateFiles(tree: SourceTree, dirs: readonly string[]): Promise<string[]> {
  const workflows = (await tree.list(".github/workflows")).filter((e) => /\.ya?ml$/.test(e)).sort().map((e) => join(".github/workflows", e));
  const scripts: string[] = [];
  for (const dir of [...new Set([...SCRIPT_DIRS, ...dirs])]) {
    scripts.push(...(await tree.list(dir)).filter((e) => !e.endsWith("/") && SCRIPT.test(e)).sort().map((e) => join(dir, e)));
  }
  return [...workflows, ...FIXED_FILES, ...dirs.map((dir) => join(dir, "Makefile")), ...scripts];
}

/**
 * The deployment checklist's fail level: predeploy.json's `backend.deployCheckFailLevel`, else the
 * level the project's own `check --deploy` runs at (a CI workflow, Makefile, platform build command
 * or start script: the Django directory's and the Dockerfile's are searched too), else Django's
 * default, ERROR (warnings are reported and do not fail).
 */
export async function deployFailLevel(tree: SourceTree, config: Config, djangoDir: string, dockerfile: string | null): Promise<DeployFailLevel> {
  const configured = config.backend.deployCheckFailLevel;
  if (configured !== undefined) return { level: configured, why: "backend.deployCheckFailLevel in predeploy.json" };
  const dirs = [djangoDir, ...(dockerfile !== null ? [dirname(dockerfile)] : [])];
  const declared = await declaredDeployCheck(tree, [...(await candidateFiles(tree, dirs)), ...(dockerfile !== null ? [dockerfile] : [])]);
  if (declared !== null) return { level: declared.level, why: `the project runs check --deploy at ${declared.level} (${describeOrigin(declared.from)})` };
  return { level: "ERROR", why: "Django's default: the project runs no check --deploy of its own (set backend.deployCheckFailLevel in predeploy.json to fail on warnings)" };
}
