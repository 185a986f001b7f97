import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServiceBinding, ServiceSpec } from "../../src/model/spec.js";
import { SECRET_NAMES } from "../../src/plan/constants.js";
import { serveCommand } from "../../src/run/runtime.js";
import { boundServiceLogs, SERVICE_LOG_LINES, SERVICE_LOGS, serviceDigest } from "../../src/run/service-logs.js";
import { containerRunArgs, secretValues } from "./container-args.js";
import { docker, dockerOk } from "./docker-cli.js";
import type { DockerScope } from "./docker-scope.js";
import { PrepareFailed, type ImageBuilder } from "./image-builder.js";

/**
 * A check's services, started as a Dagger engine starts them, and no better:
 * - when the command that binds them starts, each service after the services it binds but
 *   without waiting for them to be ready (the executors skip the engine's health checks, so
 *   core/services.go:522-556 StartBindings returns once the processes exist); ordering and
 *   readiness are the runtime's (src/run/runtime.ts), inside the containers, as on the engine;
 * - identical specs are one service per check, answering to every alias it was bound as
 *   (Dagger: one per digest and session, core/services.go:301-318, shared by the checks running
 *   at once; here each check has its own: a row of the conformance table);
 * - a service that exits while the command runs ends the command, which keeps none of its output
 *   (core/container_exec.go:2116-2131), with the engine's words: `bound service <host>
 *   (aliased as <aliases>) exited: exit code: N`, the service that exited innermost
 *   (core/container_exec.go:387-390; core/service.go:973 stops a service whose own service exited).
 */

export interface ServiceNode {
  digest: string;
  service: ServiceSpec;
  aliases: string[];
  /** Digests of the services this one binds. */
  needs: string[];
}

export function serviceGraph(bindings: readonly ServiceBinding[]): Map<string, ServiceNode> {
  const nodes = new Map<string, ServiceNode>();
  const aliasOwner = new Map<string, string>();
  const visit = (binding: ServiceBinding): string => {
    const digest = serviceDigest(binding.service);
    const owner = aliasOwner.get(binding.alias);
    if (owner !== undefined && owner !== digest) {
      throw new Error(
        `alias "${binding.alias}" names two different services in one check; the Docker harness puts a check's services on one network, where an alias must be unique`,
      );
    }
    aliasOwner.set(binding.alias, digest);
    let node = nodes.get(digest);
    if (!node) {
      node = { digest, service: binding.service, aliases: [], needs: [] };
      nodes.set(digest, node);
      node.needs = binding.service.container.services.map(visit);
    }
    if (!node.aliases.includes(binding.alias)) node.aliases.push(binding.alias);
    return digest;
  };
  bindings.forEach(visit);
  return nodes;
}

/** The image's entrypoint and command (Dagger: Container.entrypoint/defaultArgs). */
async function imageConfig(image: string, signal: AbortSignal): Promise<{ entrypoint: string[]; cmd: string[] }> {
  const config = JSON.parse(await dockerOk(["image", "inspect", "--format", "{{json .Config}}", image], { signal })) as { Entrypoint?: string[] | null; Cmd?: string[] | null };
  return { entrypoint: config.Entrypoint ?? [], cmd: config.Cmd ?? [] };
}

/** What a service runs, as src/dagger/executor.ts decides it: its args, through the entrypoint when asked; else the image's own. */
async function serviceCommand(service: ServiceSpec, image: string, signal: AbortSignal): Promise<string[]> {
  if (service.args.length > 0 && service.useEntrypoint !== true) return service.args;
  const { entrypoint, cmd } = await imageConfig(image, signal);
  return service.args.length > 0 ? [...entrypoint, ...service.args] : [...entrypoint, ...cmd];
}

export interface ServiceStarterOptions {
  scope: DockerScope;
  builder: ImageBuilder;
  secrets: Readonly<Record<string, string>>;
  network: string;
  /** The host directory mounted as the service-log volume (Dagger: a cache volume; the engine runs on this host). */
  logsDir: string;
}

/** A service that exited: the engine's message for the command that bound it. */
export interface ServiceExit {
  message: string;
}

/** Starts a check's services on its network, once each, and watches them while the command runs. */
export class ServiceStarter {
  private readonly started = new Map<string, Promise<string>>();
  private readonly images = new Map<string, Promise<string>>();

  constructor(
    private readonly nodes: Map<string, ServiceNode>,
    private readonly bindings: readonly ServiceBinding[],
    private readonly options: ServiceStarterOptions,
  ) {}

  /** Builds every service's image (Dagger evaluates them when it starts them; building earlier changes no order). */
  async prepare(signal: AbortSignal): Promise<void> {
    await Promise.all([...this.nodes.values()].map((node) => this.image(node, signal)));
  }

  /** Starts every service, each after the services it binds have been started (not: are ready). */
  async startAll(signal: AbortSignal): Promise<void> {
    await Promise.all([...this.nodes.keys()].map((digest) => this.start(digest, signal)));
  }

  /**
   * Resolves with the engine's message when a service exits; never resolves while all run.
   * Polls the containers, as the engine's monitor waits on them.
   */
  async firstExit(signal: AbortSignal, pollMs = 500): Promise<ServiceExit> {
    const names = new Map<string, string>();
    for (const [digest, started] of this.started) names.set(digest, await started);
    for (;;) {
      const states = await docker(["inspect", "--format", "{{.Name}} {{.State.Running}} {{.State.ExitCode}}", ...names.values()], { signal });
      for (const line of states.stdout.split("\n").filter(Boolean)) {
        const [name = "", running, code = "1"] = line.trim().replace(/^\//, "").split(" ");
        if (running === "true") continue;
        const digest = [...names].find(([, n]) => n === name)?.[0];
        if (digest !== undefined) return { message: this.exitMessage(digest, Number(code)) };
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** The end of each service's log, from the run's folder (runtime.sh `serve` wrote them). */
  async logs(): Promise<{ service: string; text: string }[]> {
    const run = this.options.secrets[SECRET_NAMES.run] ?? "adhoc";
    const read = await Promise.all(
      boundServiceLogs(this.bindings).map(async ({ alias, file }) => {
        const text = await readFile(join(this.options.logsDir, SERVICE_LOGS.subdir, run, file), "utf8").catch(() => "");
        const lines = text.split("\n");
        if (lines[lines.length - 1] === "") lines.pop();
        return { service: alias, text: lines.length === 0 ? "" : `${lines.slice(-SERVICE_LOG_LINES).join("\n")}\n` };
      }),
    );
    return read.filter((log) => log.text !== "");
  }

  /** `bound service … exited: …` as the engine nests it: from the directly bound service down to the one that exited. */
  private exitMessage(digest: string, code: number): string {
    const path = this.pathTo(digest) ?? [digest];
    const name = (d: string) => `bound service ${d.slice(0, 12)} (aliased as ${(this.nodes.get(d)?.aliases ?? []).join(", ")}) exited`;
    return `${path.map(name).join(": ")}: exit code: ${code}`;
  }

  private pathTo(target: string): string[] | null {
    const search = (digest: string, seen: Set<string>): string[] | null => {
      if (digest === target) return [digest];
      if (seen.has(digest)) return null;
      for (const need of this.nodes.get(digest)?.needs ?? []) {
        const below = search(need, new Set([...seen, digest]));
        if (below) return [digest, ...below];
      }
      return null;
    };
    for (const binding of this.bindings) {
      const found = search(serviceDigest(binding.service), new Set());
      if (found) return found;
    }
    return null;
  }

  private image(node: ServiceNode, signal: AbortSignal): Promise<string> {
    let image = this.images.get(node.digest);
    if (!image) {
      image = this.options.builder.prepare(node.service.container, signal);
      this.images.set(node.digest, image);
    }
    return image;
  }

  private start(digest: string, signal: AbortSignal): Promise<string> {
    let started = this.started.get(digest);
    if (!started) {
      const node = this.nodes.get(digest);
      if (!node) throw new Error(`unknown service ${digest}`);
      started = this.startNode(node, signal);
      this.started.set(digest, started);
    }
    return started;
  }

  private async startNode(node: ServiceNode, signal: AbortSignal): Promise<string> {
    const { scope, secrets, network } = this.options;
    const { container } = node.service;
    const [image] = await Promise.all([this.image(node, signal), ...node.needs.map((need) => this.start(need, signal))]);
    const alias = node.aliases[0] as string;
    const name = scope.containerName(alias);
    // --no-healthcheck: as Dagger's withoutDockerHealthcheck; readiness is the runtime's.
    const run = ["run", "--detach", "--name", name, ...scope.labels(), "--init", "--no-healthcheck", "--network", network];
    for (const each of node.aliases) run.push("--network-alias", each);
    run.push(...containerRunArgs(container, true), "--mount", `type=bind,src=${this.options.logsDir},dst=${SERVICE_LOGS.mount}`);
    const command = await serviceCommand(node.service, image, signal);
    run.push("--entrypoint", "", image, ...serveCommand(node.service, command));
    const created = await scope.docker(run, { signal, env: secretValues(container, secrets) });
    if (created.code !== 0) throw new PrepareFailed(`service ${alias}`, created.code, created.stdout, created.stderr);
    return name;
  }
}
