import { packageBin } from "../project/node-commands.js";
import { join } from "../project/source-tree.js";
import { declaredInPackage, packageBinOnFile } from "./prettier.js";
import { notAdopted, type NodeTool } from "./types.js";

/**
 * ESLint's configuration files: the flat config (ESLint ≥ 9) and the legacy `.eslintrc*` (ESLint
 * ≤ 8; ESLint 9+ does not read it, and fails saying so, which the check reports).
 */
export const ESLINT_CONFIGS = [
  "eslint.config.js",
  "eslint.config.mjs",
  "eslint.config.cjs",
  "eslint.config.ts",
  "eslint.config.mts",
  "eslint.config.cts",
  ".eslintrc",
  ".eslintrc.js",
  ".eslintrc.cjs",
  ".eslintrc.json",
  ".eslintrc.yml",
  ".eslintrc.yaml",
];

/**
 * `eslint --format json .` where the package declares eslint and configures it in its own
 * directory (ESLint without a configuration fails, so a declaration alone does not adopt it; a
 * configuration only in the workspace root is not the package's). Run in the package's directory
 * (see prettier.ts), where ESLint finds that configuration; it prints absolute paths.
 */
export const eslint: NodeTool = {
  ecosystem: "node",
  program: "eslint",
  packages: ["worker", "site"],
  role: "linter",
  check: (name) => ({ id: `quality.eslint.${name}`, stage: "quality", title: `eslint (${name})` }),
  proves: "eslint findings with file:line:col and rule",
  parser: "eslint",
  adoption: (pkg) => {
    const config = ESLINT_CONFIGS.find((file) => pkg.files.includes(file));
    if (config === undefined && pkg.dependencies.includes("eslint")) {
      return notAdopted(
        `not adopted by this package: eslint is declared in ${join(pkg.dir, "package.json")} but not configured ` +
          `(no eslint.config.js or .eslintrc* in ${pkg.dir}), and eslint without a configuration fails`,
      );
    }
    return declaredInPackage(pkg, "eslint", config);
  },
  command: (pkg) => packageBin(pkg, "eslint", "--format", "json", "."),
  // `--fix` applies only the fixes ESLint's rules mark as such (never suggestions).
  fix: (pkg) => ({ argv: packageBinOnFile(pkg, "eslint", "--fix"), safe: true }),
  caches: [],
};
