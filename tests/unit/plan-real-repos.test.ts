import assert from "node:assert/strict";
import { test } from "node:test";
import { DJANGO_SCRIPT_PATH } from "../../src/plan/backend-image.js";
import { THROWAWAY_DATABASE_URL_SECRET } from "../../src/plan/constants.js";
import { planChecks, type PlanOptions } from "../../src/plan/index.js";
import { NEON_BRIDGE } from "../../src/plan/neon-bridge.js";
import type { HealthProbe } from "../../src/plan/probe.js";
import type { CheckSpec, ContainerSpec, Layer, ServiceSpec } from "../../src/model/spec.js";
import type { MemoryTree } from "../support/host-tree.js";
import { AGENCY_E2E, agencyTree, stackTree } from "../support/trees.js";

/** The classes of real repositories that broke predeploy's assumptions (issue 9), planned on in-memory trees. */

async function plan(tree: MemoryTree, config?: unknown, options?: PlanOptions) {
  const planned = await planChecks(tree, config === undefined ? null : JSON.stringify(config), options);
  assert.deepEqual(planned.errors, []);
  return planned.checks;
}

function byId(checks: CheckSpec[], id: string): CheckSpec {
  const found = checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id} in ${checks.map((c) => c.id).join(", ")}`);
  return found;
}

function execs(container: ContainerSpec): string[][] {
  return container.layers.flatMap((l) => (l.kind === "exec" ? [l.args] : []));
}

function binding(container: ContainerSpec, alias: string): ServiceSpec {
  const found = container.services.find((s) => s.alias === alias);
  assert.ok(found, `no service ${alias} in ${container.services.map((s) => s.alias).join(", ")}`);
  return found.service;
}

/** The binding names the worker's service writes to .dev.vars before wrangler starts. */
function devVarsNames(service: ServiceSpec): string[] {
  const script = service.args.find((arg) => arg.includes("dev-vars.mjs")) ?? "";
  const match = /dev-vars\.mjs (.*) && exec/.exec(script);
  assert.ok(match, `no .dev.vars step in ${JSON.stringify(service.args)}`);
  const [file, ...names] = (match[1] as string).split(" ").map((word) => word.replace(/^'|'$/g, ""));
  assert.equal(file, ".dev.vars");
  return names;
}

/** Every service container reachable from a container, depth first. */
function allServices(container: ContainerSpec): { alias: string; service: ServiceSpec }[] {
  return container.services.flatMap((b) => [b, ...allServices(b.service.container)]);
}

/** The plain environment a worker service's command sets (`env NAME=value … wrangler dev`). */
function commandEnv(service: ServiceSpec): Record<string, string> {
  assert.equal(service.args[0], "env");
  const env: Record<string, string> = {};
  for (const arg of service.args.slice(1)) {
    const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(arg);
    if (!match) break;
    env[match[1] as string] = match[2] as string;
  }
  return env;
}

function healthSpec(check: CheckSpec): HealthProbe {
  return JSON.parse(check.command[3] as string) as HealthProbe;
}

test("dev tools in an optional-dependency extra: every extra and group is installed for the tools", async () => {
  const checks = await plan(agencyTree());
  const sync = execs(byId(checks, "quality.mypy").container).find((args) => args[0] === "uv" && args[1] === "sync");
  assert.deepEqual(sync, ["uv", "sync", "--frozen", "--no-install-project", "--all-extras", "--all-groups"]);
});

test("python.extras and python.groups narrow the install; an empty list installs none", async () => {
  const checks = await plan(agencyTree(), { python: { extras: ["dev"], groups: [] } });
  const sync = execs(byId(checks, "quality.mypy").container).find((args) => args[1] === "sync");
  assert.deepEqual(sync, ["uv", "sync", "--frozen", "--no-install-project", "--extra", "dev", "--no-default-groups"]);
});

test("requirements files: the root's and a requirements/ directory's for the tools, the production file for the backend", async () => {
  const tree = stackTree({
    "uv.lock": null,
    "pyproject.toml": null,
    "apps/web/Dockerfile": null,
    "requirements/base.txt": "django\n",
    "requirements/dev.txt": "-r base.txt\nruff\n",
  });
  const checks = await plan(tree);
  const tools = execs(byId(checks, "test.django-tests").container).find((args) => args[1] === "pip");
  assert.deepEqual(tools, ["uv", "pip", "install", "-r", "requirements/base.txt", "-r", "requirements/dev.txt"]);
  const deployed = execs(byId(checks, "build.backend-image").container).find((args) => args[1] === "pip");
  assert.deepEqual(deployed, ["uv", "pip", "install", "-r", "requirements/base.txt"]);
  const configured = await plan(tree, { python: { requirements: ["requirements/dev.txt"], productionRequirements: ["requirements/base.txt"] } });
  const lockCopy = byId(configured, "test.django-tests").container.layers.find((l): l is Extract<Layer, { kind: "copy" }> => l.kind === "copy");
  assert.deepEqual(lockCopy?.copy.include, ["requirements/base.txt", "requirements/dev.txt"], "-r includes are copied too");
  const missing = await planChecks(tree, JSON.stringify({ python: { requirements: ["requirements/test.txt"] } }));
  assert.match(missing.errors.join("\n"), /python\.requirements names requirements\/test\.txt but there is no requirements\/test\.txt/);
});

test("a Python project beside manage.py is found when the root has none", async () => {
  const tree = stackTree({ "pyproject.toml": null, "uv.lock": null, "apps/web/pyproject.toml": "[project]\nname = 'web'\n[dependency-groups]\ndev = ['ruff']\n", "apps/web/uv.lock": "version = 1\n" });
  const check = byId(await plan(tree), "test.django-check");
  assert.equal(check.container.workdir, "/src/apps/web");
  assert.equal(check.pathBase, "apps/web");
  const lockCopy = check.container.layers.find((l): l is Extract<Layer, { kind: "copy" }> => l.kind === "copy");
  assert.deepEqual(lockCopy?.copy, { from: "apps/web", to: "/src/apps/web", include: ["pyproject.toml", "uv.lock"], exclude: lockCopy?.copy.exclude });
  assert.deepEqual(byId(await plan(tree), "test.django-check").command, ["python", "manage.py", "check"]);
});

test("manage.py chooses the settings: none is exported unless predeploy.json names one; the module it names is importable", async () => {
  const checks = await plan(agencyTree());
  const env = byId(checks, "test.django-check").container.env;
  assert.equal(env.DJANGO_SETTINGS_MODULE, undefined);
  assert.deepEqual(byId(checks, "test.django-check").command, ["python", "apps/web/manage.py", "check"]);
  assert.equal(env.PYTHONPATH, "/src/apps/web:/src");
  const configured = await plan(agencyTree(), { paths: { settingsModule: "config.settings_ci" } });
  assert.equal(byId(configured, "test.django-check").container.env.DJANGO_SETTINGS_MODULE, "config.settings_ci");
});

test("a Dockerfile backend is probed in the image's own environment, its settings left to the image", async () => {
  const check = byId(await plan(agencyTree()), "build.backend-image");
  assert.deepEqual(check.container.base, { kind: "dockerfile", context: ".", dockerfile: "apps/web/Dockerfile" });
  assert.equal(check.container.workdir, undefined, "the image's WORKDIR");
  assert.deepEqual(check.command, ["sh", DJANGO_SCRIPT_PATH, "setup"]);
  const script = check.container.layers.find((l) => l.kind === "file" && l.path === DJANGO_SCRIPT_PATH);
  assert.ok(script?.kind === "file" && script.contents.includes("uv run --no-sync python"));
  assert.equal(check.container.env.DJANGO_SETTINGS_MODULE, undefined);
  assert.deepEqual(Object.keys(check.container.secretEnv).sort(), ["DATABASE_URL", "INTAKE_API_KEY", "SECRET_KEY"]);
  const configured = byId(await plan(agencyTree(), { backend: { python: ["/app/.venv/bin/python"] } }), "build.backend-image");
  const configuredScript = configured.container.layers.find((l) => l.kind === "file");
  assert.ok(configuredScript?.kind === "file" && configuredScript.contents.startsWith("PREDEPLOY_PYTHON=/app/.venv/bin/python\n"));
});

test("with a Dockerfile, migrations and the backend run the built image: its own command on a migrated database", async () => {
  const checks = await plan(agencyTree());
  const migrations = byId(checks, "verify.migrations");
  assert.equal(migrations.container.base.kind, "dockerfile");
  assert.deepEqual(migrations.command, ["sh", DJANGO_SCRIPT_PATH, "migrate"]);
  assert.deepEqual(migrations.container.services.map((s) => s.alias), ["db"]);
  const backend = binding(byId(checks, "verify.backend-health").container, "backend");
  assert.equal(backend.container.base.kind, "dockerfile");
  assert.deepEqual(backend.args, [], "no args: the image's entrypoint and CMD");
  assert.deepEqual(backend.ports, [8000]);
  assert.deepEqual(backend.container.env, { ALLOWED_HOSTS: "backend,localhost,127.0.0.1", PORT: "8000" });
  assert.equal(backend.container.secretEnv.DATABASE_URL, "databaseUrl");
  const migrate = binding(backend.container, "migrate");
  assert.deepEqual([migrate.args, migrate.oneShot, migrate.ports], [["sh", DJANGO_SCRIPT_PATH, "migrate"], true, []], "a one-shot job: ready once it has migrated");
  assert.deepEqual(binding(migrate.container, "db"), binding(backend.container, "db"), "one database for both");
  const configured = binding(byId(await plan(agencyTree(), { backend: { command: ["gunicorn", "config.wsgi"], port: 9000 } }), "verify.backend-health").container, "backend");
  assert.deepEqual(configured.args, ["gunicorn", "config.wsgi"]);
  assert.deepEqual(configured.ports, [9000]);
});

test("without a Dockerfile the verify stage installs production dependencies only and serves with runserver", async () => {
  const checks = await plan(stackTree({ "apps/web/Dockerfile": null }));
  const backend = binding(byId(checks, "verify.backend-health").container, "backend");
  assert.deepEqual(backend.args, ["python", "apps/web/manage.py", "runserver", "0.0.0.0:8000", "--noreload"]);
  const sync = execs(backend.container).find((args) => args[1] === "sync");
  assert.deepEqual(sync, ["uv", "sync", "--frozen", "--no-install-project", "--no-default-groups"]);
  assert.deepEqual(byId(checks, "verify.migrations").command, ["python", "apps/web/manage.py", "migrate", "--noinput"]);
  assert.deepEqual(execs(byId(checks, "verify.migrations").container).find((args) => args[1] === "sync"), sync);
});

test("health: /health by default with fallbacks for apps that have none; a configured path and status are exact", async () => {
  const checks = await plan(agencyTree());
  const backend = healthSpec(byId(checks, "verify.backend-health"));
  assert.equal(backend.path, "/health");
  assert.equal(backend.expectStatus, null);
  assert.deepEqual(backend.fallbacks.map((f) => f.path), ["/admin/login/", "/"]);
  const worker = healthSpec(byId(checks, "verify.worker-health.intake"));
  assert.deepEqual(worker.fallbacks, [{ path: "/", reject: [] }]);
  const configured = await plan(agencyTree(), { backend: { health: { path: "/healthz", expectStatus: 204 } }, workers: { intake: { health: { path: "/ping" } } } });
  assert.deepEqual(healthSpec(byId(configured, "verify.backend-health")), { ...backend, path: "/healthz", expectStatus: 204, fallbacks: [] });
  assert.deepEqual(healthSpec(byId(configured, "verify.worker-health.intake")).fallbacks, []);
});

test("worker bindings: the default is BACKEND_URL and the intake key, through the backend", async () => {
  const checks = await plan(stackTree());
  const e2e = byId(checks, "verify.intake-e2e");
  const worker = binding(e2e.container, "worker");
  assert.deepEqual(commandEnv(worker), { BACKEND_URL: "http://backend:8000" });
  assert.deepEqual(devVarsNames(worker), ["BACKEND_URL", "INTAKE_API_KEY"], "every binding reaches wrangler through .dev.vars");
  assert.deepEqual(worker.container.secretEnv, { INTAKE_API_KEY: "intakeApiKey" });
  assert.ok(worker.container.services.some((s) => s.alias === "backend"));
  assert.deepEqual(e2e.dependsOn, ["verify.migrations", "build.worker-bundle.intake"]);
  assert.equal(e2e.title, "intake end to end (form → intake worker → backend → Postgres)");
});

test("worker bindings map names to the run's values; secrets stay secrets, literals are plain", async () => {
  const config = { workers: { mailer: { bindings: { API_BASE: "backendUrl", API_KEY: "intakeApiKey", DATABASE_URL: "databaseUrl", REGION: { value: "eu" } } } } };
  const checks = await plan(stackTree(), { ...config, e2e: { worker: "mailer" } });
  const worker = binding(byId(checks, "verify.intake-e2e").container, "worker");
  assert.deepEqual(commandEnv(worker), { API_BASE: "http://backend:8000", REGION: "eu" }, "the map replaces the default");
  assert.deepEqual(devVarsNames(worker), ["API_BASE", "API_KEY", "DATABASE_URL", "REGION"]);
  assert.deepEqual(worker.container.secretEnv, { API_KEY: "intakeApiKey", DATABASE_URL: "databaseUrl" });
  assert.deepEqual(worker.container.services.map((s) => s.alias).sort(), ["backend", "db"], "a worker without the Neon driver reaches db itself");
  const health = binding(byId(checks, "verify.worker-health.mailer").container, "worker");
  assert.deepEqual(health.container.services.map((s) => s.alias), ["db"], "health gets the database, not the backend's chain");
  const secret = await planChecks(stackTree(), JSON.stringify({ workers: { mailer: { bindings: { TOKEN: { value: "ghp_abcdef123456" } } } } }));
  assert.match(secret.errors.join("\n"), /workers\.mailer\.bindings\.TOKEN\.value: looks like a secret value/);
  assert.ok(!secret.errors.join("\n").includes("ghp_abcdef123456"));
});

test("a worker on the Neon driver writes through the bridge; the end-to-end check reads the same Postgres, without the backend", async () => {
  const checks = await plan(agencyTree(), { ...AGENCY_E2E, workers: { intake: { bindings: { NEON_DATABASE_URL: "databaseUrl" } } } });
  const e2e = byId(checks, "verify.intake-e2e");
  assert.equal(e2e.title, "intake end to end (form → intake worker → Postgres)");
  assert.deepEqual(e2e.dependsOn, ["verify.migrations", "build.worker-bundle.intake"]);
  const worker = binding(e2e.container, "worker");
  assert.equal(worker.container.secretEnv.NEON_DATABASE_URL, "neonDatabaseUrl");
  const bridge = binding(worker.container, NEON_BRIDGE.alias);
  assert.deepEqual(worker.container.services.map((s) => s.alias), [NEON_BRIDGE.alias]);
  assert.deepEqual(binding(bridge.container, "db"), binding(e2e.container, "db"), "the row is read from the database the bridge writes to");
  assert.ok(e2e.container.services.some((s) => s.alias === "migrate"), "the tables exist before the form is posted");
  assert.ok(!allServices(e2e.container).some((s) => s.alias === "backend"));
});

test("an external database: no throw-away Postgres except pytest's, and the Neon driver talks to it directly", async () => {
  const config = { ...AGENCY_E2E, workers: { intake: { bindings: { NEON_DATABASE_URL: "databaseUrl" } } } };
  const checks = await plan(agencyTree(), config, { externalDatabase: true });
  for (const check of checks.filter((c) => c.id !== "test.pytest")) {
    assert.ok(!allServices(check.container).some((s) => s.alias === "db" || s.alias === NEON_BRIDGE.alias), `${check.id} binds no local database`);
  }
  const pytest = byId(checks, "test.pytest").container;
  assert.ok(pytest.services.some((s) => s.alias === "db"));
  assert.equal(pytest.secretEnv.DATABASE_URL, THROWAWAY_DATABASE_URL_SECRET);
  assert.equal(byId(checks, "verify.migrations").container.secretEnv.DATABASE_URL, "databaseUrl");
  assert.equal(byId(checks, "verify.migrations").title, "migrations apply on the given database");
  const e2e = byId(checks, "verify.intake-e2e");
  assert.equal(e2e.container.secretEnv.DATABASE_URL, "databaseUrl", "the read-back uses the given URL");
  assert.equal(binding(e2e.container, "worker").container.secretEnv.NEON_DATABASE_URL, "databaseUrl");
  assert.ok(e2e.container.services.some((s) => s.alias === "migrate"), "migrations ran on the given database first");
});

test("a pnpm workspace: every package's containers, the worker services' too, share one install layer; commands reach their package with --dir", async () => {
  const planned = await plan(agencyTree(), AGENCY_E2E);
  const checks = planned.filter((c) => c.container.base.kind === "image" && c.container.base.image.startsWith("node"));
  const workerServices = planned.flatMap((c) => allServices(c.container)).filter((s) => s.alias === "worker");
  assert.ok(workerServices.length >= 2);
  const ids = checks.map((c) => c.id);
  assert.ok(["build.site.bright-dental", "build.site.northside-plumbing", "build.site.rosemary-bakery", "quality.tsc.intake"].every((id) => ids.includes(id)));
  const install = (c: ContainerSpec) => {
    const upTo = c.layers.findIndex((l) => l.kind === "exec" && l.args[0] === "pnpm" && l.args[1] === "install");
    assert.ok(upTo > 0);
    return JSON.stringify({ base: c.base, workdir: c.workdir, env: c.env, caches: c.caches, layers: c.layers.slice(0, upTo + 1) });
  };
  const first = install((checks[0] as CheckSpec).container);
  for (const check of checks) assert.equal(install(check.container), first, `${check.id} has the same install layer`);
  for (const { service } of workerServices) assert.equal(install(service.container), first, "the worker service has the same install layer");
  for (const check of checks) assert.equal(check.container.workdir, "/src");
  assert.deepEqual(byId(checks, "quality.tsc.intake").command.slice(0, 5), ["pnpm", "--dir", "workers/intake", "exec", "tsc"]);
  assert.match(byId(checks, "build.site.rosemary-bakery").command[2] ?? "", /^pnpm --dir sites\/rosemary-bakery run --silent build && .*ls -A sites\/rosemary-bakery\/dist/);
  assert.deepEqual(byId(checks, "test.site-tests.bright-dental").command, ["pnpm", "--dir", "sites/bright-dental", "run", "--silent", "test"]);
  assert.ok(!ids.some((id) => id.includes("_template")));
});

test("with an external database the verify checks carry the run's id, so a pass is never replayed from a cache; without one, nothing changes", async () => {
  const external = await plan(stackTree(), undefined, { externalDatabase: true, runId: "run-1" });
  for (const check of external.filter((c) => c.stage === "verify")) assert.deepEqual(check.command.slice(0, 2), ["env", "PREDEPLOY_FRESH=run-1"], check.id);
  for (const check of external.filter((c) => c.stage !== "verify")) assert.ok(!check.command.join(" ").includes("run-1"), check.id);
  const own = await plan(stackTree(), undefined, { runId: "run-1" });
  for (const check of own) assert.ok(!check.command.join(" ").includes("PREDEPLOY_FRESH"), check.id);
});

test("the deployed image is the Dockerfile's final stage unless backend.target names another; the root Dockerfile serves Django in a subdirectory", async () => {
  const multi = "FROM python:3.13-slim AS build\nRUN echo build\nFROM python:3.13-slim AS runtime\nCOPY . .\n";
  const plain = byId(await plan(agencyTree({ "apps/web/Dockerfile": multi })), "build.backend-image");
  assert.equal(plain.container.base.kind === "dockerfile" ? plain.container.base.target : "no dockerfile", undefined, "docker build's default: the final stage");
  const targeted = byId(await plan(agencyTree({ "apps/web/Dockerfile": multi }), { backend: { target: "build" } }), "verify.migrations");
  assert.deepEqual(targeted.container.base, { kind: "dockerfile", context: ".", dockerfile: "apps/web/Dockerfile", target: "build" });
  const root = byId(await plan(agencyTree({ "apps/web/Dockerfile": null, Dockerfile: "FROM python:3.13-slim\nCOPY apps/web /app\n" })), "build.backend-image");
  assert.deepEqual(root.container.base, { kind: "dockerfile", context: ".", dockerfile: "Dockerfile" });
});

test("the verify stacks start once their images are built, beside the migrations check, which has a Postgres of its own", async () => {
  for (const [tree, config] of [[stackTree(), undefined], [agencyTree(), AGENCY_E2E]] as const) {
    const checks = await plan(tree, config);
    const ids = new Map(checks.map((c) => [c.id, c]));
    const closure = (id: string, seen = new Set<string>()): Set<string> => {
      for (const dep of ids.get(id)?.dependsOn ?? []) if (!seen.has(dep)) closure(dep, seen.add(dep));
      return seen;
    };
    const early = checks.filter((c) => c.prepareAfter !== undefined);
    assert.deepEqual(early.map((c) => c.id).sort(), ["verify.backend-health", "verify.intake-e2e"]);
    for (const check of early) {
      for (const id of check.prepareAfter ?? []) assert.ok(closure(check.id).has(id), `${check.id}: ${id} is among what it waits for anyway`);
    }
    const migrationsDb = binding(byId(checks, "verify.migrations").container, "db");
    const e2eDb = binding(byId(checks, "verify.intake-e2e").container, "db");
    assert.notDeepEqual(migrationsDb, e2eDb, "the migrations check never migrates the database a prepared stack is migrating");
  }
});
