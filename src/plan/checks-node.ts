import { check, type CatalogueContext } from "./catalogue-context.js";
import { nodeContainer, packageBin, packageDirFromWorkdir, runScript } from "./containers.js";
import { emptyOutputMessage, OUTPUT_DIR } from "../model/contracts.js";
import { shellQuote } from "./shell-quote.js";
import type { NodePackage } from "./discover.js";
import { join } from "./source-tree.js";
import type { CheckSpec } from "./spec.js";
import { tscIncrementalArgs } from "./tool-caches.js";

export function workerChecks(context: CatalogueContext, worker: NodePackage): CheckSpec[] {
  const container = nodeContainer(context, worker);
  const pathBase = worker.dir;
  const checks = [
    check(context, {
      id: `build.worker-bundle.${worker.name}`,
      stage: "build",
      title: `${worker.name} worker bundle`,
      container,
      command: packageBin(worker, "wrangler", "deploy", "--dry-run", "--outdir", `${OUTPUT_DIR}/bundle`),
      parser: "worker-bundle",
      pathBase,
    }),
    check(context, {
      id: `quality.tsc.${worker.name}`,
      stage: "quality",
      title: `tsc --noEmit (${worker.name})`,
      container,
      command: packageBin(worker, "tsc", "--noEmit", "--pretty", "false", ...tscIncrementalArgs(worker)),
      parser: "tsc",
      pathBase,
    }),
  ];
  if (worker.scripts.test !== undefined) {
    checks.push(
      check(context, { id: `test.worker-tests.${worker.name}`, stage: "test", title: `${worker.name} worker tests`, container, command: runScript(worker, "test"), parser: "node-test", pathBase }),
    );
  }
  return checks;
}

export function siteChecks(context: CatalogueContext, site: NodePackage): CheckSpec[] {
  const container = nodeContainer(context, site);
  const output = join(packageDirFromWorkdir(site), context.config.paths.siteOutput ?? "dist");
  const build = shellQuote(runScript(site, "build"));
  // The output check prints a marker the site-build parser recognises.
  const script = `${build} && { [ -n "$(ls -A ${shellQuote([output])} 2>/dev/null)" ] || { echo ${shellQuote([emptyOutputMessage(output)])} >&2; exit 1; }; }`;
  const checks = [
    check(context, { id: `build.site.${site.name}`, stage: "build", title: `${site.name} site build`, container, command: ["sh", "-c", script], parser: "site-build", pathBase: site.dir }),
  ];
  if (site.scripts.test !== undefined) {
    checks.push(
      check(context, { id: `test.site-tests.${site.name}`, stage: "test", title: `${site.name} site tests`, container, command: runScript(site, "test"), parser: "node-test", pathBase: site.dir }),
    );
  }
  return checks;
}
