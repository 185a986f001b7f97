import { check, type CatalogueContext } from "./catalogue-context.js";
import { withDatabase, manage } from "./checks-python.js";
import { nodeContainer, packageBin, pythonContainer } from "./containers.js";
import { BACKEND_SERVICE, SECRET_NAMES, WORKER_SERVICE } from "./constants.js";
import type { DjangoApp, NodePackage } from "./discover.js";
import { PROBE_PATH, PROBE_SCRIPT } from "./probe.js";
import type { CheckSpec, ContainerSpec, ServiceSpec } from "./spec.js";

export const DEFAULT_E2E = {
  path: "/intake/predeploy-e2e/form",
  form: { name: "Predeploy Check", email: "e2e@predeploy.invalid", message: "End-to-end check from predeploy." },
  sql: "SELECT id FROM inbox_submission WHERE id = %(id)s AND email = %(email)s",
} as const;

/** The backend as a service: migrate the fresh database, then serve. */
function backendService(context: CatalogueContext, django: DjangoApp): ServiceSpec {
  const container = withDatabase(context, pythonContainer(django, context.config, context.images));
  const migrate = manage(django, "migrate", "--noinput").join(" ");
  const serve = manage(django, "runserver", `0.0.0.0:${BACKEND_SERVICE.port}`, "--noreload").join(" ");
  return { container, args: ["sh", "-c", `${migrate} && exec ${serve}`], ports: [BACKEND_SERVICE.port] };
}

/** The worker under `wrangler dev --local`, optionally wired to the backend service. */
function workerService(context: CatalogueContext, worker: NodePackage, backend: ServiceSpec | null): ServiceSpec {
  const base = nodeContainer(worker, context.config, context.images);
  const container: ContainerSpec = {
    ...base,
    // wrangler passes process env to the worker's bindings only when asked to; the key stays a secret.
    env: { ...base.env, CLOUDFLARE_INCLUDE_PROCESS_ENV: "true", BACKEND_URL: `http://${BACKEND_SERVICE.alias}:${BACKEND_SERVICE.port}` },
    secretEnv: { INTAKE_API_KEY: SECRET_NAMES.intakeApiKey },
    services: backend === null ? [] : [{ alias: BACKEND_SERVICE.alias, service: backend }],
  };
  const args = packageBin(worker, "wrangler", "dev", "--local", "--ip", "0.0.0.0", "--port", String(WORKER_SERVICE.port), "--show-interactive-dev-session=false");
  return { container, args, ports: [WORKER_SERVICE.port] };
}

/** A bare Python container holding only the probe. */
function probeContainer(context: CatalogueContext, services: ContainerSpec["services"]): ContainerSpec {
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

export function e2eWorker(context: CatalogueContext): NodePackage | null {
  const workers = context.stack.workers;
  const wanted = context.config.e2e.worker;
  if (wanted !== undefined) return workers.find((w) => w.name === wanted) ?? null;
  return workers.find((w) => w.name === "intake") ?? workers[0] ?? null;
}

export function verifyChecks(context: CatalogueContext, django: DjangoApp | null): CheckSpec[] {
  const checks: CheckSpec[] = [];
  let backend: ServiceSpec | null = null;
  if (django !== null) {
    backend = backendService(context, django);
    const url = `http://${BACKEND_SERVICE.alias}:${BACKEND_SERVICE.port}/health`;
    checks.push(
      check(context, {
        id: "verify.migrations",
        stage: "verify",
        title: "migrations apply on a fresh Postgres",
        container: withDatabase(context, pythonContainer(django, context.config, context.images)),
        command: manage(django, "migrate", "--noinput"),
        parser: "django-check",
        pathBase: django.projectDir,
        dependsOn: ["build.backend-image"],
      }),
      check(context, {
        id: "verify.backend-health",
        stage: "verify",
        title: "backend health",
        container: probeContainer(context, [{ alias: BACKEND_SERVICE.alias, service: backend }]),
        command: ["python", PROBE_PATH, "health", url],
        parser: "http-probe",
        dependsOn: ["verify.migrations"],
      }),
    );
  }
  for (const worker of context.stack.workers) {
    const url = `http://${WORKER_SERVICE.alias}:${WORKER_SERVICE.port}/health`;
    checks.push(
      check(context, {
        id: `verify.worker-health.${worker.name}`,
        stage: "verify",
        title: `${worker.name} worker health (wrangler dev --local)`,
        container: probeContainer(context, [{ alias: WORKER_SERVICE.alias, service: workerService(context, worker, null) }]),
        command: ["python", PROBE_PATH, "health", url],
        parser: "http-probe",
        dependsOn: [`build.worker-bundle.${worker.name}`],
      }),
    );
  }
  const worker = e2eWorker(context);
  if (django !== null && backend !== null && worker !== null) {
    const e2e = context.config.e2e;
    const spec = {
      url: `http://${WORKER_SERVICE.alias}:${WORKER_SERVICE.port}${e2e.path ?? DEFAULT_E2E.path}`,
      form: e2e.form ?? DEFAULT_E2E.form,
      expectStatus: e2e.expectStatus ?? null,
      sql: e2e.sql ?? DEFAULT_E2E.sql,
    };
    // The probe runs in the backend's environment (psycopg) and reads back from the same `db` the backend writes to.
    const container = withDatabase(context, pythonContainer(django, context.config, context.images));
    checks.push(
      check(context, {
        id: "verify.intake-e2e",
        stage: "verify",
        title: `intake end to end (form → ${worker.name} worker → backend → Postgres)`,
        container: {
          ...container,
          layers: [...container.layers, { kind: "file", path: PROBE_PATH, contents: PROBE_SCRIPT }],
          services: [...container.services, { alias: WORKER_SERVICE.alias, service: workerService(context, worker, backend) }],
        },
        command: ["python", PROBE_PATH, "intake", JSON.stringify(spec)],
        parser: "http-probe",
        dependsOn: ["verify.backend-health", `verify.worker-health.${worker.name}`],
      }),
    );
  }
  return checks;
}
