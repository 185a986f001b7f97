import type { Stage } from "../model/report.js";
import type { CatalogueContext, LeftOut } from "./catalogue-context.js";
import { readPythonProject } from "../project/python-project.js";
import { pythonChecks } from "./checks-python.js";
import { nodeChecks } from "./checks-node.js";
import { verifyChecks } from "./checks-verify.js";
import { smokeChecks, type SmokeRequest } from "./checks-smoke.js";
import { parseConfig, type Config } from "../model/config.js";
import type { Images } from "./containers.js";
import { DEFAULT_IMAGES, DEFAULT_LIMITS } from "./constants.js";
import { WRANGLER_CONFIGS } from "../tools/wrangler.js";
import { wranglerRoutes } from "../tools/wrangler-routes.js";
import type { Stack } from "../project/discover.js";
import { discoverStack } from "../project/discover.js";
import type { SourceTree } from "../project/source-tree.js";
import { repositoryIdentity, withToolCacheScopes } from "../tools/tool-caches.js";
import { programOf } from "../model/program.js";
import type { CheckSpec } from "../model/spec.js";

export interface PlanOptions {
  /** Run only these check ids (their prerequisites are not pulled in; edges to them are dropped). */
  only?: string[];
  /** Leave these out; they are listed as skipped. */
  skip?: string[];
  /** Keep one stage's checks. */
  stage?: Stage;
  /** Image overrides from the caller (win over predeploy.json). */
  images?: Partial<Images>;
  /** Where the config came from, for messages. */
  configOrigin?: string;
  /**
   * The caller passed a database URL (secret `databaseUrl`, e.g. a Neon branch): migrations,
   * the backend, worker bindings and the end-to-end read use it and no throw-away Postgres is
   * bound, except to pytest, which keeps its own (secret `throwawayDatabaseUrl`).
   */
  externalDatabase?: boolean;
  /**
   * This run's id. With an external database the verify checks read and write state outside
   * their inputs, so their commands carry it: an engine never answers them from its cache.
   */
  runId?: string;
  /** Plan the smoke stage against this deployed environment instead of the validation. */
  smoke?: SmokeRequest;
}

/** A check the plan knows but will not run, and why. */
export interface ExcludedCheck {
  spec: CheckSpec;
  reason: string;
}

export interface Plan {
  /** What discovery found: the stack the checks were planned for (null when the inputs could not be read). */
  stack: Stack | null;
  checks: CheckSpec[];
  excluded: ExcludedCheck[];
  /** Checks of tools this project has not adopted: not run, not in the report; `plan` shows why. */
  leftOut: LeftOut[];
  /** The images the plan uses, after predeploy.json and the caller's overrides. */
  images: Images;
  /** Run-level problems, each naming the input and the fix. Any of them makes the run status `error`. */
  errors: string[];
  /** When false the checks must not run (the inputs are invalid); they are reported as skipped. */
  runnable: boolean;
  limits: { logTailBytes: number; logTailLines: number; maxFindings: number; concurrency: number };
}

export async function planChecks(tree: SourceTree, configText: string | null, options: PlanOptions = {}): Promise<Plan> {
  const parsed = parseConfig(configText, options.configOrigin);
  const config = parsed.config;
  const errors = parsed.ok ? [] : [...parsed.errors];
  const stack = withToolCacheScopes(await discoverStack(tree, config, { workerConfigs: WRANGLER_CONFIGS, workerRoutes: wranglerRoutes }), await repositoryIdentity(tree));
  errors.push(...stack.problems);
  // The Python checks run on the Python the project names (its image, .python-version, CI…), unless an image is configured.
  const declaredPython = stack.django?.python ? { python: `python:${stack.django.python.version}-slim` } : {};
  const images: Images = { ...DEFAULT_IMAGES, ...declaredPython, ...config.images, ...definedOnly(options.images ?? {}) };
  const configuredImages = { ...config.images, ...definedOnly(options.images ?? {}) };
  const imagesConfigured = Object.fromEntries(Object.keys(configuredImages).map((name) => [name, true]));
  const context: CatalogueContext = { stack, config, images, imagesConfigured, externalDatabase: options.externalDatabase === true };
  const smoke = options.smoke ? smokeChecks(context, options.smoke, `predeploy-smoke-${(options.runId ?? "plan").slice(0, 8)}`) : null;
  errors.push(...(smoke?.errors ?? []));
  const parts: CataloguePart[] = smoke !== null ? [smoke] : await validationChecks(tree, context);
  errors.push(...parts.flatMap((p) => p.problems ?? []));
  const catalogue = parts.flatMap((p) => p.checks);
  const leftOut = parts.flatMap((p) => p.leftOut);
  if (catalogue.length === 0 && stack.problems.length === 0 && smoke === null) {
    errors.push(
      "nothing to validate: no Django app (manage.py in apps/web, the root or a directory below it), no workers/*/wrangler.{toml,json,jsonc} and no sites/*/package.json with a build script; pass the repository root as --source or set paths in predeploy.json",
    );
  }
  const unprobed = (smoke?.unprobed ?? []).map(({ spec, reason }) => ({ spec: perRun(spec, options), reason }));
  const known = new Set([...catalogue, ...unprobed.map((u) => u.spec)].map((c) => c.id));
  const notAdopted = new Map(leftOut.map((l) => [l.id, l.reason]));
  // Overrides of a tool the project has not adopted are harmless: they apply if it ever is.
  // A smoke plan holds only the smoke stage: overrides of the validation's checks are not its to judge.
  const unknownConfigured = Object.keys(config.checks).filter((id) => !known.has(id) && !notAdopted.has(id) && (smoke === null || id.startsWith("smoke.")));
  if (unknownConfigured.length > 0) {
    errors.push(`predeploy.json: checks has unknown check id(s) ${unknownConfigured.join(", ")}; known ids: ${[...known].join(", ")}`);
  }
  const selection = applySelection(catalogue.map((spec) => perRun(applyOverrides(spec, config), options)), config, options, known, notAdopted);
  errors.push(...selection.errors);
  const runnable = parsed.ok && selection.errors.length === 0 && unknownConfigured.length === 0 && (smoke?.errors.length ?? 0) === 0;
  return {
    stack,
    checks: selection.checks,
    excluded: [...selection.excluded, ...unprobed.filter(({ spec }) => !(options.only?.length ?? 0) || options.only?.includes(spec.id))],
    leftOut,
    images,
    errors,
    runnable,
    limits: {
      logTailBytes: config.limits.logTailBytes ?? DEFAULT_LIMITS.logTailBytes,
      logTailLines: DEFAULT_LIMITS.logTailLines,
      maxFindings: config.limits.maxFindings ?? DEFAULT_LIMITS.maxFindings,
      concurrency: config.limits.concurrency ?? DEFAULT_LIMITS.concurrency,
    },
  };
}

/** A part of the catalogue: its checks, the tools it left out, and problems of its inputs. */
type CataloguePart = { checks: CheckSpec[]; leftOut: LeftOut[]; problems?: string[] };

/** The validation's checks: the backend's, each worker's and site's, and the verify stage. */
async function validationChecks(tree: SourceTree, context: CatalogueContext): Promise<CataloguePart[]> {
  const { stack } = context;
  const python = stack.django ? await readPythonProject(tree, stack.django) : null;
  return [
    ...(python ? [{ ...pythonChecks(context, python), problems: python.problems }] : []),
    ...stack.workers.map((w) => nodeChecks(context, w, "worker")),
    ...stack.sites.map((s) => nodeChecks(context, s, "site")),
    verifyChecks(context, stack.django),
  ];
}

/**
 * A check whose answer lives outside its inputs, made a new input each run (see PlanOptions.runId):
 * a verify check against an external database, and every smoke check (it asks a deployed environment).
 */
function perRun(spec: CheckSpec, options: PlanOptions): CheckSpec {
  const outside = spec.stage === "smoke" || (options.externalDatabase === true && spec.stage === "verify");
  if (!outside || options.runId === undefined) return spec;
  return { ...spec, command: ["env", `PREDEPLOY_FRESH=${options.runId}`, ...spec.command] };
}

function applyOverrides(spec: CheckSpec, config: Config): CheckSpec {
  const override = config.checks[spec.id];
  if (override === undefined) return spec;
  return {
    ...spec,
    command: override.command ?? spec.command,
    // A replaced command runs its own program, which a missing-tool message then names.
    ...(override.command !== undefined ? { tool: { ...spec.tool, program: programOf(override.command) } } : {}),
    timeoutMs: override.timeoutSeconds !== undefined ? override.timeoutSeconds * 1000 : spec.timeoutMs,
    container: override.env ? { ...spec.container, env: { ...spec.container.env, ...override.env } } : spec.container,
  };
}

function applySelection(catalogue: CheckSpec[], config: Config, options: PlanOptions, known: Set<string>, notAdopted: Map<string, string>) {
  const errors: string[] = [];
  for (const [flag, ids] of [["only", options.only ?? []], ["skip", options.skip ?? []]] as const) {
    const unknown = ids.filter((id) => !known.has(id) && !notAdopted.has(id));
    if (unknown.length > 0) {
      errors.push(`--${flag}: unknown check id(s) ${unknown.join(", ")}; run \`plan\` to list them (known: ${[...known].join(", ")})`);
    }
    for (const id of flag === "only" ? ids.filter((i) => notAdopted.has(i)) : []) {
      errors.push(`--only: ${id} is ${notAdopted.get(id) ?? "not adopted"}; to run it anyway set checks.${id}.enabled to true in predeploy.json`);
    }
  }
  const excluded: ExcludedCheck[] = [];
  const checks: CheckSpec[] = [];
  const only = options.only && options.only.length > 0 ? new Set(options.only) : null;
  for (const spec of catalogue) {
    if (options.stage !== undefined && spec.stage !== options.stage) continue;
    if (only !== null && !only.has(spec.id)) continue;
    if (options.skip?.includes(spec.id)) excluded.push({ spec, reason: "excluded with --skip" });
    else if (config.checks[spec.id]?.enabled === false) excluded.push({ spec, reason: `disabled in predeploy.json (checks.${spec.id}.enabled)` });
    else checks.push(spec);
  }
  // A prerequisite the caller left out is not run, so it cannot gate its dependants.
  const running = new Set(checks.map((c) => c.id));
  return { checks: checks.map((c) => ({ ...c, dependsOn: c.dependsOn.filter((d) => running.has(d)) })), excluded, errors };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}

export type { CheckSpec } from "../model/spec.js";
export type { SourceTree } from "../project/source-tree.js";
