import { check, type CatalogueContext, type LeftOut } from "./catalogue-context.js";
import { nodeContainer } from "./containers.js";
import type { NodePackage } from "../project/discover.js";
import type { CheckSpec } from "../model/spec.js";
import { NODE_TOOLS, type NodeRole } from "../tools/index.js";
import { applyRegistryRules } from "../tools/registry-rules.js";

/** A worker's or site's checks: every registry tool for its role that the package adopted. */
export function nodeChecks(context: CatalogueContext, pkg: NodePackage, role: NodeRole): { checks: CheckSpec[]; leftOut: LeftOut[] } {
  const container = nodeContainer(context, pkg);
  const workerRoutes = context.stack.workers.flatMap((worker) => worker.routes ?? []);
  const checks: CheckSpec[] = [];
  const leftOut: LeftOut[] = [];
  for (const { tool, adoption } of applyRegistryRules(NODE_TOOLS.filter((t) => t.packages.includes(role)).map((tool) => ({ tool, id: tool.check(pkg.name, role).id, adoption: tool.adoption(pkg) })))) {
    const identity = tool.check(pkg.name, role);
    const forced = context.config.checks[identity.id]?.enabled === true;
    if (!adoption.adopted && !forced) {
      leftOut.push({ ...identity, reason: adoption.why });
      continue;
    }
    checks.push(
      check(context, {
        ...identity,
        tool: { program: tool.program, ecosystem: tool.ecosystem, role: tool.role },
        container: tool.layers || tool.inputs ? nodeContainer(context, pkg, tool.layers?.() ?? [], tool.inputs) : container,
        command: tool.command(pkg, context.config.paths.siteOutput ?? "dist", workerRoutes),
        dependsOn: tool.dependsOn?.(pkg.name, role) ?? [],
        parser: tool.parser,
        pathBase: pkg.dir,
        why: adoption.adopted ? adoption.by : `enabled in predeploy.json (checks.${identity.id}.enabled); ${adoption.why}`,
        ...(tool.fix ? { fix: { ...tool.fix(pkg), cwd: pkg.installDir } } : {}),
      }),
    );
  }
  return { checks, leftOut };
}
