import type { CiTestJob } from "./ci-workflow.js";
import type { Declarations } from "./declarations.js";
import { describeOrigin, type DeclaredBuild, type DeclaredService } from "./declared.js";
import type { Deployment } from "./deployment.js";

/**
 * The services the backend runs beside (Postgres, Redis, a broker, object storage), as the
 * repository declares them: for the deployed backend, the ones its compose service depends on or
 * names in its environment; for the tests, the ones the CI test job gives them. Each runs from the
 * image its declaration names, aliased by its declared name so the project's own URLs work.
 */

export type ServiceKind = "postgres" | "redis" | "other";

export interface BackingService {
  /** The name the project reaches it by (its compose or CI service name). */
  name: string;
  kind: ServiceKind;
  /** The image it runs; null: built from `build`. */
  image: string | null;
  build: DeclaredBuild | null;
  /** Its declared environment (credentials of a Postgres are predeploy's own instead). */
  environment: Record<string, string>;
  /** Its declared healthcheck, run inside it as its readiness. */
  healthcheck: string | null;
  ports: number[];
  why: string;
}

export interface BackingServices {
  /** Beside the deployed backend (the verify stack). */
  verify: BackingService[];
  /** Beside the tests. */
  tests: BackingService[];
  /** Declared, not started, and why (shown by `plan`). */
  leftOut: { name: string; why: string }[];
}

/** Postgres images by their name's last part: `postgres`, `bitnami/postgresql`, `postgis/postgis`, `pgautoupgrade/pgautoupgrade`, `timescale/timescaledb-ha`, `ankane/pgvector`, … */
const POSTGRES_IMAGE = /(^|\/)[\w.-]*(postgres|postgis|pgautoupgrade|pgvector|timescaledb)[\w.-]*(:|@|$)/i;
const REDIS_IMAGE = /(^|\/)[\w.-]*(redis|valkey|keydb|dragonfly)[\w.-]*(:|@|$)/i;
/** Tools beside a store that are not the store: exporters, admin consoles, backups, poolers. */
const NOT_A_STORE = /exporter|admin|commander|insight|backup|bouncer|operator|proxy|ui(:|@|$)/i;

/**
 * What a declared service is: by the image it pulls, or, when it is built (its `image` is then
 * the build's own tag), by its Dockerfile's path, its tag and its name.
 */
export function kindOf(service: Pick<DeclaredService, "name" | "image" | "build">): ServiceKind {
  if (service.build === null) {
    if (service.image === null || NOT_A_STORE.test(service.image)) return "other";
    if (POSTGRES_IMAGE.test(service.image)) return "postgres";
    if (REDIS_IMAGE.test(service.image)) return "redis";
    return "other";
  }
  const said = `${service.build.dockerfile} ${service.image ?? ""} ${service.name}`;
  return /postg/i.test(said) ? "postgres" : /redis|valkey/i.test(said) ? "redis" : "other";
}

/** Host names a value reaches: the host of each URL in it (`redis://redis:6379/0` → redis), or the value itself when it is a bare name. */
function hostsIn(value: string): string[] {
  const urls = [...value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([A-Za-z0-9_.-]+)/g)].map((m) => m[1] as string);
  return urls.length > 0 ? urls : /^[A-Za-z][A-Za-z0-9_.-]*$/.test(value) ? [value] : [];
}

function backing(service: DeclaredService, why: string): BackingService {
  return {
    name: service.name,
    kind: kindOf(service),
    image: service.build === null ? service.image : null,
    build: service.build,
    environment: service.environment,
    healthcheck: service.healthcheck?.command ?? null,
    ports: service.ports,
    why,
  };
}

/** The services the web service depends on or names a host of; the ones built from the backend's own Dockerfile (its workers) are not backing services. */
function composeBacking(deployment: Deployment): { services: BackingService[]; leftOut: BackingServices["leftOut"] } {
  const web = deployment.web;
  if (web === null) return { services: [], leftOut: [] };
  const reached = new Set(Object.values(web.service.environment).flatMap(hostsIn));
  const services: BackingService[] = [];
  const leftOut: BackingServices["leftOut"] = [];
  for (const service of web.file.services) {
    if (service.name === web.service.name) continue;
    const needed = web.service.dependsOn.includes(service.name) ? "depends on it" : reached.has(service.name) ? "names it in its environment" : null;
    if (needed === null) continue;
    const why = `${describeOrigin(service.from)}: ${web.service.name} ${needed}`;
    if (service.build !== null && service.build.dockerfile === deployment.image?.path) leftOut.push({ name: service.name, why: `${why}, but it runs the backend's own image (a worker): the backend's health does not wait for it` });
    else services.push(backing(service, why));
  }
  return { services, leftOut };
}

function ciBacking(job: CiTestJob): BackingService[] {
  return job.services.map((service) => backing(service, `${describeOrigin(service.from)}: the CI test job ${job.job} gives it to the tests`));
}

export function backingServicesOf(deployment: Deployment, declarations: Declarations): BackingServices {
  const compose = composeBacking(deployment);
  const [job] = declarations.ci;
  const ci = job === undefined ? [] : ciBacking(job);
  // Where the compose file says nothing about the backend, the CI test job's services are what the project runs its code with.
  const verify = deployment.web !== null ? compose.services : ci;
  return { verify, tests: job !== undefined ? ci : compose.services, leftOut: compose.leftOut };
}
