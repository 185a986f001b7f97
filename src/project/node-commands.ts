import type { NodePackage } from "./discover.js";
import { relativeTo } from "./paths.js";

/**
 * How a worker's or site's own package manager runs things in its container, whose working
 * directory is where the install runs (the package, or its pnpm workspace's root).
 */

/** `pnpm`, pointed at the package when the container's workdir is the workspace root. */
function pnpm(pkg: NodePackage): string[] {
  return pkg.installDir === pkg.dir ? ["pnpm"] : ["pnpm", "--dir", packageDirFromWorkdir(pkg)];
}

/** Runs a package script with the package's own manager, in the package's directory. */
export function runScript(pkg: NodePackage, script: string): string[] {
  return pkg.manager === "npm" ? ["npm", "run", "--silent", script] : [...pnpm(pkg), "run", "--silent", script];
}

/** The executable of a package's dev dependency, without ever downloading one, in the package's directory. */
export function packageBin(pkg: NodePackage, bin: string, ...args: string[]): string[] {
  // `--`: npx (npm 10) takes the flags before a command's first positional argument as its own.
  return pkg.manager === "npm" ? ["npx", "--no", "--", bin, ...args] : [...pnpm(pkg), "exec", bin, ...args];
}

/** The package's directory relative to the container's workdir ("." when they are the same). */
export function packageDirFromWorkdir(pkg: NodePackage): string {
  return pkg.installDir === pkg.dir ? "." : relativeTo(pkg.installDir, pkg.dir);
}

