import { check, type CatalogueContext, type LeftOut } from "./catalogue-context.js";
import { nodeContainer } from "./containers.js";
import type { NodePackage } from "../project/discover.js";
import type { CheckSpec } from "../model/spec.js";
import { NODE_TOOLS, type NodeRole } from "../tools/index.js";

/** A worker's or site's checks: every registry tool for its role that the package adopted. */
export function nodeChecks(context: CatalogueContext, pkg: NodePackage, role: NodeRole): { checks: CheckSpec[]; leftOut: LeftOut[] } {
  const container = nodeContainer(context, pkg);
  const checks: CheckSpec[] = [];
  const leftOut: LeftOut[] = [];
  for (const tool of NODE_TOOLS.filter((t) => t.roles.includes(role))) {
    const identity = tool.check(pkg.name, role);
    const adoption = tool.adoption(pkg);
    const forced = context.config.checks[identity.id]?.enabled === true;
    if (!adoption.adopted && !forced) {
      leftOut.push({ ...identity, reason: adoption.why });
      continue;
    }
    checks.push(
      check(context, {
        ...identity,
        container,
        command: tool.command(pkg, context.config.paths.siteOutput ?? "dist"),
        parser: tool.parser,
        pathBase: pkg.dir,
        why: adoption.adopted ? adoption.by : `enabled in predeploy.json (checks.${identity.id}.enabled); ${adoption.why}`,
        ...(tool.fix ? { fix: { ...tool.fix(pkg), cwd: pkg.installDir } } : {}),
      }),
    );
  }
  return { checks, leftOut };
}
