import { emptyOutputMessage, OUTPUT_DIR } from "../model/contracts.js";
import { packageBin, packageDirFromWorkdir, runScript } from "../project/node-commands.js";
import type { NodePackage } from "../project/discover.js";
import { shellQuote } from "../project/shell-quote.js";
import { join } from "../project/source-tree.js";
import { tscIncrementalArgs } from "./tool-caches.js";
import { adoptedBy, notAdopted, type NodeTool, type ToolCache } from "./types.js";

/** A worker's or site's tools: what its own manifest and config files say it uses. */

/** tsc's build info (--incremental): it compares files by a hash of their text, never by mtime. */
const TSC_CACHE: ToolCache = { name: "tsc" };

export const workerBundle: NodeTool = {
  ecosystem: "node",
  program: "wrangler",
  packages: ["worker"],
  role: "build",
  check: (name) => ({ id: `build.worker-bundle.${name}`, stage: "build", title: `${name} worker bundle` }),
  proves: "`wrangler deploy --dry-run` bundles the worker",
  parser: "worker-bundle",
  adoption: (pkg) => adoptedBy(`Cloudflare worker: ${join(pkg.dir, pkg.wranglerConfig ?? "wrangler.toml")}`),
  command: (pkg) => packageBin(pkg, "wrangler", "deploy", "--dry-run", "--outdir", `${OUTPUT_DIR}/bundle`),
  caches: [],
  writes: ["**/.wrangler"],
};

/** What tsc reads: TypeScript and JavaScript (allowJs) sources and declarations, and JSON (tsconfig, package.json's exports and type, resolveJsonModule). */
const TSC_INPUTS = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs", "**/*.json"] as const;

export const tsc: NodeTool = {
  ecosystem: "node",
  program: "tsc",
  packages: ["worker"],
  role: "type-checker",
  check: (name) => ({ id: `quality.tsc.${name}`, stage: "quality", title: `tsc --noEmit (${name})` }),
  proves: "`tsc --noEmit` findings with file:line:col and code (workers with a `tsconfig.json`)",
  parser: "tsc",
  adoption: (pkg) =>
    pkg.files.includes("tsconfig.json")
      ? adoptedBy(`TypeScript: ${join(pkg.dir, "tsconfig.json")}`)
      : notAdopted(`not adopted by this package: no ${join(pkg.dir, "tsconfig.json")} (JavaScript)`),
  command: (pkg) => packageBin(pkg, "tsc", "--noEmit", "--pretty", "false", ...tscIncrementalArgs(pkg, TSC_CACHE)),
  caches: [TSC_CACHE],
  inputs: TSC_INPUTS,
};

/**
 * The site's build as a shell script, and its output directory (from the container's workdir).
 * The output check prints a marker the site-build parser recognises.
 */
export function siteBuildScript(pkg: NodePackage, siteOutput: string): { script: string; output: string } {
  const output = join(packageDirFromWorkdir(pkg), siteOutput);
  const script = `${shellQuote(runScript(pkg, "build"))} && { [ -n "$(ls -A ${shellQuote([output])} 2>/dev/null)" ] || { echo ${shellQuote([emptyOutputMessage(output)])} >&2; exit 1; }; }`;
  return { script, output };
}

export const siteBuild: NodeTool = {
  ecosystem: "node",
  program: "npm",
  packages: ["site"],
  role: "build",
  check: (name) => ({ id: `build.site.${name}`, stage: "build", title: `${name} site build` }),
  proves: "the build script succeeds and its output directory is not empty",
  parser: "site-build",
  adoption: (pkg) => adoptedBy(`its build script: ${pkg.scripts.build ?? ""}`),
  command: (pkg, siteOutput) => ["sh", "-c", siteBuildScript(pkg, siteOutput).script],
  caches: [],
  // The build's output (the default site output; a configured one is the project's to ignore) and Astro's cache.
  writes: ["**/dist", "**/.astro"],
};

/** The package's own `test` script, run once (the container sets CI=true, so watchers such as vitest do not watch). */
export const packageTests: NodeTool = {
  ecosystem: "node",
  program: "npm",
  packages: ["worker", "site"],
  role: "test-runner",
  check: (name, role) => ({ id: `test.${role}-tests.${name}`, stage: "test", title: `${name} ${role} tests` }),
  proves: "the package's `test` script, with counts",
  parser: "node-test",
  adoption: (pkg) => (pkg.scripts.test !== undefined ? adoptedBy(`its test script: ${pkg.scripts.test}`) : notAdopted(`no test script in ${join(pkg.dir, "package.json")}`)),
  command: (pkg) => runScript(pkg, "test"),
  caches: [],
};
