import type { Config } from "../model/config.js";
import type { Images } from "./containers.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./constants.js";
import type { Stack } from "../project/discover.js";
import type { CheckSpec } from "../model/spec.js";
import type { StackCheck } from "../tools/types.js";

/** What every part of the catalogue reads. */
export interface CatalogueContext {
  stack: Stack;
  config: Config;
  images: Images;
  /** Which images predeploy.json or the caller named (the others are the defaults, which a project's own declaration may replace). */
  imagesConfigured: Partial<Record<keyof Images, boolean>>;
  /** The caller passed a database URL: nothing binds a throw-away Postgres except the tests. */
  externalDatabase: boolean;
}

/** A check the registry knows but this project does not run, and why (shown by `plan`). */
export interface LeftOut {
  id: string;
  stage: CheckSpec["stage"];
  title: string;
  reason: string;
}

type CheckFields = Omit<CheckSpec, "timeoutMs" | "outputFiles" | "dependsOn" | "pathBase"> &
  Partial<Pick<CheckSpec, "outputFiles" | "dependsOn" | "pathBase">>;

/** Fills the fields most checks share. Per-check overrides from predeploy.json are applied later, in one place. */
export function check(context: CatalogueContext, fields: CheckFields): CheckSpec {
  const seconds = context.config.timeouts.defaultSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  return { outputFiles: [], dependsOn: [], pathBase: ".", ...fields, timeoutMs: seconds * 1000 };
}

/** A check of the stack (tools/stack-checks.ts) for `name` (its worker or site, if one per part): the entry's identity, tool and parser, the plan's container. */
export function stackCheck(context: CatalogueContext, entry: StackCheck, name: string | undefined, fields: Omit<CheckFields, "id" | "stage" | "parser" | "tool" | "title"> & { title?: string }): CheckSpec {
  return check(context, { ...entry.check(name), tool: { program: entry.program, ecosystem: entry.ecosystem, role: entry.role }, parser: entry.parser, ...fields });
}
