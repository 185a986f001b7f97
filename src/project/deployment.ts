import type { Config } from "../model/config.js";
import type { ComposeFile } from "./compose.js";
import type { Declarations } from "./declarations.js";
import { describeOrigin, type Declared, type DeclaredBuild, type DeclaredCommand, type DeclaredService } from "./declared.js";
import { dockerfileFacts, type DockerfileFacts } from "./dockerfile-facts.js";
import { imageCommand, words, type ImageCommand } from "./dockerfile.js";
import { listenPort } from "./start-port.js";
import { join, type SourceTree } from "./source-tree.js";
import { shellQuote } from "./shell-quote.js";

/**
 * How the repository deploys its backend, as it declares it: which Dockerfile is built, how the
 * image starts, its release step, the port it listens on and the route its health is asked on.
 * Each choice says which declaration it came from, and which others there were.
 */

/** The backend's Dockerfile, its build, and why it is the one. */
export interface BackendImage {
  path: string;
  context: string;
  /** The stage built: the declaration's target, predeploy.json's backend.target, else the final one. */
  target: string | null;
  facts: DockerfileFacts | null;
  /** The deployed stage's ENTRYPOINT, CMD and ENV. */
  command: ImageCommand | null;
  why: string;
  /** Other Dockerfiles the repository declares or holds, for `plan`. */
  others: string[];
}

/** A command the deployment runs in the image, as an argument list; through the image's ENTRYPOINT as Docker runs a command. */
export interface DeployedCommand {
  argv: string[];
  useEntrypoint: boolean;
  why: string;
}

export interface Deployment {
  image: BackendImage | null;
  /** The web process, when something declares it; null: the image's own command (or runserver without a Dockerfile). */
  start: DeployedCommand | null;
  /** The release step run in the image before the backend starts (the migrations), when declared. */
  release: DeployedCommand | null;
  port: { port: number; why: string };
  /** The route the health probe asks, and on which port, when something declares one. */
  health: { path: string; port: number | null; why: string } | null;
  /** The compose service the backend is (its environment and backing services), when a compose file has it. */
  web: { service: DeclaredService; file: ComposeFile } | null;
  /** Plain environment the deployment gives the backend (platform [env], the web service's environment). */
  env: Record<string, string>;
}

const WEB_NAMES = /^(django|web|app|backend|api|server|site|wagtail|webapp)$/i;
const NOT_WEB = /(celery|worker|beat|flower|scheduler|cron|rq|huey|dramatiq|nginx|traefik|caddy|proxy|docs|mail|postgres|postgis|db|database|redis|valkey|mysql|mariadb|rabbit|minio|elastic|memcache)/i;
const BACKGROUND = /\b(celery|rqworker|rq worker|huey|dramatiq|beat)\b/;
const PRODUCTION_FILE = /prod/i;

function commandText(command: DeclaredCommand | null): string {
  return command === null ? "" : command.form === "exec" ? command.argv.join(" ") : command.text;
}

/** The compose service that serves the web: built from the repository, not a worker, a proxy or a store. */
export function webServiceOf(file: ComposeFile): DeclaredService | null {
  const built = file.services.filter((s) => s.build !== null && !NOT_WEB.test(s.name) && !BACKGROUND.test(commandText(s.command)));
  return built.find((s) => WEB_NAMES.test(s.name)) ?? built.find((s) => s.ports.length > 0 || s.healthcheck !== null) ?? built[0] ?? null;
}

interface Candidate {
  build: DeclaredBuild;
  why: string;
}

/** Dockerfiles whose names say production, in the folders repositories keep them in. */
async function productionDockerfiles(tree: SourceTree): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await tree.list(dir)) {
      const path = join(dir, entry.replace(/\/$/, ""));
      if (entry.endsWith("/")) {
        if (depth < 3 && (dir !== "." || /^(docker|deploy|deployment|compose|\.docker|infra|ops)\/$/.test(entry))) await visit(path, depth + 1);
      } else if (/dockerfile/i.test(entry) && (PRODUCTION_FILE.test(entry) || PRODUCTION_FILE.test(dir))) {
        found.push(path);
      }
    }
  };
  await visit(".", 0);
  return found.sort();
}

/** Where the plain `docker build` forms look when nothing declares a build. */
function knownLocations(djangoDir: string): string[] {
  return [...new Set([join(djangoDir, "Dockerfile"), "apps/web/Dockerfile", "docker/django.Dockerfile"])];
}

function dirOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
}

/**
 * Every Dockerfile the repository offers for the backend, the deployed one first: predeploy.json's,
 * then the one a production declaration builds (a production compose file, heroku.yml, fly.toml,
 * render.yaml), a `*production*` Dockerfile, the root Dockerfile; then the development compose file's
 * web service; then the conventional places.
 */
async function candidates(tree: SourceTree, config: Config, djangoDir: string, declarations: Declarations): Promise<Candidate[]> {
  const byRole = (role: ComposeFile["role"]) =>
    declarations.compose
      .filter((file) => file.role === role)
      .flatMap((file) => {
        const web = webServiceOf(file);
        return web?.build ? [{ build: web.build, why: `${describeOrigin(web.from)}: ${file.role === "default" ? "the" : `the ${file.role}`} compose file's web service (${web.name}) builds it` }] : [];
      });
  const plain = (path: string, why: string): Candidate => ({ build: { context: dirOf(path), dockerfile: path, target: null }, why });
  const list: Candidate[] = [];
  if (config.paths.dockerfile !== undefined) list.push(plain(config.paths.dockerfile, "predeploy.json paths.dockerfile"));
  list.push(...byRole("production"));
  for (const platform of declarations.platforms) {
    if (platform.build !== null) list.push({ build: platform.build.value, why: `${describeOrigin(platform.build.from)}: ${platform.platform} deploys it` });
  }
  for (const path of await productionDockerfiles(tree)) list.push(plain(path, `${path}: its name says production`));
  list.push(plain("Dockerfile", "the root Dockerfile"));
  list.push(...byRole("default"), ...byRole("development"), ...byRole("test"));
  for (const path of knownLocations(djangoDir)) list.push(plain(path, `${path}: the conventional place of the backend's Dockerfile`));
  return list;
}

/** The local sources of COPY/ADD instructions: not `--from` stages, URLs or paths built from variables; globs cut to their directory. */
export function copySources(dockerfile: string): string[] {
  const instructions = dockerfile.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const sources: string[] = [];
  for (const line of instructions) {
    const match = /^\s*(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!match) continue;
    const rest = (match[2] as string).trim();
    let args: string[];
    if (rest.startsWith("[")) {
      try {
        args = (JSON.parse(rest) as unknown[]).map(String);
      } catch {
        continue;
      }
    } else {
      args = rest.split(/\s+/);
    }
    const flags = args.filter((a) => a.startsWith("--"));
    if (flags.some((f) => /^--from=/i.test(f))) continue;
    const paths = args.filter((a) => !a.startsWith("--")).slice(0, -1);
    for (const source of paths) {
      if (source.includes("$") || /^[a-z]+:\/\//i.test(source) || source.startsWith("<<")) continue;
      const glob = source.search(/[*?[]/);
      const path = (glob === -1 ? source : source.slice(0, source.lastIndexOf("/", glob) + 1)).replace(/^\.\//, "").replace(/\/+$/, "");
      sources.push(path === "" ? "." : path);
    }
  }
  return sources.filter((s) => s !== ".");
}

/** The build context that fits a Dockerfile not built by a declaration: where its COPY sources are (the root when both fit). */
async function fittingContext(tree: SourceTree, dockerfile: string, copies: readonly string[]): Promise<string> {
  const own = dirOf(dockerfile);
  if (own === ".") return ".";
  const exists = async (path: string) => (await tree.readText(path)) !== null || (await tree.list(path)).length > 0;
  const found = async (context: string) => (await Promise.all(copies.map((s) => exists(join(context, s))))).filter(Boolean).length;
  const [atRoot, atOwn] = await Promise.all([found("."), found(own)]);
  return atOwn > atRoot ? own : ".";
}

/** The backend's image: the first candidate that exists, with its facts; predeploy.json's context and target win. */
export async function chooseImage(tree: SourceTree, config: Config, djangoDir: string, declarations: Declarations, problems: string[]): Promise<BackendImage | null> {
  const all = await candidates(tree, config, djangoDir, declarations);
  const existing: { candidate: Candidate; text: string }[] = [];
  for (const candidate of all) {
    if (existing.some((e) => e.candidate.build.dockerfile === candidate.build.dockerfile)) continue;
    const text = await tree.readText(candidate.build.dockerfile);
    if (text !== null) existing.push({ candidate, text });
    else if (candidate.why.startsWith("predeploy.json")) {
      problems.push(`predeploy.json: paths.dockerfile is "${candidate.build.dockerfile}" but no such file exists; fix the path or remove it`);
      return null;
    }
  }
  const chosen = existing[0];
  if (chosen === undefined) return null;
  const { build, why } = chosen.candidate;
  const target = config.backend.target ?? build.target ?? null;
  const facts = dockerfileFacts(chosen.text, build.dockerfile, target ?? undefined);
  const declaredContext = !why.startsWith("predeploy.json") && !why.endsWith("Dockerfile") && !why.includes("its name says") && !why.includes("conventional place");
  const context = config.paths.dockerContext ?? (declaredContext ? build.context : await fittingContext(tree, build.dockerfile, copySources(chosen.text)));
  const command = imageCommand(chosen.text, target ?? undefined);
  return { path: build.dockerfile, context, target, facts, command, why, others: existing.slice(1).map((e) => e.candidate.build.dockerfile) };
}

/** A declared command as the argument list its declarer runs: a compose string is split as compose splits it, a platform's line runs in a shell. */
function argvOf(command: DeclaredCommand, shellLine: boolean): string[] {
  if (command.form === "exec") return command.argv;
  return shellLine ? ["sh", "-c", command.text] : words(command.text);
}

/** The compose services, production first, that build this image (their command, environment, healthcheck). */
function servicesBuilding(declarations: Declarations, image: BackendImage | null): { service: DeclaredService; file: ComposeFile }[] {
  const order: ComposeFile["role"][] = ["production", "default", "development", "test"];
  return order.flatMap((role) =>
    declarations.compose
      .filter((file) => file.role === role)
      .flatMap((file) => {
        const web = webServiceOf(file);
        return web !== null && (image === null || web.build?.dockerfile === image.path) ? [{ service: web, file }] : [];
      }),
  );
}

/** The image runs a command of its own: a CMD it sets (an inherited or absent one is the base image's, e.g. `python3`). */
function ownCommand(image: BackendImage): boolean {
  return typeof image.command?.cmd === "object" && image.command.cmd !== null;
}

/** How the web process starts when the image does not say: the platform, the Procfile's web:, the compose service's command. */
function declaredStart(declarations: Declarations, web: DeclaredService | null): DeployedCommand | null {
  for (const platform of declarations.platforms) {
    if (platform.start !== null) return { argv: argvOf(platform.start.value, platform.platform !== "fly"), useEntrypoint: true, why: `${describeOrigin(platform.start.from)}: ${platform.platform}'s web process` };
  }
  const procfileWeb = declarations.procfile?.web;
  if (procfileWeb !== undefined) return { argv: ["sh", "-c", procfileWeb.value], useEntrypoint: true, why: `${describeOrigin(procfileWeb.from)}: the Procfile's web process` };
  if (web?.command) return { argv: argvOf(web.command, false), useEntrypoint: true, why: `${describeOrigin(web.from)}: the compose service ${web.name}'s command` };
  return null;
}

function declaredRelease(declarations: Declarations): DeployedCommand | null {
  for (const platform of declarations.platforms) {
    if (platform.release !== null) return { argv: argvOf(platform.release.value, platform.platform !== "fly"), useEntrypoint: true, why: `${describeOrigin(platform.release.from)}: ${platform.platform}'s release command` };
  }
  const release = declarations.procfile?.release;
  return release === undefined ? null : { argv: ["sh", "-c", release.value], useEntrypoint: true, why: `${describeOrigin(release.from)}: the Procfile's release process` };
}

/** The text of files a start command may run (scripts the Dockerfile copies into the image), by their path in the image. */
async function copiedScripts(tree: SourceTree, image: BackendImage | null): Promise<Map<string, string>> {
  const scripts = new Map<string, string>();
  for (const { source, destination } of (image?.facts?.copies ?? []).slice(0, 40)) {
    const text = await tree.readText(join(image?.context ?? ".", source));
    if (text !== null && text.length < 200_000) scripts.set(destination, text);
  }
  return scripts;
}

/** Ports a web image also exposes for a store it bundles (Postgres, MySQL, Redis, MongoDB, memcached, RabbitMQ): never the web port when another is exposed. */
const STORE_PORTS = new Set([5432, 3306, 6379, 27017, 11211, 5672]);

/**
 * The web port among the deployed stage's EXPOSE ports and its parents': the instruction nearest
 * the deployed stage (parents come earlier in the file, so the latest line) that names a port
 * other than a store's; `EXPOSE 80 8080` is 80.
 */
function exposedPort(exposes: readonly Declared<number>[]): number | undefined {
  const web = exposes.filter((port) => !STORE_PORTS.has(port.value));
  const latest = Math.max(...web.map((port) => port.from.line ?? 0));
  return (web.find((port) => (port.from.line ?? 0) === latest) ?? exposes[0])?.value;
}

/** The port the backend listens on, and what says so: predeploy.json, the start command, EXPOSE, compose ports, the platform, else 8000. */
function portOf(config: Config, image: BackendImage | null, start: DeployedCommand | null, web: DeclaredService | null, declarations: Declarations, scripts: Map<string, string>): { port: number; why: string } {
  if (config.backend.port !== undefined) return { port: config.backend.port, why: "predeploy.json backend.port" };
  const env = { ...(image?.facts?.env ?? {}), ...(web?.environment ?? {}) };
  const cmd = image?.command?.cmd;
  const own = typeof cmd === "object" && cmd !== null ? cmd : null;
  const command: DeclaredCommand | null = start !== null ? { form: "exec", argv: start.argv } : own === null ? null : own.form === "exec" ? own : { form: "shell", text: own.text };
  const heard = command === null ? null : listenPort(command, env, (path) => scripts.get(path) ?? null);
  const fallbacks: [number | undefined, string][] = [
    [exposedPort(image?.facts?.exposes ?? []), `EXPOSE in ${image?.path}`],
    [web?.ports[0], `the compose service ${web?.name}'s ports`],
    [declarations.platforms.find((p) => p.port !== null)?.port?.value, "the platform's internal port"],
  ];
  if (heard?.port != null && !heard.usesPortEnv) return { port: heard.port, why: `the start command: ${heard.evidence}` };
  const fallback = fallbacks.find(([port]) => port !== undefined);
  const port = heard?.port ?? fallback?.[0] ?? 8000;
  const what = heard?.usesPortEnv ? `the start command reads $PORT (${heard.evidence}); PORT is set to ${port}` : null;
  const why = heard?.port != null ? `${what}, its default` : fallback !== undefined ? `${what !== null ? `${what}, from ` : ""}${fallback[1]}` : `${what !== null ? `${what}: ` : ""}nothing declares one: 8000, Django's usual port`;
  return { port, why };
}

/** The health route: predeploy.json's, else the one a healthcheck or the platform asks. */
function healthOf(config: Config, image: BackendImage | null, web: DeclaredService | null, declarations: Declarations): Deployment["health"] {
  if (config.backend.health?.path !== undefined) return { path: config.backend.health.path, port: null, why: "predeploy.json backend.health.path" };
  if (web?.healthcheck?.path != null) return { path: web.healthcheck.path, port: web.healthcheck.port, why: `${describeOrigin(web.from)}: the compose service ${web.name}'s healthcheck` };
  const own = image?.facts?.healthcheck;
  if (own?.value.path != null) return { path: own.value.path, port: own.value.port, why: `${describeOrigin(own.from)}: the Dockerfile's HEALTHCHECK` };
  const platform = declarations.platforms.find((p) => p.healthPath !== null)?.healthPath;
  return platform ? { path: platform.value, port: null, why: `${describeOrigin(platform.from)}: the platform's health check` } : null;
}

/** Values that are plain configuration, not credentials: what may be handed on as written. */
const CREDENTIAL = /(secret|token|passw(or)?d|api[_-]?key|private[_-]?key|credential)/i;

export async function deploymentOf(tree: SourceTree, config: Config, djangoDir: string, declarations: Declarations, problems: string[]): Promise<Deployment> {
  const image = await chooseImage(tree, config, djangoDir, declarations, problems);
  const [webBuild] = servicesBuilding(declarations, image);
  const web = webBuild?.service ?? null;
  const configured = config.backend.command;
  const start: DeployedCommand | null =
    configured !== undefined
      ? { argv: configured, useEntrypoint: false, why: "predeploy.json's backend.command" }
      : image !== null && ownCommand(image)
        ? null
        : declaredStart(declarations, image === null ? null : web);
  const scripts = await copiedScripts(tree, image);
  const platformEnv = Object.assign({}, ...declarations.platforms.map((p) => p.env)) as Record<string, string>;
  const env = Object.fromEntries(Object.entries({ ...platformEnv, ...(web?.environment ?? {}) }).filter(([name, value]) => !CREDENTIAL.test(name) && !/^!!!/.test(value)));
  return {
    image,
    start,
    release: image === null ? null : declaredRelease(declarations),
    port: portOf(config, image, start, web, declarations, scripts),
    health: healthOf(config, image, web, declarations),
    web: webBuild ?? null,
    env,
  };
}

/** `sh -c` of a deployed command, for messages. */
export function shownCommand(command: DeployedCommand): string {
  return command.argv[0] === "sh" && command.argv[1] === "-c" ? (command.argv[2] ?? "") : shellQuote(command.argv);
}
