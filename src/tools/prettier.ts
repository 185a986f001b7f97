import { packageBin, packageDirFromWorkdir } from "../project/node-commands.js";
import type { NodePackage } from "../project/discover.js";
import { shellQuote } from "../project/shell-quote.js";
import { join } from "../project/source-tree.js";
import { adoptedBy, notAdopted, type Adoption, type NodeTool } from "./types.js";

/** prettier's configuration files (a `prettier` key in package.json is not read here; declaring prettier adopts it anyway). */
export const PRETTIER_CONFIGS = [
  ".prettierrc",
  ".prettierrc.json",
  ".prettierrc.json5",
  ".prettierrc.yaml",
  ".prettierrc.yml",
  ".prettierrc.js",
  ".prettierrc.cjs",
  ".prettierrc.mjs",
  ".prettierrc.ts",
  ".prettierrc.toml",
  "prettier.config.js",
  "prettier.config.cjs",
  "prettier.config.mjs",
  "prettier.config.ts",
];

/**
 * Whether the package itself adopted a Node tool: `declared` in its own package.json. Only the
 * package's own manifest counts: in a pnpm workspace a tool declared only in the workspace root's
 * package.json is not the package's (out of scope), and a tool the package configures but does not
 * declare is not installed where its command runs (`packageBin` never downloads one).
 */
export function declaredInPackage(pkg: NodePackage, tool: string, config: string | undefined): Adoption {
  const manifest = join(pkg.dir, "package.json");
  if (pkg.dependencies.includes(tool)) {
    return adoptedBy(`${tool} is declared in ${manifest}${config === undefined ? "" : ` and configured in ${join(pkg.dir, config)}`}`);
  }
  if (config !== undefined) {
    return notAdopted(
      `not adopted by this package: ${join(pkg.dir, config)} configures ${tool}, but ${tool} is not installed in the package ` +
        `(not in ${manifest} dependencies or devDependencies); predeploy runs only the package's own ${tool}, never a download`,
    );
  }
  return notAdopted(`not adopted by this package: ${tool} is not in ${manifest} dependencies or devDependencies`);
}

/**
 * A package's executable run on a finding's `{file}`, for a fix. Fixes run in the container's
 * workdir (the install directory) with `{file}` relative to it, but `pnpm --dir <package> exec`
 * runs the executable in the package's directory: there a workspace member's fix takes the
 * file's absolute path first, then goes to the package.
 */
export function packageBinOnFile(pkg: NodePackage, bin: string, ...args: string[]): string[] {
  if (pkg.installDir === pkg.dir) return [...packageBin(pkg, bin, ...args), "{file}"];
  const inPackage = packageBin({ ...pkg, installDir: pkg.dir }, bin, ...args);
  const script = `file="$PWD/$1" && cd ${shellQuote([packageDirFromWorkdir(pkg)])} && exec ${shellQuote(inPackage)} "$file"`;
  return ["sh", "-c", script, "sh", "{file}"];
}

/**
 * `prettier --check .` where the package declares prettier (its configuration is optional).
 * `packageBin` runs it in the package's directory (`pnpm --dir <package> exec` in a workspace), so
 * the target is "." there, and the paths it prints start at the package (the parser's pathBase).
 */
export const prettier: NodeTool = {
  ecosystem: "node",
  program: "prettier",
  packages: ["worker", "site"],
  role: "formatter",
  check: (name) => ({ id: `quality.prettier.${name}`, stage: "quality", title: `prettier --check (${name})` }),
  proves: "`prettier --check`: each file it would reformat",
  parser: "prettier",
  adoption: (pkg) =>
    declaredInPackage(
      pkg,
      "prettier",
      PRETTIER_CONFIGS.find((file) => pkg.files.includes(file)),
    ),
  command: (pkg) => packageBin(pkg, "prettier", "--check", "."),
  fix: (pkg) => ({ argv: packageBinOnFile(pkg, "prettier", "--write"), safe: true }),
  caches: [],
};
