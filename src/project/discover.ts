import type { Config } from "../model/config.js";
import type { BackingServices } from "./backing-services.js";
import type { DatabasePlan } from "./database.js";
import type { Declarations } from "./declarations.js";
import type { BackendImage, Deployment } from "./deployment.js";
import type { DeployCheck } from "./deploy-check.js";
import type { DjangoSettingsFacts } from "./django-settings.js";
import { discoverDjango } from "./discover-django.js";
import { findIntakeContract, type IntakeContract } from "./intake-contract.js";
import { join, type SourceTree } from "./source-tree.js";
import type { DevelopmentEnv } from "./development-env.js";
import type { PythonVersion } from "./python-version.js";

/** What discovery found in the source tree; the catalogue turns it into checks. */
export interface Stack {
  django: DjangoApp | null;
  workers: NodePackage[];
  sites: NodePackage[];
  /** The intake contract predeploy's default end-to-end check follows, when the code has it. */
  intake: IntakeContract | null;
  /** Problems worth a run-level error: a path the config names that is not there, a missing lockfile. */
  problems: string[];
}

export interface DjangoApp {
  /** Directory holding manage.py. */
  dir: string;
  settingsModule: string;
  /** Whether predeploy.json names the settings module (then it is set in images too, else the image's own wins). */
  settingsConfigured: boolean;
  /** Directory the settings module imports from (the project root, or manage.py's directory as manage.py puts it on sys.path). */
  importRoot: string;
  /** Directory holding pyproject.toml (and uv.lock) or requirements files. */
  projectDir: string;
  install: UvInstall | PoetryInstall | RequirementsInstall;
  /** The deployed image's Dockerfile (deployment.image). */
  dockerfile: BackendImage | null;
  /** How the repository deploys the backend: its image, start, release, port and health route, and where each came from. */
  deployment: Deployment;
  /** What its compose files, Procfile, platform files and CI test job declare. */
  declarations: Declarations;
  /** The services beside the backend and the tests. */
  services: BackingServices;
  /** The database, as the settings read it. */
  database: DatabasePlan;
  /** What the settings read (null: the settings module's file is not in the tree). */
  settings: DjangoSettingsFacts | null;
  /** Debian packages the Python environment needs (system libraries), as the Dockerfile installs them or predeploy.json names them. */
  systemPackages: string[];
  /** Alpine packages the Dockerfile installs that have no Debian counterpart predeploy knows. */
  unmappedPackages: string[];
  /** The environment its development compose setup gives Django (the test stage starts from it), or null. */
  developmentEnv: DevelopmentEnv | null;
  /** Django's deployment checklist as the project runs it: its fail level, settings and plain variables, and why. */
  deployCheck: DeployCheck;
  /** The Python it runs on, as the project names it (null: it names none, the default stands). */
  python: PythonVersion | null;
  /** Scope of its tool-cache volumes (tool-caches.ts); none: its tools keep no cache. */
  toolCacheScope?: string;
}

export interface UvInstall {
  kind: "uv";
  lockfile: string;
}

export interface PoetryInstall {
  kind: "poetry";
  lockfile: string;
  /** The Poetry that installs it: the one that wrote the lockfile (its header), else POETRY_DEFAULT_VERSION. */
  poetry: string;
  /** Every dependency group pyproject.toml declares ([tool.poetry.group.<name>]), optional ones too. */
  groups: string[];
}

export interface RequirementsInstall {
  kind: "requirements";
  /** Installed for the quality and test checks (source-relative). */
  files: string[];
  /** What the backend runs with (source-relative). */
  production: string[];
  /** Every requirements file the installs may read (`-r` includes), source-relative. */
  inputs: string[];
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
  /** Names of its dependencies and devDependencies. */
  dependencies: string[];
  /** Entries of its directory (directories end with "/"). */
  files: string[];
  /** A worker's wrangler configuration file (wrangler.toml, wrangler.json or wrangler.jsonc). */
  wranglerConfig?: string;
  /** A worker's route patterns, as its wrangler configuration declares them (tools/wrangler-routes.ts, through StackMarkers). */
  routes?: string[];
  /** Scope of its tool-cache volumes (tool-caches.ts); none: its tools keep no cache. */
  toolCacheScope?: string;
}

const DEFAULTS = { workers: "workers", sites: "sites" } as const;

/** What makes a directory a worker: its tool's configuration files (the registry knows them: tools/wrangler.ts). */
export interface StackMarkers {
  workerConfigs: readonly string[];
  /** A worker's route patterns from its configuration's text (the registry knows the format); none: no routes read. */
  workerRoutes?(text: string, file: string): string[];
}

export async function discoverStack(tree: SourceTree, config: Config, markers: StackMarkers): Promise<Stack> {
  const problems: string[] = [];
  const rootEntries = await tree.list(".");
  if (rootEntries.length === 0) {
    problems.push("the source directory is empty; pass the repository root with --source (e.g. --source .)");
    return { django: null, workers: [], sites: [], intake: null, problems };
  }
  const workspace = rootEntries.includes("pnpm-workspace.yaml") ? workspaceGlobs((await tree.readText("pnpm-workspace.yaml")) ?? "") : null;
  const [django, workers, sites] = await Promise.all([
    discoverDjango(tree, config, problems),
    discoverPackages(tree, config.paths.workers ?? DEFAULTS.workers, config.paths.workers !== undefined, "workers", workspace, problems, markers),
    discoverPackages(tree, config.paths.sites ?? DEFAULTS.sites, config.paths.sites !== undefined, "sites", workspace, problems, null),
  ]);
  return { django, workers, sites, intake: await findIntakeContract(tree, django, workers), problems };
}

async function discoverPackages(
  tree: SourceTree,
  parent: string,
  configured: boolean,
  kind: "workers" | "sites",
  workspace: WorkspaceMembers | null,
  problems: string[],
  markers: StackMarkers | null,
): Promise<NodePackage[]> {
  const entries = await tree.list(parent);
  if (entries.length === 0 && configured) {
    problems.push(`predeploy.json: paths.${kind} is "${parent}" but that directory is missing or empty; fix the path or remove it`);
  }
  const names = entries.filter((e) => e.endsWith("/") && !e.startsWith("_") && !e.startsWith(".")).map((e) => e.slice(0, -1)).sort();
  const found = await Promise.all(names.map((name) => readPackage(tree, join(parent, name), name, kind, workspace, problems, markers)));
  return found.filter((p): p is NodePackage => p !== null);
}

async function readPackage(
  tree: SourceTree,
  dir: string,
  name: string,
  kind: "workers" | "sites",
  workspace: WorkspaceMembers | null,
  problems: string[],
  markers: StackMarkers | null,
): Promise<NodePackage | null> {
  const entries = await tree.list(dir);
  const marker = markers?.workerConfigs.find((m) => entries.includes(m));
  if (markers !== null && marker === undefined) return null;
  if (!entries.includes("package.json")) {
    if (marker !== undefined) problems.push(`${kind}/${name}: has ${marker} but no package.json; add one so its dependencies can be installed`);
    return null;
  }
  const manifest = parseManifest(await tree.readText(join(dir, "package.json")));
  if (manifest === null) {
    problems.push(`${join(dir, "package.json")}: not valid JSON; fix it so the ${kind === "workers" ? "worker" : "site"} can be built`);
    return null;
  }
  const { scripts, dependencies } = manifest;
  if (kind === "sites" && scripts.build === undefined) return null;
  const routes = marker !== undefined && markers?.workerRoutes ? markers.workerRoutes((await tree.readText(join(dir, marker))) ?? "", marker) : [];
  const worker = marker !== undefined ? { wranglerConfig: marker, routes } : {};
  const own = { name, dir, scripts, dependencies, files: entries, ...worker };
  // Only the members pnpm-workspace.yaml selects share the root install; any other package installs on its own.
  if (workspace !== null && workspace(dir)) {
    return { ...own, manager: "pnpm", installInputs: WORKSPACE_INSTALL_INPUTS, installDir: "." };
  }
  const lockfile = ["package-lock.json", "pnpm-lock.yaml"].find((l) => entries.includes(l));
  if (lockfile === undefined) {
    problems.push(`${dir}: no package-lock.json or pnpm-lock.yaml; commit a lockfile (npm install) so installs are reproducible`);
    return null;
  }
  const manager: PackageManager = lockfile === "pnpm-lock.yaml" ? "pnpm" : "npm";
  return { ...own, manager, installInputs: [join(dir, "package.json"), join(dir, lockfile)], installDir: dir };
}

/** Whether a source-relative directory is a member of the pnpm workspace. */
export type WorkspaceMembers = (dir: string) => boolean;

/**
 * The member globs of pnpm-workspace.yaml's `packages` list, as regular expressions on
 * source-relative directories (`*` one segment, `**` any depth); `!` exclusions remove.
 */
export function workspaceGlobs(yaml: string): WorkspaceMembers {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      for (const inline of /\[(.*)\]/.exec(line)?.[1]?.split(",") ?? []) globs.push(inline.trim().replace(/^["']|["']$/g, ""));
      continue;
    }
    if (inPackages && /^\S/.test(line)) inPackages = false;
    const item = inPackages ? /^\s*-\s*["']?([^"'#]+?)["']?\s*(#.*)?$/.exec(line) : null;
    if (item) globs.push(item[1] as string);
  }
  const toRegExp = (glob: string) =>
    new RegExp(`^${glob.replace(/^\.\//, "").replace(/\/+$/, "").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*/g, "\u0000").replace(/\*/g, "[^/]*").replace(/\u0000/g, ".*")}$`);
  const included = globs.filter((g) => !g.startsWith("!")).map(toRegExp);
  const excluded = globs.filter((g) => g.startsWith("!")).map((g) => toRegExp(g.slice(1)));
  return (dir) => included.some((r) => r.test(dir)) && !excluded.some((r) => r.test(dir));
}

/**
 * What a workspace install reads: the root manifest (its `packageManager` picks the pnpm
 * version), the lockfile, the workspace file, every member's manifest, and the root's
 * `.npmrc` / `pnpmfile` when present. One list for every package, so one install layer.
 */
const WORKSPACE_INSTALL_INPUTS = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc", ".pnpmfile.cjs", "**/package.json"];

function parseManifest(text: string | null): { scripts: Record<string, string>; dependencies: string[] } | null {
  if (text === null) return null;
  try {
    const pkg: unknown = JSON.parse(text);
    if (typeof pkg !== "object" || pkg === null) return null;
    const { scripts, dependencies, devDependencies } = pkg as Record<string, unknown>;
    const names = [dependencies, devDependencies].flatMap((deps) => (typeof deps === "object" && deps !== null ? Object.keys(deps) : []));
    return { scripts: stringEntries(scripts), dependencies: [...new Set(names)].sort() };
  } catch {
    return null;
  }
}

function stringEntries(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
