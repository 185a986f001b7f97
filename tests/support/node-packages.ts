import assert from "node:assert/strict";
import type { NodePackage } from "../../src/project/discover.js";
import { fixArgv, fixCommandLine } from "../../src/plan/fix-command.js";
import type { NodeTool } from "../../src/tools/types.js";

/** A site with its own npm install (package-lock.json beside package.json). */
export function npmSite(dependencies: string[], files: string[]): NodePackage {
  return {
    name: "www",
    dir: "sites/www",
    manager: "npm",
    installInputs: ["sites/www/package.json", "sites/www/package-lock.json"],
    installDir: "sites/www",
    scripts: { build: "astro build" },
    dependencies,
    files: ["package.json", "package-lock.json", "src/", ...files],
  };
}

/** The same site as a member of a pnpm workspace: one install at the root, the container's workdir. */
export function workspaceSite(dependencies: string[], files: string[]): NodePackage {
  return {
    ...npmSite(dependencies, files),
    manager: "pnpm",
    installInputs: ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc", ".pnpmfile.cjs", "**/package.json"],
    installDir: ".",
    files: ["package.json", "src/", ...files],
  };
}

/** The fix command a finding in `file` gets, as checks-node.ts builds the FixSpec (cwd: the install directory). */
export function fixFor(tool: NodeTool, pkg: NodePackage, file: string): { argv: string[]; line: string } {
  assert.ok(tool.fix, `${tool.program} has a fix`);
  const spec = { ...tool.fix(pkg), cwd: pkg.installDir };
  assert.equal(spec.safe, true);
  const argv = fixArgv(spec, { file, rule: "format", message: "File would be reformatted" });
  assert.ok(argv !== null);
  return { argv, line: fixCommandLine(spec, argv) };
}
