import { backendImage, backendPort, DJANGO_SCRIPT_PATH } from "./backend-image.js";
import type { CatalogueContext } from "./catalogue-context.js";
import { pythonContainer, throwawayDatabase } from "./containers.js";
import { manage } from "../tools/django.js";
import { BACKEND_SERVICE, MIGRATE_SERVICE } from "./constants.js";
import type { DjangoApp } from "../project/discover.js";
import type { ContainerSpec, ServiceBinding, ServiceSpec } from "../model/spec.js";

/**
 * The verify stage's backend runs what would be deployed: the built image when there is a
 * Dockerfile (its own entrypoint and CMD), else the project's production dependencies
 * only. Migrations run in that same environment, in a one-shot service of their own that the
 * backend (and anything else that needs the tables) binds: what binds it starts only once the
 * database is migrated, and the image's own command runs unchanged.
 */

/**
 * The run's throw-away Postgres as `db`; none when the database is external. `owner` gives a
 * check an instance of its own (equal services are one instance in Dagger).
 */
export function databaseBindings(context: CatalogueContext, owner?: string): ServiceBinding[] {
  return context.externalDatabase ? [] : [throwawayDatabase(context.images, owner)];
}

export function withDatabase(context: CatalogueContext, container: ContainerSpec, owner?: string): ContainerSpec {
  return { ...container, services: [...container.services, ...databaseBindings(context, owner)] };
}

/** Where the verify stage's Django runs: the built image, or the production environment. */
export function deployedBackend(context: CatalogueContext, django: DjangoApp, withScript: boolean): ContainerSpec {
  return django.dockerfile === null ? pythonContainer(context, django, "production") : backendImage(context, django, django.dockerfile, withScript);
}

/** `manage.py migrate` in the deployed environment, as a check's command. */
export function migrateCommand(django: DjangoApp): string[] {
  return django.dockerfile === null ? manage(django, "migrate", "--noinput") : ["sh", DJANGO_SCRIPT_PATH, "migrate"];
}

/** Migrates the database, a one-shot job: binding it means "the tables exist" once it is ready. */
function migrateService(context: CatalogueContext, django: DjangoApp): ServiceSpec {
  return { name: MIGRATE_SERVICE.alias, container: withDatabase(context, deployedBackend(context, django, true)), args: migrateCommand(django), ports: [], oneShot: true };
}

/** The bindings that give a container a migrated database: `db` (unless external) and `migrate`. */
export function migratedDatabase(context: CatalogueContext, django: DjangoApp): ServiceBinding[] {
  return [...databaseBindings(context), { alias: MIGRATE_SERVICE.alias, service: migrateService(context, django) }];
}

/** The backend as a service on a migrated database: the image's own command, predeploy.json's, or runserver. */
export function backendService(context: CatalogueContext, django: DjangoApp): ServiceSpec {
  const port = backendPort(context);
  const configured = context.config.backend.command;
  const args = configured ?? (django.dockerfile === null ? manage(django, "runserver", `0.0.0.0:${port}`, "--noreload") : []);
  const container = deployedBackend(context, django, false);
  return { name: BACKEND_SERVICE.alias, container: { ...container, services: [...container.services, ...migratedDatabase(context, django)] }, args, ports: [port] };
}

export function backendUrl(context: CatalogueContext): string {
  return `http://${BACKEND_SERVICE.alias}:${backendPort(context)}`;
}
