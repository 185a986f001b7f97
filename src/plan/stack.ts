import type { BackingService } from "../project/backing-services.js";
import type { DjangoApp } from "../project/discover.js";
import type { ContainerSpec, ServiceBinding, ServiceSpec } from "../model/spec.js";
import type { CatalogueContext } from "./catalogue-context.js";
import { BACKEND_SERVICE, POSTGRES, SECRET_NAMES, THROWAWAY_DATABASE_URL_SECRET } from "./constants.js";

/**
 * The services the project's declarations put beside its backend and its tests, as bindings,
 * and the environment that points the project at them the way its settings read it: the
 * throw-away Postgres under `db` and every name the project gives its database; Redis, a broker
 * or object storage from the images the project names, under the names it uses.
 */

/** Ports services listen on by default, by image, when their declaration publishes none. */
const DEFAULT_PORTS: [RegExp, number[]][] = [
  [/(^|\/)(redis|valkey|keydb)(:|@|$)/, [6379]],
  [/(^|\/)rabbitmq(:|@|$)/, [5672]],
  [/(^|\/)(minio|bitnami\/minio)(:|@|$)/, [9000]],
  [/(^|\/)(elasticsearch|opensearch)(:|@|$)/, [9200]],
  [/(^|\/)memcached(:|@|$)/, [11211]],
  [/(^|\/)(mysql|mariadb)(:|@|$)/, [3306]],
  [/(^|\/)mongo(:|@|$)/, [27017]],
  [/(^|\/)(mailpit|mailhog)(:|@|$)/, [1025]],
];

function portsOf(service: BackingService): number[] {
  if (service.ports.length > 0) return service.ports;
  if (service.kind === "redis") return [6379];
  return DEFAULT_PORTS.find(([image]) => image.test(service.image ?? ""))?.[1] ?? [];
}

/** The image the throw-away Postgres runs: the one the project declares, unless predeploy.json or the caller names one. */
function postgresImage(context: CatalogueContext, django: DjangoApp): string {
  const declared = [...django.services.verify, ...django.services.tests].find((s) => s.kind === "postgres" && s.image !== null)?.image;
  return context.imagesConfigured.postgres || declared === undefined || declared === null ? context.images.postgres : declared;
}

/** The run's throw-away Postgres for a project (null: none), from the image it declares. */
export function projectPostgres(context: CatalogueContext, django: DjangoApp | null, owner?: string): ServiceSpec {
  return django === null ? postgresService(context.images.postgres, null, owner) : postgresService(postgresImage(context, django), django.database, owner);
}

/** A throw-away Postgres, created as `database` names it (default: predeploy's names); with `owner`, an instance only that check binds. */
export function postgresService(image: string, database: { user: string; name: string } | null, owner?: string): ServiceSpec {
  return {
    name: POSTGRES.alias,
    container: {
      base: { kind: "image", image },
      env: { POSTGRES_USER: database?.user ?? POSTGRES.user, POSTGRES_DB: database?.name ?? POSTGRES.database, ...(owner !== undefined ? { PREDEPLOY_FOR: owner } : {}) },
      secretEnv: { POSTGRES_PASSWORD: SECRET_NAMES.postgresPassword },
      caches: [],
      layers: [],
      services: [],
    },
    args: [],
    ports: [POSTGRES.port],
  };
}

/**
 * The throw-away Postgres under `db` and each name the project gives it; none with SQLite, nor
 * for what is deployed when the database is external (the tests always get the run's own).
 */
export function databaseBindings(context: CatalogueContext, django: DjangoApp | null, owner?: string, forTests = false): ServiceBinding[] {
  if ((context.externalDatabase && !forTests) || django?.database.engine === "sqlite") return [];
  const service = projectPostgres(context, django, owner);
  return [...new Set([POSTGRES.alias, ...(django?.database.aliases ?? [])])].map((alias) => ({ alias, service }));
}

/** A declared service other than the database, from its own image (or Dockerfile), its environment and healthcheck. */
function backingService(service: BackingService): ServiceSpec {
  const base: ContainerSpec["base"] =
    service.image !== null ? { kind: "image", image: service.image } : { kind: "dockerfile", context: service.build?.context ?? ".", dockerfile: service.build?.dockerfile ?? "Dockerfile", ...(service.build?.target ? { target: service.build.target } : {}) };
  return {
    name: service.name,
    container: { base, env: service.environment, secretEnv: {}, caches: [], layers: [], services: [] },
    args: [],
    ports: portsOf(service),
    ...(service.healthcheck !== null ? { readiness: service.healthcheck } : {}),
  };
}

/** The bindings of the declared services other than Postgres (which `databaseBindings` provides). */
export function backingBindings(services: readonly BackingService[]): ServiceBinding[] {
  return services.filter((s) => s.kind !== "postgres").map((s) => ({ alias: s.name, service: backingService(s) }));
}

/** What the tests bind: the database under its names and the services the CI test job (or compose) gives the tests. */
export function testBindings(context: CatalogueContext, django: DjangoApp): ServiceBinding[] {
  return [...databaseBindings(context, django, undefined, true), ...backingBindings(django.services.tests)];
}

/** Where the project's settings find what the run gives them: plain values and secret names, by variable. */
export interface Wiring {
  env: Record<string, string>;
  secretEnv: Record<string, string>;
}

const HOSTS = `${BACKEND_SERVICE.alias},localhost,127.0.0.1`;

/** The first redis-kind service among `services`, by the name it is bound as. */
function redisAlias(services: readonly BackingService[]): string | null {
  return services.find((s) => s.kind === "redis")?.name ?? null;
}

/**
 * The environment the project's settings read, pointed at the run's services: the database's
 * URL and parts, the secret key under every name the settings read one, the allowed hosts, and the
 * Redis URLs and hosts (when a Redis is bound). `services` are the ones bound beside it; the tests
 * always reach the run's own database, what is deployed the external one when the caller gave one.
 */
export function wiring(context: CatalogueContext, django: DjangoApp, services: readonly BackingService[], forTests = false): Wiring {
  const settings = django.settings;
  const database = django.database;
  const env: Record<string, string> = { ALLOWED_HOSTS: HOSTS };
  const secretEnv: Record<string, string> = { SECRET_KEY: SECRET_NAMES.secretKey, INTAKE_API_KEY: SECRET_NAMES.intakeApiKey };
  for (const name of settings?.allowedHostsVars ?? []) env[name] = HOSTS;
  for (const name of (settings?.envRead ?? []).filter((n) => /SECRET_KEY$/.test(n))) secretEnv[name] = SECRET_NAMES.secretKey;
  if (database.engine === "postgresql") {
    const own = forTests || !context.externalDatabase;
    for (const name of database.urlVars) secretEnv[name] = context.externalDatabase && forTests ? THROWAWAY_DATABASE_URL_SECRET : SECRET_NAMES.databaseUrl;
    if (own) {
      for (const name of database.parts.host) env[name] = POSTGRES.alias;
      for (const name of database.parts.port) env[name] = String(POSTGRES.port);
      for (const name of database.parts.name) env[name] = database.name;
      for (const name of database.parts.user) env[name] = database.user;
      for (const name of database.parts.password) secretEnv[name] = SECRET_NAMES.postgresPassword;
    }
  }
  const redis = redisAlias(services);
  if (redis !== null) {
    for (const name of settings?.cacheVars ?? []) {
      if (/_(URL|LOCATION|URI|DSN)$/.test(name)) env[name] = `redis://${redis}:6379/0`;
      else if (/_HOST$/.test(name)) env[name] = redis;
      else if (/_PORT$/.test(name)) env[name] = "6379";
    }
  }
  return { env, secretEnv };
}

/**
 * The development compose setup's environment for the test stage: but the settings module
 * (manage.py, the CI job or predeploy.json decide it) and what the wiring gives as a secret (the
 * run's database password, not the repository's development one).
 */
export function developmentTestEnv(django: DjangoApp, wires: Wiring): Record<string, string> {
  return Object.fromEntries(Object.entries(django.developmentEnv?.env ?? {}).filter(([name]) => name !== "DJANGO_SETTINGS_MODULE" && !(name in wires.secretEnv)));
}

/**
 * The CI test job's literal environment (but what the wiring gives as a secret), its `localhost`
 * references pointed at the services the run binds instead (a URL or a host on the port a bound service serves): the tests read the
 * values their CI gives them, and reach what predeploy runs.
 */
export function ciTestEnv(django: DjangoApp, bindings: readonly ServiceBinding[], wires: Wiring): Record<string, string> {
  // What the run gives as a secret (the database's password) is not also given as the CI's literal.
  const env = Object.fromEntries(Object.entries(django.declarations.ci[0]?.env ?? {}).filter(([name]) => !(name in wires.secretEnv)));
  const byPort = new Map(bindings.flatMap((b) => b.service.ports.map((port) => [port, b.alias] as const)));
  const local = /(localhost|127\.0\.0\.1)(?::(\d+))?/;
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => {
      const match = local.exec(value);
      if (match === null) return [name, value];
      const port = match[2] !== undefined ? Number(match[2]) : name.includes("REDIS") ? 6379 : POSTGRES.port;
      const alias = byPort.get(port);
      return [name, alias === undefined ? value : value.replace(local, match[2] !== undefined ? `${alias}:${match[2]}` : alias)];
    }),
  );
}

/** A container with the wiring's environment and secrets added (after its layers, where env applies). */
export function wired(container: ContainerSpec, wiringOf: Wiring): ContainerSpec {
  return { ...container, env: { ...container.env, ...wiringOf.env }, secretEnv: { ...container.secretEnv, ...wiringOf.secretEnv } };
}
