import assert from "node:assert/strict";
import { test } from "node:test";
import { planChecks } from "../../src/plan/index.js";
import type { CheckSpec } from "../../src/plan/spec.js";
import { agencyTree, stackTree } from "../support/trees.js";

/** The exclude list of a check's last copy of the source root (its source layer). */
function sourceExcludes(check: CheckSpec | undefined): string[] {
  const copies = (check?.container.layers ?? []).flatMap((layer) => (layer.kind === "copy" && layer.copy.from === "." && layer.copy.include === undefined ? [layer.copy] : []));
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

test("in a pnpm workspace, Node checks see the whole workspace but not the Django app", async () => {
  const plan = await planChecks(agencyTree(), null);
  const nodeChecks = plan.checks.filter((c) => c.id.startsWith("build.site.") || c.id.startsWith("quality.tsc."));
  assert.ok(nodeChecks.length >= 2);
  for (const check of nodeChecks) assert.ok(sourceExcludes(check).includes("apps/web"), `${check.id} copies the Django app`);
});
