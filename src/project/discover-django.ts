import type { Config } from "../model/config.js";
import { debianPackagesFor } from "./apk-packages.js";
import { basePackagesOf } from "./base-image-packages.js";
import { backingServicesOf } from "./backing-services.js";
import { databasePlanOf } from "./database.js";
import { readDeclarations } from "./declarations.js";
import { deployCheckOf } from "./deploy-check.js";
import { deploymentOf } from "./deployment.js";
import { readDjangoSettings, type DjangoSettingsFacts } from "./django-settings.js";
import type { DockerfileFacts } from "./dockerfile-facts.js";
import type { DjangoApp, RequirementsInstall } from "./discover.js";
import { poetryInstall } from "./poetry.js";
import { declaredPythonVersion } from "./python-version.js";
import { developmentEnvOf } from "./development-env.js";
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
  const poetry = entries.includes("pyproject.toml") ? await poetryInstall(tree, projectDir) : null;
  if (entries.includes("pyproject.toml") && entries.includes("uv.lock")) {
    install = { kind: "uv", lockfile: join(projectDir, "uv.lock") };
  } else if (poetry !== null) {
    install = poetry;
  } else {
    const found = await discoverRequirements(tree, config, dir, projectDir, entries, problems);
    if (found === null) return null;
    install = found;
  }
  const configured = config.paths.settingsModule;
  const settingsModule = configured ?? managePySettings(manage) ?? DEFAULTS.settingsModule;
  const importRoot = await settingsImportRoot(tree, settingsModule, [projectDir, dir]);
  const declarations = await readDeclarations(tree);
  const deployment = await deploymentOf(tree, config, dir, declarations, problems);
  const deployed = deployment.env.DJANGO_SETTINGS_MODULE ?? deployment.image?.facts?.env.DJANGO_SETTINGS_MODULE;
  const settings = await settingsFacts(tree, [deployed, settingsModule], [...new Set([importRoot, projectDir, dir])]);
  const services = backingServicesOf(deployment, declarations);
  const packages = systemPackagesOf(config, deployment.image?.facts ?? null);
  return {
    dir,
    settingsModule,
    settingsConfigured: configured !== undefined,
    importRoot,
    projectDir,
    install,
    dockerfile: deployment.image,
    deployment,
    declarations,
    services,
    database: databasePlanOf(settings, services, declarations),
    settings,
    systemPackages: packages.debian,
    unmappedPackages: packages.unknown,
    developmentEnv: developmentEnvOf(declarations),
    deployCheck: await deployCheckOf(tree, config, dir, deployment.image?.path ?? null),
    python: await declaredPythonVersion(tree, [projectDir, dir], deployment.image?.facts ?? null, declarations.ci[0]),
  };
}

/**
 * The facts of the settings the deployment runs (the first module) merged with those of the
 * default one: the variables either reads; the engine and the https redirect of the first found.
 */
async function settingsFacts(tree: SourceTree, modules: readonly (string | undefined)[], roots: readonly string[]): Promise<DjangoSettingsFacts | null> {
  const read = (await Promise.all([...new Set(modules.filter((m): m is string => m !== undefined))].map((m) => readDjangoSettings(tree, m, roots)))).filter((f): f is DjangoSettingsFacts => f !== null);
  const [first, ...rest] = read;
  if (first === undefined) return null;
  const union = (pick: (f: DjangoSettingsFacts) => readonly string[]) => [...new Set(read.flatMap(pick))];
  return {
    ...first,
    engine: first.engine !== "unknown" ? first.engine : (rest.find((f) => f.engine !== "unknown")?.engine ?? "unknown"),
    databaseUrlVars: union((f) => f.databaseUrlVars),
    databaseParts: {
      host: union((f) => f.databaseParts.host),
      port: union((f) => f.databaseParts.port),
      name: union((f) => f.databaseParts.name),
      user: union((f) => f.databaseParts.user),
      password: union((f) => f.databaseParts.password),
      engine: union((f) => f.databaseParts.engine),
    },
    urlScheme: first.urlScheme ?? rest.find((f) => f.urlScheme !== null)?.urlScheme ?? null,
    allowedHostsVars: union((f) => f.allowedHostsVars),
    cacheVars: union((f) => f.cacheVars),
    envRead: union((f) => f.envRead),
    // What the deployed settings raise without: the first module's alone (a default module's are its own).
    requiredVars: first.requiredVars,
    files: read.flatMap((f) => f.files),
  };
}

/** The Debian packages the checks' environment installs: predeploy.json's, else what the Dockerfile installs (Alpine's mapped) and its full base image brings. */
function systemPackagesOf(config: Config, facts: DockerfileFacts | null): { debian: string[]; unknown: string[] } {
  if (config.python.systemPackages !== undefined) return { debian: config.python.systemPackages, unknown: [] };
  if (facts === null) return { debian: [], unknown: [] };
  const alpine = debianPackagesFor(facts.apkPackages);
  return { debian: [...new Set([...facts.aptPackages, ...alpine.debian, ...basePackagesOf(facts.baseImages)])].sort(), unknown: alpine.unknown };
}

/** The first candidate holding a lockfile or requirements (the root, else manage.py's directory); the root when none does. */
async function pythonProject(tree: SourceTree, candidates: string[]): Promise<string> {
  for (const candidate of candidates) {
    const entries = await tree.list(candidate);
    if ((entries.includes("pyproject.toml") && (entries.includes("uv.lock") || entries.includes("poetry.lock"))) || entries.some((e) => /^requirements.*\.txt$/.test(e) || e === "requirements/")) return candidate;
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
    const why = entries.includes("pyproject.toml") ? "pyproject.toml has no uv.lock or poetry.lock beside it" : "no pyproject.toml + uv.lock or poetry.lock, and no requirements*.txt";
    problems.push(`Django app at ${dir}: ${why} in ${where}; commit the lockfile (uv lock, or poetry lock) so dependency installs are reproducible`);
    return null;
  }
  const production = configured.production ?? [PRODUCTION_REQUIREMENTS.find((f) => discovered.includes(f)) ?? files].flat();
  const inputs = [...new Set([...discovered, ...files, ...production])];
  const source = (list: string[]) => list.map((f) => join(projectDir, f));
  return { kind: "requirements", files: source(files), production: source(production), inputs: source(inputs) };
}
