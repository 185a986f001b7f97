import { backendService, deployedBackend, migratedDatabase, migrateCommand, withDatabase } from "./backend-services.js";
import { stackCheck, type CatalogueContext, type LeftOut } from "./catalogue-context.js";
import { pythonContainer } from "./containers.js";
import { BACKEND_IMAGE_CHECK, BACKEND_SERVICE, SECRET_NAMES, WORKER_SERVICE } from "./constants.js";
import type { DjangoApp, NodePackage } from "../project/discover.js";
import { BACKEND_FALLBACKS, healthProbe, PROBE_PATH, PROBE_SCRIPT, PROXY_HEADERS, WORKER_FALLBACKS, type HealthProbe } from "./probe.js";
import type { CheckSpec, ContainerSpec } from "../model/spec.js";
import { needsBackend, workerService } from "./worker-service.js";
import { backendHealth, intakeEndToEnd, migrations, workerHealth as workerHealthCheck } from "../tools/stack-checks.js";

export const DEFAULT_E2E = {
  path: "/intake/predeploy-e2e/form",
  form: { name: "Predeploy Check", email: "e2e@predeploy.invalid", message: "End-to-end check from predeploy." },
  sql: "SELECT id FROM inbox_submission WHERE id = %(id)s AND email = %(email)s",
} as const;

/** A bare Python container holding only the probe. */
export function probeContainer(context: CatalogueContext, services: ContainerSpec["services"]): ContainerSpec {
  return {
    base: { kind: "image", image: context.images.python },
    workdir: "/opt/predeploy",
    env: { PYTHONUNBUFFERED: "1" },
    secretEnv: {},
    caches: [],
    layers: [{ kind: "file", path: PROBE_PATH, contents: PROBE_SCRIPT }],
    services,
  };
}

/** The end-to-end check's worker and why it runs: declared in predeploy.json (any e2e field), else the intake contract the code has. */
export function e2eWorker(context: CatalogueContext): { worker: NodePackage; why: string } | { worker: null; why: string } {
  const { workers, intake } = context.stack;
  const e2e = context.config.e2e;
  if (Object.keys(e2e).length > 0) {
    const wanted = e2e.worker;
    const worker = wanted !== undefined ? workers.find((w) => w.name === wanted) : (workers.find((w) => w.name === "intake") ?? workers[0]);
    if (worker === undefined) return { worker: null, why: wanted !== undefined ? `e2e.worker in predeploy.json names ${wanted}, which is not a worker here` : "e2e is set in predeploy.json, but there is no worker to post to" };
    return { worker, why: wanted !== undefined ? `e2e.worker in predeploy.json: ${worker.name}` : `e2e in predeploy.json, posted to ${worker.name} (e2e.worker names another)` };
  }
  const worker = intake === null ? undefined : workers.find((w) => w.name === intake.worker);
  if (worker !== undefined && intake !== null) return { worker, why: intake.why };
  return { worker: null, why: "no end-to-end contract is declared: set e2e in predeploy.json (worker, path, form, sql) to post a form through a worker and read the row back" };
}

/**
 * The health probe of the deployed backend: the declared route (predeploy.json, a healthcheck,
 * the platform) on the port it names, else the fallbacks; asked as the platform's proxy asks.
 * A declared route on another port than the backend listens on is asked there, and said so.
 */
function backendProbe(context: CatalogueContext, django: DjangoApp): HealthProbe {
  const { health, port } = django.deployment;
  const configured = { ...context.config.backend.health, ...(health !== null ? { path: health.path } : {}) };
  const probePort = health?.port ?? port.port;
  const probe = healthProbe(`http://${BACKEND_SERVICE.alias}:${probePort}`, "backend", "backend.health", configured, BACKEND_FALLBACKS);
  const elsewhere = probePort !== port.port ? { unreachable: `${health?.why} asks port ${probePort}, but the backend listens on ${port.port} (${port.why})` } : {};
  return { ...probe, headers: { ...PROXY_HEADERS }, ...elsewhere };
}

function backendChecks(context: CatalogueContext, django: DjangoApp): CheckSpec[] {
  const probe = backendProbe(context, django);
  const sqlite = django.database.engine === "sqlite";
  const database = context.externalDatabase ? "the given database" : sqlite ? "a fresh SQLite database" : "a fresh Postgres";
  const health = django.deployment.health;
  return [
    stackCheck(context, migrations, undefined, {
      title: `migrations apply on ${database}`,
      // A Postgres of its own: the stacks of the checks prepared beside it migrate theirs at the same time.
      container: withDatabase(context, django, deployedBackend(context, django, true), "verify.migrations"),
      command: migrateCommand(django),
      pathBase: django.projectDir,
      dependsOn: [BACKEND_IMAGE_CHECK],
      why: `the deployable backend: its migrations on a database of the run (${django.database.why})`,
    }),
    stackCheck(context, backendHealth, undefined, {
      container: probeContainer(context, [{ alias: BACKEND_SERVICE.alias, service: backendService(context, django) }]),
      command: ["python", PROBE_PATH, "health", JSON.stringify(probe)],
      dependsOn: [migrations.check().id],
      // Its services (Postgres, the migrating backend, the backend) start once the image is built.
      prepareAfter: [BACKEND_IMAGE_CHECK],
      why: `the deployable backend started as it is deployed${health !== null ? `; its health route from ${health.why}` : ""}`,
    }),
  ];
}

function workerHealth(context: CatalogueContext, worker: NodePackage, django: DjangoApp | null): CheckSpec {
  const base = `http://${WORKER_SERVICE.alias}:${WORKER_SERVICE.port}`;
  const probe = healthProbe(base, "worker", `workers.${worker.name}.health`, context.config.workers[worker.name]?.health, WORKER_FALLBACKS);
  return stackCheck(context, workerHealthCheck, worker.name, {
    container: probeContainer(context, [{ alias: WORKER_SERVICE.alias, service: workerService(context, worker, django, false) }]),
    command: ["python", PROBE_PATH, "health", JSON.stringify(probe)],
    dependsOn: [`build.worker-bundle.${worker.name}`],
    why: `the worker under wrangler dev: ${worker.dir}`,
  });
}

/**
 * A form posted to the running worker ends as a row the SQL reads back, from the database
 * the worker's chain writes to: through the backend when the worker forwards to it, or
 * directly (e.g. the Neon driver through the bridge). The probe runs in the backend's
 * development environment (its Postgres driver); the migrated database is bound beside it.
 */
function e2eCheck(context: CatalogueContext, django: DjangoApp, worker: NodePackage, why: string): CheckSpec {
  const e2e = context.config.e2e;
  const spec = {
    url: `http://${WORKER_SERVICE.alias}:${WORKER_SERVICE.port}${e2e.path ?? DEFAULT_E2E.path}`,
    pathConfigured: e2e.path !== undefined,
    form: e2e.form ?? DEFAULT_E2E.form,
    expectStatus: e2e.expectStatus ?? null,
    sql: e2e.sql ?? DEFAULT_E2E.sql,
    idField: e2e.idField ?? null,
  };
  const viaBackend = needsBackend(context, worker);
  const container = pythonContainer(context, django);
  const database = context.externalDatabase ? "the given database" : "Postgres";
  return stackCheck(context, intakeEndToEnd, undefined, {
    title: `intake end to end (form → ${worker.name} worker → ${viaBackend ? "backend → " : ""}${database})`,
    container: {
      ...container,
      // The probe reads the row back from where the worker's chain writes: the run's database, or the given one.
      secretEnv: { ...container.secretEnv, DATABASE_URL: SECRET_NAMES.databaseUrl },
      layers: [...container.layers, { kind: "file", path: PROBE_PATH, contents: PROBE_SCRIPT }],
      services: [...container.services, ...migratedDatabase(context, django), { alias: WORKER_SERVICE.alias, service: workerService(context, worker, django, true) }],
    },
    command: ["python", PROBE_PATH, "intake", JSON.stringify(spec)],
    // Only what it cannot run without: a migrated database and a worker that bundles. It binds
    // the backend and worker services itself, so it runs beside the health checks rather
    // than after them; its stack starts while the migrations check runs (prepareAfter), so the
    // verify chain is image → migrations → the probe; a service that cannot start fails it
    // with that service's output.
    dependsOn: [migrations.check().id, `build.worker-bundle.${worker.name}`],
    // The stack starts as soon as its own inputs are built, beside the migrations check.
    prepareAfter: [BACKEND_IMAGE_CHECK, `build.worker-bundle.${worker.name}`],
    why,
  });
}

export function verifyChecks(context: CatalogueContext, django: DjangoApp | null): { checks: CheckSpec[]; leftOut: LeftOut[] } {
  const checks = django === null ? [] : backendChecks(context, django);
  checks.push(...context.stack.workers.map((worker) => workerHealth(context, worker, django)));
  const e2e = e2eWorker(context);
  if (django !== null && e2e.worker !== null) checks.push(e2eCheck(context, django, e2e.worker, e2e.why));
  const leftOut = django !== null && e2e.worker === null && context.stack.workers.length > 0 ? [{ ...intakeEndToEnd.check(), reason: e2e.why }] : [];
  return { checks, leftOut };
}
