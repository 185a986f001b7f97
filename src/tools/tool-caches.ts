import { createHash } from "node:crypto";
import { SOURCE_ROOT } from "../model/contracts.js";
import { program } from "../programs/index.js";
import type { DjangoApp, NodePackage, Stack } from "../project/discover.js";
import type { SourceTree } from "../project/source-tree.js";
import type { CacheMount, ContainerSpec, Layer } from "../model/spec.js";

/**
 * Tools keep their incremental state between runs on cache volumes: mypy's cache, ruff's
 * cache, tsc's build info. A volume belongs to one project: its scope is a hash of the
 * repository's identity (the names in its root pyproject.toml and package.json) and the
 * project's path in the tree, so two repositories, or two projects of one repository,
 * never share one. Two checkouts of the same project do share: that is where reuse pays.
 *
 * What would make a shared cache give a wrong verdict, and why it cannot here:
 * - mypy trusts a cached module without hashing it when the file's size, path and mtime
 *   (whole seconds) match; ruff trusts one when mtime and mode match. Two trees with the
 *   same file edited to the same size within one second (copies made by a script, a CI
 *   clone, a tool that normalises mtimes) would read each other's results. So before ruff
 *   and mypy run, every Python file's mtime is set from a hash of its contents
 *   (`contentMtimesLayer`): equal mtimes then mean equal contents, and both tools
 *   re-check exactly the files whose contents changed.
 * - tsc --incremental compares files by a SHA-256 of their text, never by mtime; each
 *   package has its own build info file.
 * Modules with errors are never cached by mypy, and tsc re-reports stored diagnostics,
 * so a cached run reports what a fresh run would (tests/harness/tool-cache-equivalence.ts
 * runs every fault both ways).
 */

const TOOL_CACHE_ROOT = "/root/.cache/predeploy";

/** Cache volume names by tool; the project's scope follows. */
export const TOOL_CACHE_VOLUMES = { mypy: "predeploy-mypy-", ruff: "predeploy-ruff-", tsc: "predeploy-tsc-" } as const;

/** The scope of a project's tool caches: hash of the repository identity and the project's path. */
export function toolCacheScope(repository: string, projectPath: string): string {
  return createHash("sha256").update(JSON.stringify([repository, projectPath])).digest("hex").slice(0, 16);
}

/** `[project] name` (or `[tool.poetry] name`) of a pyproject.toml, without a TOML parser. */
function pyprojectName(text: string): string | null {
  let table = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      table = (header[1] as string).trim();
      continue;
    }
    if (table !== "project" && table !== "tool.poetry") continue;
    const name = /^name\s*=\s*["']([^"']+)["']/.exec(line);
    if (name) return name[1] as string;
  }
  return null;
}

function packageJsonName(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    const name = typeof parsed === "object" && parsed !== null ? (parsed as { name?: unknown }).name : undefined;
    return typeof name === "string" ? name : null;
  } catch {
    return null;
  }
}

/**
 * The repository's identity as its root manifests name it; when they name nothing (no root
 * manifest, or no name in it), its root entries: unnamed repositories then share a volume only
 * with checkouts of the same layout, not with every other unnamed repository on the engine.
 */
export async function repositoryIdentity(tree: SourceTree): Promise<string> {
  const [pyproject, packageJson] = await Promise.all([tree.readText("pyproject.toml"), tree.readText("package.json")]);
  const names = [pyproject === null ? null : pyprojectName(pyproject), packageJson === null ? null : packageJsonName(packageJson)];
  return JSON.stringify(names.some((name) => name !== null) ? names : { layout: [...(await tree.list("."))].sort() });
}

/** The stack with each project's tool-cache scope filled in. */
export function withToolCacheScopes(stack: Stack, repository: string): Stack {
  const scoped = (pkg: NodePackage): NodePackage => ({ ...pkg, toolCacheScope: toolCacheScope(repository, pkg.installDir) });
  return {
    ...stack,
    django: stack.django === null ? null : { ...stack.django, toolCacheScope: toolCacheScope(repository, stack.django.projectDir) },
    workers: stack.workers.map(scoped),
    sites: stack.sites.map(scoped),
  };
}

export interface ToolCaches {
  caches: CacheMount[];
  env: Record<string, string>;
}

const NONE: ToolCaches = { caches: [], env: {} };

/** mypy's and ruff's caches for the Python project (every Python container mounts them, so all share one install layer). */
export function pythonToolCaches(django: DjangoApp): ToolCaches {
  const scope = django.toolCacheScope;
  if (scope === undefined) return NONE;
  return {
    caches: [
      { path: `${TOOL_CACHE_ROOT}/mypy`, volume: `${TOOL_CACHE_VOLUMES.mypy}${scope}` },
      { path: `${TOOL_CACHE_ROOT}/ruff`, volume: `${TOOL_CACHE_VOLUMES.ruff}${scope}` },
    ],
    env: { MYPY_CACHE_DIR: `${TOOL_CACHE_ROOT}/mypy`, RUFF_CACHE_DIR: `${TOOL_CACHE_ROOT}/ruff` },
  };
}

/**
 * tsc's build info for a Node install (a package, or a whole pnpm workspace: every member's
 * container is the same one, so the volume is per install and the file per package).
 */
export function nodeToolCaches(pkg: NodePackage): ToolCaches {
  const scope = pkg.toolCacheScope;
  if (scope === undefined) return NONE;
  return { caches: [{ path: `${TOOL_CACHE_ROOT}/tsc`, volume: `${TOOL_CACHE_VOLUMES.tsc}${scope}` }], env: {} };
}

/** `tsc` flags that keep its incremental state in the package's own build info file on the volume. */
export function tscIncrementalArgs(pkg: NodePackage): string[] {
  if (pkg.toolCacheScope === undefined) return [];
  const file = `${pkg.dir.replace(/[^A-Za-z0-9_.-]+/g, "_")}.tsbuildinfo`;
  return ["--incremental", "--tsBuildInfoFile", `${TOOL_CACHE_ROOT}/tsc/${file}`];
}


/** The layer ruff's and mypy's containers end with, so their caches validate by content. */
function contentMtimesLayer(): Layer {
  return { kind: "exec", args: ["python", "-c", program("content_mtimes.py"), SOURCE_ROOT] };
}

/** The container ruff and mypy run in: the Python container plus `contentMtimesLayer` when their caches are kept. */
export function withContentMtimes(container: ContainerSpec, django: DjangoApp): ContainerSpec {
  return django.toolCacheScope === undefined ? container : { ...container, layers: [...container.layers, contentMtimesLayer()] };
}
