import { CACHE_VOLUMES, POSTGRES, SECRET_NAMES } from "./constants.js";
import type { Images } from "./containers.js";
import { program } from "../programs/index.js";
import type { ServiceSpec } from "../model/spec.js";

/**
 * A local stand-in for Neon's SQL-over-HTTP endpoint, for workers that write to Postgres
 * with `@neondatabase/serverless`'s `neon()`. The driver sends each query to
 * `https://<host>/sql`, where <host> is the connection string's host with its first label
 * replaced by `api.` when it has a dot (0.10 and 1.x; older versions used the host as is).
 * A host without a dot is used as is by every version, so the worker is given
 * `postgresql://…@neon/<db>` and reaches the bridge's alias on port 443, over HTTPS with a
 * certificate signed by the run's own CA, which the worker's runtime is told to trust.
 */
export const NEON_BRIDGE = { alias: "neon", port: 443 } as const;

export const NEON_BRIDGE_DIR = "/opt/predeploy/neon-bridge";
export const NEON_BRIDGE_SCRIPT_PATH = `${NEON_BRIDGE_DIR}/bridge.mjs`;
/** node-postgres, pinned: the bridge's only dependency. */
export const NEON_BRIDGE_PG_VERSION = "8.23.1";

/** The worker-side environment variable that carries the CA (PEM) into the container. */
export const NEON_BRIDGE_CA_ENV = "PREDEPLOY_NEON_BRIDGE_CA";
/** Where the worker's service writes the trust bundle NODE_EXTRA_CA_CERTS names. */
export const NEON_BRIDGE_CA_FILE = "/tmp/predeploy-neon-bridge-ca.pem";

/** The connection string a worker is given: the database's credentials, the bridge's host. */
export function neonBridgeConnectionString(databaseUrl: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(databaseUrl)?.[0] ?? "";
  // Parsed as http: so that user, password, host and path are read the way the driver reads them.
  const url = new URL(`http:${databaseUrl.slice(scheme.length)}`);
  url.hostname = NEON_BRIDGE.alias;
  url.port = "";
  url.search = "";
  return `postgresql:${url.href.slice("http:".length)}`;
}

/** The bridge as a service: node-postgres installed by a cached layer, the run's TLS and database as secrets. */
/** `postgres`: the run's throw-away database it serves, bound as `db`. */
export function neonBridgeService(images: Images, postgres: ServiceSpec): ServiceSpec {
  return {
    name: NEON_BRIDGE.alias,
    container: {
      base: { kind: "image", image: images.node },
      workdir: NEON_BRIDGE_DIR,
      env: { NPM_CONFIG_UPDATE_NOTIFIER: "false", NEON_BRIDGE_PORT: String(NEON_BRIDGE.port) },
      secretEnv: {
        DATABASE_URL: SECRET_NAMES.databaseUrl,
        NEON_BRIDGE_TLS_KEY: SECRET_NAMES.neonBridgeTlsKey,
        NEON_BRIDGE_TLS_CERT: SECRET_NAMES.neonBridgeTlsCert,
      },
      caches: [{ path: "/root/.npm", volume: CACHE_VOLUMES.npm }],
      layers: [
        { kind: "exec", args: ["npm", "install", "--prefix", NEON_BRIDGE_DIR, "--no-audit", "--no-fund", `pg@${NEON_BRIDGE_PG_VERSION}`] },
        { kind: "file", path: NEON_BRIDGE_SCRIPT_PATH, contents: program("neon-bridge.mjs") },
      ],
      services: [{ alias: POSTGRES.alias, service: postgres }],
    },
    args: ["node", NEON_BRIDGE_SCRIPT_PATH],
    ports: [NEON_BRIDGE.port],
  };
}

/**
 * Runs before the worker's own command: writes the trust bundle (the image's existing
 * NODE_EXTRA_CA_CERTS file, if any, then the run's CA) and points NODE_EXTRA_CA_CERTS at it.
 * wrangler reads that variable when it starts and hands the certificates to workerd.
 */
const TRUST_SCRIPT = [
  "set -e",
  `{ if [ -r "\${NODE_EXTRA_CA_CERTS:-}" ]; then cat "$NODE_EXTRA_CA_CERTS"; echo; fi; printf '%s\\n' "$${NEON_BRIDGE_CA_ENV}"; } > ${NEON_BRIDGE_CA_FILE}`,
  `export NODE_EXTRA_CA_CERTS=${NEON_BRIDGE_CA_FILE}`,
  `unset ${NEON_BRIDGE_CA_ENV}`,
  'exec "$@"',
].join("\n");

/**
 * A worker's service (e.g. `wrangler dev --local`) wired to the bridge: the bridge bound as
 * `neon`, each of `connectionStringVars` given the bridge's connection string (a secret:
 * it holds the database password), and the run's CA trusted by the worker's runtime.
 */
export function withNeonBridge(worker: ServiceSpec, images: Images, postgres: ServiceSpec, connectionStringVars: readonly string[]): ServiceSpec {
  const connection = Object.fromEntries(connectionStringVars.map((name) => [name, SECRET_NAMES.neonDatabaseUrl]));
  return {
    ...worker,
    container: {
      ...worker.container,
      secretEnv: { ...worker.container.secretEnv, ...connection, [NEON_BRIDGE_CA_ENV]: SECRET_NAMES.neonBridgeCa },
      services: [...worker.container.services, { alias: NEON_BRIDGE.alias, service: neonBridgeService(images, postgres) }],
    },
    args: ["sh", "-c", TRUST_SCRIPT, "sh", ...worker.args],
  };
}
