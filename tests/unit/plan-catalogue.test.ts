import assert from "node:assert/strict";
import { test } from "node:test";
import { planChecks } from "../../src/plan/index.js";
import type { CheckSpec, ContainerSpec } from "../../src/model/spec.js";
import { MemoryTree } from "../support/host-tree.js";
import { stackTree } from "../support/trees.js";

const ids = (checks: CheckSpec[]) => checks.map((c) => c.id).sort();
const byId = (checks: CheckSpec[], id: string) => {
  const found = checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id}`);
  return found;
};

test("discovery finds Django, every worker with a wrangler.toml, every built site not starting with _", async () => {
  const plan = await planChecks(stackTree(), null);
  assert.deepEqual(plan.errors, []);
  assert.ok(plan.runnable);
  assert.deepEqual(ids(plan.checks), [
    "build.backend-image",
    "build.deploy-checklist",
    "build.site.coffee-shop",
    "build.worker-bundle.intake",
    "build.worker-bundle.mailer",
    "quality.mypy",
    "quality.ruff-check",
    "quality.ruff-format",
    "quality.tsc.intake",
    "quality.tsc.mailer",
    "test.django-check",
    "test.migrations-check",
    "test.pytest",
    "test.worker-tests.intake",
    "verify.backend-health",
    "verify.intake-e2e",
    "verify.migrations",
    "verify.site-links.coffee-shop",
    "verify.worker-health.intake",
    "verify.worker-health.mailer",
  ]);
});

test("checks depend only on what they need", async () => {
  const { checks } = await planChecks(stackTree(), null);
  const roots = checks.filter((c) => c.dependsOn.length === 0).map((c) => c.id);
  assert.ok(roots.includes("quality.ruff-check") && roots.includes("test.pytest") && roots.includes("build.worker-bundle.intake"));
  assert.deepEqual(byId(checks, "verify.migrations").dependsOn, ["build.backend-image"]);
  assert.deepEqual(byId(checks, "verify.backend-health").dependsOn, ["verify.migrations"]);
  assert.deepEqual(byId(checks, "verify.worker-health.intake").dependsOn, ["build.worker-bundle.intake"]);
  assert.deepEqual(byId(checks, "verify.site-links.coffee-shop").dependsOn, ["build.site.coffee-shop"], "the links are checked once the site builds");
  assert.deepEqual(byId(checks, "verify.intake-e2e").dependsOn, ["verify.migrations", "build.worker-bundle.intake"], "the verify chain is image → migrations → end to end");
});

test("dependency installs see only the lockfiles, before the source is copied", async () => {
  const { checks } = await planChecks(stackTree(), null);
  const python = byId(checks, "quality.mypy").container;
  const firstCopy = python.layers.findIndex((l) => l.kind === "copy");
  const install = python.layers.findIndex((l) => l.kind === "exec" && l.args[0] === "uv" && l.args[1] === "sync");
  const fullCopy = python.layers.length - 1 - [...python.layers].reverse().findIndex((l) => l.kind === "copy");
  assert.ok(firstCopy < install && install < fullCopy);
  const lockCopy = python.layers[firstCopy];
  assert.ok(lockCopy?.kind === "copy");
  assert.deepEqual(lockCopy.copy.include, ["pyproject.toml", "uv.lock"]);
  const node = byId(checks, "quality.tsc.intake").container;
  const nodeLock = node.layers[0];
  assert.ok(nodeLock?.kind === "copy");
  assert.deepEqual(nodeLock.copy.include, ["package.json", "package-lock.json"]);
  assert.deepEqual(node.caches.map((c) => c.path).includes("/root/.npm"), true);
  assert.deepEqual(python.caches.map((c) => c.path).slice(0, 2), ["/root/.cache/pip", "/root/.cache/uv"]);
});

test("the backend image check builds the Dockerfile when there is one, and imports Django otherwise", async () => {
  const withDockerfile = byId((await planChecks(stackTree(), null)).checks, "build.backend-image");
  assert.deepEqual(withDockerfile.container.base, { kind: "dockerfile", context: ".", dockerfile: "apps/web/Dockerfile" });
  const without = byId((await planChecks(stackTree({ "apps/web/Dockerfile": null }), null)).checks, "build.backend-image");
  assert.deepEqual(without.container.base, { kind: "image", image: "python:3.13-slim" });
  assert.match(without.command.join(" "), /manage\.py shell -c/, "Django is set up through the project's manage.py");
});

test("secrets reach containers only as secret references, never as values", async () => {
  const { checks } = await planChecks(stackTree(), null);
  const serialized = JSON.stringify(checks);
  assert.ok(!/SECRET_KEY":"[^"]/.test(serialized.replace(/"secretEnv":\{[^}]*\}/g, "")));
  const pytest = byId(checks, "test.pytest").container;
  assert.deepEqual(pytest.secretEnv, { SECRET_KEY: "secretKey", DATABASE_URL: "databaseUrl", INTAKE_API_KEY: "intakeApiKey" });
  const db = pytest.services.find((s) => s.alias === "db");
  assert.ok(db);
  assert.deepEqual(db.service.container.secretEnv, { POSTGRES_PASSWORD: "postgresPassword" });
});

test("the end-to-end check reads back from the same database the backend writes to", async () => {
  const e2e = byId((await planChecks(stackTree(), null)).checks, "verify.intake-e2e").container;
  const aliases = (c: ContainerSpec): string[] => c.services.map((s) => s.alias);
  assert.deepEqual(aliases(e2e), ["db", "migrate", "worker"]);
  const worker = e2e.services.find((s) => s.alias === "worker")?.service;
  const backend = worker?.container.services.find((s) => s.alias === "backend")?.service;
  const backendDb = backend?.container.services.find((s) => s.alias === "db")?.service;
  assert.deepEqual(backendDb, e2e.services.find((s) => s.alias === "db")?.service);
});

test("predeploy.json overrides images, commands, timeouts and disables checks", async () => {
  const config = JSON.stringify({
    images: { python: "python:3.12-slim" },
    checks: { "quality.mypy": { command: ["mypy", "--strict", "."], timeoutSeconds: 42 }, "test.pytest": { enabled: false } },
  });
  const plan = await planChecks(stackTree(), config);
  const mypy = byId(plan.checks, "quality.mypy");
  assert.deepEqual(mypy.command, ["mypy", "--strict", "."]);
  assert.equal(mypy.timeoutMs, 42_000);
  assert.deepEqual(mypy.container.base, { kind: "image", image: "python:3.12-slim" });
  assert.ok(!plan.checks.some((c) => c.id === "test.pytest"));
  assert.deepEqual(plan.excluded.map((e) => [e.spec.id, e.reason]), [["test.pytest", "disabled in predeploy.json (checks.test.pytest.enabled)"]]);
});

test("constructor image overrides win over predeploy.json", async () => {
  const plan = await planChecks(stackTree(), JSON.stringify({ images: { node: "node:20-slim" } }), { images: { node: "node:24-slim" } });
  assert.deepEqual(byId(plan.checks, "quality.tsc.intake").container.base, { kind: "image", image: "node:24-slim" });
});

test("only and skip select checks; unknown ids are errors naming the known ones", async () => {
  const only = await planChecks(stackTree(), null, { only: ["verify.intake-e2e", "quality.mypy"] });
  assert.deepEqual(ids(only.checks), ["quality.mypy", "verify.intake-e2e"]);
  assert.deepEqual(byId(only.checks, "verify.intake-e2e").dependsOn, []);
  const skip = await planChecks(stackTree(), null, { skip: ["build.backend-image"] });
  assert.deepEqual(byId(skip.checks, "verify.migrations").dependsOn, []);
  assert.deepEqual(skip.excluded.map((e) => e.reason), ["excluded with --skip"]);
  const bad = await planChecks(stackTree(), null, { only: ["quality.mipy"] });
  assert.equal(bad.runnable, false);
  assert.match(bad.errors.join("\n"), /--only: unknown check id\(s\) quality\.mipy; run `plan` to list them \(known: .*quality\.mypy/);
});

test("a stage filter keeps that stage's checks", async () => {
  const plan = await planChecks(stackTree(), null, { stage: "verify" });
  assert.ok(plan.checks.length > 0 && plan.checks.every((c) => c.stage === "verify"));
  assert.deepEqual(byId(plan.checks, "verify.migrations").dependsOn, []);
});

test("bad input gives errors that name the input and the fix", async () => {
  const empty = await planChecks(new MemoryTree({}), null);
  assert.match(empty.errors.join("\n"), /the source directory is empty; pass the repository root with --source/);
  const nothing = await planChecks(new MemoryTree({ "README.md": "hi" }), null);
  assert.match(nothing.errors.join("\n"), /nothing to validate/);
  const noLock = await planChecks(stackTree({ "uv.lock": null, "workers/mailer/package-lock.json": null }), null);
  const text = noLock.errors.join("\n");
  assert.match(text, /pyproject\.toml has no uv\.lock or poetry\.lock beside it .*commit the lockfile \(uv lock, or poetry lock\)/);
  assert.match(text, /workers\/mailer: no package-lock\.json or pnpm-lock\.yaml; commit a lockfile/);
  assert.ok(noLock.runnable, "a missing lockfile costs that part, not the whole run");
  const missingDjango = await planChecks(stackTree(), JSON.stringify({ paths: { django: "backend" } }));
  assert.match(missingDjango.errors.join("\n"), /paths\.django is "backend" but there is no backend\/manage\.py/);
  const unknownCheck = await planChecks(stackTree(), JSON.stringify({ checks: { "quality.eslint": { enabled: false } } }));
  assert.equal(unknownCheck.runnable, false);
  assert.match(unknownCheck.errors.join("\n"), /checks has unknown check id\(s\) quality\.eslint/);
});

test("a pnpm workspace installs once from the root with every package manifest", async () => {
  const plan = await planChecks(stackTree({ "pnpm-workspace.yaml": "packages: ['workers/*', 'sites/*']\n", "pnpm-lock.yaml": "lockfileVersion: 9\n", "package.json": "{}" }), null);
  const tsc = byId(plan.checks, "quality.tsc.intake");
  const first = tsc.container.layers[0];
  assert.ok(first?.kind === "copy");
  assert.equal(first.copy.from, ".");
  assert.deepEqual(first.copy.include, ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc", ".pnpmfile.cjs", "**/package.json"]);
  assert.deepEqual(tsc.command.slice(0, 4), ["pnpm", "--dir", "workers/intake", "exec"]);
});
