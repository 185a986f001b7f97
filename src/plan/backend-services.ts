import { backendImage, DJANGO_SCRIPT_PATH } from "./backend-image.js";
import type { CatalogueContext } from "./catalogue-context.js";
import { pythonContainer } from "./containers.js";
import { manage } from "../tools/django.js";
import { BACKEND_SERVICE, MIGRATE_SERVICE } from "./constants.js";
import type { DjangoApp } from "../project/discover.js";
import type { ContainerSpec, ServiceBinding, ServiceSpec } from "../model/spec.js";
import { shellQuote } from "../project/shell-quote.js";
import { backingBindings, databaseBindings } from "./stack.js";

/**
 * The verify stage's backend runs what would be deployed: the built image when there is a
 * Dockerfile, started as the deployment declares (the image's own command, else the platform's,
 * the Procfile's or the compose service's, through the image's entrypoint), else the project's
 * production dependencies only. Its release step (the declared one, else `migrate`) runs in that
 * same environment, in a one-shot service of its own that the backend (and anything else that
 * needs the tables) binds: what binds it starts only once the database is migrated. With SQLite
 * the backend migrates its own file before it starts.
 */

export function withDatabase(context: CatalogueContext, django: DjangoApp, container: ContainerSpec, owner?: string): ContainerSpec {
  return { ...container, services: [...container.services, ...databaseBindings(context, django, owner)] };
}

/** Where the verify stage's Django runs: the built image, or the production environment. */
export function deployedBackend(context: CatalogueContext, django: DjangoApp, withScript: boolean): ContainerSpec {
  return django.dockerfile === null ? pythonContainer(context, django, "production") : backendImage(context, django, django.dockerfile, withScript);
}

/** `manage.py migrate` in the deployed environment, as a check's command. */
export function migrateCommand(django: DjangoApp): string[] {
  return django.dockerfile === null ? manage(django, "migrate", "--noinput") : ["sh", DJANGO_SCRIPT_PATH, "migrate"];
}

/** The release step: the declared one (through the image's entrypoint), else predeploy's migrate. */
function releaseCommand(django: DjangoApp): { args: string[]; useEntrypoint: boolean } {
  const release = django.deployment.release;
  return release !== null ? { args: release.argv, useEntrypoint: release.useEntrypoint } : { args: migrateCommand(django), useEntrypoint: false };
}

/** The services beside the deployed backend (Postgres under its names, Redis, a broker…). */
function verifyServices(context: CatalogueContext, django: DjangoApp): ServiceBinding[] {
  return [...databaseBindings(context, django), ...backingBindings(django.services.verify)];
}

/** Runs the release step, a one-shot job: binding it means "the tables exist" once it is ready. */
function migrateService(context: CatalogueContext, django: DjangoApp): ServiceSpec {
  const release = releaseCommand(django);
  const container = deployedBackend(context, django, true);
  return {
    name: MIGRATE_SERVICE.alias,
    container: { ...container, services: [...container.services, ...verifyServices(context, django)] },
    args: release.args,
    ports: [],
    oneShot: true,
    ...(release.useEntrypoint ? { useEntrypoint: true } : {}),
  };
}

/** The bindings that give a container a migrated database: the database (unless external or SQLite), its services, and `migrate`. */
export function migratedDatabase(context: CatalogueContext, django: DjangoApp): ServiceBinding[] {
  if (django.database.engine === "sqlite") return [];
  return [...verifyServices(context, django), { alias: MIGRATE_SERVICE.alias, service: migrateService(context, django) }];
}

/**
 * The web process: predeploy.json's command, the declared start, runserver without a Dockerfile,
 * else (no args) the image's own entrypoint and CMD. With SQLite, the release step runs first in
 * the same container, whose database file is the one the backend then serves.
 */
function webCommand(django: DjangoApp): { args: string[]; useEntrypoint: boolean } {
  const { start } = django.deployment;
  const port = django.deployment.port.port;
  const web = start !== null ? { args: start.argv, useEntrypoint: start.useEntrypoint } : { args: django.dockerfile === null ? manage(django, "runserver", `0.0.0.0:${port}`, "--noreload") : [], useEntrypoint: false };
  if (django.database.engine !== "sqlite") return web;
  const release = releaseCommand(django);
  const own = django.dockerfile?.command;
  const imageArgv = web.args.length > 0 ? web.args : own && typeof own.cmd === "object" && own.cmd !== null ? (own.cmd.form === "exec" ? own.cmd.argv : [...own.cmd.shell, own.cmd.text]) : [];
  return { args: ["sh", "-c", `${shellLine(release.args)} && exec "$@"`, "sh", ...imageArgv], useEntrypoint: web.useEntrypoint || web.args.length === 0 };
}

/** An argument list as a shell command line (a `sh -c` one as its script). */
function shellLine(argv: string[]): string {
  return argv[0] === "sh" && argv[1] === "-c" ? (argv[2] ?? "") : shellQuote(argv);
}

/** The backend as a service on a migrated database, with the services it needs, on its port. */
export function backendService(context: CatalogueContext, django: DjangoApp): ServiceSpec {
  const web = webCommand(django);
  // With SQLite its own container runs the release step first: predeploy's migrate needs django.sh there.
  const container = deployedBackend(context, django, django.database.engine === "sqlite");
  const beside = django.database.engine === "sqlite" ? backingBindings(django.services.verify) : migratedDatabase(context, django);
  return {
    name: BACKEND_SERVICE.alias,
    container: { ...container, services: [...container.services, ...beside] },
    args: web.args,
    ports: [django.deployment.port.port],
    ...(web.useEntrypoint ? { useEntrypoint: true } : {}),
  };
}

export function backendUrl(django: DjangoApp): string {
  return `http://${BACKEND_SERVICE.alias}:${django.deployment.port.port}`;
}
