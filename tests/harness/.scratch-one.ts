import { planChecks } from "../../src/plan/index.js";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import { resolveRunSecrets } from "../../src/run/secrets.js";
import { HostSourceTree } from "../support/host-tree.js";
import { DockerExecutor } from "./docker-executor.js";
const dir = process.argv[2]!;
const plan = await planChecks(new HostSourceTree(dir), null, {});
const ex = new DockerExecutor(dir, resolveRunSecrets({}), { sourceExclude: SOURCE_EXCLUDES });
for (const id of process.argv.slice(3)) {
  const spec = plan.checks.find((c) => c.id === id)!;
  const t = Date.now();
  const r = await ex.run(spec, new AbortController().signal);
  console.log(id, r.phase, r.exitCode, (Date.now() - t) / 1000);
}
