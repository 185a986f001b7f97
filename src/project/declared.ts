/**
 * What a repository declares about how it is built, started and served, each fact with the
 * file and line it came from, so that `plan` can say where every part of the verify stack
 * came from. The readers (compose.ts, procfile.ts, platforms.ts, ci-workflow.ts, dockerfile.ts,
 * settings.ts) produce these; the plan chooses among them.
 */

/** Where a fact was read: a source-relative file and a 1-based line (null: the file as a whole). */
export interface Origin {
  file: string;
  line: number | null;
}

export interface Declared<T> {
  value: T;
  from: Origin;
}

/** `file:line` (or `file`), for messages and `plan`. */
export function describeOrigin(origin: Origin): string {
  return origin.line === null ? origin.file : `${origin.file}:${origin.line}`;
}

/**
 * A command as a declaration writes it: an argument list (exec form, a YAML list), or one string
 * a shell runs (shell form, a Procfile line, a compose string command).
 */
export type DeclaredCommand = { form: "exec"; argv: string[] } | { form: "shell"; text: string };

/** A healthcheck as declared: the command that tests the service, run inside it. */
export interface DeclaredHealthcheck {
  /** The test as a shell command (CMD forms are shell-quoted). */
  command: string;
  /** The HTTP path it requests on the service itself (localhost or 127.0.0.1), when it requests one. */
  path: string | null;
  /** The port that request goes to, when it names one. */
  port: number | null;
}

/** A Dockerfile build as a declaration names it (compose `build:`, heroku.yml, fly.toml, render.yaml). */
export interface DeclaredBuild {
  /** Source-relative build context. */
  context: string;
  /** Source-relative path of the Dockerfile. */
  dockerfile: string;
  /** The stage built, when named. */
  target: string | null;
}

/** A service the deployment runs beside the backend (a compose service, a CI job's service). */
export interface DeclaredService {
  /** Its name: the host name the others reach it by. */
  name: string;
  /** Its image (after interpolation): the one it pulls, or, with `build`, the tag its build is given. */
  image: string | null;
  build: DeclaredBuild | null;
  /** Its environment as declared (interpolated; env files merged first, `environment:` over them). */
  environment: Record<string, string>;
  /** Ports it serves inside its container (container side of `ports:`, `expose:`). */
  ports: number[];
  command: DeclaredCommand | null;
  entrypoint: DeclaredCommand | null;
  healthcheck: DeclaredHealthcheck | null;
  /** Services it depends on (by name). */
  dependsOn: string[];
  from: Origin;
}
