import type { Stage } from "../model/report.js";

/**
 * The checks the plan makes itself rather than from a registry entry — the backend image and the
 * verify stage's stack — as the README's check table lists them (scripts/gen-config-docs.ts
 * writes it, beside each registry entry's own `proves`).
 */
export interface CheckDoc {
  stage: Stage;
  id: string;
  proves: string;
  /** What it waits for, in words ("" when nothing). */
  waitsFor: string;
}

export const PLAN_CHECK_DOCS: readonly CheckDoc[] = [
  {
    stage: "build",
    id: "build.backend-image",
    proves:
      "the backend Dockerfile builds and Django sets up through its `manage.py` in the image's own environment (`$VIRTUAL_ENV`, a `.venv`, `uv run`, the environment Poetry made, or the system Python, whichever imports Django; the log says which); when it cannot, the summary says which Python it used, how the image's own `CMD`/`ENTRYPOINT` (read from the Dockerfile's deployed stage) would start it, and what to change (the project missing from a venv that `uv run` would sync at start-up, over the network; a module the image lacks; an environment variable the settings need: when it is unset, a value the deployment gives that predeploy was not, the check is `error`, never the project's `failed`: give it with `env` in predeploy.json or as a secret); without a Dockerfile: the production dependencies install and Django sets up",
    waitsFor: "",
  },
  {
    stage: "verify",
    id: "verify.migrations",
    proves:
      "the release step (the Procfile's or platform's `release`, else `manage.py migrate`) runs in the built image, with its backing services, on a fresh Postgres (or the `--database-url` database)",
    waitsFor: "backend image",
  },
  {
    stage: "verify",
    id: "verify.backend-health",
    proves:
      "the built image, started as the deployment starts it (its `CMD`, else the platform's, Procfile's or compose's command, through its `ENTRYPOINT`), listens on the declared port beyond loopback and answers the declared health route behind a TLS-terminating proxy's headers, beside its backing services, on a migrated database; without a declared route `/health`, the admin login or any page Django routes",
    waitsFor: "migrations (its container is built once the image is; its services start with its command)",
  },
  {
    stage: "verify",
    id: "verify.worker-health.<worker>",
    proves:
      "the worker runs under `wrangler dev --local` with its bindings and answers `/health`, or for a worker without one any status below 500 on `/`",
    waitsFor: "worker bundle",
  },
  {
    stage: "verify",
    id: "verify.intake-e2e",
    proves:
      "a form POSTed to the running worker ends as a row read back from Postgres: through the backend, or written by the worker itself (`@neondatabase/serverless`, through a local SQL-over-HTTP bridge)",
    waitsFor: "migrations and the worker bundle (it binds the running backend and worker itself, beside the health checks; its container is built once the image and bundle are; its services start with its command)",
  },
];
