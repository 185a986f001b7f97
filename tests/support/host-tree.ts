import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import type { SourceTree } from "../../src/project/source-tree.js";

// Entry names the module's source argument ignores: its globs are plain names, at the root or at any depth.
const IGNORED = new Set(SOURCE_EXCLUDES.map((glob) => glob.replace(/^\*\*\//, "")));

/** SourceTree over a host directory, ignoring what the module's source argument ignores. */
export class HostSourceTree implements SourceTree {
  constructor(private readonly root: string) {}

  private resolve(relative: string): string {
    const absolute = path.resolve(this.root, relative);
    if (absolute !== this.root && !absolute.startsWith(`${this.root}${path.sep}`)) throw new Error(`${relative} escapes the source directory`);
    return absolute;
  }

  async list(dir: string): Promise<string[]> {
    try {
      const entries = await readdir(this.resolve(dir), { withFileTypes: true });
      return entries.filter((e) => !IGNORED.has(e.name)).map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
    } catch {
      return [];
    }
  }

  async readText(file: string): Promise<string | null> {
    try {
      return await readFile(this.resolve(file), "utf8");
    } catch {
      return null;
    }
  }
}

/** SourceTree over an in-memory map of path → contents, for unit tests. */
export class MemoryTree implements SourceTree {
  constructor(private readonly files: Record<string, string>) {}

  async list(dir: string): Promise<string[]> {
    const prefix = dir === "." ? "" : `${dir}/`;
    const names = new Set<string>();
    for (const file of Object.keys(this.files)) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf("/");
      names.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...names].sort();
  }

  async readText(file: string): Promise<string | null> {
    return this.files[file] ?? null;
  }
}
