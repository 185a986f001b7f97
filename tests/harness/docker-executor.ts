/**
 * The Docker Executor: runs exactly the CheckSpecs the module builds, on a Docker engine,
 * with the semantics of src/dagger/executor.ts (caches, env, workdir, layers, secrets, services,
 * then the command with any exit code accepted). It is how the tests prove the plans work
 * for real, since no Dagger engine can be had on our machines.
 *
 * Where Docker and Dagger differ, and what this file does about it:
 * - Layer cache. Dagger caches every operation by content digest. Here each layer's key is
 *   hash(previous key + layer content, with the copied files' names, modes and contents);
 *   the image after the layer is `docker commit`ted as `predeploy-cache:<key>` and a chain
 *   restarts from its deepest existing tag. The first key hashes the base image id, workdir,
 *   env and cache mounts (Dagger applies those before the layers, so they are inputs of
 *   every exec). Identical layers requested at once by several checks are built once.
 *   Failed layers are not cached (as in Dagger). Old images are garbage-collected by count
 *   (`collectGarbage`), not by Dagger's size-based policy.
 * - Entrypoint. Dagger's `withExec` ignores the image entrypoint: every exec here runs with
 *   `--entrypoint ""`. A service with no args runs the image's entrypoint + default command
 *   (src/dagger/executor.ts: `asService({ useEntrypoint: true })`). Commits restore the input image's
 *   entrypoint and command, which applying a layer would otherwise overwrite.
 * - Init. Dagger injects an init process into every container; here `docker run --init`.
 * - Copies. `withDirectory` is a tar of the selected files (owner root, modes kept) streamed
 *   through `docker cp -`, merged onto what is there. Include/exclude globs follow BuildKit's
 *   matcher (see glob.ts) without `!` negation. `sourceExclude` stands in for the module's
 *   `ignore` on its source argument.
 * - Cache volumes. A Dagger cache volume is the named volume `predeploy-cache-<volume>`,
 *   mounted with `volume-nocopy` (Dagger mounts start empty, Docker would copy the image's
 *   files in). Shared between concurrent checks, like Dagger's default sharing mode.
 * - Image VOLUMEs. Dagger ignores VOLUME in image configs; Docker creates anonymous volumes
 *   (Postgres's data dir). They are removed with their container (`docker rm -v`).
 * - Secrets. `docker run -e NAME` with the value only in the docker client's process
 *   environment: never on a command line or in a file this harness writes. The Docker
 *   daemon does keep a container's environment in its config until the container is
 *   removed (at the end of the check); Dagger keeps secrets out of its cache and state.
 *   Layers run without secrets (src/dagger/executor.ts adds them after the layers), so no secret is
 *   ever committed into a cache image. Output comes back raw, as from Dagger's exec:
 *   the module redacts it before anything reads it (src/run/result.ts).
 * - Services (services.ts). Started with the command, each after the services it binds but
 *   without waiting for their readiness, as the engine starts them once its health checks are
 *   skipped; the runtime (src/run/runtime.ts) orders and waits inside the containers, on both.
 *   A service that exits while the command runs ends the command, in the engine's words.
 *   Dagger scopes a service's bindings to the container that binds them; here all of a check's
 *   services share one private network, so an alias must name one service per check (else the
 *   executor throws). Services are deduplicated by spec digest within a check; Dagger shares
 *   one instance per digest and session between the checks running at once, here each check
 *   gets its own (no verdict depends on it: checks sharing a stack only read it or add rows of
 *   their own). Their logs go to one folder shared by every run (service-logs-volume.ts), as
 *   the engine's volume is.
 * - Dockerfiles. `docker build` with the engine's BuildKit (image-builder.ts), tagged
 *   `predeploy-build:<hash of paths>`; its own cache makes warm builds fast. Heredocs and
 *   `COPY --link` need a newer Dockerfile frontend than the engine's built-in one. Its
 *   context is the host directory filtered by .dockerignore only; Dagger's is the source
 *   after the module's `ignore`, then .dockerignore.
 * - Command results. Dagger caches the check's own `withExec` like any other operation: a
 *   check whose inputs all equal an earlier run's comes back without running. With a
 *   `results` store the harness does the same (result-cache.ts: the key is the container's
 *   layer key, secret names but not values, services recursively, command, output files,
 *   time limit) and returns the stored execution with `cached: true`. It stores only what
 *   `storePassed` is told passed (the verdict needs the parser), already redacted, so a
 *   failure, a prepare failure or a timeout always runs again — the module's policy for
 *   Dagger too. Without a store every check runs. One difference: Dagger (0.18.6 on) keys
 *   a secret by its plaintext unless it was made with a `cacheKey`, so on an engine a check
 *   that receives one of the run's random secrets runs every time; here it is reused.
 * - Output capture. stdout and stderr are kept in memory up to `captureBytes` each (head and
 *   tail); src/dagger/executor.ts redirects them to files and keeps the last 4 MiB of each. `outputFiles` are copied out with `docker cp`; a file
 *   that does not exist is left out, as src/dagger/executor.ts does.
 * - Abort. The docker clients are killed and every container and network labelled with the
 *   check's scope is removed (`docker rm -f -v`, `docker network rm`) before `run` rejects.
 *   Dagger cannot cancel a call; its engine drops the work with the session.
 */
import { setMaxListeners } from "node:events";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { redactor } from "../../src/model/redact.js";
import type { CheckSpec, ContainerSpec } from "../../src/model/spec.js";
import type { Execution, Executor } from "../../src/run/executor.js";
import { collectGarbage } from "./cache-maintenance.js";
import { containerRunArgs, secretValues } from "./container-args.js";
import { abortReason } from "./docker-cli.js";
import { DockerScope } from "./docker-scope.js";
import { ImageBuilder, PrepareFailed, usedCacheTags } from "./image-builder.js";
import { executionKey, type ResultStore } from "./result-cache.js";
import { serviceGraph, ServiceStarter, type ServiceExit } from "./services.js";
import { serviceFailure } from "../../src/run/engine-errors.js";
import { pruneServiceLogs, serviceLogsVolume } from "./service-logs-volume.js";

export interface DockerExecutorOptions {
  /** Bytes of stdout and of stderr kept per command (head + tail). Default 4 MiB. */
  captureBytes?: number;
  /** Globs relative to the source root never copied, whatever a copy layer says (the module's source `ignore`). */
  sourceExclude?: readonly string[];
  /**
   * Layer-cache images kept by `collectGarbage` besides the ones this process used. Default 1000:
   * the container suite (four examples, their faults and fixes) makes several hundred, and
   * collecting the ones a later test file needs makes it install everything again (about 5 GB
   * per 300 images here).
   */
  keepCacheImages?: number;
  /** Where passing executions are reused from and stored (see `storePassed`); none: every check runs. */
  results?: ResultStore;
  /** Store passing executions in `results` but never answer from it: every check runs, and later runs can reuse this one's. */
  storeOnly?: boolean;
  /** Stored results kept by `collectGarbage`. Default 2000. */
  keepResults?: number;
}

export class DockerExecutor implements Executor {
  private readonly builder: ImageBuilder;
  private readonly captureBytes: number;
  private readonly redact: (text: string) => string;
  /** Executions that exited 0 in this executor, by check id, waiting for their verdict. */
  private readonly staged = new Map<string, { key: string; execution: Execution }>();

  constructor(
    sourceDir: string,
    private readonly secrets: Readonly<Record<string, string>>,
    private readonly options: DockerExecutorOptions = {},
  ) {
    this.captureBytes = options.captureBytes ?? 4 * 1024 * 1024;
    this.builder = new ImageBuilder({ sourceDir: resolve(sourceDir), sourceExclude: options.sourceExclude ?? [], captureBytes: this.captureBytes });
    this.redact = redactor(Object.values(secrets));
  }

  async run(spec: CheckSpec, signal: AbortSignal, commandStarted?: () => void, ready?: () => Promise<void>): Promise<Execution> {
    if (signal.aborted) throw abortReason(signal);
    const scope = new DockerScope();
    // Aborted when the check ends either way, so no service start or probe outlives it.
    const local = new AbortController();
    // Every docker call, probe and shared layer build of the check listens on it at once.
    setMaxListeners(100, local.signal);
    const onAbort = () => local.abort(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await this.execute(spec, scope, local.signal, commandStarted, ready);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (error instanceof PrepareFailed) {
        return {
          phase: "prepare",
          failedStep: error.step,
          exitCode: error.exitCode,
          stdout: error.stdout,
          stderr: error.stderr,
          files: {},
        };
      }
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
      local.abort(new Error("check finished"));
      await scope.cleanup();
    }
  }

  /**
   * Stores the executions of the given checks (those whose report says `passed`) for reuse.
   * Only executions that ran here and exited 0 are stored; their output is redacted first,
   * so no secret value of this run reaches the disk or a later run's report.
   */
  async storePassed(checkIds: Iterable<string>): Promise<number> {
    const store = this.options.results;
    if (!store) return 0;
    let stored = 0;
    for (const id of checkIds) {
      const staged = this.staged.get(id);
      if (!staged) continue;
      this.staged.delete(id);
      await store.put(staged.key, staged.execution);
      stored++;
    }
    return stored;
  }

  /** Removes layer-cache images beyond the newest `keepCacheImages` (never ones used in this process), old stored results and runs' service logs older than a day. */
  async collectGarbage(): Promise<number> {
    const images = await collectGarbage(this.options.keepCacheImages ?? 1000, usedCacheTags);
    const results = (await this.options.results?.prune(this.options.keepResults ?? 2000)) ?? 0;
    const logs = await pruneServiceLogs(24 * 3_600_000);
    return images + results + logs;
  }

  private async execute(spec: CheckSpec, scope: DockerScope, signal: AbortSignal, commandStarted?: () => void, ready?: () => Promise<void>): Promise<Execution> {
    const { container } = spec;
    const services = serviceGraph(container.services);
    const resolved = await this.builder.resolve(container, signal);
    const store = this.options.results;
    let key: string | null = null;
    if (store) {
      const containerKey = async (c: ContainerSpec) => (c === container ? resolved : await this.builder.resolve(c, signal)).key;
      key = await executionKey(spec, containerKey);
      const reused = this.options.storeOnly === true ? null : await store.get(key);
      if (reused) {
        await ready?.();
        return reused;
      }
    }
    const prepared = this.builder.prepare(container, signal, resolved);
    // Awaited below; without this a failure while the services' images are built would count as unhandled.
    prepared.catch(() => undefined);
    let starter: ServiceStarter | null = null;
    if (services.size > 0) {
      starter = new ServiceStarter(services, container.services, {
        scope,
        builder: this.builder,
        secrets: this.secrets,
        network: await scope.network(signal),
        logsDir: await serviceLogsVolume(),
      });
      try {
        await Promise.all([prepared, starter.prepare(signal)]);
      } catch (error) {
        // Prepared early: a prerequisite that did not pass is the verdict.
        await ready?.();
        throw error;
      }
    }
    const image = await prepared;
    // Prepared early, the command still waits for every prerequisite; its services start with it, as on the engine.
    await ready?.();
    await starter?.startAll(signal);
    const name = scope.containerName("check");
    const args = ["run", "--name", name, ...scope.labels(), "--init", ...(starter ? ["--network", await scope.network(signal)] : [])];
    args.push(...containerRunArgs(container, true));
    args.push("--entrypoint", "", image, ...spec.command);
    commandStarted?.();
    const running = scope.docker(args, { signal, env: secretValues(container, this.secrets), captureBytes: this.captureBytes });
    let execution: Execution;
    const exited = starter ? await this.firstOf(running, starter, signal) : null;
    if (exited !== null) {
      // The engine cancels the command and keeps none of its output.
      await scope.docker(["rm", "-f", name], { signal });
      await running.catch(() => undefined);
      execution = serviceFailure(spec, { name: "Error", message: exited.message }) ?? { phase: "service", exitCode: 1, stdout: "", stderr: exited.message, files: {} };
    } else {
      const ran = await running;
      const files = await this.copyOut(scope, name, spec.outputFiles, signal);
      execution = { phase: "command", exitCode: ran.code, stdout: ran.stdout, stderr: ran.stderr, files, outputBytesDropped: ran.droppedBytes };
      if (key !== null && ran.code === 0) this.staged.set(spec.id, { key, execution: this.redacted(execution) });
    }
    // As src/dagger/executor.ts: a failing verify check's, or a crashed service's, services' logs.
    const failed = execution.phase === "service" || (execution.exitCode !== 0 && spec.stage === "verify");
    return starter && failed ? { ...execution, serviceLogs: await starter.logs() } : execution;
  }

  /** The command's end, or null; or the first service that exited while it ran. */
  private async firstOf(running: Promise<unknown>, starter: ServiceStarter, signal: AbortSignal): Promise<ServiceExit | null> {
    const watching = new AbortController();
    const stop = () => watching.abort();
    signal.addEventListener("abort", stop, { once: true });
    try {
      const exit = starter.firstExit(watching.signal);
      exit.catch(() => undefined);
      return await Promise.race([running.then(() => null), exit]);
    } finally {
      signal.removeEventListener("abort", stop);
      watching.abort();
    }
  }

  private redacted(execution: Execution): Execution {
    const files = Object.fromEntries(Object.entries(execution.files).map(([path, text]) => [path, this.redact(text)]));
    return { ...execution, stdout: this.redact(execution.stdout), stderr: this.redact(execution.stderr), files };
  }

  private async copyOut(scope: DockerScope, name: string, paths: readonly string[], signal: AbortSignal): Promise<Record<string, string>> {
    const files: Record<string, string> = {};
    if (paths.length === 0) return files;
    const staging = await mkdtemp(join(tmpdir(), "predeploy-out-"));
    try {
      for (const [index, path] of paths.entries()) {
        const target = join(staging, String(index));
        const copied = await scope.docker(["cp", `${name}:${path}`, target], { signal });
        if (copied.code !== 0) continue;
        if ((await stat(target)).isFile()) files[path] = await readFile(target, "utf8");
      }
      return files;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}
