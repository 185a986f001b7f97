import { CHECKS_VENV, OUTPUT_DIR, SOURCE_ROOT, UV_VERSION } from "../model/contracts.js";
import { CACHE_VOLUMES } from "./constants.js";
import { ciTestEnv, developmentTestEnv, testBindings, wiring } from "./stack.js";
import type { CatalogueContext } from "./catalogue-context.js";
import type { Config } from "../model/config.js";
import type { DjangoApp, NodePackage } from "../project/discover.js";
import { relativeTo } from "../project/paths.js";
import type { ContainerSpec, Layer } from "../model/spec.js";
import { NODE_TOOLS, PYTHON_TOOLS } from "../tools/index.js";
import { toolCaches } from "../tools/tool-caches.js";

/** The caches the Python tools keep, for this project (every Python container mounts them all). */
const pythonToolCaches = (django: DjangoApp) => toolCaches(django.toolCacheScope, PYTHON_TOOLS.flatMap((tool) => tool.caches));

/** The images a plan uses, after config and constructor overrides. */
export interface Images {
  python: string;
  node: string;
  postgres: string;
}

/**
 * Never uploaded to the engine nor copied into a check's container: host build output,
 * caches, and `.env` and `.dev.vars` files (local secrets no check reads; the run passes its own).
 * A literal, because the Dagger SDK reads it statically from src/index.ts's decorator: what a
 * tool writes into the tree is its registry entry's `writes`, and a test keeps this list holding
 * every entry's.
 */
export const SOURCE_EXCLUDES = [
  ".git",
  "**/.env",
  "**/.env.*",
  "**/.dev.vars",
  "**/.dev.vars.*",
  "**/dist",
  "**/.astro",
  "**/node_modules",
  "**/.venv",
  "**/__pycache__",
  "**/.mypy_cache",
  "**/.ruff_cache",
  "**/.pytest_cache",
  "**/.wrangler",
];

const DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The workers' and sites' directories: Node packages, not inputs of the Python checks. */
function nodePackageDirs(context: CatalogueContext): string[] {
  return [...context.stack.workers, ...context.stack.sites].map((pkg) => pkg.dir).filter((dir) => dir !== ".");
}

/** The Django app's directory: not an input of the Node checks (unless it is the whole tree). */
function backendDirs(context: CatalogueContext): string[] {
  const dir = context.stack.django?.dir;
  return dir !== undefined && dir !== "." ? [dir] : [];
}

/** Absolute container path of a source-relative path. */
export function inSource(path: string): string {
  return path === "." ? SOURCE_ROOT : `${SOURCE_ROOT}/${path}`;
}

function copySource(from: string, include?: string[], exclude: readonly string[] = []): Layer {
  return { kind: "copy", copy: { from, to: inSource(from), ...(include ? { include } : {}), exclude: [...SOURCE_EXCLUDES, ...exclude] } };
}

/**
 * Which dependencies an environment gets: `development` is what the quality and test
 * checks need (every extra and group unless predeploy.json narrows them), `production`
 * what the backend runs with when there is no Dockerfile (the project's dependencies only).
 */
export type PythonProfile = "development" | "production";

/** `uv sync` selection flags for a profile. */
export function uvSelection(config: Config, profile: PythonProfile): string[] {
  if (profile === "production") return ["--no-default-groups"];
  const { extras = "all", groups = "all" } = config.python;
  const extraFlags = extras === "all" ? ["--all-extras"] : extras.flatMap((e) => ["--extra", e]);
  const groupFlags = groups === "all" ? ["--all-groups"] : ["--no-default-groups", ...groups.flatMap((g) => ["--group", g])];
  return [...extraFlags, ...groupFlags];
}

/** `poetry install` selection flags for a profile: Poetry's own words for the same choice as uvSelection. */
export function poetrySelection(config: Config, profile: PythonProfile, groups: readonly string[]): string[] {
  if (profile === "production") return ["--only", "main"];
  const { extras = "all", groups: chosen = "all" } = config.python;
  const extraFlags = extras === "all" ? ["--all-extras"] : extras.flatMap((e) => ["--extras", e]);
  const groupFlags = chosen === "all" ? (groups.length > 0 ? ["--with", groups.join(",")] : []) : ["--only", ["main", ...chosen].join(",")];
  return [...extraFlags, ...groupFlags];
}

/** Where the Poetry that installs a Poetry project lives: beside, never inside, the project's environment. */
const POETRY_HOME = "/opt/poetry";

function pythonInstall(django: DjangoApp, config: Config, profile: PythonProfile): Layer[] {
  const project = django.projectDir;
  const { install } = django;
  if (install.kind === "uv") {
    return [
      copySource(project, ["pyproject.toml", "uv.lock"]),
      { kind: "exec", args: ["uv", "sync", "--frozen", "--no-install-project", ...uvSelection(config, profile)] },
    ];
  }
  if (install.kind === "poetry") {
    // The project's environment is CHECKS_VENV (VIRTUAL_ENV): Poetry installs into the active environment instead of making its own.
    return [
      copySource(project, ["pyproject.toml", "poetry.lock"]),
      { kind: "exec", args: ["uv", "venv", POETRY_HOME] },
      { kind: "exec", args: ["uv", "pip", "install", "--python", `${POETRY_HOME}/bin/python`, `poetry==${install.poetry}`] },
      { kind: "exec", args: ["uv", "venv", CHECKS_VENV] },
      { kind: "exec", args: ["env", `VIRTUAL_ENV=${CHECKS_VENV}`, "POETRY_VIRTUALENVS_CREATE=false", `${POETRY_HOME}/bin/poetry`, "install", "--no-root", "--no-interaction", ...poetrySelection(config, profile, install.groups)] },
    ];
  }
  const files = profile === "production" ? install.production : install.files;
  return [
    copySource(project, install.inputs.map((f) => relativeTo(project, f))),
    { kind: "exec", args: ["uv", "venv", CHECKS_VENV] },
    { kind: "exec", args: ["uv", "pip", "install", ...files.flatMap((f) => ["-r", relativeTo(project, f)])] },
  ];
}

/**
 * The backend's Python environment: uv installs from the lockfile alone (a cached
 * layer that a source edit never invalidates), then the source is copied on top, but for
 * `ignores` (globs a tool never reads: a type checker's web content).
 */
export function pythonContainer(context: CatalogueContext, django: DjangoApp, profile: PythonProfile = "development", ignores: readonly string[] = []): ContainerSpec {
  const { config, images } = context;
  const project = django.projectDir;
  const importPath = [...new Set([django.importRoot, project])].map(inSource).join(":");
  const wires = profile === "production" ? wiring(context, django, django.services.verify) : wiring(context, django, django.services.tests, true);
  return {
    base: { kind: "image", image: images.python },
    workdir: inSource(project),
    env: {
      PATH: `${CHECKS_VENV}/bin:${DEBIAN_PATH}`,
      PYTHONPATH: importPath,
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONUNBUFFERED: "1",
      // manage.py chooses the settings unless predeploy.json names them.
      ...(django.settingsConfigured ? { DJANGO_SETTINGS_MODULE: django.settingsModule } : {}),
      UV_PROJECT_ENVIRONMENT: CHECKS_VENV,
      UV_LINK_MODE: "copy",
      UV_PYTHON_DOWNLOADS: "never",
      UV_PYTHON: "python3",
      UV_CACHE_DIR: "/root/.cache/uv",
      PIP_DISABLE_PIP_VERSION_CHECK: "1",
      ...pythonToolCaches(django).env,
      // What the project's development compose setup, then the tests' CI job, give them, and where the project's settings find the run's services: every Python check alike, so they share their install layers.
      ...(profile === "development" ? developmentTestEnv(django, wires) : {}),
      ...ciTestEnv(django, testBindings(context, django), wires),
      ...wires.env,
      ...config.env,
    },
    secretEnv: wires.secretEnv,
    caches: [
      { path: "/root/.cache/pip", volume: CACHE_VOLUMES.pip },
      { path: "/root/.cache/uv", volume: CACHE_VOLUMES.uv },
      ...pythonToolCaches(django).caches,
    ],
    // The workers' and sites' own directories are Node packages, not inputs of the Python
    // checks: left out, an edit there does not re-run them.
    layers: [
      ...systemPackagesLayer(django),
      { kind: "exec", args: ["pip", "install", `uv==${UV_VERSION}`] },
      ...pythonInstall(django, config, profile),
      { kind: "exec", args: ["mkdir", "-p", OUTPUT_DIR] },
      copySource(".", undefined, [...nodePackageDirs(context), ...ignores]),
    ],
    services: [],
  };
}

/**
 * A tool that never imports the project, installed by itself: the Python image, the tool at the
 * project's version (a layer keyed by these requirements alone), then the project's source — only
 * what the tool reads (`inputs`, globs), when its entry says.
 */
export function standaloneContainer(context: CatalogueContext, django: DjangoApp, requirements: readonly string[], inputs?: readonly string[]): ContainerSpec {
  const caches = pythonToolCaches(django);
  return {
    base: { kind: "image", image: context.images.python },
    workdir: inSource(django.projectDir),
    env: { PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1", PIP_DISABLE_PIP_VERSION_CHECK: "1", PIP_ROOT_USER_ACTION: "ignore", ...caches.env, ...context.config.env },
    secretEnv: {},
    caches: [{ path: "/root/.cache/pip", volume: CACHE_VOLUMES.pip }, ...caches.caches],
    layers: [{ kind: "exec", args: ["pip", "install", ...requirements] }, copySource(".", inputs === undefined ? undefined : [...inputs], nodePackageDirs(context))],
    services: [],
  };
}

/** The Debian packages the project's Dockerfile installs (its Python packages' system libraries), before anything else. */
function systemPackagesLayer(django: DjangoApp): Layer[] {
  if (django.systemPackages.length === 0) return [];
  const install = `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${django.systemPackages.join(" ")} && rm -rf /var/lib/apt/lists/*`;
  return [{ kind: "exec", args: ["sh", "-c", install] }];
}

/**
 * pnpm at the version the root manifest's `packageManager` names (else the current 10.x),
 * installed with npm: corepack's own download refuses current pnpm releases on the corepack
 * that Node 22 images ship ("No compatible signature found in package metadata").
 */
const INSTALL_PNPM =
  `v=$(node -p "(/^pnpm@([^+]+)/.exec(require('./package.json').packageManager || '') || [])[1] || '10'") && ` +
  `npm install -g --no-audit --no-fund "pnpm@$v"`;

/**
 * A worker's or site's Node environment: install from lockfiles alone, then the package's
 * source. The working directory is where the install runs, so in a pnpm workspace every
 * package's container is the same one install layer (its cache key is the workdir, env and
 * lockfiles); commands reach their package with `pnpm --dir` (see `runScript`, `packageBin`).
 * `toolLayers` (a tool predeploy installs for one check) come after the install, which they share;
 * `reads` (the globs a tool reads) narrow the source copy to what can change its verdict.
 */
export function nodeContainer(context: CatalogueContext, pkg: NodePackage, toolLayers: readonly Layer[] = [], reads?: readonly string[]): ContainerSpec {
  const { config, images } = context;
  const install: Layer[] =
    pkg.manager === "npm"
      ? [{ kind: "exec", args: ["npm", "ci", "--no-audit", "--no-fund"] }]
      : [
          { kind: "exec", args: ["sh", "-c", INSTALL_PNPM] },
          { kind: "exec", args: ["pnpm", "install", "--frozen-lockfile"] },
        ];
  const inputs = pkg.installInputs.map((p) => relativeTo(pkg.installDir, p));
  return {
    base: { kind: "image", image: images.node },
    workdir: inSource(pkg.installDir),
    env: {
      CI: "true",
      WRANGLER_SEND_METRICS: "false",
      NPM_CONFIG_UPDATE_NOTIFIER: "false",
      COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
      npm_config_store_dir: "/root/.cache/pnpm-store",
      ...config.env,
    },
    secretEnv: {},
    caches: [
      { path: "/root/.npm", volume: CACHE_VOLUMES.npm },
      { path: "/root/.cache/pnpm-store", volume: CACHE_VOLUMES.pnpm },
      ...toolCaches(pkg.toolCacheScope, NODE_TOOLS.flatMap((tool) => tool.caches)).caches,
    ],
    layers: [
      copySource(pkg.installDir, inputs),
      ...install,
      { kind: "exec", args: ["mkdir", "-p", OUTPUT_DIR] },
      ...toolLayers,
      // A workspace package sees the workspace (its shared packages), but not the backend nor the other
      // workers and sites: an edit there does not re-run it.
      pkg.installDir === "." ? copySource(".", reads && [...reads], [...backendDirs(context), ...nodePackageDirs(context).filter((dir) => dir !== pkg.dir)]) : copySource(pkg.dir, reads && [...reads]),
    ],
    services: [],
  };
}
