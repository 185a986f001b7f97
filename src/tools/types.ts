import type { Stage } from "../model/report.js";
import type { Ecosystem, Layer, ToolRole } from "../model/spec.js";
import type { ParserId } from "../parse/index.js";
import type { NodePackage } from "../project/discover.js";
import type { PythonProject } from "../project/python-project.js";

/**
 * A tool as the registry knows it: when the project adopted it, the check it becomes, the
 * command (targets from the tool's own configuration), the parser that reads it, the caches
 * it keeps. The plan, `tool-missing` and the tests derive from these entries alone.
 */
export type { Ecosystem, ToolRole } from "../model/spec.js";

/**
 * A cache a tool keeps between runs on a volume of the project's own (tools/tool-caches.ts scopes
 * it): a directory under the tool-cache root, named by the tool.
 */
export interface ToolCache {
  /** The volume's and the directory's name (`mypy`: volume `predeploy-mypy-<scope>` at `<root>/mypy`). */
  name: string;
  /** The environment variable pointing the tool at it; absent: the tool's command names it (tsc's --tsBuildInfoFile). */
  env?: string;
  /** The tool trusts a cached file by its mtime: every Python file's mtime is set from its content first. */
  byMtime?: boolean;
}

export interface CheckIdentity {
  id: string;
  stage: Stage;
  title: string;
}

/**
 * Why a tool runs (the declaration that adopted it) or why it does not. Adopted `byDefault`: taken
 * for want of another (ruff's formatter in a ruff project, Django's own test runner), so it yields
 * to a tool of the same role the project did adopt (tools/registry-rules.ts).
 */
export type Adoption = { adopted: true; by: string; byDefault?: true } | { adopted: false; why: string };

export const adoptedBy = (by: string): Adoption => ({ adopted: true, by });
export const adoptedByDefault = (by: string): Adoption => ({ adopted: true, by, byDefault: true });
export const notAdopted = (why: string): Adoption => ({ adopted: false, why });

interface PythonToolFields {
  ecosystem: "python";
  /** The executable, as `tool-missing` names it. */
  program: string;
  role: ToolRole;
  check: CheckIdentity;
  parser: ParserId;
  adoption(project: PythonProject): Adoption;
  /** What a pass proves, for the README's check table (scripts/gen-config-docs.ts writes it). */
  proves: string;
  /** Environment the tool needs beyond the project's (e.g. a settings module only its config can name). */
  env?(project: PythonProject): Record<string, string>;
  /** The caches it keeps between runs (see tools/tool-caches.ts). */
  caches: ToolCache[];
  /** What it writes into the tree when run on a developer's machine (globs): never an input of a check (plan/containers.ts SOURCE_EXCLUDES). */
  writes?: readonly string[];
  /** It imports the project's settings (so gets SECRET_KEY, DATABASE_URL, …); linters that only read files get no secret. */
  importsSettings: boolean;
  /**
   * It never imports the project, so it is installed by itself (these requirements, at the project's
   * versions) rather than in the project's environment: its verdict never waits on, or fails with,
   * the project's heavier dependencies. Absent: it runs in the project's development environment.
   */
  standalone?(project: PythonProject): string[];
  /** How the tool fixes a finding (`{file}`, `{app}` placeholders), run in the project directory; none: it cannot. */
  fix?(project: PythonProject): { argv: string[]; safe: boolean; rules?: string[] };
  /**
   * What a standalone tool reads, as globs over the source (its code and its configuration): only
   * these are copied into its container, so an edit elsewhere (a template, a stylesheet) does not
   * re-run it. Absent: the whole source.
   */
  inputs?: readonly string[];
  /**
   * Files a tool of the development environment never reads (globs), left out of its copy of the
   * source, so editing them does not re-run it: a type checker and a site's templates.
   */
  ignores?: readonly string[];
  /** It needs the run's throw-away Postgres. */
  database?: boolean;
  outputFiles?: string[];
}

/** A tool run in the project's development environment (its dependencies installed, the run's database when it needs one). */
export interface DevelopmentTool extends PythonToolFields {
  environment?: undefined;
  /** Run in the Python project directory. */
  command(project: PythonProject): string[];
}

/**
 * A Django management command run in the built backend image with the environment the backend
 * gets at start (without a Dockerfile, in the production dependencies): what the deployment
 * runs, not what the developers have. It waits for the image's own set-up (build.backend-image).
 */
export interface ImageTool extends PythonToolFields {
  environment: "image";
  /** manage.py's arguments; the image's Python and manage.py are found as for build.backend-image. */
  manage(project: PythonProject): string[];
}

export type PythonTool = DevelopmentTool | ImageTool;

/** What a Node package is in the stack. */
export type NodeRole = "worker" | "site";

export interface NodeTool {
  ecosystem: "node";
  program: string;
  role: ToolRole;
  /** The packages it applies to: workers, sites or both. */
  packages: NodeRole[];
  /** Its check for the package of this name (the id names it, e.g. `quality.tsc.<worker>`). */
  check(name: string, role: NodeRole): CheckIdentity;
  /** What a pass proves, for the README's check table (scripts/gen-config-docs.ts writes it). */
  proves: string;
  parser: ParserId;
  adoption(pkg: NodePackage): Adoption;
  /** Run in the package's container (its workdir is where the install ran); `workerRoutes`: every worker's route patterns. */
  command(pkg: NodePackage, siteOutput: string, workerRoutes: readonly string[]): string[];
  /** The checks of the same package that must pass first (e.g. its build). */
  dependsOn?(name: string, role: NodeRole): string[];
  /** What predeploy installs or writes into its container for it (a pinned tool, a program), after the package's install and before its source. */
  layers?(): Layer[];
  /**
   * What it reads, as globs over its package's copy (the package, or the workspace it installs in):
   * only these are copied, so an edit elsewhere (a stylesheet, a README, wrangler's configuration)
   * does not re-run it. Absent: the whole copy.
   */
  inputs?: readonly string[];
  /** How the tool fixes a finding's `{file}`, run in the package's container; none: it cannot. */
  fix?(pkg: NodePackage): { argv: string[]; safe: boolean };
  caches: ToolCache[];
  /** What it writes into the tree when run on a developer's machine (globs): never an input of a check. */
  writes?: readonly string[];
}

/**
 * Where a check of the deployable stack runs: the built backend image, the running stack the verify
 * stage starts (its services bound), or the deployed environment `smoke` asks.
 */
export type StackEnvironment = "image" | "stack" | "deployed";

/**
 * A check of the stack itself (tools/stack-checks.ts): its identity, what a pass proves, what it waits
 * for, the program it runs and its parser. Which parts of the stack it applies to, and its container,
 * are the plan's: they follow from what discovery found (the backend, each worker and site).
 */
export interface StackCheck {
  environment: StackEnvironment;
  ecosystem: Ecosystem;
  program: string;
  role: ToolRole;
  /** One check per worker or per site (its name in the id), else one for the stack. */
  per?: NodeRole;
  /** Its check, for the worker or site `name` where it is one per part. */
  check(name?: string): CheckIdentity;
  /** What a pass proves, for the README's check table. */
  proves: string;
  /** What it waits for, in words ("" when nothing). */
  waitsFor: string;
  parser: ParserId;
}

export type Tool = PythonTool | NodeTool;
