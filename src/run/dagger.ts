import { randomUUID } from "node:crypto";
import { Container, dag, Directory, ExecError, ExistsType, File, ReturnType, Secret, Service } from "@dagger.io/dagger";
import type { ToolOutput } from "../parse/types.js";
import { planChecks, type PlanOptions } from "../plan/index.js";
import { renderPlan } from "../plan/render-plan.js";
import type { SourceTree } from "../plan/source-tree.js";
import type { CheckSpec, ContainerSpec, Layer, ServiceSpec } from "../plan/spec.js";
import type { Execution, Executor } from "./executor.js";
import { parseFormat, renderOutcome, type Outcome, type RunRequest } from "./outcome.js";
import { resolveRunSecrets } from "./secrets.js";
import { validate } from "./validate.js";

/**
 * The Executor users run: a direct translation of a CheckSpec into Dagger calls. Dagger
 * caches every layer by content and deduplicates identical services within a session, so
 * the Postgres bound to the backend and the one the end-to-end probe reads are one instance.
 */
export class DaggerExecutor implements Executor {
  constructor(
    private readonly source: Directory,
    private readonly secrets: Record<string, Secret>,
  ) {}

  async run(spec: CheckSpec, signal: AbortSignal): Promise<Execution> {
    const prepared = this.container(spec.container);
    try {
      await abortable(prepared.sync(), signal);
    } catch (error) {
      if (error instanceof ExecError) return prepareFailure(error);
      // A Dockerfile that does not build (syntax, a missing COPY source) is the check's failure, not the engine's.
      if (spec.container.base.kind === "dockerfile" && error instanceof Error) return dockerfileFailure(spec.container.base.dockerfile, error);
      throw error;
    }
    const ran = prepared.withExec(spec.command, { expect: ReturnType.Any, redirectStdout: STDOUT_FILE, redirectStderr: STDERR_FILE });
    let exitCode: number, stdout: Bounded, stderr: Bounded;
    try {
      [exitCode, stdout, stderr] = await abortable(Promise.all([ran.exitCode(), readBounded(ran, STDOUT_FILE), readBounded(ran, STDERR_FILE)]), signal);
    } catch (error) {
      // Services start with the command: one that exits or never listens is the check's failure, as in the harness.
      if (spec.container.services.length > 0 && error instanceof Error && /service/i.test(error.message)) return serviceFailure(spec, error);
      throw error;
    }
    const files: ToolOutput["files"] = {};
    for (const path of spec.outputFiles) {
      if (await ran.exists(path)) files[path] = await ran.file(path).contents();
    }
    return { phase: "command", exitCode, stdout: stdout.text, stderr: stderr.text, files, outputBytesDropped: stdout.dropped + stderr.dropped };
  }

  private container(spec: ContainerSpec): Container {
    let ctr =
      spec.base.kind === "image"
        ? dag.container().from(spec.base.image)
        : this.sub(spec.base.context).dockerBuild({ dockerfile: spec.base.dockerfile });
    for (const cache of spec.caches) ctr = ctr.withMountedCache(cache.path, dag.cacheVolume(cache.volume));
    for (const [name, value] of Object.entries(spec.env)) ctr = ctr.withEnvVariable(name, value);
    if (spec.workdir !== undefined) ctr = ctr.withWorkdir(spec.workdir);
    for (const layer of spec.layers) ctr = this.layer(ctr, layer);
    for (const [name, secretName] of Object.entries(spec.secretEnv)) ctr = ctr.withSecretVariable(name, this.secret(secretName));
    for (const binding of spec.services) ctr = ctr.withServiceBinding(binding.alias, this.service(binding.service));
    return ctr;
  }

  private layer(ctr: Container, layer: Layer): Container {
    switch (layer.kind) {
      case "copy":
        return ctr.withDirectory(layer.copy.to, this.sub(layer.copy.from), {
          ...(layer.copy.include ? { include: layer.copy.include } : {}),
          ...(layer.copy.exclude ? { exclude: layer.copy.exclude } : {}),
        });
      case "file":
        return ctr.withNewFile(layer.path, layer.contents);
      case "exec":
        return ctr.withExec(layer.args);
    }
  }

  /** A source-relative directory; "." is the source itself. */
  private sub(path: string): Directory {
    return path === "." ? this.source : this.source.directory(path);
  }

  private service(spec: ServiceSpec): Service {
    let ctr = this.container(spec.container);
    for (const port of spec.ports) ctr = ctr.withExposedPort(port);
    // No args: the image's own entrypoint and command (e.g. Postgres initialising itself).
    return spec.args.length > 0 ? ctr.asService({ args: spec.args }) : ctr.asService({ useEntrypoint: true });
  }

  private secret(name: string): Secret {
    const secret = this.secrets[name];
    if (secret === undefined) throw new Error(`the plan names secret "${name}" but the run has none by that name`);
    return secret;
  }
}

const STDOUT_FILE = "/tmp/predeploy.stdout";
const STDERR_FILE = "/tmp/predeploy.stderr";
/** Output kept per stream: a tool printing hundreds of megabytes costs at most this much memory. */
const CAPTURE_BYTES = 4 * 1024 * 1024;

interface Bounded {
  text: string;
  dropped: number;
}

/** A command's output file, whole when small, else its end (where tools print their summary). */
async function readBounded(ctr: Container, path: string): Promise<Bounded> {
  const file = ctr.file(path);
  const size = await file.size();
  if (size <= CAPTURE_BYTES) return { text: await file.contents(), dropped: 0 };
  const tail = await ctr.withExec(["tail", "-c", String(CAPTURE_BYTES), path]).stdout();
  return { text: tail, dropped: size - CAPTURE_BYTES };
}

function prepareFailure(error: ExecError): Execution {
  return { phase: "prepare", failedStep: error.cmd.join(" "), exitCode: error.exitCode, stdout: error.stdout, stderr: error.stderr, files: {} };
}

function dockerfileFailure(dockerfile: string, error: Error): Execution {
  return { phase: "prepare", failedStep: `docker build -f ${dockerfile}`, exitCode: 1, stdout: "", stderr: error.message, files: {} };
}

function serviceFailure(spec: CheckSpec, error: Error): Execution {
  const aliases = spec.container.services.map((b) => b.alias).join(", ");
  return { phase: "prepare", failedStep: `start services (${aliases})`, exitCode: 1, stdout: "", stderr: error.message, files: {} };
}

/** Dagger calls cannot be cancelled from the client; the check stops waiting and the engine drops the work with the session. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    promise.then(resolve, reject);
  });
}

/** Discovery's view of the source `Directory`. */
export class DaggerSourceTree implements SourceTree {
  constructor(private readonly source: Directory) {}

  async list(dir: string): Promise<string[]> {
    if (dir !== "." && !(await this.source.exists(dir, { expectedType: ExistsType.DirectoryType }))) return [];
    const directory = dir === "." ? this.source : this.source.directory(dir);
    const entries = await directory.entries();
    // Newer engines mark directories with a trailing slash; older ones do not, so ask.
    return Promise.all(
      entries.map(async (entry) => {
        if (entry.endsWith("/")) return entry;
        return (await directory.exists(entry, { expectedType: ExistsType.DirectoryType })) ? `${entry}/` : entry;
      }),
    );
  }

  async readText(path: string): Promise<string | null> {
    if (!(await this.source.exists(path, { expectedType: ExistsType.RegularType }))) return null;
    return this.source.file(path).contents();
  }
}

/** What the module's constructor received. */
export interface ModuleInputs {
  source: Directory;
  config?: File;
  secretKey?: Secret;
  intakeApiKey?: Secret;
  images: { python?: string; node?: string; postgres?: string };
}

const CONFIG_FILE = "predeploy.json";

async function configText(inputs: ModuleInputs): Promise<{ text: string | null; origin: string }> {
  if (inputs.config) return { text: await inputs.config.contents(), origin: "--config file" };
  const exists = await inputs.source.exists(CONFIG_FILE, { expectedType: ExistsType.RegularType });
  return { text: exists ? await inputs.source.file(CONFIG_FILE).contents() : null, origin: CONFIG_FILE };
}

/** The run's secrets as Dagger secrets, and their plaintext for redaction only. */
async function runSecrets(inputs: ModuleInputs): Promise<{ secrets: Record<string, Secret>; values: string[] }> {
  const passed = {
    ...(inputs.secretKey ? { secretKey: await inputs.secretKey.plaintext() } : {}),
    ...(inputs.intakeApiKey ? { intakeApiKey: await inputs.intakeApiKey.plaintext() } : {}),
  };
  const values = resolveRunSecrets(passed);
  const run = randomUUID();
  const secrets: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(values)) {
    const given = name === "secretKey" ? inputs.secretKey : name === "intakeApiKey" ? inputs.intakeApiKey : undefined;
    secrets[name] = given ?? dag.setSecret(`predeploy-${name}-${run}`, value);
  }
  return { secrets, values: Object.values(values) };
}

function planOptions(inputs: ModuleInputs, request: Pick<RunRequest, "only" | "skip" | "stage">): PlanOptions {
  return { only: request.only, skip: request.skip, ...(request.stage ? { stage: request.stage } : {}), images: inputs.images };
}

/** Plans and runs in Dagger; every check's `reproduce` is a `dagger call check`. */
export async function runInDagger(inputs: ModuleInputs, request: RunRequest): Promise<Outcome> {
  const format = parseFormat(request.format);
  const [config, { secrets, values }] = await Promise.all([configText(inputs), runSecrets(inputs)]);
  const report = await validate({
    tree: new DaggerSourceTree(inputs.source),
    configText: config.text,
    configOrigin: config.origin,
    planOptions: planOptions(inputs, request),
    executor: new DaggerExecutor(inputs.source, secrets),
    secrets: values,
    failFast: request.failFast,
    reproduce: (id) => `dagger call check --id ${id}`,
  });
  return renderOutcome(report, format, values);
}

export async function planInDagger(inputs: ModuleInputs, format: string): Promise<string> {
  if (format !== "text" && format !== "json") throw new Error(`format: "${format}" is not one of text, json`);
  const config = await configText(inputs);
  const plan = await planChecks(new DaggerSourceTree(inputs.source), config.text, { ...planOptions(inputs, { only: [], skip: [] }), configOrigin: config.origin });
  return renderPlan(plan, format);
}
