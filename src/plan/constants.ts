export { OUTPUT_DIR, SOURCE_ROOT, UV_VERSION } from "../model/contracts.js";

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
} as const;
export type SecretName = (typeof SECRET_NAMES)[keyof typeof SECRET_NAMES];

export const POSTGRES = { user: "predeploy", database: "predeploy", alias: "db", port: 5432 } as const;
export const BACKEND_SERVICE = { alias: "backend", port: 8000 } as const;
export const WORKER_SERVICE = { alias: "worker", port: 8787 } as const;

export const CACHE_VOLUMES = {
  pip: "predeploy-pip",
  uv: "predeploy-uv",
  npm: "predeploy-npm",
  pnpm: "predeploy-pnpm",
} as const;

export const DEFAULT_TIMEOUT_SECONDS = 600;
export const DEFAULT_LIMITS = { logTailBytes: 16_384, logTailLines: 200, maxFindings: 200, concurrency: 8 } as const;
