import { ExistsType, type Directory } from "@dagger.io/dagger";
import type { SourceTree } from "../project/source-tree.js";

/** Discovery's view of the source `Directory`. */
export class DaggerSourceTree implements SourceTree {
  constructor(private readonly source: Directory) {}

  async list(dir: string): Promise<string[]> {
    if (dir !== "." && !(await this.source.exists(dir, { expectedType: ExistsType.DirectoryType }))) return [];
    const directory = dir === "." ? this.source : this.source.directory(dir);
    const entries = await directory.entries();
    // Newer engines mark directories with a trailing slash; older ones do not, so ask.
    return Promise.all(
      entries.map(async (entry) => {
        if (entry.endsWith("/")) return entry;
        return (await directory.exists(entry, { expectedType: ExistsType.DirectoryType })) ? `${entry}/` : entry;
      }),
    );
  }

  async readText(path: string): Promise<string | null> {
    if (!(await this.source.exists(path, { expectedType: ExistsType.RegularType }))) return null;
    return this.source.file(path).contents();
  }
}
