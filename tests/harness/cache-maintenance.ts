import { CACHE_VOLUME_PREFIX } from "./container-args.js";
import { docker, dockerOk } from "./docker-cli.js";
import { CACHE_LABEL } from "./image-builder.js";

/** Garbage collection and reset of the harness's layer-cache images and cache volumes. */

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

/** Removes every layer-cache image and cache volume: the next run is cold. */
export async function clearCaches(): Promise<void> {
  const refs = (await cachedImages()).map((image) => image.ref);
  if (refs.length > 0) await docker(["rmi", "-f", ...refs]);
  const volumes = await dockerOk(["volume", "ls", "-q", "--filter", `name=${CACHE_VOLUME_PREFIX}`]);
  const names = volumes.split("\n").filter((name) => name.startsWith(CACHE_VOLUME_PREFIX));
  if (names.length > 0) await dockerOk(["volume", "rm", "-f", ...names]);
}
