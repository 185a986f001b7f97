import type { Config } from "./config.js";
import { discoverDockerfile } from "./discover-dockerfile.js";
import type { DjangoApp, RequirementsInstall } from "./discover.js";
import { join, type SourceTree } from "./source-tree.js";

/**
 * The Django backend: where manage.py is, the Python project (pyproject.toml + uv.lock or
 * requirements files, at the root or beside manage.py), the settings module manage.py
 * names and where that imports from, and its Dockerfile.
 */

const DEFAULTS = { django: "apps/web", settingsModule: "apps.web.config.settings", pythonProject: "." } as const;

export async function discoverDjango(tree: SourceTree, config: Config, problems: string[]): Promise<DjangoApp | null> {
  const dir = config.paths.django ?? DEFAULTS.django;
  const manage = await tree.readText(join(dir, "manage.py"));
  if (manage === null) {
    if (config.paths.django !== undefined) {
      problems.push(`predeploy.json: paths.django is "${dir}" but there is no ${join(dir, "manage.py")}; point it at the directory holding manage.py`);
    }
    return null;
  }
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
  return { dir, settingsModule, settingsConfigured: configured !== undefined, importRoot, projectDir, install, dockerfile };
}

/** The first candidate holding a lockfile or requirements (the root, else manage.py's directory); the root when none does. */
async function pythonProject(tree: SourceTree, candidates: string[]): Promise<string> {
  for (const candidate of candidates) {
    const entries = await tree.list(candidate);
    if ((entries.includes("pyproject.toml") && entries.includes("uv.lock")) || entries.some((e) => /^requirements.*\.txt$/.test(e) || e === "requirements/")) return candidate;
  }
  return candidates[0] as string;
}

/** The default manage.py itself sets: `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")`. */
function managePySettings(manage: string): string | null {
  const match = /setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][\w.]*)["']\s*\)/.exec(manage);
  return match?.[1] ?? null;
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
