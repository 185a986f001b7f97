import { docker } from "../harness/docker-cli.js";

/**
 * Whether a Docker engine answers. Without one the container suite is skipped, loudly:
 * every test is marked skipped with the reason (never passed), and one line says so.
 * `PREDEPLOY_DOCKER=unavailable` (set by scripts/test.sh when the engine or the base
 * images could not be set up) counts as no engine.
 */
async function probeEngine(): Promise<string | null> {
  if (process.env.PREDEPLOY_DOCKER === "unavailable") return "PREDEPLOY_DOCKER=unavailable: the engine or the base images could not be set up";
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("docker info did not answer within 20s")), 20_000);
  try {
    const info = await docker(["info", "--format", "{{.ServerVersion}}"], { signal: controller.signal });
    if (info.code !== 0) return (info.stderr.trim().split("\n").pop() ?? "docker info failed").slice(0, 300);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

const problem = await probeEngine();
// In CI the container suite is the proof: a missing engine fails it instead of skipping it.
if (problem !== null && process.env.CI === "true") throw new Error(`CI=true but no Docker engine answers (${problem}): the container suite cannot be skipped in CI`);
if (problem !== null) console.log(`SKIPPED: no Docker engine (${problem})`);

/** `skip` option for node:test: false when the engine answers, else the reason. */
export const skipWithoutEngine: string | false = problem === null ? false : `no Docker engine (${problem})`;
