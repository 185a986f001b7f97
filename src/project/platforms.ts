import { parse as parseToml, TomlError } from "smol-toml";
import type { Declared, DeclaredBuild, DeclaredCommand, Origin } from "./declared.js";
import { dirname } from "./paths.js";
import { join, type SourceTree } from "./source-tree.js";
import { readYaml, type YamlPath } from "./yaml-file.js";
import { list, table } from "./parsed-data.js";

/**
 * What a platform's deploy file says about the deployed web process: the image it builds or
 * pulls, how it starts and releases, where the platform sends traffic and what it probes. The
 * plan prefers these to guesses when the repository deploys to Heroku, Fly.io or Render.
 */
export interface PlatformDeclaration {
  platform: "heroku" | "fly" | "render";
  file: string;
  /** The Dockerfile it deploys (heroku.yml build.docker.web as a string or {dockerfile, target}; fly [build] dockerfile + build-target; render dockerfilePath + dockerContext / rootDir), source-relative. */
  build: Declared<DeclaredBuild> | null;
  /** A prebuilt image instead (fly [build] image, render image.url). */
  image: Declared<string> | null;
  /** How the web process starts when the platform says (heroku.yml run.web string or {command:[…]} (first entry), fly [processes] app (or web, or the process named by [http_service].processes), render dockerCommand/startCommand). */
  start: Declared<DeclaredCommand> | null;
  /** The release step (heroku.yml release.command entries joined with " && ", fly [deploy] release_command, render preDeployCommand). */
  release: Declared<DeclaredCommand> | null;
  /** The port the platform sends traffic to (fly [http_service] internal_port or [[services]] internal_port; render: none, it uses $PORT; heroku: none). */
  port: Declared<number> | null;
  /** The health route it probes (fly [[http_service.checks]] path or [[services.http_checks]] path or [checks.*] path; render healthCheckPath). */
  healthPath: Declared<string> | null;
  /** Plain environment it sets ([env] in fly.toml; render envVars with a literal `value`). */
  env: Record<string, string>;
}

/** fly.<name>.toml configs at the root are deployed with `fly deploy -c`; the production one is the one to check. */
const FLY_CONFIG = /^fly(?:\.[^/]+)?\.toml$/;
const FLY_PREFERRED = ["fly.production.toml", "fly.prod.toml", "fly.toml"];
/** Directories not searched for nested fly.toml files. */
const SKIPPED_DIR = /^(?:\.|node_modules\/$)/;
/** Render runtimes that serve files, not a process. */
const RENDER_STATIC = new Set(["static"]);

/**
 * heroku.yml, fly.toml (and fly.<name>.toml: the production one first — fly.production.toml,
 * fly.prod.toml, then fly.toml, then the others), render.yaml at the root; and fly.toml files one
 * or two levels down. Each readable file gives one declaration (render.yaml: its first service of
 * type web). Problems (invalid TOML/YAML) go in `problems`, naming the file and the fix.
 */
export async function readPlatforms(tree: SourceTree): Promise<{ platforms: PlatformDeclaration[]; problems: string[] }> {
  const problems: string[] = [];
  const root = await tree.list(".");
  const files = [
    ...(root.includes("heroku.yml") ? ["heroku.yml"] : []),
    ...root.filter((e) => FLY_CONFIG.test(e)).sort((a, b) => flyRank(a) - flyRank(b) || a.localeCompare(b)),
    ...(root.includes("render.yaml") ? ["render.yaml"] : []),
    ...(await nestedFlyConfigs(tree, root)),
  ];
  const platforms: PlatformDeclaration[] = [];
  for (const file of files) {
    const text = await tree.readText(file);
    if (text === null) continue;
    const declaration = file.endsWith(".toml")
      ? await readFly(tree, file, text, problems)
      : file === "heroku.yml"
        ? readHeroku(file, text, problems)
        : readRender(file, text, problems);
    if (declaration !== null) platforms.push(declaration);
  }
  return { platforms, problems };
}

function flyRank(name: string): number {
  const rank = FLY_PREFERRED.indexOf(name);
  return rank === -1 ? FLY_PREFERRED.length : rank;
}

async function nestedFlyConfigs(tree: SourceTree, root: string[]): Promise<string[]> {
  const found = await Promise.all(
    subdirectories(root).map(async (dir) => {
      const entries = await tree.list(dir);
      const deeper = await Promise.all(subdirectories(entries).map(async (sub) => ((await tree.list(join(dir, sub))).includes("fly.toml") ? [join(dir, sub, "fly.toml")] : [])));
      return [...(entries.includes("fly.toml") ? [join(dir, "fly.toml")] : []), ...deeper.flat()];
    }),
  );
  return found.flat().sort();
}

function subdirectories(entries: string[]): string[] {
  return entries.filter((e) => e.endsWith("/") && !SKIPPED_DIR.test(e)).map((e) => e.slice(0, -1));
}

function readHeroku(file: string, text: string, problems: string[]): PlatformDeclaration | null {
  const yaml = readYaml(file, text, problems, "fix it so Heroku can read the file");
  if (yaml === null) return null;
  const at = <T>(value: T, path: YamlPath): Declared<T> => ({ value, from: { file, line: yaml.line(path) } });
  const config = table(yaml.data);
  const webBuild = table(table(config.build).docker).web;
  const dockerfile = typeof webBuild === "string" ? webBuild : string(table(webBuild).dockerfile);
  // Heroku always builds in the directory holding the Dockerfile; heroku.yml cannot name another context.
  const path = dockerfile === null ? null : resolvePath(".", dockerfile);
  const build = path === null ? null : at({ context: dirname(path), dockerfile: path, target: string(table(webBuild).target) }, ["build", "docker", "web"]);
  const webRun = table(config.run).web;
  const firstCommand = list(table(webRun).command)[0];
  const start =
    typeof webRun === "string"
      ? at(shell(webRun), ["run", "web"])
      : typeof firstCommand === "string"
        ? at(shell(firstCommand), ["run", "web", "command", 0])
        : null;
  const releaseCommand = table(config.release).command;
  const releaseSteps = typeof releaseCommand === "string" ? [releaseCommand] : list(releaseCommand).filter((c): c is string => typeof c === "string");
  const release = releaseSteps.length > 0 ? at(shell(releaseSteps.join(" && ")), ["release", "command"]) : null;
  return { platform: "heroku", file, build, image: null, start, release, port: null, healthPath: null, env: {} };
}

/**
 * A fly.toml. Fly.io splits its commands into words and runs them without a shell (a
 * release_command needing `&&` is written `bash -c "…"`), so they are exec-form argument lists.
 * Assumed for a fly.toml below the root (deployed with `fly deploy -c <dir>/fly.toml` from the
 * root): the build context is the root and [build] dockerfile is relative to the fly.toml's
 * directory, as flyctl resolves it; with no [build] dockerfile or image, the Dockerfile beside it.
 */
async function readFly(tree: SourceTree, file: string, text: string, problems: string[]): Promise<PlatformDeclaration | null> {
  let config: Record<string, unknown>;
  try {
    config = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}` : "";
    problems.push(`${file}: not valid TOML${where} (${(error as Error).message.split("\n")[0]?.replace(/^Invalid TOML document: /, "")}); fix it so fly deploy can read the file`);
    return null;
  }
  const from = (tableName: string, key: string): Origin => ({ file, line: tomlLine(text, tableName, key) });
  const dir = dirname(file);
  const buildTable = table(config.build);
  const dockerfile = string(buildTable.dockerfile);
  const imageName = string(buildTable.image);
  const image = imageName === null ? null : { value: imageName, from: from("build", "image") };
  const buildOf = (path: string, origin: Origin): Declared<DeclaredBuild> => ({ value: { context: ".", dockerfile: path, target: string(buildTable["build-target"]) }, from: origin });
  const build =
    dockerfile !== null
      ? buildOf(resolvePath(dir, dockerfile), from("build", "dockerfile"))
      : image === null && (await tree.list(dir)).includes("Dockerfile")
        ? buildOf(join(dir, "Dockerfile"), { file, line: null })
        : null;

  const processes = table(config.processes);
  const http = table(config.http_service);
  const services = list(config.services).map(table);
  const served = [...list(http.processes), ...services.flatMap((s) => list(s.processes))].find((p): p is string => typeof p === "string" && typeof processes[p] === "string");
  const web = served ?? ["app", "web"].find((name) => typeof processes[name] === "string");
  const webCommand = web === undefined ? [] : words(processes[web] as string);
  const start = web !== undefined && webCommand.length > 0 ? { value: exec(webCommand), from: from("processes", web) } : null;
  const releaseCommand = words(string(table(config.deploy).release_command) ?? "");
  const release = releaseCommand.length > 0 ? { value: exec(releaseCommand), from: from("deploy", "release_command") } : null;

  const httpPort = portNumber(http.internal_port);
  const servicePort = services.map((s) => portNumber(s.internal_port)).find((p) => p !== null) ?? null;
  const port =
    httpPort !== null
      ? { value: httpPort, from: from("http_service", "internal_port") }
      : servicePort !== null
        ? { value: servicePort, from: from("services", "internal_port") }
        : null;

  const checks: [string, unknown[]][] = [
    ["http_service.checks", list(http.checks)],
    ["services.http_checks", services.flatMap((s) => list(s.http_checks))],
    ...Object.entries(table(config.checks)).map(([name, check]): [string, unknown[]] => [`checks.${name}`, [check]]),
  ];
  const paths = checks.flatMap(([tableName, entries]) => entries.flatMap((c) => (typeof table(c).path === "string" ? [{ value: table(c).path as string, from: from(tableName, "path") }] : [])));
  const healthPath = paths[0] ?? null;
  return { platform: "fly", file, build, image, start, release, port, healthPath, env: plainEnv(Object.entries(table(config.env))) };
}

/** Render runs commands as written (assumed: by a shell, as its native runtimes do). */
function readRender(file: string, text: string, problems: string[]): PlatformDeclaration | null {
  const yaml = readYaml(file, text, problems, "fix it so Render can read the file");
  if (yaml === null) return null;
  const services = list(table(yaml.data).services).map(table);
  const runtimeOf = (service: Record<string, unknown>) => string(service.runtime) ?? string(service.env);
  const index = services.findIndex((s) => s.type === "web" && !RENDER_STATIC.has(runtimeOf(s) ?? ""));
  const service = services[index];
  if (service === undefined) return null;
  const at = <T>(value: T, key: string | null): Declared<T> => ({ value, from: { file, line: yaml.line(key === null ? ["services", index] : ["services", index, key]) } });
  const runtime = runtimeOf(service);
  const containerised = runtime === "docker" || runtime === "image";
  // Render resolves the Dockerfile and its context inside rootDir; the context defaults to the Dockerfile's directory.
  const rootDir = resolvePath(".", string(service.rootDir) ?? ".");
  const dockerfilePath = string(service.dockerfilePath);
  const dockerContext = string(service.dockerContext);
  const dockerfile = resolvePath(rootDir, dockerfilePath ?? "Dockerfile");
  const build =
    runtime === "docker"
      ? at({ context: dockerContext === null ? dirname(dockerfile) : resolvePath(rootDir, dockerContext), dockerfile, target: null }, dockerfilePath === null ? null : "dockerfilePath")
      : null;
  const imageUrl = string(table(service.image).url);
  const startKey = containerised ? "dockerCommand" : "startCommand";
  const startCommand = string(service[startKey]);
  const preDeploy = string(service.preDeployCommand);
  const healthCheckPath = string(service.healthCheckPath);
  return {
    platform: "render",
    file,
    build,
    image: imageUrl === null ? null : at(imageUrl, "image"),
    start: startCommand === null ? null : at(shell(startCommand), startKey),
    release: preDeploy === null ? null : at(shell(preDeploy), "preDeployCommand"),
    port: null,
    healthPath: healthCheckPath === null ? null : at(healthCheckPath, "healthCheckPath"),
    env: plainEnv(list(service.envVars).map((v): [unknown, unknown] => [table(v).key, table(v).value])),
  };
}

/** The entries whose name is a string and whose value a scalar, as text. */
function plainEnv(entries: [unknown, unknown][]): Record<string, string> {
  const scalar = (value: unknown) => typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  return Object.fromEntries(entries.filter(([key, value]) => typeof key === "string" && scalar(value)).map(([key, value]) => [key, String(value)]));
}

/**
 * The 1-based line setting `key` in TOML table `tableName` (`[name]` or `[[name]]`; its first
 * such line), or null. smol-toml keeps no positions, so this searches the text for `key =` after
 * the table's header and before the next; dotted keys and inline tables are not found (null: the
 * file as a whole).
 */
function tomlLine(text: string, tableName: string, key: string): number | null {
  const setsKey = new RegExp(`^\\s*(?:${escapeRegExp(key)}|"${escapeRegExp(key)}"|'${escapeRegExp(key)}')\\s*=`);
  let current = "";
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const header = /^\s*\[\[?([^\]]*)\]\]?\s*(?:#.*)?$/.exec(line);
    if (header) current = (header[1] as string).replace(/["'\s]/g, "");
    else if (current === tableName && setsKey.test(line)) return index + 1;
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Words as a POSIX shell splits them (quotes, backslashes), the way flyctl turns a command into argv. */
function words(command: string): string[] {
  const argv: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < command.length; i += 1) {
    const c = command[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && /["\\$`]/.test(command[i + 1] ?? "")) word += command[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word);
      word = "";
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === "\\" && i + 1 < command.length) word += command[++i];
      else word += c;
    }
  }
  if (inWord) argv.push(word);
  return argv;
}

/** `path` from the source-relative directory `base`, `.` and `..` segments resolved. */
function resolvePath(base: string, path: string): string {
  const segments: string[] = [];
  for (const segment of join(base, path).split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && segments.length > 0 && segments[segments.length - 1] !== "..") segments.pop();
    else segments.push(segment);
  }
  return segments.length === 0 ? "." : segments.join("/");
}

function shell(text: string): DeclaredCommand {
  return { form: "shell", text };
}

function exec(argv: string[]): DeclaredCommand {
  return { form: "exec", argv };
}

function portNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value < 65536 ? value : null;
}

function string(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
