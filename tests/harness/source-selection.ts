import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { GlobSet } from "./glob.js";

/**
 * The files a `copy` layer brings into a container, and a digest of them (names, modes,
 * contents) that is the layer's cache key: equal selections give equal keys whatever
 * the mtimes, so a fresh checkout still hits the cache.
 */

export interface SelectedEntry {
  /** Relative to the copied directory, `/`-separated. */
  path: string;
  kind: "dir" | "file" | "symlink";
}

export interface Selection {
  entries: SelectedEntry[];
  digest: string;
}

export interface SelectionRequest {
  /** The source root on the host. */
  sourceRoot: string;
  /** The copied directory, relative to the source root ("." for all of it). */
  from: string;
  /** Globs relative to `from`, as the copy layer gives them. */
  include: readonly string[];
  exclude: readonly string[];
  /** Globs relative to the source root: what the module's source argument ignores. */
  sourceExclude: readonly string[];
}

interface Fingerprint {
  mtimeMs: number;
  size: number;
  sha256: string;
}

/** Content hashes memoised by path, size and mtime: several checks copy the same tree. */
export class FileHasher {
  private readonly known = new Map<string, Fingerprint>();

  async hash(path: string, mtimeMs: number, size: number): Promise<string> {
    const seen = this.known.get(path);
    if (seen && seen.mtimeMs === mtimeMs && seen.size === size) return seen.sha256;
    const sha256 = createHash("sha256").update(await readFile(path)).digest("hex");
    this.known.set(path, { mtimeMs, size, sha256 });
    return sha256;
  }
}

export async function selectSource(request: SelectionRequest, hasher: FileHasher): Promise<Selection> {
  const include = new GlobSet(request.include);
  const exclude = new GlobSet(request.exclude);
  const ignored = new GlobSet(request.sourceExclude);
  const root = join(request.sourceRoot, request.from);
  const fromSourceRoot = (path: string) => (request.from === "." ? path : `${request.from.replace(/\/+$/, "")}/${path}`);
  const entries: SelectedEntry[] = [];
  const digest = createHash("sha256");
  const addedDirs = new Set<string>();

  const addParents = (path: string) => {
    const segments = path.split("/");
    for (let end = 1; end < segments.length; end++) {
      const dir = segments.slice(0, end).join("/");
      if (addedDirs.has(dir)) continue;
      addedDirs.add(dir);
      entries.push({ path: dir, kind: "dir" });
      digest.update(`dir ${dir}\n`);
    }
  };

  const walk = async (relDir: string): Promise<void> => {
    const names = (await readdir(join(root, relDir))).sort();
    for (const name of names) {
      const path = relDir === "" ? name : `${relDir}/${name}`;
      if (exclude.matches(path) || ignored.matches(fromSourceRoot(path))) continue;
      const absolute = join(root, path);
      const stat = await lstat(absolute);
      const included = include.empty || include.matches(path);
      const mode = (stat.mode & 0o777).toString(8);
      if (stat.isDirectory()) {
        if (included && !addedDirs.has(path)) {
          addParents(path);
          addedDirs.add(path);
          entries.push({ path, kind: "dir" });
          digest.update(`dir ${path} ${mode}\n`);
        }
        await walk(path);
      } else if (included && stat.isSymbolicLink()) {
        addParents(path);
        entries.push({ path, kind: "symlink" });
        digest.update(`symlink ${path} ${await readlink(absolute)}\n`);
      } else if (included && stat.isFile()) {
        addParents(path);
        entries.push({ path, kind: "file" });
        digest.update(`file ${path} ${mode} ${await hasher.hash(absolute, stat.mtimeMs, stat.size)}\n`);
      }
    }
  };

  await walk("");
  return { entries, digest: digest.digest("hex") };
}
