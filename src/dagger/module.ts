import { createHash } from "node:crypto";
import { dag, ExistsType, type Changeset, type Container, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { planChecks, type Plan, type PlanOptions } from "../plan/index.js";
import { renderPlan } from "../plan/render-plan.js";
import type { SmokeRequest } from "../plan/checks-smoke.js";
import type { Format } from "../report/render.js";
import { renderOutcome, type Outcome } from "../run/outcome.js";
import { resolveRunSecrets, type CallerSecrets } from "../run/secrets.js";
import { containedSpec, executeContained } from "../run/contained.js";
import { validateSource, type SourcePorts } from "../run/validate.js";
import { fixAndRevalidate } from "../run/fix.js";
import { DEFAULT_IMAGES } from "../plan/constants.js";
import { DaggerExecutor, releaseAbandonedWork, type Engine } from "./executor.js";
import { DaggerSourceTree } from "./source-tree.js";

/** What the module's constructor received. */
export interface ModuleInputs {
  source: Directory;
  config?: File;
  secretKey?: Secret;
  intakeApiKey?: Secret;
  databaseUrl?: Secret;
  images: { python?: string; node?: string; postgres?: string };
}

/** What a module function asks for. */
export interface RunRequest {
  format: Format;
  only: string[];
  skip: string[];
  failFast: boolean;
  stage?: PlanOptions["stage"];
  /** Probe this deployed environment (the smoke stage) instead of validating the source. */
  smoke?: SmokeRequest;
}

const CONFIG_FILE = "predeploy.json";

/** The source as checks see it: what git ignores (.env files, build output) is left out, as the module's ignore list is. */
export function visibleSource(source: Directory): Directory {
  return source.filter({ gitignore: true });
}

async function configText(inputs: ModuleInputs, source: Directory): Promise<{ text: string | null; origin: string }> {
  if (inputs.config) return { text: await inputs.config.contents(), origin: "--config file" };
  const exists = await source.exists(CONFIG_FILE, { expectedType: ExistsType.RegularType });
  return { text: exists ? await source.file(CONFIG_FILE).contents() : null, origin: CONFIG_FILE };
}

function passedSecrets(inputs: ModuleInputs): Partial<Record<keyof CallerSecrets, Secret>> {
  return {
    ...(inputs.secretKey ? { secretKey: inputs.secretKey } : {}),
    ...(inputs.intakeApiKey ? { intakeApiKey: inputs.intakeApiKey } : {}),
    ...(inputs.databaseUrl ? { databaseUrl: inputs.databaseUrl } : {}),
  };
}

/**
 * The run's secrets as Dagger secrets: the caller's as given, the rest made for this run.
 * The engine keys a secret by its name, so each is named by a hash of its value: equal values
 * (the caller's, or values derived from them) keep a check that receives them cacheable.
 */
function daggerSecrets(inputs: ModuleInputs, values: Readonly<Record<string, string>>): Record<string, Secret> {
  const given: Partial<Record<string, Secret>> = passedSecrets(inputs);
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, given[name] ?? dag.setSecret(secretName(name, value), value)]));
}

/** `predeploy-<name>-<sha256 of the value, 16 hex>`: a digest, never a fragment of the value. */
export function secretName(name: string, value: string): string {
  return `predeploy-${name}-${createHash("sha256").update(value).digest("hex").slice(0, 16)}`;
}

/** The one command that runs a check again: the smoke stage's through `smoke`, the rest through `check`. */
function reproduce(id: string, smoke: SmokeRequest | undefined): string {
  return smoke === undefined ? `dagger call check --id ${id}` : `dagger call smoke --env ${smoke.environment} --only ${id}`;
}

function ports(inputs: ModuleInputs, visible: Directory = visibleSource(inputs.source), onExecutor?: (executor: DaggerExecutor) => void, smoke?: SmokeRequest): SourcePorts {
  const source = visible;
  return {
    tree: new DaggerSourceTree(source),
    readConfig: () => configText(inputs, source),
    callerSecrets: async () => {
      const entries = await Promise.all(Object.entries(passedSecrets(inputs)).map(async ([name, secret]) => [name, await secret.plaintext()] as const));
      return Object.fromEntries(entries) as CallerSecrets;
    },
    executor: (values, images) => {
      const executor = new DaggerExecutor(dag, source, daggerSecrets(inputs, values), images.node);
      onExecutor?.(executor);
      return executor;
    },
    reproduce: (id) => reproduce(id, smoke),
  };
}

function planOptions(inputs: ModuleInputs, request: Pick<RunRequest, "only" | "skip" | "stage" | "smoke">): PlanOptions {
  return {
    only: request.only,
    skip: request.skip,
    ...(request.stage ? { stage: request.stage } : {}),
    ...(request.smoke ? { smoke: request.smoke } : {}),
    images: inputs.images,
    externalDatabase: inputs.databaseUrl !== undefined,
  };
}

/** Plans and runs in Dagger; never throws: every input problem is a report with status error. */
export async function runInDagger(inputs: ModuleInputs, request: RunRequest): Promise<Outcome> {
  const run = await validateSource(ports(inputs, undefined, undefined, request.smoke), { planOptions: planOptions(inputs, request), failFast: request.failFast });
  releaseAbandonedWork();
  return renderOutcome(run.report, request.format, run.secretValues);
}

/** `tree` with a fix run's files (a base64 tar, see run/fix.ts) written over it, unpacked in a container of the run's Node image. */
export function withFixedFiles(tree: Directory, archive: string, image: string, engine: Engine): Directory {
  const unpacked = engine
    .container()
    .from(image)
    .withNewFile("/predeploy/fixed.tar.b64", archive)
    .withExec(["sh", "-c", "mkdir -p /predeploy/out && base64 -d /predeploy/fixed.tar.b64 | tar -xf - -C /predeploy/out"])
    .directory("/predeploy/out");
  return tree.withDirectory(".", unpacked);
}

/** What `fix` returns: the fixed tree's changes against the source as it was. */
export function fixChanges(original: Directory, fixed: Directory): Changeset {
  return fixed.changes(original);
}

/**
 * Validates, applies every safe fix (with `includeUnsafe`, the rest too) in the checks' own
 * containers, one after another on the tree the last one left, validates again: the change to
 * the source (a Changeset: `dagger call fix` shows it, `-y` applies it) and the last report.
 */
export async function fixInDagger(inputs: ModuleInputs, request: RunRequest & { includeUnsafe: boolean }): Promise<{ changes: Changeset; outcome: Outcome }> {
  const original = visibleSource(inputs.source);
  let current = original;
  let executor: DaggerExecutor | null = null;
  let image = inputs.images.node ?? DEFAULT_IMAGES.node;
  const secretValues = new Set<string>();
  const report = await fixAndRevalidate(
    {
      validate: async () => {
        const run = await validateSource(ports(inputs, current, (made) => (executor = made)), { planOptions: planOptions(inputs, request), failFast: request.failFast });
        for (const value of run.secretValues) secretValues.add(value);
        if (run.plan) image = run.plan.images.node;
        return { report: run.report, plan: run.plan ?? { checks: [] } };
      },
      run: async (spec) => {
        if (executor === null) throw new Error("no executor: the validation did not run");
        return executeContained(spec, (executor as DaggerExecutor).withSource(current));
      },
      apply: async (archive) => {
        current = withFixedFiles(current, archive, image, dag);
      },
    },
    request.includeUnsafe,
  );
  releaseAbandonedWork();
  return { changes: fixChanges(original, current), outcome: renderOutcome(report, request.format, [...secretValues]) };
}

async function planOf(inputs: ModuleInputs, source: Directory): Promise<Plan> {
  const config = await configText(inputs, source);
  return planChecks(new DaggerSourceTree(source), config.text, { ...planOptions(inputs, { only: [], skip: [] }), configOrigin: config.origin });
}

export async function planInDagger(inputs: ModuleInputs, format: "text" | "json"): Promise<string> {
  return renderPlan(await planOf(inputs, visibleSource(inputs.source)), format);
}

/** One check's container, prepared as the check would run it but without running its command. */
export async function checkContainer(inputs: ModuleInputs, id: string): Promise<Container> {
  const source = visibleSource(inputs.source);
  const plan = await planOf(inputs, source);
  const spec = plan.checks.find((check) => check.id === id);
  if (spec === undefined) throw new Error(`--id: no check "${id}"; run \`dagger call plan\` to list them (known: ${plan.checks.map((c) => c.id).join(", ")})`);
  const values = resolveRunSecrets(await ports(inputs).callerSecrets(), plan.stack?.django?.database);
  // The same container the run builds: the spec as the scheduler hands it over (time-limited).
  return await new DaggerExecutor(dag, source, daggerSecrets(inputs, values), plan.images.node).container(containedSpec(spec).container);
}
