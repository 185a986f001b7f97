/** Poetry projects: found by pyproject.toml + poetry.lock, installed by the Poetry that wrote the lockfile, groups chosen as uv's are. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import type { Layer } from "../../src/model/spec.js";
import { planChecks } from "../../src/plan/index.js";
import { POETRY_DEFAULT_VERSION } from "../../src/project/poetry.js";
import { MemoryTree } from "../support/host-tree.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/projects/poetry-blog");

function fixture(overrides: Record<string, string | null> = {}): MemoryTree {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(FIXTURE, path)] = readFileSync(path, "utf8");
    }
  };
  walk(FIXTURE);
  for (const [path, text] of Object.entries(overrides)) {
    if (text === null) delete files[path];
    else files[path] = text;
  }
  return new MemoryTree(files);
}

function execs(layers: readonly Layer[]): string[][] {
  return layers.flatMap((layer) => (layer.kind === "exec" ? [layer.args] : []));
}

test("the checks install every group with the Poetry that wrote poetry.lock; the backend without a Dockerfile gets the main group only", async () => {
  const plan = await planChecks(fixture(), null);
  assert.deepEqual(plan.errors, []);
  const pytest = plan.checks.find((c) => c.id === "test.pytest");
  assert.ok(pytest);
  const installs = execs(pytest.container.layers);
  assert.ok(installs.some((args) => args.includes("poetry==2.2.1")), JSON.stringify(installs));
  const install = installs.find((args) => args.includes("install") && args.some((a) => a.endsWith("/bin/poetry")));
  assert.ok(install, JSON.stringify(installs));
  assert.deepEqual(install.slice(install.indexOf("--no-root")), ["--no-root", "--no-interaction", "--all-extras", "--with", "dev"]);
  assert.ok(install.includes("VIRTUAL_ENV=/venv"), "Poetry installs into the checks' environment, not one of its own");

  const image = plan.checks.find((c) => c.id === "build.backend-image");
  assert.ok(image);
  const production = execs(image.container.layers).find((args) => args.includes("--no-root"));
  assert.deepEqual(production?.slice(production.indexOf("--no-root")), ["--no-root", "--no-interaction", "--only", "main"]);
  assert.ok(plan.checks.some((c) => c.id === "quality.ruff-check" && c.command.join(" ").includes("ruff")));
  assert.match(plan.checks.find((c) => c.id === "quality.ruff-check")?.why ?? "", /ruff==0\.8\.6/, "the linter stands alone at the version poetry.lock pins");
});

test("a lockfile from a Poetry before dependency groups is installed by the default Poetry; predeploy.json's groups narrow the install", async () => {
  const lock = readFileSync(join(FIXTURE, "poetry.lock"), "utf8").replace(/Poetry 2\.2\.1/, "Poetry 1.1.15");
  const plan = await planChecks(fixture({ "poetry.lock": lock }), JSON.stringify({ python: { groups: [], extras: [] } }));
  assert.deepEqual(plan.errors, []);
  const pytest = plan.checks.find((c) => c.id === "test.pytest");
  assert.ok(pytest);
  const installs = execs(pytest.container.layers);
  assert.ok(installs.some((args) => args.includes(`poetry==${POETRY_DEFAULT_VERSION}`)), JSON.stringify(installs));
  const install = installs.find((args) => args.includes("--no-root")) ?? [];
  assert.deepEqual(install.slice(install.indexOf("--no-root")), ["--no-root", "--no-interaction", "--only", "main"]);
});

test("pyproject.toml without a lockfile is an error that names both lockfiles and how to write one", async () => {
  const plan = await planChecks(fixture({ "poetry.lock": null }), null);
  assert.equal(plan.checks.length, 0);
  assert.match(plan.errors.join("\n"), /no uv\.lock or poetry\.lock beside it.*\(uv lock, or poetry lock\)/);
});
