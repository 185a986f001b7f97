import { programOf } from "../../src/model/program.js";
import type { CheckSpec, ContainerSpec } from "../../src/model/spec.js";

/** A bare container spec: the image, nothing else unless overridden. */
export function containerSpec(image: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return { base: { kind: "image", image }, workdir: "/", env: {}, secretEnv: {}, caches: [], layers: [], services: [], ...overrides };
}

/** A CheckSpec for tests: its stage from the id's prefix, an exit-code check of its command's program unless overridden. */
export function checkSpec(id: string, overrides: Partial<CheckSpec> = {}): CheckSpec {
  const [stage] = id.split(".") as [CheckSpec["stage"]];
  const command = overrides.command ?? ["sh", "-c", `echo ${id}`];
  return {
    id,
    stage,
    title: id,
    tool: { program: programOf(command), ecosystem: "node", role: "build" },
    container: containerSpec("busybox"),
    command,
    outputFiles: [],
    parser: "exit-code",
    pathBase: ".",
    dependsOn: [],
    timeoutMs: 5_000,
    ...overrides,
  };
}
