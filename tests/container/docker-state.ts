import { setTimeout as sleep } from "node:timers/promises";
import { dockerOk } from "../harness/docker-cli.js";
import { THIS_PROCESS } from "../harness/docker-scope.js";

/** Ids of the containers and networks this process's harness created that exist now. */
export async function harnessObjects(): Promise<Set<string>> {
  const filter = ["--filter", `label=${THIS_PROCESS}`];
  const containers = await dockerOk(["ps", "-aq", ...filter]);
  const networks = await dockerOk(["network", "ls", "-q", ...filter]);
  return new Set([...containers.split("\n"), ...networks.split("\n")].filter(Boolean));
}

/** Harness objects that exist now but not in `before`, waiting up to `withinMs` for them to go. */
export async function leftovers(before: ReadonlySet<string>, withinMs: number): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const extra = [...(await harnessObjects())].filter((id) => !before.has(id));
    if (extra.length === 0 || Date.now() > deadline) return extra;
    await sleep(250);
  }
}
