import { randomUUID } from "node:crypto";
import { ReturnType, type CacheVolume, type Container, type Directory, type File, type Secret, type Service } from "@dagger.io/dagger";
import type { CheckSpec, ContainerSpec, Layer, ServiceSpec } from "../model/spec.js";
import { SECRET_NAMES } from "../plan/constants.js";
import { dockerfileFailure, engineError, killedCommand, layerFailure, serviceFailure } from "../run/engine-errors.js";
import { mustRunFresh } from "../run/replay.js";
import { logsCommand, READY_PORT, RUN_ENV, RUNTIME_PATH, runtimeProgram, serveCommand, STARTED_FILE } from "../run/runtime.js";
import { boundServiceLogs, SERVICE_LOG_LINES, SERVICE_LOGS, splitServiceLogs } from "../run/service-logs.js";
import type { Execution, Executor } from "../run/executor.js";
import { dropPartialFirstLine } from "../model/text.js";

/** The part of the Dagger client the executor uses (`dag` in the module; a recording fake in tests). */
export interface Engine {
  container(): Container;
  directory(): Directory;
  cacheVolume(key: string): CacheVolume;
}

const STDOUT_FILE = "/tmp/predeploy.stdout";
const STDERR_FILE = "/tmp/predeploy.stderr";
/** Output kept per stream: a tool printing hundreds of megabytes costs at most this much memory. */
export const CAPTURE_BYTES = 4 * 1024 * 1024;
/** Set only on a fresh re-run, so the engine cannot answer it from its cache. */
export const FRESH_RUN_ENV = "PREDEPLOY_FRESH_RUN";

/**
 * The Executor users run: a direct translation of a CheckSpec into Dagger calls. What an
 * engine must do beyond that lives in pure code: containment, time limits and the service
 * runtime are in the spec the scheduler hands over (run/contained.ts, run/runtime.ts), errors
 * are classified in run/engine-errors.ts. Dagger deduplicates identical services within a
 * session (core/services.go:301-318, keyed by digest and session), so the Postgres bound to the
 * backend and the one the end-to-end probe reads are one instance.
 */
export class DaggerExecutor implements Executor {
  constructor(
    private readonly engine: Engine,
    private readonly source: Directory,
    private readonly secrets: Readonly<Record<string, Secret>>,
    /** An image with coreutils, for reading the end of a large output file. */
    private readonly toolImage: string,
  ) {}

  async run(spec: CheckSpec, signal: AbortSignal, commandStarted?: () => void, ready?: () => Promise<void>): Promise<Execution> {
    let prepared: Container;
    try {
      // Building it can evaluate an image (a service's own entrypoint is read from it).
      prepared = await abortable(this.container(spec.container), signal);
      await abortable(prepared.sync(), signal);
    } catch (error) {
      const shape = engineError(error);
      const failure = spec.container.base.kind === "dockerfile" ? dockerfileFailure(spec.container.base.dockerfile, shape) : layerFailure(shape);
      if (failure) return failure;
      throw error;
    }
    // Prepared early (its image built), the command waits for every prerequisite. Its services are
    // not started here: the engine starts them with the command, and does not at all when it answers
    // the command from its cache, which an explicit start() would defeat.
    await ready?.();
    commandStarted?.();
    const runStarted = Date.now();
    const first = await this.execute(prepared, spec, signal);
    // A failure replayed from the engine's cache (an earlier run's) is run again before it is reported.
    const execution = mustRunFresh(first.execution, first.started, runStarted) ? (await this.execute(prepared.withEnvVariable(FRESH_RUN_ENV, randomUUID()), spec, signal)).execution : first.execution;
    return (await this.withServiceLogs(spec, execution, signal)) ?? execution;
  }

  /**
   * A failing verify check's, or a crashed service's, execution with the end of its services' logs,
   * read from the run's log folder in a container of its own: the check's command cannot print them
   * (the engine cancels it when a bound service exits, core/container_exec.go:2116-2131, and keeps none
   * of its output). The reader holds every secret of the run, so the engine scrubs them from what it
   * shows of its output, as it does for the services themselves.
   */
  private async withServiceLogs(spec: CheckSpec, execution: Execution, signal: AbortSignal): Promise<Execution | null> {
    const logs = boundServiceLogs(spec.container.services);
    const failed = execution.phase === "service" || (execution.exitCode !== 0 && spec.stage === "verify");
    if (logs.length === 0 || !failed) return null;
    let reader = this.withLogsVolume(this.engine.container().from(this.toolImage));
    Object.entries(this.secrets).forEach(([name, secret], index) => (reader = reader.withSecretVariable(name === SECRET_NAMES.run ? RUN_ENV : `PREDEPLOY_SECRET_${index}`, secret)));
    // Fresh each time: the logs change while the cache key would not.
    reader = reader.withEnvVariable(FRESH_RUN_ENV, randomUUID()).withNewFile(RUNTIME_PATH, runtimeProgram());
    const printed = await abortable(reader.withExec(logsCommand(logs, SERVICE_LOG_LINES)).stdout(), signal);
    return { ...execution, serviceLogs: splitServiceLogs(printed).logs };
  }

  /** The same executor (engine, secrets, images) on another source: the tree as fixes left it. */
  withSource(source: Directory): DaggerExecutor {
    return new DaggerExecutor(this.engine, source, this.secrets, this.toolImage);
  }

  /** The check's container, prepared but not run: base, caches, env, workdir, layers, secrets, services. */
  async container(spec: ContainerSpec): Promise<Container> {
    let ctr = this.built(spec);
    for (const [name, secretName] of Object.entries(spec.secretEnv)) ctr = ctr.withSecretVariable(name, this.secret(secretName));
    const services = await Promise.all(spec.services.map((binding) => this.service(binding.service)));
    spec.services.forEach((binding, i) => (ctr = ctr.withServiceBinding(binding.alias, services[i] as Service)));
    return ctr;
  }

  /** The run's service-log volume; mounted after a container's layers, so it changes no layer's cache key. */
  private withLogsVolume(ctr: Container): Container {
    const source = this.engine.directory().withNewDirectory(SERVICE_LOGS.subdir, { permissions: 0o1777 });
    return ctr.withMountedCache(SERVICE_LOGS.mount, this.engine.cacheVolume(SERVICE_LOGS.volume), { source });
  }

  /** Base, caches, env, workdir and layers: everything a cache key of the container's layers depends on. */
  private built(spec: ContainerSpec): Container {
    let ctr =
      spec.base.kind === "image"
        ? this.engine.container().from(spec.base.image)
        : this.sub(spec.base.context).dockerBuild({ dockerfile: spec.base.dockerfile, ...(spec.base.target !== undefined ? { target: spec.base.target } : {}) });
    for (const cache of spec.caches) ctr = ctr.withMountedCache(cache.path, this.engine.cacheVolume(cache.volume));
    for (const [name, value] of Object.entries(spec.env)) ctr = ctr.withEnvVariable(name, value);
    if (spec.workdir !== undefined) ctr = ctr.withWorkdir(spec.workdir);
    for (const layer of spec.layers) ctr = this.layer(ctr, layer);
    return ctr;
  }

  /** The command's execution and its start time as it wrote it (null when it could not). */
  private async execute(prepared: Container, spec: CheckSpec, signal: AbortSignal): Promise<{ execution: Execution; started: string | null }> {
    const ran = prepared.withExec(spec.command, { expect: ReturnType.Any, redirectStdout: STDOUT_FILE, redirectStderr: STDERR_FILE });
    let exitCode: number, stdout: Bounded, stderr: Bounded;
    try {
      [exitCode, stdout, stderr] = await abortable(Promise.all([ran.exitCode(), this.read(ran.file(STDOUT_FILE)), this.read(ran.file(STDERR_FILE))]), signal);
    } catch (error) {
      const shape = engineError(error);
      const result = killedCommand(spec, shape) ?? serviceFailure(spec, shape);
      if (result) return { execution: result, started: null };
      throw error;
    }
    const files: Execution["files"] = {};
    for (const path of spec.outputFiles) {
      if (await ran.exists(path)) files[path] = await ran.file(path).contents();
    }
    const started = exitCode !== 0 && (await ran.exists(STARTED_FILE)) ? await ran.file(STARTED_FILE).contents() : null;
    return { execution: { phase: "command", exitCode, stdout: stdout.text, stderr: stderr.text, files, outputBytesDropped: stdout.dropped + stderr.dropped }, started };
  }

  /**
   * An output file, whole when small, else its end (where tools print their summary), read
   * in a separate container: the check's own has service bindings an exec would start again.
   */
  private async read(file: File): Promise<Bounded> {
    const size = await file.size();
    if (size <= CAPTURE_BYTES) return { text: await file.contents(), dropped: 0 };
    const path = "/predeploy/output";
    const tail = await this.engine.container().from(this.toolImage).withMountedFile(path, file).withExec(["tail", "-c", String(CAPTURE_BYTES), path]).stdout();
    const kept = dropPartialFirstLine(tail);
    return { text: kept.text, dropped: size - CAPTURE_BYTES + kept.droppedBytes };
  }

  private layer(ctr: Container, layer: Layer): Container {
    switch (layer.kind) {
      case "copy": {
        const { from, to, include, exclude } = layer.copy;
        // A filtered directory is identified by its content, so an install layer that sees only
        // the lockfiles stays cached when any other file of the source changes.
        const dir = include || exclude ? this.sub(from).filter({ ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) }) : this.sub(from);
        return ctr.withDirectory(to, dir);
      }
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

  /**
   * A service runs its own command, or its image's entrypoint and default arguments, under the
   * runtime's `serve` (run/runtime.ts): it orders itself after the services it binds, keeps its
   * output in the run's log and signals readiness on READY_PORT, which every command that binds
   * it waits for. So the engine's own checks are off: every port skips the port check
   * (core/healthcheck.go:41-47 then returns at once), and the image's HEALTHCHECK, which the engine
   * would otherwise run instead (core/service.go:867-877), is removed.
   */
  private async service(spec: ServiceSpec): Promise<Service> {
    let ctr = this.withLogsVolume((await this.container(spec.container)).withoutDockerHealthcheck());
    for (const port of [...spec.ports, READY_PORT]) ctr = ctr.withExposedPort(port, { experimentalSkipHealthcheck: true });
    // Docker's rule: a command replaces the image's CMD and keeps its ENTRYPOINT only when asked to.
    const command = spec.args.length === 0 ? [...(await ctr.entrypoint()), ...(await ctr.defaultArgs())] : spec.useEntrypoint === true ? [...(await ctr.entrypoint()), ...spec.args] : spec.args;
    return ctr.asService({ args: serveCommand(spec, command) });
  }

  private secret(name: string): Secret {
    const secret = this.secrets[name];
    if (secret === undefined) throw new Error(`the plan names secret "${name}" but the run has none by that name`);
    return secret;
  }
}

interface Bounded {
  text: string;
  dropped: number;
}

/** Calls a check stopped waiting for (fail-fast, the backstop) that the engine is still answering. */
const abandoned = new Set<Promise<unknown>>();

/** Dagger calls cannot be cancelled from the client: the check stops waiting (time limits are enforced in the container). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener(
      "abort",
      () => {
        const pending = promise.catch(() => undefined).finally(() => abandoned.delete(pending));
        abandoned.add(pending);
        reject(signal.reason);
      },
      { once: true },
    );
    promise.then(resolve, reject);
  });
}

/** Grace for the SDK to hand the function's result to the engine before abandoned calls are cut off. */
const RETURN_GRACE_MS = 15_000;

/**
 * Once a function has its result: calls it abandoned would keep the module's process, and so
 * the function call, alive until the engine finished them (the SDK returns the value, then
 * waits for the event loop to empty). The process then exits shortly after the result is sent.
 */
export function releaseAbandonedWork(): void {
  if (abandoned.size === 0) return;
  setTimeout(() => process.exit(0), RETURN_GRACE_MS).unref();
}
