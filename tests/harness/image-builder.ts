import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import type { Base, ContainerSpec, Layer } from "../../src/model/spec.js";
import { containerRunArgs } from "./container-args.js";
import { docker, dockerOk } from "./docker-cli.js";
import { DockerScope } from "./docker-scope.js";
import { FileHasher, selectSource, type SelectedEntry } from "./source-selection.js";
import { SharedWork } from "./shared-work.js";

/**
 * Builds a check's container image the way Dagger would evaluate its layers, with
 * Dagger's cache emulated by `docker commit`: every layer has a key (hash of the
 * previous key and the layer's content, including the copied files), and the image
 * after that layer is tagged `predeploy-cache:<key>`. A prepared chain restarts from
 * its deepest existing tag, so an edit under `/src` reuses the dependency install
 * whose inputs (the lockfiles) are unchanged.
 */

export const CACHE_REPOSITORY = "predeploy-cache";
export const BUILD_REPOSITORY = "predeploy-build";
/** Label on every image the harness creates, for garbage collection and cold benchmarks. */
export const CACHE_LABEL = "predeploy.cache";

/**
 * Cache tags (layers and Dockerfile builds) produced or reused by any builder in this process.
 * Garbage collection keeps them: runs in one process (the fault suite runs two at once) never
 * lose each other's images. A Dockerfile build answered from BuildKit's cache keeps its first
 * creation time, so by age alone it would be among the first collected.
 */
export const usedCacheTags = new Set<string>();

/** A step before the check's command failed; the check fails with phase "prepare". */
export class PrepareFailed extends Error {
  constructor(
    readonly step: string,
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${step} failed (exit ${exitCode})`);
  }
}

export interface ImageBuilderOptions {
  sourceDir: string;
  /** Globs relative to the source root never copied from it (Dagger: the module's `ignore` on its source argument). */
  sourceExclude: readonly string[];
  captureBytes: number;
}

interface ImageConfig {
  Entrypoint: string[] | null;
  Cmd: string[] | null;
}

export interface PlannedLayer {
  layer: Layer;
  key: string;
  entries: SelectedEntry[];
}

export interface ResolvedContainer {
  baseId: string;
  planned: PlannedLayer[];
  /** The key of the whole container: its last layer's key (the root key when it has no layers). */
  key: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function cacheTag(key: string): string {
  return `${CACHE_REPOSITORY}:${key.slice(0, 40)}`;
}

function stepName(layer: Layer): string {
  switch (layer.kind) {
    case "copy":
      return `copy ${layer.copy.from} to ${layer.copy.to}`;
    case "file":
      return `write ${layer.path}`;
    case "exec":
      return layer.args.join(" ");
  }
}

function rootKey(container: ContainerSpec, baseId: string): string {
  const env = Object.entries(container.env).sort(([a], [b]) => a.localeCompare(b));
  return sha256(JSON.stringify({ base: baseId, workdir: container.workdir, env, caches: container.caches }));
}

/** Each layer's cache key, hash(previous key + the layer's content, with the copied files' names, modes and contents), on `baseId`. */
export async function resolveLayers(
  container: ContainerSpec,
  baseId: string,
  source: Pick<ImageBuilderOptions, "sourceDir" | "sourceExclude">,
  hasher: FileHasher,
): Promise<ResolvedContainer> {
  let key = rootKey(container, baseId);
  const planned: PlannedLayer[] = [];
  for (const layer of container.layers) {
    let entries: SelectedEntry[] = [];
    let content: string;
    if (layer.kind === "copy") {
      const selection = await selectSource(
        {
          sourceRoot: source.sourceDir,
          from: layer.copy.from,
          include: layer.copy.include ?? [],
          exclude: layer.copy.exclude ?? [],
          sourceExclude: source.sourceExclude,
        },
        hasher,
      );
      entries = selection.entries;
      content = JSON.stringify({ copy: layer.copy, files: selection.digest });
    } else if (layer.kind === "file") {
      content = JSON.stringify({ file: layer.path, contents: sha256(layer.contents) });
    } else {
      content = JSON.stringify({ exec: layer.args });
    }
    key = sha256(`${key}\n${content}`);
    planned.push({ layer, key, entries });
  }
  return { baseId, planned, key };
}

/**
 * Dockerfiles are built with BuildKit, as Dagger builds them (cache, secret and bind mounts,
 * `COPY --from=<image>`): the engine's own BuildKit through Debian's client, which has it built
 * in; a newer client without the buildx plugin cannot. The engine's built-in Dockerfile frontend
 * (20.10) predates heredocs and `COPY --link`, and a `# syntax=` frontend cannot be pulled here.
 */
const BUILDKIT_CLIENT = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

export class ImageBuilder {
  private readonly hasher = new FileHasher();
  private readonly layers = new SharedWork<string>();
  private readonly bases = new SharedWork<string>();
  private readonly configs = new Map<string, Promise<ImageConfig>>();
  /** Image ids by reference, looked up once per builder: every check of a run asks for the same few images. */
  private readonly imageIds = new Map<string, Promise<string>>();
  /**
   * Dockerfile builds that succeeded, by tag: the source does not change during a run (an
   * executor is one run), and the check's key and its preparation both need the image id.
   */
  private readonly builtIds = new Map<string, string>();

  constructor(private readonly options: ImageBuilderOptions) {}

  /**
   * The container's base image id and layer keys, without applying anything. The last key
   * covers the base, workdir, env, cache mounts and every layer with the content of every
   * file its copies include: equal keys mean equal containers (before secrets and services).
   */
  async resolve(container: ContainerSpec, signal: AbortSignal): Promise<ResolvedContainer> {
    return resolveLayers(container, await this.baseImage(container.base, signal), this.options, this.hasher);
  }

  /** The image (id or tag) with all the container's layers applied; `resolved` when the caller already has it. */
  async prepare(container: ContainerSpec, signal: AbortSignal, resolved?: ResolvedContainer): Promise<string> {
    const { baseId, planned } = resolved ?? (await this.resolve(container, signal));
    // Claimed before they are looked up: a run ending meanwhile must not collect them.
    for (const step of planned) usedCacheTags.add(cacheTag(step.key));
    const existing = await this.existingTags();
    let start = 0;
    let image = baseId;
    for (let i = planned.length - 1; i >= 0; i--) {
      const tag = cacheTag((planned[i] as PlannedLayer).key);
      if (existing.has(tag)) {
        start = i + 1;
        image = tag;
        break;
      }
    }
    for (const step of planned.slice(start)) {
      const from = image;
      image = await this.layers.run(step.key, signal, (shared) => this.applyLayer(container, from, step, shared));
    }
    return image;
  }

  private async baseImage(base: Base, signal: AbortSignal): Promise<string> {
    if (base.kind === "image") {
      let id = this.imageIds.get(base.image);
      if (!id) {
        // Without the caller's signal: other checks may wait on the same lookup (it takes milliseconds).
        id = this.inspectImage(base.image);
        this.imageIds.set(base.image, id);
        id.catch(() => this.imageIds.delete(base.image));
      }
      return id;
    }
    const context = resolve(this.options.sourceDir, base.context);
    // Dagger: `source.directory(context).dockerBuild({ dockerfile })`, the Dockerfile path relative to the context.
    const dockerfile = resolve(context, base.dockerfile);
    const tag = `${BUILD_REPOSITORY}:${sha256(`${context}\n${dockerfile}\n${base.target ?? ""}`).slice(0, 24)}`;
    const known = this.builtIds.get(tag);
    if (known !== undefined) return known;
    usedCacheTags.add(tag);
    const id = await this.bases.run(tag, signal, async (shared) => {
      const args = ["build", "--progress=plain", "--label", `${CACHE_LABEL}=1`, "-t", tag, "-f", dockerfile, ...(base.target !== undefined ? ["--target", base.target] : []), context];
      const built = await docker(args, { signal: shared, program: BUILDKIT_CLIENT, env: { DOCKER_BUILDKIT: "1" }, captureBytes: this.options.captureBytes });
      if (built.code !== 0) throw new PrepareFailed(`docker build -f ${base.dockerfile} ${base.context}`, built.code, built.stdout, built.stderr);
      return dockerOk(["image", "inspect", "--format", "{{.Id}}", tag], { signal: shared });
    });
    this.builtIds.set(tag, id);
    return id;
  }

  private async inspectImage(image: string): Promise<string> {
    const inspected = await docker(["image", "inspect", "--format", "{{.Id}}", image]);
    if (inspected.code !== 0) {
      throw new PrepareFailed(`from ${image}`, inspected.code, "", `image ${image} is not available to the Docker engine: ${inspected.stderr.trim()}`);
    }
    return inspected.stdout.trim();
  }

  private async existingTags(): Promise<Set<string>> {
    const listed = await dockerOk(["images", CACHE_REPOSITORY, "--format", "{{.Repository}}:{{.Tag}}"]);
    return new Set(listed.split("\n").filter(Boolean));
  }

  private imageConfig(image: string): Promise<ImageConfig> {
    let config = this.configs.get(image);
    if (!config) {
      config = dockerOk(["image", "inspect", "--format", "{{json .Config}}", image]).then((json) => JSON.parse(json) as ImageConfig);
      this.configs.set(image, config);
    }
    return config;
  }

  private async applyLayer(container: ContainerSpec, from: string, step: PlannedLayer, signal: AbortSignal): Promise<string> {
    const scope = new DockerScope();
    const tag = cacheTag(step.key);
    try {
      const name = scope.containerName("layer");
      const { layer } = step;
      if (layer.kind === "exec") {
        const args = ["run", "--name", name, ...scope.labels(), "--init", "--entrypoint", "", ...containerRunArgs(container, false), from, ...layer.args];
        const ran = await scope.docker(args, { signal, captureBytes: this.options.captureBytes });
        if (ran.code !== 0) throw new PrepareFailed(stepName(layer), ran.code, ran.stdout, ran.stderr);
      } else {
        await dockerOk(["create", "--name", name, ...scope.labels(), from, "true"], { signal });
        if (layer.kind === "copy") {
          const prefix = layer.copy.to.replace(/^\/+/, "").replace(/\/+$/, "");
          await this.copyIn(scope, name, resolve(this.options.sourceDir, layer.copy.from), step.entries.map((e) => e.path), prefix, signal);
        } else {
          await this.writeIn(scope, name, layer.path, layer.contents, signal);
        }
      }
      // The commit keeps the input image's entrypoint and default args: the placeholder
      // command and `--entrypoint ""` used to apply the layer are not part of the layer.
      const config = await this.imageConfig(from);
      const changes = [`LABEL ${CACHE_LABEL}=1`, `ENTRYPOINT ${JSON.stringify(config.Entrypoint ?? [])}`, `CMD ${JSON.stringify(config.Cmd ?? [])}`];
      await dockerOk(["commit", ...changes.flatMap((change) => ["--change", change]), name, tag], { signal });
      return tag;
    } finally {
      await scope.cleanup();
    }
  }

  /** Streams a tar of `paths` (relative to `root`, placed under `prefix`) into the container. */
  private async copyIn(scope: DockerScope, name: string, root: string, paths: string[], prefix: string, signal: AbortSignal): Promise<void> {
    if (paths.length === 0) return;
    const transform = prefix === "" ? [] : [`--transform=s,^,${prefix.replace(/,/g, "\\,")}/,S`];
    const tar = spawn("tar", ["-c", "--no-recursion", "--owner=0", "--group=0", "--numeric-owner", ...transform, "-C", root, "--null", "-T", "-"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let tarErrors = "";
    tar.stderr.on("data", (chunk: Buffer) => (tarErrors += chunk.toString()));
    const tarExit = new Promise<number>((done) => tar.on("close", (code) => done(code ?? 1)));
    tar.stdin.end(paths.map((path) => `${path}\0`).join(""));
    const copied = await scope.docker(["cp", "-", `${name}:/`], { signal, input: tar.stdout as Readable }).finally(() => tar.kill());
    const tarCode = await tarExit;
    if (copied.code !== 0) throw new Error(`docker cp into ${name} failed: ${copied.stderr.trim()}`);
    if (tarCode !== 0 && tarErrors.trim() !== "") throw new Error(`tar of ${root} failed: ${tarErrors.trim()}`);
  }

  private async writeIn(scope: DockerScope, name: string, path: string, contents: string, signal: AbortSignal): Promise<void> {
    const staging = await mkdtemp(join(tmpdir(), "predeploy-file-"));
    try {
      const relative = path.replace(/^\/+/, "");
      await mkdir(dirname(join(staging, relative)), { recursive: true });
      await writeFile(join(staging, relative), contents);
      await chmod(join(staging, relative), 0o644);
      await this.copyIn(scope, name, staging, [relative], "", signal);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}
