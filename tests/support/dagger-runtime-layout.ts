import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Lays out a copy of the module the way the Dagger TypeScript runtime does before it
 * introspects it: the SDK as TypeScript source beside the module (the runtime's bundled
 * `sdk/`, where `client.gen.ts` is a source file the introspector recognises), linked as
 * `@dagger.io/dagger`. Here that SDK source is the published typings of the pinned
 * version, and at run time the package's own JavaScript answers the imports.
 */
export function daggerRuntimeLayout(projectRoot: string): { root: string; moduleFiles: string[]; introspector: string } {
  const sdkEntry = createRequire(path.join(projectRoot, "package.json")).resolve("@dagger.io/dagger");
  const sdkDist = path.dirname(sdkEntry);
  // One layout per process: test files that scan at once must not rebuild each other's.
  const root = path.join(projectRoot, ".cache", `dagger-runtime-layout-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  cpSync(path.join(projectRoot, "src"), path.join(root, "src"), { recursive: true });
  cpSync(path.join(projectRoot, "tsconfig.json"), path.join(root, "tsconfig.json"));
  const sdk = path.join(root, "node_modules", "@dagger.io", "dagger");
  copyTypingsAsSource(sdkDist, sdk);
  writeFileSync(
    path.join(sdk, "package.json"),
    JSON.stringify({ name: "@dagger.io/dagger", type: "module", types: "./index.ts", exports: { ".": { types: "./index.ts", default: "./runtime.js" } } }),
  );
  writeFileSync(path.join(sdk, "runtime.js"), `export * from ${JSON.stringify(pathToFileURL(sdkEntry).href)};\n`);
  return { root, moduleFiles: tsFiles(path.join(root, "src")), introspector: path.join(sdkDist, "module", "introspector", "index.js") };
}

/** The module as the Dagger runtime's introspector sees it (its JSON form). */
export function scanModule(projectRoot: string): unknown {
  const layout = daggerRuntimeLayout(projectRoot);
  const script = path.join(projectRoot, "tests", "support", "scan-module.ts");
  try {
    const output = execFileSync(process.execPath, ["--import", "tsx", script, layout.introspector, ...layout.moduleFiles], { cwd: layout.root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(output);
  } finally {
    rmSync(layout.root, { recursive: true, force: true });
  }
}

function copyTypingsAsSource(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyTypingsAsSource(source, path.join(to, entry.name));
    else if (entry.name.endsWith(".d.ts")) writeFileSync(path.join(to, entry.name.replace(/\.d\.ts$/, ".ts")), readFileSync(source));
  }
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}
