import { stackCheck, type CatalogueContext, type LeftOut } from "./catalogue-context.js";
import { nodeContainer, pythonContainer } from "./containers.js";
import { SECRET_NAMES } from "./constants.js";
import { DEFAULT_E2E, e2eWorker, probeContainer } from "./checks-verify.js";
import { BACKEND_FALLBACKS, healthProbe, PROBE_PATH, PROBE_SCRIPT, WORKER_FALLBACKS, type HealthProbe } from "./probe.js";
import { Environment } from "../model/config.js";
import type { CheckSpec } from "../model/spec.js";
import type { NodePackage } from "../project/discover.js";
import { program } from "../programs/index.js";
import { shellQuote } from "../project/shell-quote.js";
import { siteBuildScript } from "../tools/node-tools.js";
import { SITE_PAGES_LAYER } from "../tools/site-links.js";
import { deployedBackendHealth, deployedIntake, deployedSitePages, deployedWorkerHealth } from "../tools/stack-checks.js";
import type { StackCheck } from "../tools/types.js";

/** What `smoke` was asked: the environment's name and URLs the caller gives, which win over its predeploy.json entry. */
export interface SmokeRequest {
  environment: string;
  backend?: string;
  workers?: Record<string, string>;
  sites?: Record<string, string>;
  settleSeconds?: number;
  /** Problems with the arguments, said in the report (e.g. a --worker-url without NAME=). */
  problems?: string[];
}

/** What `smoke`'s arguments ask, the same from the module and the harness. */
export function smokeRequest(environment: string, backend: string | undefined, workerUrls: readonly string[], siteUrls: readonly string[], settleSeconds: number | undefined): SmokeRequest {
  const workers = namedUrls(workerUrls, "--worker-url");
  const sites = namedUrls(siteUrls, "--site-url");
  return {
    environment,
    ...(backend !== undefined ? { backend } : {}),
    workers: workers.urls,
    sites: sites.urls,
    ...(settleSeconds !== undefined ? { settleSeconds } : {}),
    problems: [...workers.problems, ...sites.problems],
  };
}

/** `NAME=URL` arguments (`--worker-url intake=https://…`) as a map; an entry without a name is a problem naming the flag. */
function namedUrls(values: readonly string[], flag: string): { urls: Record<string, string>; problems: string[] } {
  const urls: Record<string, string> = {};
  const problems: string[] = [];
  for (const value of values) {
    const at = value.indexOf("=");
    if (at <= 0) problems.push(`${flag} ${JSON.stringify(value)}: must be NAME=URL, e.g. ${flag} intake=https://intake.staging.example.com`);
    else urls[value.slice(0, at)] = value.slice(at + 1);
  }
  return { urls, problems };
}

/** How long a just-deployed part may take to answer when neither predeploy.json nor the caller says. */
export const DEFAULT_SETTLE_SECONDS = 60;

const PAGES_PROBE_PATH = "/opt/predeploy/pages-probe.mjs";

/** The smoke form: the intake contract's, recognisable by the run's marker in its message. */
const SMOKE_FORM = { ...DEFAULT_E2E.form, name: "Predeploy Smoke", message: "Smoke check from predeploy after a deploy ({marker})." };

type Planned = { checks: CheckSpec[]; leftOut: LeftOut[]; unprobed: { spec: CheckSpec; reason: string }[]; errors: string[] };

/** The environment's URLs: predeploy.json's entry with the caller's URLs over it, validated once. */
function resolveEnvironment(context: CatalogueContext, request: SmokeRequest): { environment: Environment; errors: string[] } {
  const configured = context.config.environments[request.environment];
  const given = {
    ...(request.backend !== undefined ? { backend: request.backend } : {}),
    ...(request.settleSeconds !== undefined ? { settleSeconds: request.settleSeconds } : {}),
  };
  const merged = { ...configured, ...given, workers: { ...configured?.workers, ...request.workers }, sites: { ...configured?.sites, ...request.sites } };
  const parsed = Environment.safeParse(merged);
  if (!parsed.success) {
    return { environment: {}, errors: parsed.error.issues.map((issue) => `smoke --env ${request.environment}: ${issue.path.join(".")}: ${issue.message} (from the arguments or environments.${request.environment} in predeploy.json)`) };
  }
  const errors: string[] = [];
  const known = Object.keys(context.config.environments);
  const anyUrl = parsed.data.backend !== undefined || Object.keys(parsed.data.workers ?? {}).length > 0 || Object.keys(parsed.data.sites ?? {}).length > 0;
  if (!anyUrl) {
    errors.push(
      configured === undefined
        ? `smoke --env ${request.environment}: predeploy.json has no environments.${request.environment}${known.length > 0 ? ` (it has ${known.join(", ")})` : ""}; add it with the deployed URLs, or pass --backend-url, --worker-url NAME=URL or --site-url NAME=URL`
        : `smoke --env ${request.environment}: environments.${request.environment} in predeploy.json names no URL; add backend, workers or sites`,
    );
  }
  for (const [kind, names, parts] of [["workers", Object.keys(parsed.data.workers ?? {}), context.stack.workers], ["sites", Object.keys(parsed.data.sites ?? {}), context.stack.sites]] as const) {
    const unknown = names.filter((name) => !parts.some((part) => part.name === name));
    if (unknown.length > 0) errors.push(`smoke --env ${request.environment}: ${kind} ${unknown.join(", ")} are not ${kind} of this repository (it has ${parts.map((p) => p.name).join(", ") || "none"}); fix the name or remove the URL`);
  }
  return { environment: parsed.data, errors };
}

/** A health route asked at the deployed URL, as a browser asks it: no proxy headers, redirects followed, retried within the settle time. */
function liveProbe(base: string, what: HealthProbe["what"], configKey: string, configured: Parameters<typeof healthProbe>[3], fallbacks: HealthProbe["fallbacks"], settleSeconds: number): HealthProbe & { settleSeconds: number } {
  return { ...healthProbe(base.replace(/\/+$/, ""), what, configKey, configured, fallbacks), settleSeconds };
}

function healthCheck(context: CatalogueContext, entry: StackCheck, name: string | undefined, title: string, probe: HealthProbe, why: string): CheckSpec {
  return stackCheck(context, entry, name, { title, container: probeContainer(context, []), command: ["python", PROBE_PATH, "health", JSON.stringify(probe)], why });
}

/** Builds the site as `build.site.<name>` does, then fetches each page it produced from the deployed site. */
function sitePages(context: CatalogueContext, site: NodePackage, base: string, settleSeconds: number): CheckSpec {
  const { script, output } = siteBuildScript(site, context.config.paths.siteOutput ?? "dist");
  const container = nodeContainer(context, site);
  const spec = JSON.stringify({ base, settleSeconds });
  return stackCheck(context, deployedSitePages, site.name, {
    title: `${site.name} site: the built pages at ${base || "(no URL)"}`,
    container: { ...container, layers: [...container.layers, SITE_PAGES_LAYER, { kind: "file", path: PAGES_PROBE_PATH, contents: program("pages-probe.mjs") }] },
    // The build's output goes to stderr: the parser reads the probe's JSON lines on stdout.
    command: ["sh", "-c", `{ ${script}; } >&2 && node ${PAGES_PROBE_PATH} ${shellQuote([output, spec])}`],
    pathBase: site.dir,
    why: `every page the site's build produces (${output}), fetched from the deployed site`,
  });
}

/**
 * The intake form posted to the deployed worker with the run's marker; read back where the
 * caller gave the environment's database (it runs in the backend's development environment,
 * for its Postgres driver), else posted only and said so.
 */
function intakeCheck(context: CatalogueContext, worker: NodePackage, base: string, settleSeconds: number, marker: string, why: string): CheckSpec {
  const e2e = context.config.e2e;
  const django = context.stack.django;
  const readBack = context.externalDatabase && django !== null;
  const spec = {
    url: `${base.replace(/\/+$/, "")}${e2e.path ?? DEFAULT_E2E.path}`,
    pathConfigured: e2e.path !== undefined,
    form: e2e.form ?? SMOKE_FORM,
    expectStatus: e2e.expectStatus ?? null,
    sql: e2e.sql ?? DEFAULT_E2E.sql,
    idField: e2e.idField ?? null,
    settleSeconds,
    marker,
    readBack,
    noReadBack: django === null ? "there is no backend whose environment has a Postgres driver" : "no database URL was given for this environment (pass --database-url)",
  };
  const container = readBack ? pythonContainer(context, django) : probeContainer(context, []);
  return stackCheck(context, deployedIntake, undefined, {
    title: `intake end to end at ${base || "(no URL)"} (marker ${marker})`,
    container: {
      ...container,
      secretEnv: readBack ? { ...container.secretEnv, DATABASE_URL: SECRET_NAMES.databaseUrl } : container.secretEnv,
      layers: readBack ? [...container.layers, { kind: "file", path: PROBE_PATH, contents: PROBE_SCRIPT }] : container.layers,
      // Nothing of the run's own stack: the probe asks the deployed one.
      services: [],
    },
    command: ["python", PROBE_PATH, "intake", JSON.stringify(spec)],
    why,
  });
}

/**
 * The smoke stage: the verify stage's probes against a deployed environment. A part the
 * environment names no URL for is not probed, and the report says so; `marker` makes the
 * end-to-end submission recognisable in the environment's data.
 */
export function smokeChecks(context: CatalogueContext, request: SmokeRequest, marker: string): Planned {
  const { environment, errors } = resolveEnvironment(context, request);
  const settle = environment.settleSeconds ?? DEFAULT_SETTLE_SECONDS;
  const name = request.environment;
  const planned: Planned = { checks: [], leftOut: [], unprobed: [], errors: [...(request.problems ?? []), ...errors] };
  const add = (spec: CheckSpec, url: string | undefined, missing: string) => {
    if (url !== undefined) planned.checks.push(spec);
    else planned.unprobed.push({ spec, reason: `environments.${name} names no URL for ${missing}` });
  };
  const django = context.stack.django;
  if (django !== null) {
    const base = environment.backend ?? "";
    const configured = { ...context.config.backend.health, ...(django.deployment.health !== null ? { path: django.deployment.health.path } : {}) };
    const probe = liveProbe(base, "backend", "backend.health", configured, BACKEND_FALLBACKS, settle);
    add(healthCheck(context, deployedBackendHealth, undefined, `backend health at ${base || "(no URL)"}`, probe, `the deployed backend's health route`), environment.backend, "the backend (add backend, or pass --backend-url)");
  }
  for (const worker of context.stack.workers) {
    const base = environment.workers?.[worker.name];
    const probe = liveProbe(base ?? "", "worker", `workers.${worker.name}.health`, context.config.workers[worker.name]?.health, WORKER_FALLBACKS, settle);
    add(healthCheck(context, deployedWorkerHealth, worker.name, `${worker.name} worker health at ${base ?? "(no URL)"}`, probe, `the deployed worker ${worker.dir}`), base, `the worker ${worker.name} (add workers.${worker.name}, or pass --worker-url ${worker.name}=URL)`);
  }
  for (const site of context.stack.sites) {
    const base = environment.sites?.[site.name];
    add(sitePages(context, site, base ?? "", settle), base, `the site ${site.name} (add sites.${site.name}, or pass --site-url ${site.name}=URL)`);
  }
  const e2e = e2eWorker(context);
  if (e2e.worker !== null) {
    const base = environment.workers?.[e2e.worker.name];
    add(intakeCheck(context, e2e.worker, base ?? "", settle, marker, e2e.why), base, `the worker ${e2e.worker.name} the end-to-end form is posted to`);
  } else if (context.stack.workers.length > 0) {
    planned.leftOut.push({ ...deployedIntake.check(), reason: e2e.why });
  }
  return planned;
}
