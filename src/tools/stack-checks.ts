import type { CheckIdentity, StackCheck } from "./types.js";

/**
 * The checks of the deployable stack rather than of one tool's view of the code — the backend image,
 * the verify stage's running stack, the deployed environment `smoke` asks — each defined once: its
 * identity, what a pass proves, what it waits for, the program it runs and its parser. The plan
 * builds their containers from what discovery found (plan/checks-python.ts, checks-verify.ts,
 * checks-smoke.ts); the README's check table is written from these with the registry's tools.
 */

const identity =
  (id: string, stage: CheckIdentity["stage"], title: string) =>
  (name = ""): CheckIdentity => ({ id: id.replace("<name>", name), stage, title: title.replace("<name>", name) });

export const backendImage: StackCheck = {
  environment: "image",
  ecosystem: "python",
  program: "python",
  role: "build",
  check: identity("build.backend-image", "build", "Django container"),
  parser: "django-check",
  proves:
    "the backend Dockerfile builds and Django sets up through its `manage.py` in the image's own environment (`$VIRTUAL_ENV`, a `.venv`, `uv run`, the environment Poetry made, or the system Python, whichever imports Django; the log says which); when it cannot, the summary says which Python it used, how the image's own `CMD`/`ENTRYPOINT` (read from the Dockerfile's deployed stage) would start it, and what to change (the project missing from a venv that `uv run` would sync at start-up, over the network; a module the image lacks; an environment variable the settings need: when it is unset, a value the deployment gives that predeploy was not, the check is `error`, never the project's `failed`: give it with `env` in predeploy.json or as a secret); without a Dockerfile: the production dependencies install and Django sets up",
  waitsFor: "",
};

export const migrations: StackCheck = {
  environment: "stack",
  ecosystem: "python",
  program: "python",
  role: "release",
  check: identity("verify.migrations", "verify", "migrations apply"),
  parser: "django-check",
  proves:
    "the release step (the Procfile's or platform's `release`, else `manage.py migrate`) runs in the built image, with its backing services, on a fresh Postgres (or the `--database-url` database)",
  waitsFor: "backend image",
};

export const backendHealth: StackCheck = {
  environment: "stack",
  ecosystem: "python",
  program: "python",
  role: "probe",
  check: identity("verify.backend-health", "verify", "backend health"),
  parser: "http-probe",
  proves:
    "the built image, started as the deployment starts it (its `CMD`, else the platform's, Procfile's or compose's command, through its `ENTRYPOINT`), listens on the declared port beyond loopback and answers the declared health route behind a TLS-terminating proxy's headers, beside its backing services, on a migrated database; without a declared route `/health`, the admin login or any page Django routes",
  waitsFor: "migrations (its container is built once the image is; its services start with its command)",
};

export const workerHealth: StackCheck = {
  per: "worker",
  environment: "stack",
  ecosystem: "python",
  program: "python",
  role: "probe",
  check: identity("verify.worker-health.<name>", "verify", "<name> worker health (wrangler dev --local)"),
  parser: "http-probe",
  proves: "the worker runs under `wrangler dev --local` with its bindings and answers `/health`, or for a worker without one any status below 500 on `/`",
  waitsFor: "worker bundle",
};

export const intakeEndToEnd: StackCheck = {
  environment: "stack",
  ecosystem: "python",
  program: "python",
  role: "probe",
  check: identity("verify.intake-e2e", "verify", "intake end to end"),
  parser: "http-probe",
  proves:
    "a form POSTed to the running worker ends as a row read back from Postgres: through the backend, or written by the worker itself (`@neondatabase/serverless`, through a local SQL-over-HTTP bridge)",
  waitsFor:
    "migrations and the worker bundle (it binds the running backend and worker itself, beside the health checks; its container is built once the image and bundle are; its services start with its command)",
};

export const deployedBackendHealth: StackCheck = {
  environment: "deployed",
  ecosystem: "python",
  program: "python",
  role: "probe",
  check: identity("smoke.backend-health", "smoke", "backend health"),
  parser: "http-probe",
  proves: "`smoke --env <env>` only, after a deploy: the deployed backend answers its health route (as `verify.backend-health` asks it, redirects followed), retried within the settle time",
  waitsFor: "",
};

export const deployedWorkerHealth: StackCheck = {
  per: "worker",
  environment: "deployed",
  ecosystem: "python",
  program: "python",
  role: "probe",
  check: identity("smoke.worker-health.<name>", "smoke", "<name> worker health"),
  parser: "http-probe",
  proves: "`smoke` only: the deployed worker answers its health route, retried within the settle time",
  waitsFor: "",
};

export const deployedSitePages: StackCheck = {
  per: "site",
  environment: "deployed",
  ecosystem: "node",
  program: "node",
  role: "probe",
  check: identity("smoke.site-pages.<name>", "smoke", "<name> site: the built pages"),
  parser: "http-probe",
  proves: "`smoke` only: every page the site's build produces answers 200 at the deployed site, with the build's `<title>`",
  waitsFor: "",
};

export const deployedIntake: StackCheck = {
  environment: "deployed",
  ecosystem: "python",
  program: "python",
  role: "probe",
  check: identity("smoke.intake-e2e", "smoke", "intake end to end"),
  parser: "http-probe",
  proves: "`smoke` only: the form POSTed to the deployed worker, marked with the run's marker, is accepted; with `--database-url` its row is read back",
  waitsFor: "",
};

/** In the plan's order; the README lists them by stage. */
export const STACK_CHECKS: readonly StackCheck[] = [
  backendImage,
  migrations,
  backendHealth,
  workerHealth,
  intakeEndToEnd,
  deployedBackendHealth,
  deployedWorkerHealth,
  deployedSitePages,
  deployedIntake,
];
