import { readCiTestJobs, type CiTestJob } from "./ci-workflow.js";
import { readComposeFiles, type ComposeFile } from "./compose.js";
import type { Declared } from "./declared.js";
import { readPlatforms, type PlatformDeclaration } from "./platforms.js";
import { readProcfile } from "./procfile.js";
import type { SourceTree } from "./source-tree.js";

/** Everything the repository declares about its deployment, read once. */
export interface Declarations {
  compose: ComposeFile[];
  procfile: Record<string, Declared<string>> | null;
  platforms: PlatformDeclaration[];
  ci: CiTestJob[];
  /** Files that could not be read as what they claim to be (each names the file and the fix): reported, never fatal. */
  notes: string[];
}

export async function readDeclarations(tree: SourceTree): Promise<Declarations> {
  const [compose, procfile, platforms, ci] = await Promise.all([readComposeFiles(tree), readProcfile(tree), readPlatforms(tree), readCiTestJobs(tree)]);
  return {
    compose,
    procfile,
    platforms: platforms.platforms,
    ci: ci.jobs,
    notes: [...compose.flatMap((file) => file.problems), ...platforms.problems, ...ci.problems],
  };
}

/** No declarations at all: what a repository without compose, Procfile, platform or CI files declares. */
export const NOTHING_DECLARED: Declarations = { compose: [], procfile: null, platforms: [], ci: [], notes: [] };
