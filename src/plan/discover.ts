import type { Config } from "./config.js";
import type { SourceTree } from "./source-tree.js";

/** What discovery found in the source tree; the catalogue turns it into checks. */
export interface Stack {
  django: DjangoApp | null;
  workers: NodePackage[];
  sites: NodePackage[];
  /** Problems worth a run-level error: a path the config names that is not there, a missing lockfile. */
  problems: string[];
}

export interface DjangoApp {
  /** Directory holding manage.py. */
  dir: string;
  settingsModule: string;
  /** Directory holding pyproject.toml (and uv.lock) or requirements files. */
  projectDir: string;
  install: { kind: "uv"; lockfile: string } | { kind: "requirements"; files: string[] };
  dockerfile: string | null;
}

export type PackageManager = "npm" | "pnpm";

export interface NodePackage {
  name: string;
  dir: string;
  manager: PackageManager;
  /** What the install depends on (source-relative paths or globs), e.g. package.json + package-lock.json. */
  installInputs: string[];
  /** Directory the install runs in: the package itself, or the pnpm workspace root. */
  installDir: string;
  scripts: Record<string, string>;
}

const DEFAULTS = {
  django: "apps/web",
  settingsModule: "apps.web.config.settings",
  pythonProject: ".",
  workers: "workers",
  sites: "sites",
  dockerfiles: ["apps/web/Dockerfile", "docker/django.Dockerfile"],
} as const;

export async function discoverStack(tree: SourceTree, config: Config): Promise<Stack> {
  const problems: string[] = [];
  const rootEntries = await tree.list(".");
  if (rootEntries.length === 0) {
    problems.push("the source directory is empty; pass the repository root with --source (e.g. --source .)");
    return { django: null, workers: [], sites: [], problems };
  }
  const pnpmWorkspace = rootEntries.includes("pnpm-workspace.yaml");
  const [django, workers, sites] = await Promise.all([
    discoverDjango(tree, config, problems),
    discoverPackages(tree, config.paths.workers ?? DEFAULTS.workers, config.paths.workers !== undefined, "workers", pnpmWorkspace, problems, "wrangler.toml"),
    discoverPackages(tree, config.paths.sites ?? DEFAULTS.sites, config.paths.sites !== undefined, "sites", pnpmWorkspace, problems, null),
  ]);
  return { django, workers, sites, problems };
}

async function discoverDjango(tree: SourceTree, config: Config, problems: string[]): Promise<DjangoApp | null> {
  const dir = config.paths.django ?? DEFAULTS.django;
  const manage = await tree.readText(join(dir, "manage.py"));
  if (manage === null) {
    if (config.paths.django !== undefined) {
      problems.push(`predeploy.json: paths.django is "${dir}" but there is no ${join(dir, "manage.py")}; point it at the directory holding manage.py`);
    }
    return null;
  }
  const projectDir = config.paths.pythonProject ?? DEFAULTS.pythonProject;
  const entries = await tree.list(projectDir);
  let install: DjangoApp["install"];
  if (entries.includes("pyproject.toml") && entries.includes("uv.lock")) {
    install = { kind: "uv", lockfile: join(projectDir, "uv.lock") };
  } else {
    const requirements = entries.filter((e) => /^requirements.*\.txt$/.test(e)).map((e) => join(projectDir, e));
    if (requirements.length === 0) {
      const why = entries.includes("pyproject.toml") ? "pyproject.toml has no uv.lock beside it" : "no pyproject.toml + uv.lock or requirements*.txt";
      problems.push(`Django app at ${dir}: ${why} in ${projectDir === "." ? "the source root" : projectDir}; commit the lockfile (uv lock) so dependency installs are reproducible`);
      return null;
    }
    install = { kind: "requirements", files: requirements };
  }
  let dockerfile: string | null = null;
  if (config.paths.dockerfile !== undefined) {
    if ((await tree.readText(config.paths.dockerfile)) === null) {
      problems.push(`predeploy.json: paths.dockerfile is "${config.paths.dockerfile}" but no such file exists; fix the path or remove it`);
    } else {
      dockerfile = config.paths.dockerfile;
    }
  } else {
    for (const candidate of DEFAULTS.dockerfiles) {
      if ((await tree.readText(candidate)) !== null) {
        dockerfile = candidate;
        break;
      }
    }
  }
  return { dir, settingsModule: config.paths.settingsModule ?? DEFAULTS.settingsModule, projectDir, install, dockerfile };
}

async function discoverPackages(
  tree: SourceTree,
  parent: string,
  configured: boolean,
  kind: "workers" | "sites",
  pnpmWorkspace: boolean,
  problems: string[],
  marker: string | null,
): Promise<NodePackage[]> {
  const entries = await tree.list(parent);
  if (entries.length === 0 && configured) {
    problems.push(`predeploy.json: paths.${kind} is "${parent}" but that directory is missing or empty; fix the path or remove it`);
  }
  const names = entries.filter((e) => e.endsWith("/") && !e.startsWith("_") && !e.startsWith(".")).map((e) => e.slice(0, -1)).sort();
  const found = await Promise.all(names.map((name) => readPackage(tree, join(parent, name), name, kind, pnpmWorkspace, problems, marker)));
  return found.filter((p): p is NodePackage => p !== null);
}

async function readPackage(
  tree: SourceTree,
  dir: string,
  name: string,
  kind: "workers" | "sites",
  pnpmWorkspace: boolean,
  problems: string[],
  marker: string | null,
): Promise<NodePackage | null> {
  const entries = await tree.list(dir);
  if (marker !== null && !entries.includes(marker)) return null;
  if (!entries.includes("package.json")) {
    if (marker !== null) problems.push(`${kind}/${name}: has ${marker} but no package.json; add one so its dependencies can be installed`);
    return null;
  }
  const scripts = parseScripts(await tree.readText(join(dir, "package.json")));
  if (scripts === null) {
    problems.push(`${join(dir, "package.json")}: not valid JSON; fix it so the ${kind === "workers" ? "worker" : "site"} can be built`);
    return null;
  }
  if (kind === "sites" && scripts.build === undefined) return null;
  if (pnpmWorkspace) {
    return { name, dir, manager: "pnpm", installInputs: ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "**/package.json"], installDir: ".", scripts };
  }
  const lockfile = ["package-lock.json", "pnpm-lock.yaml"].find((l) => entries.includes(l));
  if (lockfile === undefined) {
    problems.push(`${dir}: no package-lock.json or pnpm-lock.yaml; commit a lockfile (npm install) so installs are reproducible`);
    return null;
  }
  const manager: PackageManager = lockfile === "pnpm-lock.yaml" ? "pnpm" : "npm";
  return { name, dir, manager, installInputs: [join(dir, "package.json"), join(dir, lockfile)], installDir: dir, scripts };
}

function parseScripts(text: string | null): Record<string, string> | null {
  if (text === null) return null;
  try {
    const pkg: unknown = JSON.parse(text);
    if (typeof pkg !== "object" || pkg === null) return null;
    const scripts = (pkg as { scripts?: unknown }).scripts;
    if (typeof scripts !== "object" || scripts === null) return {};
    return Object.fromEntries(Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return null;
  }
}

/** Joins source-relative paths; "." is the root. */
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "." && p !== "").join("/");
  return joined === "" ? "." : joined.replace(/\/+/g, "/");
}
