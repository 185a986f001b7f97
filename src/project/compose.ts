import { LineCounter, isMap, isScalar, parseDocument } from "yaml";
import type { DeclaredBuild, DeclaredCommand, DeclaredHealthcheck, DeclaredService, Origin } from "./declared.js";
import { healthcheckOf } from "./health-url.js";
import { shellQuote } from "./shell-quote.js";
import { join, type SourceTree } from "./source-tree.js";

/**
 * The Docker Compose files of a repository, read as `docker compose` reads them (merge keys,
 * variable interpolation, env files, the auto-loaded override file), so that the plan can start
 * the services a deployment declares and say which file and line each came from. Nothing here
 * runs Compose: the source tree is all there is, and the shell and `.env` it would interpolate
 * from usually are not in it.
 */

export type ComposeRole = "production" | "development" | "test" | "default";

export interface ComposeFile {
  /** Source-relative path of the main file. */
  path: string;
  /**
   * What the file name says it is for: `docker-compose.production.yml`, `compose.prod.yaml`, `production.yml` → production;
   * `…local…`, `…dev…`, an override file with no default file beside it → development; `…test…`, `…ci…` → test;
   * the names `docker compose` loads by itself (`compose.yaml`, `docker-compose.yml`, …) → default.
   */
  role: ComposeRole;
  /** Its active services in file order (services with `profiles:` are left out), with the override file merged when the main file is a default one. */
  services: DeclaredService[];
  /** Variables its active services interpolate that have neither a value nor a default here (the shell and .env that would give them are not part of the source). */
  unresolved: string[];
  /** Problems worth telling the user (a file that is not valid YAML, a required env_file that is missing), each naming the file and the fix. */
  problems: string[];
}

/** The files `docker compose` loads with no `-f`, in its order of preference: it takes the first present of each list. */
const DEFAULT_NAMES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
const OVERRIDE_NAMES = ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];
/** `docker-compose.<name>.yml`, `docker-compose-<name>.yml`, `compose.<name>.yaml` and (BARE) `<name>.yml`: what the name says. Other names (docs, staging) are left out. */
const ROLES = new Map<string, ComposeRole>([
  ["production", "production"],
  ["prod", "production"],
  ["local", "development"],
  ["dev", "development"],
  ["development", "development"],
  ["test", "test"],
  ["ci", "test"],
]);
/** Names cookiecutter-django used before it prefixed them (`local.yml`, `production.yml`, `dev.yml`, `test.yml`). */
const BARE = new Set(["production", "prod", "local", "dev", "test"]);
const NAMED = /^((?:docker-)?compose[.-])?(\w+)\.ya?ml$/;
/** A bare-named file is taken for a Compose file only when it has a top-level `services:` (a `production.yml` may be an Ansible playbook). */
const SERVICES_KEY = /^services[ \t]*:/m;
/** Where Compose files sit when the root has none. */
const FALLBACK_DIRS = ["docker", "deploy", "compose"];

/** The compose files at the repository root (and, when none is there, in docker/, deploy/ or compose/), read and interpolated. */
export async function readComposeFiles(tree: SourceTree): Promise<ComposeFile[]> {
  // Services merged from one anchor name the same env files: each file is read once.
  const texts = new Map<string, Promise<string | null>>();
  const read: Read = (path) => {
    const text = texts.get(path) ?? tree.readText(path);
    texts.set(path, text);
    return text;
  };
  const atRoot = await composeFilesIn(tree, read, ".");
  if (atRoot.length > 0) return atRoot;
  return (await Promise.all(FALLBACK_DIRS.map((dir) => composeFilesIn(tree, read, dir)))).flat();
}

type Read = (path: string) => Promise<string | null>;

/** The compose files directly in `dir`, in listing order; the override file is merged into the default one, or stands alone. */
async function composeFilesIn(tree: SourceTree, read: Read, dir: string): Promise<ComposeFile[]> {
  const names = (await tree.list(dir)).filter((name) => !name.endsWith("/"));
  const main = DEFAULT_NAMES.find((name) => names.includes(name));
  const override = OVERRIDE_NAMES.find((name) => names.includes(name));
  const env = names.includes(".env") ? parseDotenv((await read(join(dir, ".env"))) ?? "") : new Map<string, string>();
  const files: ComposeFile[] = [];
  for (const name of names) {
    if (name === main) {
      files.push(await composeFile(read, dir, "default", override === undefined ? [name] : [name, override], env));
    } else if (name === override && main === undefined) {
      files.push(await composeFile(read, dir, "development", [name], env));
    } else {
      const named = NAMED.exec(name);
      const role = named ? ROLES.get(named[2] as string) : undefined;
      if (named === null || role === undefined) continue;
      if (named[1] === undefined && !(BARE.has(named[2] as string) && SERVICES_KEY.test((await read(join(dir, name))) ?? ""))) continue;
      files.push(await composeFile(read, dir, role, [name], env));
    }
  }
  return files;
}

/** A service as the YAML defines it (interpolated), before it is read into a DeclaredService. */
interface RawService {
  name: string;
  definition: Record<string, unknown>;
  from: Origin;
  /** Variables its definition interpolates with no value and no default. */
  unresolved: Set<string>;
}

/** Reads the main file and, for a default file, the override beside it, and merges them service by service. */
async function composeFile(read: Read, dir: string, role: ComposeRole, names: string[], env: Map<string, string>): Promise<ComposeFile> {
  const path = join(dir, names[0] as string);
  const problems: string[] = [];
  let raw: RawService[] = [];
  for (const name of names) {
    const layer = loadFile(join(dir, name), (await read(join(dir, name))) ?? "", env, problems);
    raw = raw.length === 0 ? layer : mergeLayers(raw, layer);
  }
  const active = raw.filter((s) => !(Array.isArray(s.definition.profiles) && s.definition.profiles.length > 0));
  const services: DeclaredService[] = [];
  for (const service of active) services.push(await declaredService(read, dir, path, service, problems));
  const unresolved = new Set(active.flatMap((s) => [...s.unresolved]));
  return { path, role, services, unresolved: [...unresolved], problems: [...new Set(problems)] };
}

/** The services of one file, interpolated (Compose interpolates each file on its own, before merging). */
function loadFile(path: string, text: string, env: Map<string, string>, problems: string[]): RawService[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { merge: true, lineCounter });
  const error = doc.errors[0];
  if (error !== undefined) {
    const line = error.linePos?.[0].line;
    const message = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    problems.push(`${path}: not valid YAML${line !== undefined ? ` at line ${line}` : ""} (${message}); fix it so docker compose can read the file`);
    return [];
  }
  let root: unknown;
  try {
    root = doc.toJS();
  } catch (thrown) {
    // An alias to an anchor that is not defined (yet), or one expanded too often.
    problems.push(`${path}: not valid YAML (${thrown instanceof Error ? thrown.message : String(thrown)}); fix it so docker compose can read the file`);
    return [];
  }
  const definitions = isRecord(root) && isRecord(root.services) ? root.services : {};
  const lines = new Map<string, number>();
  const node = doc.get("services", true);
  if (isMap(node)) {
    for (const item of node.items) {
      if (isScalar(item.key) && item.key.range) lines.set(String(item.key.value), lineCounter.linePos(item.key.range[0]).line);
    }
  }
  const invalid = new Set<string>();
  const services = Object.entries(definitions).map(([name, definition]): RawService => {
    const scope: Scope = { env, unresolved: new Set(), invalid };
    const interpolated = interpolateValue(definition, scope);
    return { name, definition: isRecord(interpolated) ? interpolated : {}, from: { file: path, line: lines.get(name) ?? null }, unresolved: scope.unresolved };
  });
  for (const reference of invalid) {
    problems.push(`${path}: "${reference}" is not a valid variable reference and docker compose refuses the file; write $$ for a literal $`);
  }
  return services;
}

// --- Interpolation -------------------------------------------------------------------------

interface Scope {
  /** The interpolation environment (.env beside the file), not the containers' environment. */
  env: Map<string, string>;
  unresolved: Set<string>;
  invalid: Set<string>;
}

/** Interpolates every string in a YAML value; keys are left as written. Returns new values: anchors share objects. */
function interpolateValue(value: unknown, scope: Scope): unknown {
  if (typeof value === "string") return interpolate(value, scope);
  if (Array.isArray(value)) return value.map((item) => interpolateValue(item, scope));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateValue(item, scope)]));
  return value;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/;

/**
 * Compose's interpolation: `$VAR`, `${VAR}`, `${VAR:-d}` / `${VAR-d}`, `${VAR:?e}` / `${VAR?e}`,
 * `${VAR:+r}` / `${VAR+r}`, defaults nested, `$$` a literal `$`, a `$` before anything else kept.
 * Backslash is not an escape. A variable with no value (and, for `?`, an empty one with `:?`)
 * becomes "" and is recorded; a `${` that does not parse is kept as written and recorded invalid.
 */
function interpolate(text: string, scope: Scope): string {
  let out = "";
  let at = 0;
  for (let dollar = text.indexOf("$"); dollar !== -1; dollar = text.indexOf("$", at)) {
    out += text.slice(at, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      at = dollar + 2;
    } else if (next === "{") {
      const close = closingBrace(text, dollar + 1);
      const braced = close === -1 ? null : BRACED.exec(text.slice(dollar + 2, close));
      if (braced === null) {
        scope.invalid.add(text.slice(dollar, close === -1 ? undefined : close + 1));
        out += "$";
        at = dollar + 1;
      } else {
        out += substitute(braced[1] as string, braced[2], braced[3] ?? "", scope);
        at = close + 1;
      }
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      out += name === undefined ? "$" : substitute(name, undefined, "", scope);
      at = dollar + 1 + (name?.length ?? 0);
    }
  }
  return out + text.slice(at);
}

/** Index of the `}` closing the `{` at `open`, counting the braces between as Compose does; -1 when none. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === "{") depth += 1;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function substitute(name: string, operator: string | undefined, word: string, scope: Scope): string {
  const value = scope.env.get(name);
  // With a colon, an empty value counts as none.
  const set = value !== undefined && !(operator?.startsWith(":") === true && value === "");
  const kind = operator?.slice(-1);
  if (kind === "-") return set ? value : interpolate(word, scope);
  if (kind === "+") return set ? interpolate(word, scope) : "";
  if (set) return value;
  scope.unresolved.add(name);
  return "";
}

// --- Override merge ------------------------------------------------------------------------

/** Keys whose lists Compose concatenates when an override names them (depends_on as names). */
const CONCATENATED = new Set(["ports", "expose", "depends_on"]);

/** Merges the override's services into the main file's: same names merged, new ones appended. */
function mergeLayers(base: RawService[], override: RawService[]): RawService[] {
  const merged = new Map(base.map((s) => [s.name, s]));
  for (const service of override) {
    const current = merged.get(service.name);
    merged.set(
      service.name,
      current === undefined
        ? service
        : { ...current, definition: mergeService(current.definition, service.definition), unresolved: new Set([...current.unresolved, ...service.unresolved]) },
    );
  }
  return [...merged.values()];
}

/**
 * One service of the override over the main file's, simplified from Compose's rules: `environment`
 * merged by variable (list and map forms alike), `ports`/`expose`/`depends_on` concatenated, a
 * `build:` string taken as its context, other maps merged key by key, anything else (lists
 * included: `command`, `env_file`) replaced.
 */
function mergeService(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === "environment") merged[key] = Object.fromEntries([...environmentOf(base[key]), ...environmentOf(value)]);
    else if (CONCATENATED.has(key)) merged[key] = [...listOf(base[key]), ...listOf(value)];
    else if (key === "build") merged[key] = mergeMaps(buildMap(base[key]), buildMap(value));
    else merged[key] = mergeMaps(base[key], value);
  }
  return merged;
}

function mergeMaps(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override;
  const merged = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeMaps(base[key], value);
  return merged;
}

function buildMap(build: unknown): unknown {
  return typeof build === "string" ? { context: build } : build;
}

/** A list as written, or a map's keys (`depends_on:` long form). */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : isRecord(value) ? Object.keys(value) : [];
}

// --- Reading a service ---------------------------------------------------------------------

async function declaredService(read: Read, dir: string, composePath: string, service: RawService, problems: string[]): Promise<DeclaredService> {
  const d = service.definition;
  return {
    name: service.name,
    image: scalarText(d.image),
    build: d.build === undefined ? null : buildOf(d.build, dir),
    environment: Object.fromEntries([...(await envFiles(read, dir, composePath, d.env_file, problems)), ...environmentOf(d.environment)]),
    ports: portsOf([...listOf(d.ports), ...listOf(d.expose)]),
    command: commandOf(d.command),
    entrypoint: commandOf(d.entrypoint),
    healthcheck: healthcheckFrom(d.healthcheck),
    dependsOn: listOf(d.depends_on).filter((name): name is string => typeof name === "string"),
    from: service.from,
  };
}

/**
 * A `build:` as source-relative paths: the context relative to the compose file's directory, the
 * Dockerfile relative to the context. null when it is not in the source (a Git URL, a path
 * outside the tree, a `dockerfile_inline`).
 */
function buildOf(build: unknown, dir: string): DeclaredBuild | null {
  const spec = buildMap(build);
  if (!isRecord(spec) || spec.dockerfile_inline !== undefined) return null;
  const context = typeof spec.context === "string" ? spec.context : ".";
  if (/^[a-z][\w+.-]*:\/\/|^git@/i.test(context)) return null;
  const contextPath = resolvePath(dir, context);
  const dockerfile = contextPath === null ? null : resolvePath(contextPath, typeof spec.dockerfile === "string" ? spec.dockerfile : "Dockerfile");
  if (contextPath === null || dockerfile === null) return null;
  return { context: contextPath, dockerfile, target: typeof spec.target === "string" ? spec.target : null };
}

/** `relative` from the source-relative `base`, normalised; null when absolute or above the root. */
function resolvePath(base: string, relative: string): string | null {
  if (relative.startsWith("/")) return null;
  const parts: string[] = [];
  for (const part of `${base}/${relative}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") parts.push(part);
    else if (parts.pop() === undefined) return null;
  }
  return parts.length === 0 ? "." : parts.join("/");
}

/**
 * The variables of a service's `env_file:` entries, later files over earlier ones. A missing
 * file is a problem unless `required: false`, or it is a `.env` / `.env.*` file: predeploy never
 * takes those into the source, so their absence says nothing about the repository.
 */
async function envFiles(read: Read, dir: string, composePath: string, value: unknown, problems: string[]): Promise<Map<string, string>> {
  const env = new Map<string, string>();
  for (const entry of value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]) {
    const written = typeof entry === "string" ? entry : isRecord(entry) && typeof entry.path === "string" ? entry.path : null;
    if (written === null) continue;
    const path = resolvePath(dir, written);
    const text = path === null ? null : await read(path);
    if (text !== null) {
      for (const [key, val] of parseDotenv(text)) env.set(key, val);
    } else if (!(isRecord(entry) && entry.required === false) && !/^\.env(\..*)?$/.test(written.split("/").pop() ?? "")) {
      problems.push(`${composePath}: env_file ${path ?? written} is missing; commit it, or mark it \`required: false\` if the services start without it`);
    }
  }
  return env;
}

const DOTENV_ENTRY = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*=[ \t]*(?:'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"|(.*))/gm;
const DOTENV_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

/**
 * A dotenv file: `KEY=VALUE` and `export KEY=VALUE` lines, `#` comments; single quotes literal,
 * double quotes with `\n`-style escapes (both may span lines), unquoted values trimmed and cut at
 * ` #`. Values are not interpolated: a placeholder such as `!!!SET X!!!` stays as written.
 */
function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const [, key, single, double, bare] of text.matchAll(DOTENV_ENTRY)) {
    const value = single ?? (double !== undefined ? double.replace(/\\([\s\S])/g, (_, c: string) => DOTENV_ESCAPES[c] ?? c) : (bare ?? "").replace(/\s#.*$/, "").trim());
    values.set(key as string, value);
  }
  return values;
}

/** `environment:` as a map (values stringified, null → "") or a `KEY=VALUE` list (a bare `KEY` comes from the shell: left out). */
function environmentOf(value: unknown): Map<string, string> {
  const env = new Map<string, string>();
  if (Array.isArray(value)) {
    for (const item of value) {
      const equals = typeof item === "string" ? item.indexOf("=") : -1;
      if (equals > 0) env.set((item as string).slice(0, equals), (item as string).slice(equals + 1));
    }
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      const text = item === null ? "" : scalarText(item);
      if (text !== null) env.set(key, text);
    }
  }
  return env;
}

/** Container ports of `ports:` (short and long forms) and `expose:`, deduplicated; port ranges left out. */
function portsOf(entries: unknown[]): number[] {
  const ports: number[] = [];
  for (const entry of entries) {
    // `[IP:][HOST:]CONTAINER[/PROTOCOL]`: the container port is the last part.
    const spec = scalarText(isRecord(entry) ? entry.target : entry)?.replace(/\/\w+$/, "") ?? "";
    const container = spec.slice(spec.lastIndexOf(":") + 1);
    const port = /^\d+$/.test(container) ? Number(container) : 0;
    if (port > 0 && port < 65536 && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

function commandOf(value: unknown): DeclaredCommand | null {
  if (typeof value === "string") return { form: "shell", text: value };
  if (Array.isArray(value)) return { form: "exec", argv: value.map((arg) => scalarText(arg) ?? "") };
  return null;
}

/** `test:` as a string (run by a shell), `[CMD, ...]` (shell-quoted), `[CMD-SHELL, "..."]`; `[NONE]` or `disable: true` is none. */
function healthcheckFrom(value: unknown): DeclaredHealthcheck | null {
  if (!isRecord(value) || value.disable === true) return null;
  const test = value.test;
  if (typeof test === "string") return healthcheckOf(test);
  if (!Array.isArray(test)) return null;
  const [kind, ...args] = test.map((arg) => scalarText(arg) ?? "");
  if (kind === "CMD") return healthcheckOf(shellQuote(args));
  if (kind === "CMD-SHELL") return healthcheckOf(args.join(" "));
  return null;
}

/** A YAML scalar as text (numbers and booleans as written by String); null for anything else. */
function scalarText(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
