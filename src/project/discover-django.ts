import type { Config } from "../model/config.js";
import { discoverDockerfile } from "./discover-dockerfile.js";
import type { DjangoApp, RequirementsInstall } from "./discover.js";
import { join, type SourceTree } from "./source-tree.js";

/**
 * The Django backend: where manage.py is, the Python project (pyproject.toml + uv.lock or
 * requirements files, at the root or beside manage.py), the settings module manage.py
 * names and where that imports from, and its Dockerfile.
 */

const DEFAULTS = { settingsModule: "apps.web.config.settings", pythonProject: "." } as const;

/** Where manage.py is looked for, in order: the monorepo convention, the root, then one or two levels down. */
const CONVENTIONAL = ["apps/web", "."];
const NOT_BACKEND = new Set(["node_modules/", "workers/", "sites/", "packages/", "docs/", "tests/", "scripts/", "infra/"]);

async function findManagePy(tree: SourceTree): Promise<{ dir: string; text: string } | null> {
  for (const dir of CONVENTIONAL) {
    const text = await tree.readText(join(dir, "manage.py"));
    if (text !== null) return { dir, text };
  }
  const level = async (parents: string[]) =>
    (await Promise.all(parents.map(async (p) => (await tree.list(p)).filter((e) => e.endsWith("/") && !e.startsWith(".") && !NOT_BACKEND.has(e)).map((e) => join(p, e.slice(0, -1)))))).flat().sort();
  const first = await level(["."]);
  for (const dirs of [first, await level(first)]) {
    for (const dir of dirs) {
      const text = await tree.readText(join(dir, "manage.py"));
      if (text !== null) return { dir, text };
    }
  }
  return null;
}

export async function discoverDjango(tree: SourceTree, config: Config, problems: string[]): Promise<DjangoApp | null> {
  const configuredDir = config.paths.django;
  const found = configuredDir === undefined ? await findManagePy(tree) : await tree.readText(join(configuredDir, "manage.py")).then((text) => (text === null ? null : { dir: configuredDir, text }));
  if (found === null) {
    if (configuredDir !== undefined) {
      problems.push(`predeploy.json: paths.django is "${configuredDir}" but there is no ${join(configuredDir, "manage.py")}; point it at the directory holding manage.py`);
    }
    return null;
  }
  const { dir, text: manage } = found;
  const projectDir = config.paths.pythonProject ?? (await pythonProject(tree, [DEFAULTS.pythonProject, dir]));
  const entries = await tree.list(projectDir);
  let install: DjangoApp["install"];
  if (entries.includes("pyproject.toml") && entries.includes("uv.lock")) {
    install = { kind: "uv", lockfile: join(projectDir, "uv.lock") };
  } else {
    const found = await discoverRequirements(tree, config, dir, projectDir, entries, problems);
    if (found === null) return null;
    install = found;
  }
  const dockerfile = await discoverDockerfile(tree, config, dir, problems);
  const configured = config.paths.settingsModule;
  const settingsModule = configured ?? managePySettings(manage) ?? DEFAULTS.settingsModule;
  const importRoot = await settingsImportRoot(tree, settingsModule, [projectDir, dir]);
  const systemPackages = config.python.systemPackages ?? (dockerfile === null ? [] : dockerfileSystemPackages((await tree.readText(dockerfile.path)) ?? ""));
  return { dir, settingsModule, settingsConfigured: configured !== undefined, importRoot, projectDir, install, dockerfile, systemPackages };
}

/** The first candidate holding a lockfile or requirements (the root, else manage.py's directory); the root when none does. */
async function pythonProject(tree: SourceTree, candidates: string[]): Promise<string> {
  for (const candidate of candidates) {
    const entries = await tree.list(candidate);
    if ((entries.includes("pyproject.toml") && entries.includes("uv.lock")) || entries.some((e) => /^requirements.*\.txt$/.test(e) || e === "requirements/")) return candidate;
  }
  return candidates[0] as string;
}

const SETDEFAULT = /setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][\w.]*)["']\s*\)/;

/**
 * The settings manage.py uses for everything but its tests: `os.environ.setdefault(…)` outside
 * any branch that tests argv for "test" (`if "test" in sys.argv: … else: …`). It names the
 * module only for the tools that must be told one outside manage.py; manage.py still decides
 * for every management command.
 */
export function managePySettings(manage: string): string | null {
  const branches: { indent: number; test: boolean }[] = [];
  for (const line of manage.split(/\r?\n/)) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    while (branches.length > 0 && indent <= (branches[branches.length - 1] as { indent: number }).indent && !/^\s*(elif|else)\b/.test(line)) branches.pop();
    const branch = /^\s*(if|elif|else)\b(.*)$/.exec(line);
    if (branch) {
      while (branches.length > 0 && indent <= (branches[branches.length - 1] as { indent: number }).indent) branches.pop();
      const condition = branch[2] as string;
      branches.push({ indent, test: branch[1] !== "else" && /["']test["']/.test(condition) && !/\bnot\s+in\b/.test(condition) });
      continue;
    }
    const match = SETDEFAULT.exec(line);
    if (match && !branches.some((b) => b.test)) return match[1] as string;
  }
  return null;
}

/** The packages a Dockerfile installs with `apt-get install` (the system libraries its Python packages need). */
export function dockerfileSystemPackages(dockerfile: string): string[] {
  const packages = new Set<string>();
  for (const command of dockerfile.replace(/\\\r?\n/g, " ").split(/&&|;|\|\||\r?\n/)) {
    const install = /\bapt(?:-get)?\s+(?:[\w-]+\s+)*?install\b(.*)$/.exec(command);
    if (!install) continue;
    for (const word of (install[1] as string).trim().split(/\s+/)) {
      if (word !== "" && !word.startsWith("-") && !word.includes("$") && /^[a-z0-9][a-z0-9+.:=~-]*$/.test(word)) packages.add(word);
    }
  }
  return [...packages].sort();
}

/** The first candidate directory the settings module's file sits under; the first candidate when none holds it. */
async function settingsImportRoot(tree: SourceTree, module: string, candidates: string[]): Promise<string> {
  const path = module.split(".").join("/");
  for (const root of candidates) {
    const file = await tree.readText(join(root, `${path}.py`));
    const pkg = file ?? (await tree.readText(join(root, path, "__init__.py")));
    if (pkg !== null) return root;
  }
  return candidates[0] as string;
}

const PRODUCTION_REQUIREMENTS = ["requirements.txt", "requirements/production.txt", "requirements/prod.txt", "requirements/base.txt"];

/** Requirements files at the project root and in a requirements/ directory, or the ones predeploy.json names. */
async function discoverRequirements(tree: SourceTree, config: Config, dir: string, projectDir: string, entries: string[], problems: string[]): Promise<RequirementsInstall | null> {
  const inDir = entries.includes("requirements/") ? (await tree.list(join(projectDir, "requirements"))).filter((e) => e.endsWith(".txt")).map((e) => `requirements/${e}`) : [];
  const discovered = [...entries.filter((e) => /^requirements.*\.txt$/.test(e)), ...inDir];
  const where = projectDir === "." ? "the source root" : projectDir;
  const configured = { files: config.python.requirements, production: config.python.productionRequirements };
  for (const [field, files] of Object.entries(configured)) {
    for (const file of files ?? []) {
      if ((await tree.readText(join(projectDir, file))) === null) {
        problems.push(`predeploy.json: python.${field === "files" ? "requirements" : "productionRequirements"} names ${file} but there is no ${join(projectDir, file)}; fix the path (relative to ${where})`);
        return null;
      }
    }
  }
  const files = configured.files ?? discovered;
  if (files.length === 0) {
    const why = entries.includes("pyproject.toml") ? "pyproject.toml has no uv.lock beside it" : "no pyproject.toml + uv.lock or requirements*.txt";
    problems.push(`Django app at ${dir}: ${why} in ${where}; commit the lockfile (uv lock) so dependency installs are reproducible`);
    return null;
  }
  const production = configured.production ?? [PRODUCTION_REQUIREMENTS.find((f) => discovered.includes(f)) ?? files].flat();
  const inputs = [...new Set([...discovered, ...files, ...production])];
  const source = (list: string[]) => list.map((f) => join(projectDir, f));
  return { kind: "requirements", files: source(files), production: source(production), inputs: source(inputs) };
}
