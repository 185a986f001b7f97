import { createHash } from "node:crypto";
import { SOURCE_ROOT } from "../model/contracts.js";
import { program } from "../programs/index.js";
import type { DjangoApp, NodePackage, Stack } from "../project/discover.js";
import type { ToolCache } from "./types.js";
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

/** The volume name of a tool's cache, before the project's scope (`predeploy-mypy-`). */
export function toolCacheVolumePrefix(cache: ToolCache): string {
  return `predeploy-${cache.name}-`;
}

/** Where a tool's cache is mounted. */
export function toolCacheDir(cache: ToolCache): string {
  return `${TOOL_CACHE_ROOT}/${cache.name}`;
}

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

/**
 * The caches the registry's entries keep, mounted for one project (`scope`; none without one), each
 * once, with the environment that points its tool at it. Every container of an ecosystem mounts
 * them all, whichever tool it runs, so all share one install layer (a Node install's volume holds
 * one build info file per package: in a pnpm workspace every member's container is the same).
 */
export function toolCaches(scope: string | undefined, declared: readonly ToolCache[]): ToolCaches {
  if (scope === undefined) return NONE;
  const caches = [...new Map(declared.map((cache) => [cache.name, cache])).values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    caches: caches.map((cache) => ({ path: toolCacheDir(cache), volume: `${toolCacheVolumePrefix(cache)}${scope}` })),
    env: Object.fromEntries(caches.flatMap((cache) => (cache.env === undefined ? [] : [[cache.env, toolCacheDir(cache)]]))),
  };
}

/** `tsc` flags that keep its incremental state in the package's own build info file on its cache. */
export function tscIncrementalArgs(pkg: NodePackage, cache: ToolCache): string[] {
  if (pkg.toolCacheScope === undefined) return [];
  const file = `${pkg.dir.replace(/[^A-Za-z0-9_.-]+/g, "_")}.tsbuildinfo`;
  return ["--incremental", "--tsBuildInfoFile", `${toolCacheDir(cache)}/${file}`];
}


/** The layer ruff's and mypy's containers end with, so their caches validate by content. */
function contentMtimesLayer(): Layer {
  return { kind: "exec", args: ["python", "-c", program("content_mtimes.py"), SOURCE_ROOT] };
}

/** The container of a tool whose cache trusts mtimes (ruff, mypy): the Python container plus `contentMtimesLayer` when caches are kept. */
export function withContentMtimes(container: ContainerSpec, django: DjangoApp): ContainerSpec {
  return django.toolCacheScope === undefined ? container : { ...container, layers: [...container.layers, contentMtimesLayer()] };
}
