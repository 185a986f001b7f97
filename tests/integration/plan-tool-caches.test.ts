/**
 * Tool caches (src/tools/tool-caches.ts): which cache volumes the plan gives mypy, ruff and
 * tsc, and the layer that makes mypy's and ruff's caches validate by content.
 * Run: node --import tsx --test tests/integration/plan-tool-caches.test.ts
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { planChecks, type Plan } from "../../src/plan/index.js";
import type { CheckSpec, ContainerSpec } from "../../src/model/spec.js";
import { repositoryIdentity } from "../../src/tools/tool-caches.js";
import { MemoryTree } from "../support/host-tree.js";
import { stackFiles, stackTree } from "../support/trees.js";

const TOOL_VOLUME = /^predeploy-(mypy|ruff|tsc)-[0-9a-f]{16}$/;

function containers(container: ContainerSpec): ContainerSpec[] {
  return [container, ...container.services.flatMap(({ service }) => containers(service.container))];
}

/** Every tool-cache volume of a plan, with the checks that mount it. */
function toolVolumes(plan: Plan): Map<string, string[]> {
  const volumes = new Map<string, string[]>();
  for (const spec of plan.checks) {
    for (const container of containers(spec.container)) {
      for (const cache of container.caches) {
        if (!TOOL_VOLUME.test(cache.volume)) continue;
        const users = volumes.get(cache.volume) ?? [];
        if (!users.includes(spec.id)) users.push(spec.id);
        volumes.set(cache.volume, users);
      }
    }
  }
  return volumes;
}

function byId(plan: Plan, id: string): CheckSpec {
  const spec = plan.checks.find((c) => c.id === id);
  assert.ok(spec, `${id} is planned`);
  return spec;
}

const plan = (tree: MemoryTree) => planChecks(tree, null);

describe("tool caches", () => {
  test("mypy, ruff and every tsc project get volumes of their own, mounted by every container of their install", async () => {
    const planned = await plan(stackTree());
    const volumes = toolVolumes(planned);
    const kinds = [...volumes.keys()].map((v) => v.split("-")[1]);
    assert.deepEqual(kinds.filter((k) => k === "mypy").length, 1);
    assert.deepEqual(kinds.filter((k) => k === "ruff").length, 1);
    const tscOf = (id: string) => byId(planned, id).container.caches.find((c) => c.volume.startsWith("predeploy-tsc-"))?.volume;
    assert.ok(tscOf("quality.tsc.intake"));
    assert.notEqual(tscOf("quality.tsc.intake"), tscOf("quality.tsc.mailer"), "two workers never share build info");
    assert.equal(tscOf("quality.tsc.intake"), tscOf("build.worker-bundle.intake"), "one install layer per package: the same mounts");
    const pythonCaches = (id: string) => byId(planned, id).container.caches;
    assert.deepEqual(pythonCaches("quality.mypy"), pythonCaches("test.pytest"), "the Python checks keep one install layer");
  });

  test("no cache volume is shared between two different repositories, or one repository's project moved in the tree", async () => {
    const renamed = stackTree({ "pyproject.toml": "[project]\nname = 'other-shop'\n" });
    const moved = new MemoryTree(
      Object.fromEntries(Object.entries(stackFiles()).map(([path, text]) => [path.startsWith("workers/intake/") ? path.replace("workers/intake/", "workers/intake-v2/") : path, text])),
    );
    const original = toolVolumes(await plan(stackTree()));
    const other = toolVolumes(await plan(renamed));
    assert.ok(original.size >= 4);
    for (const volume of other.keys()) assert.ok(!original.has(volume), `${volume} is shared by two repositories`);
    const intake = [...original].find(([, users]) => users.includes("quality.tsc.intake"))?.[0];
    const movedIntake = [...toolVolumes(await plan(moved))].find(([, users]) => users.includes("quality.tsc.intake-v2"))?.[0];
    assert.ok(intake && movedIntake);
    assert.notEqual(movedIntake, intake, "a project at another path of the tree is another project");
  });

  test("two checkouts of one project (an edit, a fault) share their volumes: that is where reuse pays", async () => {
    const edited = stackTree({ "apps/web/views.py": "print('edited')\n" });
    assert.deepEqual([...toolVolumes(await plan(edited)).keys()], [...toolVolumes(await plan(stackTree())).keys()]);
  });

  test("the repository identity is the names its root manifests give", async () => {
    assert.equal(await repositoryIdentity(new MemoryTree({ "pyproject.toml": '[tool.ruff]\nname = "no"\n[project]\nname = "shop"\n' })), '["shop",null]');
    assert.equal(await repositoryIdentity(new MemoryTree({ "package.json": '{"name":"@acme/sites"}' })), '[null,"@acme/sites"]');
    const unnamed = await repositoryIdentity(new MemoryTree({ "manage.py": "", "shop/settings.py": "" }));
    assert.equal(unnamed, '{"layout":["manage.py","shop/"]}', "no names: its layout, not one scope for every unnamed repository");
    assert.notEqual(unnamed, await repositoryIdentity(new MemoryTree({ "manage.py": "", "blog/settings.py": "" })));
  });

  test("ruff and mypy read their cache dirs from the environment; tsc writes its build info to its volume", async () => {
    const planned = await plan(stackTree());
    const mypy = byId(planned, "quality.mypy");
    const mounted = (path: string | undefined) => mypy.container.caches.some((c) => c.path === path);
    assert.ok(mounted(mypy.container.env.MYPY_CACHE_DIR) && mounted(mypy.container.env.RUFF_CACHE_DIR));
    const tsc = byId(planned, "quality.tsc.intake");
    const file = tsc.command[tsc.command.indexOf("--tsBuildInfoFile") + 1] ?? "";
    assert.ok(tsc.command.includes("--incremental"));
    assert.ok(tsc.container.caches.some((c) => file.startsWith(`${c.path}/`)), `${file} is on a cache volume`);
    assert.deepEqual(tsc.command.slice(0, 4), ["npx", "--no", "--", "tsc"], "npx passes every flag on to tsc");
  });

  test("ruff's and mypy's containers end by setting each Python file's mtime from its contents", async () => {
    const planned = await plan(stackTree());
    const last = (id: string) => byId(planned, id).container.layers.at(-1);
    const layer = last("quality.mypy");
    assert.deepEqual(last("quality.ruff-check"), layer);
    assert.deepEqual(last("quality.ruff-format"), layer);
    assert.notDeepEqual(last("test.pytest"), layer, "other checks do not pay for it");
    assert.ok(layer?.kind === "exec");
    const [, flag, script] = layer.args;
    assert.equal(flag, "-c");
    const python = await promisify(execFile)("python3", ["--version"]).then(
      () => true,
      () => false,
    );
    if (!python) return;
    const dir = await mkdtemp(join(tmpdir(), "predeploy-mtimes-"));
    try {
      await writeFile(join(dir, "a.py"), "x = 1\n");
      await writeFile(join(dir, "b.py"), "x = 1\n");
      await writeFile(join(dir, "c.py"), "x = 2\n");
      await writeFile(join(dir, "notes.txt"), "x = 1\n");
      const before = (await stat(join(dir, "notes.txt"))).mtimeMs;
      await promisify(execFile)("python3", ["-c", script as string, dir]);
      const mtime = async (name: string) => (await stat(join(dir, name))).mtimeMs;
      assert.equal(await mtime("a.py"), await mtime("b.py"), "equal contents, equal mtimes");
      assert.notEqual(await mtime("a.py"), await mtime("c.py"), "same size, other contents: another mtime");
      assert.equal(await mtime("notes.txt"), before, "only Python files");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
