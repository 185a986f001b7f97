import { CACHE_VOLUME_PREFIX } from "./container-args.js";
import { docker, dockerOk } from "./docker-cli.js";
import { CACHE_LABEL } from "./image-builder.js";
import { ResultStore } from "./result-cache.js";

/** Garbage collection and reset of the harness's layer-cache images, cache volumes and stored results. */

interface CachedImage {
  ref: string;
  createdAt: string;
}

async function cachedImages(): Promise<CachedImage[]> {
  const listed = await dockerOk(["images", "--filter", `label=${CACHE_LABEL}=1`, "--format", "{{.Repository}}:{{.Tag}}\t{{.CreatedAt}}\t{{.ID}}"]);
  return listed
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [ref = "", createdAt = "", id = ""] = line.split("\t");
      return { ref: ref === "<none>:<none>" ? id : ref, createdAt };
    });
}

/**
 * Keeps the `keep` newest cache images plus those in `inUse`; removes the rest (an image
 * that a container still uses, or a parent of a kept image, just loses its tag).
 */
export async function collectGarbage(keep: number, inUse: ReadonlySet<string>): Promise<number> {
  const images = (await cachedImages()).filter((image) => !inUse.has(image.ref));
  images.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const doomed = images.slice(Math.max(0, keep - inUse.size)).map((image) => image.ref);
  if (doomed.length > 0) await docker(["rmi", ...doomed]);
  return doomed.length;
}

/**
 * Removes every stored result, layer-cache image and cache volume: the next run is cold.
 * Returns the cache volumes it could not remove because a running container (another run on
 * this engine) uses them; with none, the next run is completely cold.
 */
export async function clearCaches(results: ResultStore = new ResultStore()): Promise<string[]> {
  await results.clear();
  const refs = (await cachedImages()).map((image) => image.ref);
  if (refs.length > 0) await docker(["rmi", "-f", ...refs]);
  const volumes = await dockerOk(["volume", "ls", "-q", "--filter", `name=${CACHE_VOLUME_PREFIX}`]);
  const names = volumes.split("\n").filter((name) => name.startsWith(CACHE_VOLUME_PREFIX));
  const kept: string[] = [];
  for (const name of names) if ((await docker(["volume", "rm", "-f", name])).code !== 0) kept.push(name);
  return kept;
}

/** Removes the cache volumes whose names start with one of `prefixes` (e.g. the tool caches); throws if one is in use. */
export async function removeCacheVolumes(prefixes: readonly string[]): Promise<string[]> {
  const volumes = (await dockerOk(["volume", "ls", "-q", "--filter", `name=${CACHE_VOLUME_PREFIX}`])).split("\n");
  const names = volumes.filter((name) => prefixes.some((prefix) => name.startsWith(`${CACHE_VOLUME_PREFIX}${prefix}`)));
  if (names.length > 0) await dockerOk(["volume", "rm", ...names]);
  return names;
}
