import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceBinding, ServiceSpec } from "../../src/plan/spec.js";
import { loggedServiceArgs, SERVICE_LOGS, serviceDigest, serviceLogBlock, serviceLogFile } from "../../src/run/service-logs.js";
import { containerRunArgs, secretValues } from "./container-args.js";
import { docker, dockerOk } from "./docker-cli.js";
import type { DockerScope } from "./docker-scope.js";
import { PrepareFailed, type ImageBuilder } from "./image-builder.js";

/**
 * A check's services (and their services, recursively) as one graph of distinct
 * services: Dagger starts a service once per digest however many times it is bound,
 * so identical specs collapse into one node that answers to every alias it was bound as.
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

/** The image's entrypoint and command, as Docker would run them. */
async function imageCommand(image: string, signal: AbortSignal): Promise<string[]> {
  const config = JSON.parse(await dockerOk(["image", "inspect", "--format", "{{json .Config}}", image], { signal })) as { Entrypoint?: string[] | null; Cmd?: string[] | null };
  return [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
}

function probePort(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 1000 });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.once("connect", () => finish(true));
    socket.once("timeout", () => finish(false));
    socket.once("error", () => finish(false));
  });
}

export interface ServiceStarterOptions {
  scope: DockerScope;
  builder: ImageBuilder;
  secrets: Readonly<Record<string, string>>;
  network: string;
  /** The host directory that holds the check's services' logs (see src/run/service-logs.ts). */
  logsDir: string;
  readyTimeoutMs: number;
  pollMs: number;
}

/** Starts a check's services on its network, each after the services it binds, once each. */
export class ServiceStarter {
  private readonly started = new Map<string, Promise<void>>();

  constructor(
    private readonly nodes: Map<string, ServiceNode>,
    private readonly options: ServiceStarterOptions,
  ) {}

  async startAll(signal: AbortSignal): Promise<void> {
    await Promise.all([...this.nodes.keys()].map((digest) => this.start(digest, signal)));
  }

  private start(digest: string, signal: AbortSignal): Promise<void> {
    let started = this.started.get(digest);
    if (!started) {
      const node = this.nodes.get(digest);
      if (!node) throw new Error(`unknown service ${digest}`);
      started = this.startNode(node, signal);
      this.started.set(digest, started);
    }
    return started;
  }

  private async startNode(node: ServiceNode, signal: AbortSignal): Promise<void> {
    const { scope, builder, secrets, network } = this.options;
    const { container, args, ports } = node.service;
    const [image] = await Promise.all([builder.prepare(container, signal), ...node.needs.map((need) => this.start(need, signal))]);
    const alias = node.aliases[0] as string;
    const name = scope.containerName(alias);
    const run = ["run", "--detach", "--name", name, ...scope.labels(), "--init", "--network", network];
    for (const each of node.aliases) run.push("--network-alias", each);
    run.push(...containerRunArgs(container, true), "--mount", `type=bind,src=${this.options.logsDir},dst=${SERVICE_LOGS.mount}`);
    // As in Dagger: its own args without the entrypoint, else the image's entrypoint and command; output kept in its log.
    const command = args.length > 0 ? args : await imageCommand(image as string, signal);
    run.push("--entrypoint", "", image as string, ...loggedServiceArgs(serviceLogFile(node.service), command));
    const created = await scope.docker(run, { signal, env: secretValues(container, secrets) });
    if (created.code !== 0) throw new PrepareFailed(`service ${alias}`, created.code, created.stdout, created.stderr);
    await this.waitReady(name, alias, ports, signal);
  }

  private async waitReady(name: string, alias: string, ports: readonly number[], signal: AbortSignal): Promise<void> {
    const { network, readyTimeoutMs, pollMs } = this.options;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const inspected = await dockerOk(["inspect", "--format", "{{.State.Running}} {{.State.ExitCode}} {{json .NetworkSettings.Networks}}", name], { signal });
      const [running, exitCode = "1", ...rest] = inspected.split(" ");
      if (running !== "true") {
        await this.fail(name, alias, Number(exitCode), `service ${alias} exited with code ${exitCode} before it was ready`, signal);
      }
      const networks = JSON.parse(rest.join(" ")) as Record<string, { IPAddress?: string }>;
      const ip = networks[network]?.IPAddress;
      const open = ip ? await Promise.all(ports.map((port) => probePort(ip, port))) : ports.map(() => false);
      if (open.every(Boolean)) return;
      if (Date.now() > deadline) {
        const closed = ports.filter((_, i) => !open[i]);
        await this.fail(name, alias, -1, `service ${alias} did not accept connections on port ${closed.join(", ")} within ${Math.round(readyTimeoutMs / 1000)}s`, signal);
      }
      await sleep(pollMs, undefined, { signal });
    }
  }

  private async fail(name: string, alias: string, exitCode: number, reason: string, signal: AbortSignal): Promise<never> {
    const logs = await docker(["logs", "--tail", "400", name], { signal });
    // The same block a check prints for its services' logs, so the report carries it the same way.
    throw new PrepareFailed(`service ${alias}`, exitCode, "", `${serviceLogBlock(alias, `${logs.stdout}${logs.stderr}`)}${reason}\n`);
  }
}
