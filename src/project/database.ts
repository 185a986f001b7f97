import type { BackingService, BackingServices } from "./backing-services.js";
import type { Declarations } from "./declarations.js";
import type { DjangoSettingsFacts } from "./django-settings.js";

/**
 * The database the settings use, and how they read it, so that predeploy's throw-away one is
 * reached the way the project reaches its own: through the URL variables the settings read, or
 * the variables for its parts (POSTGRES_HOST, DB_NAME, …); named as the CI test job or compose
 * names it; spelt with the project's scheme. SQLite settings get no database service.
 */
export interface DatabasePlan {
  engine: "postgresql" | "sqlite";
  /** Variables set to the database's URL. */
  urlVars: string[];
  /** Variables set to its parts. */
  parts: { host: string[]; port: string[]; name: string[]; user: string[]; password: string[] };
  /** The database and user it is created with. */
  name: string;
  user: string;
  scheme: "postgres" | "postgresql";
  /** Host names the project's declarations give it (a compose or CI service's name), besides predeploy's own. */
  aliases: string[];
  /** What the plan read, for `plan`. */
  why: string;
}

const DEFAULT_NAME = "predeploy";
const NO_PARTS: DatabasePlan["parts"] = { host: [], port: [], name: [], user: [], password: [] };

/** user and database of a Postgres URL in the project's declarations (`postgres://saleor:saleor@postgres:5432/saleor`). */
function urlIdentity(value: string): { scheme: DatabasePlan["scheme"]; user: string | null; name: string | null } | null {
  const match = /^(postgres|postgresql|postgis):\/\/(?:([^:@/]+)(?::[^@/]*)?@)?[^/]*\/([A-Za-z0-9_-]+)/.exec(value);
  if (match === null) return null;
  return { scheme: match[1] === "postgresql" ? "postgresql" : "postgres", user: match[2] ?? null, name: match[3] ?? null };
}

function postgresOf(services: readonly BackingService[]): BackingService | undefined {
  return services.find((service) => service.kind === "postgres");
}

/** The settings can be given a database: they read a URL, or parts, or an engine, from the environment. */
function readsDatabase(settings: DjangoSettingsFacts): boolean {
  const { databaseUrlVars, databaseParts } = settings;
  return databaseUrlVars.length > 0 || databaseParts.host.length > 0 || databaseParts.name.length > 0 || databaseParts.engine.length > 0 || byName(settings.envRead).urlVars.length > 0;
}

const URL_BY_NAME = /^(?:[A-Z0-9]+_)*(?:DATABASE|DB)_URL$/;
const PART_BY_NAME = /^(?:[A-Z0-9]+_)?(?:POSTGRES(?:QL)?|PG|DB|DATABASE|SQL)_?(HOST|PORT|NAME|DB|DATABASE|USER|USERNAME|PASSWORD|PASS)$/;
const PART_OF: Record<string, keyof DatabasePlan["parts"]> = { HOST: "host", PORT: "port", NAME: "name", DB: "name", DATABASE: "name", USER: "user", USERNAME: "user", PASSWORD: "password", PASS: "password" };

/**
 * The database variables of settings that build DATABASES where the reader cannot follow (in a
 * function, from a helper's return), by their names among everything the settings read.
 */
function byName(envRead: readonly string[]): { urlVars: string[]; parts: DatabasePlan["parts"] } {
  const parts: DatabasePlan["parts"] = { host: [], port: [], name: [], user: [], password: [] };
  for (const name of envRead) {
    const part = PART_BY_NAME.exec(name)?.[1];
    if (part !== undefined && !/REDIS|CACHE|BROKER/.test(name)) parts[PART_OF[part] as keyof DatabasePlan["parts"]].push(name);
  }
  return { urlVars: envRead.filter((name) => URL_BY_NAME.test(name)), parts };
}

export function databasePlanOf(settings: DjangoSettingsFacts | null, services: BackingServices, declarations: Declarations): DatabasePlan {
  // SQLite only when nothing could point the settings elsewhere (a SQLite default beside DATABASE_URL is the local fallback).
  if (settings?.engine === "sqlite" && !readsDatabase(settings)) {
    return { engine: "sqlite", urlVars: [], parts: NO_PARTS, name: DEFAULT_NAME, user: DEFAULT_NAME, scheme: "postgres", aliases: [], why: `the settings use SQLite (${settings.files.map((f) => f.file).join(", ")}): no database service` };
  }
  const declaredPostgres = postgresOf(services.tests) ?? postgresOf(services.verify);
  const ciEnv = declarations.ci[0]?.env ?? {};
  const fromUrl = Object.values(ciEnv).map(urlIdentity).find((identity) => identity !== null) ?? null;
  // An empty value is a variable compose could not interpolate (`POSTGRES_DB=$DB_NAME` without its .env), not a name.
  const env = Object.fromEntries(Object.entries({ ...(declaredPostgres?.environment ?? {}), ...ciEnv }).filter(([, value]) => value !== ""));
  const user = fromUrl?.user ?? env.POSTGRES_USER ?? DEFAULT_NAME;
  const name = fromUrl?.name ?? env.POSTGRES_DB ?? (env.POSTGRES_USER !== undefined ? user : DEFAULT_NAME);
  const followed = settings !== null && (settings.databaseUrlVars.length > 0 || settings.databaseParts.host.length > 0);
  const named = settings !== null && !followed ? byName(settings.envRead) : null;
  const urlVars = settings === null ? ["DATABASE_URL"] : (named?.urlVars ?? settings.databaseUrlVars);
  const parts = named?.parts ?? settings?.databaseParts ?? NO_PARTS;
  const read = urlVars.length > 0 || parts.host.length > 0 ? [...urlVars, ...parts.host, ...parts.name, ...parts.user, ...parts.password].join(", ") : null;
  const why = [
    read === null
      ? "the settings read no database variable predeploy knows: DATABASE_URL is given"
      : named !== null
        ? `the settings read ${read} (by their names: DATABASES is built where predeploy cannot follow)`
        : `the settings read ${read}`,
    declaredPostgres !== undefined ? `named as ${declaredPostgres.why.split(":")[0]} declares (${name}, user ${user})` : null,
  ]
    .filter(Boolean)
    .join("; ");
  return {
    engine: "postgresql",
    urlVars: read === null ? ["DATABASE_URL"] : urlVars,
    parts: { host: parts.host, port: parts.port, name: parts.name, user: parts.user, password: parts.password },
    name,
    user,
    scheme: settings?.urlScheme ?? fromUrl?.scheme ?? "postgres",
    aliases: [...new Set([...services.verify, ...services.tests].filter((s) => s.kind === "postgres").map((s) => s.name))],
    why,
  };
}
