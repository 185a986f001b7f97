import { CACHE_VOLUMES, OUTPUT_DIR, POSTGRES, SECRET_NAMES, SOURCE_ROOT, UV_VERSION } from "./constants.js";
import type { Config } from "./config.js";
import type { DjangoApp, NodePackage } from "./discover.js";
import type { ContainerSpec, Layer, ServiceSpec } from "./spec.js";

/** The images a plan uses, after config and constructor overrides. */
export interface Images {
  python: string;
  node: string;
  postgres: string;
}

/** Never copied into a check's container: host build output and caches. */
export const SOURCE_EXCLUDES = [
  ".git",
  "**/node_modules",
  "**/.venv",
  "**/__pycache__",
  "**/.mypy_cache",
  "**/.ruff_cache",
  "**/.pytest_cache",
  "**/.wrangler",
];

const DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Absolute container path of a source-relative path. */
export function inSource(path: string): string {
  return path === "." ? SOURCE_ROOT : `${SOURCE_ROOT}/${path}`;
}

/** Path of `path` relative to `base`, both source-relative (base must contain path). */
export function relativeTo(base: string, path: string): string {
  if (base === ".") return path;
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
}

function copySource(from: string, include?: string[]): Layer {
  return { kind: "copy", copy: { from, to: inSource(from), ...(include ? { include } : {}), exclude: SOURCE_EXCLUDES } };
}

/** A fresh Postgres for the run's throw-away stack. */
export function postgresService(images: Images): ServiceSpec {
  return {
    container: {
      base: { kind: "image", image: images.postgres },
      env: { POSTGRES_USER: POSTGRES.user, POSTGRES_DB: POSTGRES.database },
      secretEnv: { POSTGRES_PASSWORD: SECRET_NAMES.postgresPassword },
      caches: [],
      layers: [],
      services: [],
    },
    args: [],
    ports: [POSTGRES.port],
  };
}

/**
 * The backend's Python environment: uv installs from the lockfile alone (a cached
 * layer that a source edit never invalidates), then the source is copied on top.
 */
export function pythonContainer(django: DjangoApp, config: Config, images: Images): ContainerSpec {
  const project = django.projectDir;
  const install: Layer[] =
    django.install.kind === "uv"
      ? [
          copySource(project, ["pyproject.toml", "uv.lock"]),
          { kind: "exec", args: ["uv", "sync", "--frozen", "--all-groups", "--no-install-project"] },
        ]
      : [
          copySource(project, django.install.files.map((f) => relativeTo(project, f))),
          { kind: "exec", args: ["uv", "venv", "/venv"] },
          { kind: "exec", args: ["uv", "pip", "install", ...django.install.files.flatMap((f) => ["-r", relativeTo(project, f)])] },
        ];
  return {
    base: { kind: "image", image: images.python },
    workdir: inSource(project),
    env: {
      PATH: `/venv/bin:${DEBIAN_PATH}`,
      PYTHONPATH: inSource(project),
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONUNBUFFERED: "1",
      DJANGO_SETTINGS_MODULE: django.settingsModule,
      ALLOWED_HOSTS: "backend,localhost,127.0.0.1",
      UV_PROJECT_ENVIRONMENT: "/venv",
      UV_LINK_MODE: "copy",
      UV_PYTHON_DOWNLOADS: "never",
      UV_PYTHON: "python3",
      UV_CACHE_DIR: "/root/.cache/uv",
      PIP_DISABLE_PIP_VERSION_CHECK: "1",
      ...config.env,
    },
    secretEnv: backendSecrets(),
    caches: [
      { path: "/root/.cache/pip", volume: CACHE_VOLUMES.pip },
      { path: "/root/.cache/uv", volume: CACHE_VOLUMES.uv },
    ],
    layers: [{ kind: "exec", args: ["pip", "install", `uv==${UV_VERSION}`] }, ...install, { kind: "exec", args: ["mkdir", "-p", OUTPUT_DIR] }, copySource(".")],
    services: [],
  };
}

export function backendSecrets(): Record<string, string> {
  return {
    SECRET_KEY: SECRET_NAMES.secretKey,
    DATABASE_URL: SECRET_NAMES.databaseUrl,
    INTAKE_API_KEY: SECRET_NAMES.intakeApiKey,
  };
}

/** A worker's or site's Node environment: install from lockfiles alone, then the package's source. */
export function nodeContainer(pkg: NodePackage, config: Config, images: Images): ContainerSpec {
  const install: Layer[] =
    pkg.manager === "npm"
      ? [{ kind: "exec", args: ["npm", "ci", "--no-audit", "--no-fund"] }]
      : [
          { kind: "exec", args: ["corepack", "enable"] },
          { kind: "exec", args: ["pnpm", "install", "--frozen-lockfile"] },
        ];
  const inputs = pkg.installInputs.map((p) => relativeTo(pkg.installDir, p));
  return {
    base: { kind: "image", image: images.node },
    workdir: inSource(pkg.dir),
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
    ],
    layers: [
      copySource(pkg.installDir, inputs),
      ...install,
      { kind: "exec", args: ["mkdir", "-p", OUTPUT_DIR] },
      copySource(pkg.installDir === "." ? "." : pkg.dir),
    ],
    services: [],
  };
}

/** Runs a package script with the package's own manager. */
export function runScript(pkg: NodePackage, script: string): string[] {
  return pkg.manager === "npm" ? ["npm", "run", "--silent", script] : ["pnpm", "run", "--silent", script];
}

/** The executable of a package's dev dependency, without ever downloading one. */
export function packageBin(pkg: NodePackage, bin: string, ...args: string[]): string[] {
  return pkg.manager === "npm" ? ["npx", "--no", bin, ...args] : ["pnpm", "exec", bin, ...args];
}

