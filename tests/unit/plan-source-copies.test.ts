import assert from "node:assert/strict";
import { test } from "node:test";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import { planChecks } from "../../src/plan/index.js";
import { TOOLS } from "../../src/tools/index.js";
import type { CheckSpec } from "../../src/model/spec.js";
import { agencyTree, stackTree } from "../support/trees.js";

/** The exclude list of a check's last copy of the source root (its source layer: after the install layers' lockfile copies). */
function sourceExcludes(check: CheckSpec | undefined): string[] {
  const copies = (check?.container.layers ?? []).flatMap((layer) => (layer.kind === "copy" && layer.copy.from === "." ? [layer.copy] : []));
  return copies.at(-1)?.exclude ?? [];
}

test("Python checks do not see the workers' and sites' directories: an edit there re-runs none of them", async () => {
  const plan = await planChecks(stackTree(), null);
  const workerAndSiteDirs = [...new Set(plan.checks.filter((c) => c.id.startsWith("build.worker-bundle.") || c.id.startsWith("build.site.")).map((c) => c.pathBase))];
  assert.ok(workerAndSiteDirs.length >= 2, workerAndSiteDirs.join(", "));
  for (const id of ["quality.ruff-check", "quality.mypy", "test.pytest", "test.django-check"]) {
    const excludes = sourceExcludes(plan.checks.find((c) => c.id === id));
    for (const dir of workerAndSiteDirs) assert.ok(excludes.includes(dir), `${id} copies ${dir}`);
  }
});

test("in a pnpm workspace, a Node check sees its own package and the shared ones, not the Django app nor the other workers and sites", async () => {
  const plan = await planChecks(agencyTree(), null);
  const nodeChecks = plan.checks.filter((c) => c.id.startsWith("build.site.") || c.id.startsWith("quality.tsc."));
  const packageDirs = [...new Set(nodeChecks.map((c) => c.pathBase))];
  assert.ok(packageDirs.length >= 2, packageDirs.join(", "));
  for (const check of nodeChecks) {
    const excludes = sourceExcludes(check);
    assert.ok(excludes.includes("apps/web"), `${check.id} copies the Django app`);
    assert.ok(!excludes.includes(check.pathBase), `${check.id} must see its own package`);
    for (const other of packageDirs.filter((dir) => dir !== check.pathBase)) assert.ok(excludes.includes(other), `${check.id} copies ${other}`);
    assert.ok(!excludes.some((dir) => dir.startsWith("packages/")), `${check.id} must see the shared packages`);
  }
});

test("nothing a registry tool writes into the tree is ever a check's input: the upload's ignore list holds every entry's writes", () => {
  const written = TOOLS.flatMap((tool) => tool.writes ?? []);
  assert.ok(written.length >= 5, written.join(", "));
  for (const glob of written) assert.ok(SOURCE_EXCLUDES.includes(glob), `${glob} (a tool's writes) is not in SOURCE_EXCLUDES`);
  // The rest are the repository's own: VCS, local secrets, installs and bytecode.
  const rest = SOURCE_EXCLUDES.filter((glob) => !written.includes(glob));
  assert.deepEqual(rest, [".git", "**/.env", "**/.env.*", "**/.dev.vars", "**/.dev.vars.*", "**/node_modules", "**/.venv", "**/__pycache__"]);
});
