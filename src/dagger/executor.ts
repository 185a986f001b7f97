import { randomUUID } from "node:crypto";
import { ReturnType, type CacheVolume, type Container, type Directory, type File, type Secret, type Service } from "@dagger.io/dagger";
import type { CheckSpec, ContainerSpec, Layer, ServiceSpec } from "../plan/spec.js";
import { dockerfileFailure, engineError, killedCommand, layerFailure, serviceFailure } from "../run/engine-errors.js";
import { mustRunFresh, stampedCommand, STARTED_FILE } from "../run/replay.js";
import { loggedServiceArgs, SERVICE_LOGS, serviceLogFile } from "../run/service-logs.js";
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
 * engine must do beyond that lives in pure code: time limits are in the spec the scheduler
 * hands over (run/time-limit.ts), errors are classified in run/engine-errors.ts. Dagger
 * deduplicates identical services within a session, so the Postgres bound to the backend
 * and the one the end-to-end probe reads are one instance.
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
    return mustRunFresh(first.execution, first.started, runStarted) ? (await this.execute(prepared.withEnvVariable(FRESH_RUN_ENV, randomUUID()), spec, signal)).execution : first.execution;
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
    // After the layers: the services' logs never change what a layer's cache key is.
    return spec.services.length > 0 ? this.withServiceLogs(ctr) : ctr;
  }

  private withServiceLogs(ctr: Container): Container {
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
    const ran = prepared.withExec(stampedCommand(spec.command), { expect: ReturnType.Any, redirectStdout: STDOUT_FILE, redirectStderr: STDERR_FILE });
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
   * A service runs its own command, or its image's entrypoint and default arguments, with its
   * output kept in its log file. Every command that binds it waits for its ports
   * (run/readiness.ts), so the engine's own health check is skipped.
   */
  private async service(spec: ServiceSpec): Promise<Service> {
    let ctr = this.withServiceLogs(await this.container(spec.container));
    for (const port of spec.ports) ctr = ctr.withExposedPort(port, { experimentalSkipHealthcheck: true });
    const command = spec.args.length > 0 ? spec.args : [...(await ctr.entrypoint()), ...(await ctr.defaultArgs())];
    return ctr.asService({ args: loggedServiceArgs(serviceLogFile(spec), command) });
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

/** Dagger calls cannot be cancelled from the client: the check stops waiting (time limits are enforced in the container). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    promise.then(resolve, reject);
  });
}
