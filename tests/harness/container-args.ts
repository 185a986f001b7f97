import type { ContainerSpec } from "../../src/model/spec.js";

export const CACHE_VOLUME_PREFIX = "predeploy-cache-";

/** Docker volume backing a Dagger cache volume of the same name. */
export function cacheVolumeName(volume: string): string {
  return `${CACHE_VOLUME_PREFIX}${volume}`;
}

/**
 * `docker run` flags for a container's workdir, env and cache mounts (and, for the
 * check's command and services, its secrets by name only: `-e NAME`, the value comes
 * from the docker client's environment, see `secretValues`).
 */
export function containerRunArgs(container: ContainerSpec, withSecrets: boolean): string[] {
  const args: string[] = [];
  if (container.workdir) args.push("--workdir", container.workdir);
  for (const [name, value] of Object.entries(container.env)) args.push("--env", `${name}=${value}`);
  for (const cache of container.caches) {
    args.push("--mount", `type=volume,src=${cacheVolumeName(cache.volume)},dst=${cache.path},volume-nocopy`);
  }
  if (withSecrets) for (const name of Object.keys(container.secretEnv)) args.push("--env", name);
  return args;
}

/** Environment for the docker client that carries the secret values to `-e NAME`. */
export function secretValues(container: ContainerSpec, secrets: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, secretName] of Object.entries(container.secretEnv)) {
    const value = secrets[secretName];
    if (value === undefined) throw new Error(`secret "${secretName}" (for ${name}) is not among the run's secrets`);
    env[name] = value;
  }
  return env;
}
