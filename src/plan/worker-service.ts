import { backendService, backendUrl } from "./backend-services.js";
import { databaseBindings, projectPostgres } from "./stack.js";
import type { CatalogueContext } from "./catalogue-context.js";
import type { RunValue } from "../model/config.js";
import { nodeContainer } from "./containers.js";
import { packageBin, packageDirFromWorkdir } from "../project/node-commands.js";
import { BACKEND_SERVICE, SECRET_NAMES, WORKER_SERVICE } from "./constants.js";
import type { DjangoApp, NodePackage } from "../project/discover.js";
import { withNeonBridge } from "./neon-bridge.js";
import { program } from "../programs/index.js";
import { DEV_VARS_FILE, wranglerDevArgs } from "../tools/wrangler.js";
import { join } from "../project/source-tree.js";
import { shellQuote } from "../project/shell-quote.js";
import type { ContainerSpec, ServiceBinding, ServiceSpec } from "../model/spec.js";

/**
 * A worker under `wrangler dev --local`, its bindings given the run's values through
 * `.dev.vars`, the one channel wrangler 2, 3 and 4 all read (wrangler 3 ignores
 * CLOUDFLARE_INCLUDE_PROCESS_ENV). The file is written when the service starts, from its
 * environment: secrets arrive as secret variables and never enter a layer or the image.
 */

const DEV_VARS_PATH = "/opt/predeploy/dev-vars.mjs";

type Binding = RunValue | { value: string };

/** Today's contract: the worker forwards to the backend with the intake key. */
const DEFAULT_BINDINGS: Readonly<Record<string, Binding>> = { BACKEND_URL: "backendUrl", INTAKE_API_KEY: "intakeApiKey" };

const NEON_DRIVER = "@neondatabase/serverless";

function workerBindings(context: CatalogueContext, worker: NodePackage): Record<string, Binding> {
  return context.config.workers[worker.name]?.bindings ?? DEFAULT_BINDINGS;
}

/** Binding names mapped to one run value. */
function boundTo(bindings: Record<string, Binding>, value: RunValue): string[] {
  return Object.entries(bindings)
    .filter(([, binding]) => binding === value)
    .map(([name]) => name);
}

/** Whether the worker's bindings need the backend service running (the end-to-end check then binds it). */
export function needsBackend(context: CatalogueContext, worker: NodePackage): boolean {
  return boundTo(workerBindings(context, worker), "backendUrl").length > 0;
}

/** Whether the worker reaches Postgres itself, with `@neondatabase/serverless`, through the local bridge. */
function usesNeonBridge(context: CatalogueContext, worker: NodePackage): boolean {
  return !context.externalDatabase && worker.dependencies.includes(NEON_DRIVER) && boundTo(workerBindings(context, worker), "databaseUrl").length > 0;
}

/**
 * The worker as a service. `wired` (the end-to-end check): the backend is started for
 * backendUrl bindings; otherwise (the health check) the worker gets every value and the
 * database behind databaseUrl, but not the backend's chain. Whoever needs the tables binds
 * the migrated database (`migratedDatabase`) beside it.
 */
export function workerService(context: CatalogueContext, worker: NodePackage, django: DjangoApp | null, wired: boolean): ServiceSpec {
  const base = nodeContainer(context, worker);
  const bindings = workerBindings(context, worker);
  const env: Record<string, string> = {};
  const secretEnv: Record<string, string> = {};
  for (const [name, binding] of Object.entries(bindings)) {
    if (typeof binding === "object") env[name] = binding.value;
    else if (binding === "backendUrl") env[name] = django === null ? `http://${BACKEND_SERVICE.alias}:${BACKEND_SERVICE.port}` : backendUrl(django);
    else if (binding === "intakeApiKey") secretEnv[name] = SECRET_NAMES.intakeApiKey;
    else secretEnv[name] = SECRET_NAMES.databaseUrl;
  }
  const databaseNames = boundTo(bindings, "databaseUrl");
  const bridge = usesNeonBridge(context, worker);
  const services: ServiceBinding[] = [];
  if (wired && django !== null && needsBackend(context, worker)) services.push({ alias: BACKEND_SERVICE.alias, service: backendService(context, django) });
  // The bridge binds the throw-away `db` itself; a worker with another driver reaches `db` directly.
  if (databaseNames.length > 0 && !bridge) services.push(...databaseBindings(context, django));
  // Plain values go on the command (`env NAME=value …`), not the container's env: that is
  // applied before the layers, so it would give the service its own dependency install
  // instead of the one every check of this package (or workspace) shares. Secrets come after the layers.
  const container: ContainerSpec = {
    ...base,
    layers: [...base.layers, { kind: "file", path: DEV_VARS_PATH, contents: program("dev-vars.mjs") }],
    secretEnv: { ...base.secretEnv, ...secretEnv },
    services,
  };
  const devVars = join(packageDirFromWorkdir(worker), DEV_VARS_FILE);
  const names = Object.keys(bindings);
  const writeDevVars = names.length === 0 ? "" : `node ${DEV_VARS_PATH} ${shellQuote([devVars, ...names])} && `;
  const wrangler = packageBin(worker, "wrangler", ...wranglerDevArgs(WORKER_SERVICE.port));
  const args = ["env", ...Object.entries(env).map(([name, value]) => `${name}=${value}`), "sh", "-c", `${writeDevVars}exec "$@"`, "sh", ...wrangler];
  const service: ServiceSpec = { name: WORKER_SERVICE.alias, container, args, ports: [WORKER_SERVICE.port] };
  return bridge ? withNeonBridge(service, context.images, projectPostgres(context, django), databaseNames) : service;
}
