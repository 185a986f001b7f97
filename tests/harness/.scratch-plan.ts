import { planChecks } from "../../src/plan/index.js";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import { resolveRunSecrets } from "../../src/run/secrets.js";
import { HostSourceTree } from "../support/host-tree.js";
import { DockerExecutor } from "./docker-executor.js";
const dir = process.argv[2]!;
const plan = await planChecks(new HostSourceTree(dir), null, {});
const secrets = resolveRunSecrets({});
const ex = new DockerExecutor(dir, secrets, { sourceExclude: SOURCE_EXCLUDES });
const done = new Map<string, Promise<boolean>>();
const t0 = Date.now();
for (const spec of plan.checks) {
  done.set(spec.id, Promise.resolve().then(async () => {
    const deps = await Promise.all(spec.dependsOn.map((d) => done.get(d)!));
    if (!deps.every(Boolean)) { console.log(`SKIP ${spec.id}`); return false; }
    const t = Date.now();
    try {
      const r = await ex.run(spec, new AbortController().signal);
      console.log(`${r.phase === "command" && r.exitCode === 0 ? "OK  " : "FAIL"} ${spec.id} ${r.phase} ${r.failedStep ?? ""} exit=${r.exitCode} ${(Date.now() - t) / 1000}s @${(Date.now() - t0) / 1000}s`);
      if (!(r.phase === "command" && r.exitCode === 0)) console.log((r.stdout + r.stderr).slice(-1500));
      return r.phase === "command" && r.exitCode === 0;
    } catch (e) { console.log(`ERR ${spec.id}`, e); return false; }
  }));
}
await Promise.all(done.values());
console.log("total", (Date.now() - t0) / 1000);
