import type { Stage } from "./report.js";

/**
 * A check as data: everything an executor needs to build its container, run its
 * command and hand the output to its parser. Both executors (Dagger for users, Docker
 * for our tests) translate exactly this, so what the tests prove is what users run.
 */

/** A directory of the source tree copied into the container (Dagger `withDirectory`). */
export interface SourceCopy {
  /** Path relative to the source root; "." for the whole tree. */
  from: string;
  /** Absolute path inside the container. */
  to: string;
  /** Globs relative to `from`; when set, only matching files are copied (lockfiles for installs). */
  include?: string[];
  exclude?: string[];
}

/** One build step of a container, applied in order. Each is a cacheable layer. */
export type Layer =
  | { kind: "copy"; copy: SourceCopy }
  /** A file the module writes itself (Dagger `withNewFile`), e.g. the e2e probe script. */
  | { kind: "file"; path: string; contents: string }
  /** A command that must succeed, e.g. a dependency install (Dagger `withExec`). */
  | { kind: "exec"; args: string[] };

/** Where a container starts from: a published image, or a Dockerfile in the source. */
export type Base =
  | { kind: "image"; image: string }
  | { kind: "dockerfile"; context: string; dockerfile: string; target?: string };

export interface CacheMount {
  /** Absolute path inside the container. */
  path: string;
  /** Cache volume name; equal names share one volume across checks and runs. */
  volume: string;
}

/**
 * Executors apply a container in this order: base, caches, env, workdir, layers, then
 * secretEnv and services, then the command — so dependency layers never see secrets or
 * services, and stay cached when only those change.
 */
export interface ContainerSpec {
  base: Base;
  /** Absolute working directory inside the container; unset keeps the image's own (Dockerfile builds). */
  workdir?: string;
  env: Record<string, string>;
  /** Environment variable name → secret name (a key of the run's secrets). */
  secretEnv: Record<string, string>;
  caches: CacheMount[];
  layers: Layer[];
  services: ServiceBinding[];
}

/**
 * A long-running container reachable from its dependants by `alias`. Executors run it under
 * predeploy's service wrapper (src/run/services.ts): it starts once the services it binds are
 * ready, keeps its output in the run's log, and signals its own readiness; whatever binds it
 * waits for that, so ordering comes from the plan, not from an engine.
 */
export interface ServiceSpec {
  /** Its name in logs and messages (`db`, `backend`, `migrate`): part of the spec, so equal specs are one service. */
  name: string;
  container: ContainerSpec;
  /** The service's command; empty: its image's entrypoint and CMD, as the image would start. */
  args: string[];
  /** Ports it serves: it is ready once each is listened on at an address other than loopback. */
  ports: number[];
  /** A shell command run inside it once its ports listen, until it exits 0 (the project's healthcheck, e.g. `pg_isready`). */
  readiness?: string;
  /** A job, not a server (a release step such as the migrations): ready once its command has exited 0. */
  oneShot?: boolean;
  /** Seconds it may take to be ready (default: run/runtime.ts READY_SECONDS). */
  readySeconds?: number;
  /** `args` replace the image's CMD but keep its ENTRYPOINT, as Docker runs a command (compose `command:`, a platform's process). */
  useEntrypoint?: boolean;
}

export interface ServiceBinding {
  alias: string;
  service: ServiceSpec;
}


/**
 * How the check's tool fixes its findings: one command per finding's file, run where the check
 * runs. `{file}` is the finding's file relative to `cwd`; `{app}` the Django app it names.
 */
export interface FixSpec {
  argv: string[];
  /** Source-relative directory the command runs in (the container's working directory). */
  cwd: string;
  safe: boolean;
  /** Only findings with these rules (every finding when absent). */
  rules?: string[];
}

export type Ecosystem = "python" | "node";

/**
 * What a tool is for. The registry's rules read it (one formatter per ecosystem, one test runner),
 * and so does `--fix` (formatters' fixes run last, so the formatter has the last word).
 */
export type ToolRole = "linter" | "formatter" | "type-checker" | "test-runner" | "build" | "checklist" | "link-checker" | "release" | "probe";

/** The tool a check runs, as its registry entry names it. */
export interface ToolInfo {
  /** The executable, as a missing-tool message names it (the overriding command's, when predeploy.json replaces the command). */
  program: string;
  ecosystem: Ecosystem;
  role: ToolRole;
}

export interface CheckSpec {
  /** Stable id, e.g. `quality.ruff-check`, `build.worker-bundle.intake`. */
  id: string;
  /** The tool it runs, as its registry entry (tools/) names it. */
  tool: ToolInfo;
  stage: Stage;
  title: string;
  container: ContainerSpec;
  /** The check's own command; its exit code and output are what the parser reads. */
  command: string[];
  /** Files read from the container after the command (e.g. a JUnit XML report). */
  outputFiles: string[];
  /** The parser that reads its output: a key of src/parse/index.ts's `parsers` (each plan names registered ones only: the entries' ids are typed). */
  parser: string;
  /** Source-relative directory the tool's relative paths are relative to ("." for the root). */
  pathBase: string;
  /** Ids of the checks that must pass first; when one does not, this check is skipped. */
  dependsOn: string[];
  /**
   * Ids of the checks whose passing is enough to build this check's container and start its
   * services (a subset of what `dependsOn` needs, e.g. the backend image but not the migrations
   * check): they start then, and the command still waits for every `dependsOn`. Absent: everything
   * starts once `dependsOn` has passed.
   */
  prepareAfter?: string[];
  timeoutMs: number;
  /** Why the plan has it: the declaration that adopted its tool, or what it verifies. */
  why?: string;
  /**
   * Whose fault a failed set-up step (an install layer) is, when it is not the project's: said
   * instead, and the check is `error`. E.g. the project's own image installs the same requirements.
   */
  setupFault?: string;
  fix?: FixSpec;
}
