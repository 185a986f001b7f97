import { backendImage } from "../tools/stack-checks.js";
export const DEFAULT_IMAGES = {
  python: "python:3.13-slim",
  node: "node:22-slim",
  postgres: "postgres:17",
} as const;

/** Secrets every run has: passed by the caller as Dagger secrets, or random per run. */
export const SECRET_NAMES = {
  secretKey: "secretKey",
  intakeApiKey: "intakeApiKey",
  postgresPassword: "postgresPassword",
  databaseUrl: "databaseUrl",
  /** What a worker using the Neon driver is given: the database's credentials at the Neon bridge's host. */
  neonDatabaseUrl: "neonDatabaseUrl",
  /** The run's CA (PEM) that signed the Neon bridge's certificate; workers trust it. */
  neonBridgeCa: "neonBridgeCa",
  neonBridgeTlsCert: "neonBridgeTlsCert",
  neonBridgeTlsKey: "neonBridgeTlsKey",
  /** The run's id: every service writes its log in the run's own folder (src/run/runtime.ts). */
  run: "predeployRun",
} as const;
export type SecretName = (typeof SECRET_NAMES)[keyof typeof SECRET_NAMES];

/**
 * The run's own Postgres (`db`) URL, which pytest uses when `databaseUrl` is an external
 * database; only plans with `externalDatabase` name it, so the run must provide it then.
 */
export const THROWAWAY_DATABASE_URL_SECRET = "throwawayDatabaseUrl";

export const POSTGRES = { user: "predeploy", database: "predeploy", alias: "db", port: 5432 } as const;
/** The backend image builds and Django sets up in it: what every check in the built image waits for. */
export const BACKEND_IMAGE_CHECK = backendImage.check().id;
export const BACKEND_SERVICE = { alias: "backend", port: 8000 } as const;
export const WORKER_SERVICE = { alias: "worker", port: 8787 } as const;
/** Applies the migrations (a one-shot service): services that need a migrated database bind it. */
export const MIGRATE_SERVICE = { alias: "migrate" } as const;

export const CACHE_VOLUMES = {
  pip: "predeploy-pip",
  uv: "predeploy-uv",
  npm: "predeploy-npm",
  pnpm: "predeploy-pnpm",
} as const;

export const DEFAULT_TIMEOUT_SECONDS = 600;
export const DEFAULT_LIMITS = { logTailBytes: 16_384, logTailLines: 200, maxFindings: 200, concurrency: 8 } as const;
