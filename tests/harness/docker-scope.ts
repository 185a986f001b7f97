import { randomUUID } from "node:crypto";
import { docker, killDockerClients, type DockerCall, type DockerResult } from "./docker-cli.js";

/** Label on every container and network the harness creates; `predeploy.scope` names the owner. */
export const HARNESS_LABEL = "predeploy.harness";
const SCOPE_LABEL = "predeploy.scope";
/** Names this process, so an interrupted harness can remove everything it started. */
const PROCESS_LABEL = "predeploy.process";
const PROCESS_ID = randomUUID();
/** Selects what this process created, so suites sharing one engine do not see each other's objects. */
export const THIS_PROCESS = `${PROCESS_LABEL}=${PROCESS_ID}`;

async function removeLabelled(label: string): Promise<void> {
  // A killed `docker run` client may have had its create request accepted just before;
  // a second pass catches a container that appeared after the first listing.
  for (let pass = 0; pass < 2; pass++) {
    const listed = await docker(["ps", "-aq", "--filter", `label=${label}`]).catch(() => null);
    const ids = listed?.stdout.split(/\s+/).filter(Boolean) ?? [];
    if (ids.length > 0) await docker(["rm", "-f", "-v", ...ids]).catch(() => null);
  }
  const networks = await docker(["network", "ls", "-q", "--filter", `label=${label}`]).catch(() => null);
  const networkIds = networks?.stdout.split(/\s+/).filter(Boolean) ?? [];
  if (networkIds.length > 0) await docker(["network", "rm", ...networkIds]).catch(() => null);
}

/** On SIGINT/SIGTERM: removes every container and network this process started, then exits as a shell would. */
export function cleanUpOnInterrupt(command: string): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      process.stderr.write(`${command}: ${signal}, removing the containers and networks this run started\n`);
      killDockerClients();
      void removeLabelled(THIS_PROCESS).finally(() => process.exit(code));
    });
  }
}

/**
 * Everything one unit of work (a check, or one shared layer build) starts in Docker:
 * containers and a network, all labelled with the scope's id, so that `cleanup` can
 * remove exactly them, also after an abort killed a docker client mid-request.
 */
export class DockerScope {
  readonly id = `predeploy-${randomUUID().slice(0, 12)}`;
  private counter = 0;
  private readonly pending = new Set<Promise<unknown>>();
  private networkName: string | null = null;

  /** A unique container name in this scope, e.g. `predeploy-1a2b…-db-2`. */
  containerName(role: string): string {
    this.counter += 1;
    return `${this.id}-${role.replace(/[^a-zA-Z0-9_.-]/g, "-")}-${this.counter}`;
  }

  labels(): string[] {
    return ["--label", `${HARNESS_LABEL}=1`, "--label", `${SCOPE_LABEL}=${this.id}`, "--label", `${PROCESS_LABEL}=${PROCESS_ID}`];
  }

  docker(args: string[], call: DockerCall = {}): Promise<DockerResult> {
    const running = docker(args, call);
    this.pending.add(running);
    const forget = () => this.pending.delete(running);
    running.then(forget, forget);
    return running;
  }

  /** The scope's private network (created on first use); Docker's default MTU (path MTU discovery copes, see scripts/docker/up.sh). */
  async network(signal: AbortSignal): Promise<string> {
    if (this.networkName) return this.networkName;
    const name = `${this.id}-net`;
    const result = await this.docker(["network", "create", ...this.labels(), name], { signal });
    if (result.code !== 0) throw new Error(`docker network create failed: ${result.stderr.trim()}`);
    this.networkName = name;
    return name;
  }

  /** Removes the scope's containers (with their anonymous volumes) and network. Never throws. */
  async cleanup(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await removeLabelled(`${SCOPE_LABEL}=${this.id}`);
  }
}
