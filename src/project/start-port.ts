import type { DeclaredCommand } from "./declared.js";
import { expandText, expandWord, literal, prefixAssignments, shellCommands, UNKNOWN, wordFields, type Lookup, type ShellWord } from "./dockerfile-facts.js";

/**
 * The port a start command makes the server listen on, read from the command, the scripts it
 * runs and the server's own configuration (flags, its environment variables, a uwsgi ini or a
 * gunicorn config file), so that the probe knocks where the app answers rather than guessing.
 */

export interface ListenPort {
  /** The port the command makes the server listen on; null: the command does not say (the caller then falls back to EXPOSE, compose ports, 8000). */
  port: number | null;
  /** It reads $PORT (gunicorn/uvicorn/daphne/uwsgi bound to $PORT or ${PORT:-n}; gunicorn with no --bind honours $PORT itself): the port is whatever PORT is set to, `port` then holds the default written in the command, if any. */
  usesPortEnv: boolean;
  /** What said so, for a message: e.g. "gunicorn --bind 0.0.0.0:5000", "daphne -p 80", "uwsgi --http-socket :$PORT". */
  evidence: string | null;
  /** The server program it found (gunicorn, uvicorn, daphne, uwsgi, hypercorn, granian, runserver), or null. */
  server: string | null;
}

/** An argument as the program receives it (`text`), as written (`shown`), and whether $PORT went into it. */
interface Arg {
  text: string;
  shown: string;
  usesPort: boolean;
}

interface Context {
  env: Readonly<Record<string, string>>;
  /** What the command line itself sets (`PORT=8000 gunicorn`, `env A=b`): it wins over the environment, PORT included. */
  fixed: ReadonlyMap<string, string>;
  /** The script's own variables, as written (expanded where used). */
  vars: Map<string, ShellWord>;
  /** Positional parameters ($1, "$@"). */
  args: Arg[];
  readFile: (path: string) => string | null;
  depth: number;
}

const NOTHING: ListenPort = { port: null, usesPortEnv: false, evidence: null, server: null };
/** Scripts calling scripts: deeper than this is a loop. */
const MAX_DEPTH = 6;

/**
 * The port a start command listens on. `readFile(path)` returns the text of a file the command
 * runs (a start script copied into the image, e.g. `/start` from compose/production/django/start —
 * the caller maps image paths back to source paths) or null. It follows: `sh -c "... && server"`
 * chains; wrappers (newrelic-admin run-program, tini --, dumb-init --, `env A=b`, `exec`); scripts
 * (the line that execs the server); `--bind`/`-b` (host:port, :port, unix sockets ignored), `--port`,
 * daphne `-p`, `-e tcp:port=N`, uvicorn --port (default 8000 when uvicorn gives none), hypercorn
 * `--bind`, granian `--port`, uwsgi `--http`/`--http-socket`/`--socket`(not HTTP: ignore) and
 * `UWSGI_HTTP`/`UWSGI_HTTP_SOCKET` in `env`, a uwsgi ini file argument (`http-socket = :8000`,
 * `$(PORT)`), `manage.py runserver [addr:]port` (default 8000). `env` is the image's ENV merged with
 * the declaration's environment. A script that runs several servers (runserver when DEBUG, gunicorn
 * otherwise) counts as its production one. Not seen: ports computed by programs (a Python launcher),
 * gunicorn's implicit ./gunicorn.conf.py (only `-c FILE` is read).
 */
export function listenPort(command: DeclaredCommand, env: Readonly<Record<string, string>>, readFile: (path: string) => string | null): ListenPort {
  const context: Context = { env, fixed: new Map(), vars: new Map(), args: [], readFile, depth: 0 };
  const found = command.form === "exec" ? fromArgs(command.argv.map(exact), context) : fromScript(command.text, [], context);
  return found.find((heard) => heard.server !== "runserver") ?? found[0] ?? NOTHING;
}

function exact(text: string): Arg {
  return { text, shown: text, usesPort: false };
}

function fromScript(text: string, args: Arg[], parent: Context): ListenPort[] {
  if (parent.depth >= MAX_DEPTH) return [];
  const context: Context = { ...parent, vars: new Map(), args, depth: parent.depth + 1 };
  const found: ListenPort[] = [];
  for (const command of shellCommands(text)) {
    const declares = ["export", "local", "readonly", "declare"].includes(literal(command[0] ?? []));
    const words = declares ? command.slice(1).filter((word) => !literal(word).startsWith("-")) : command;
    const assignments = prefixAssignments(words);
    if (assignments.length === words.length) {
      for (const { name, value } of assignments) context.vars.set(name, value);
      continue;
    }
    const fixed = new Map(context.fixed);
    for (const { name, value } of assignments) fixed.set(name, expandWord(value, expander(context).lookup));
    const own = { ...context, fixed };
    found.push(...fromArgs(argsOf(words.slice(assignments.length), own), own));
  }
  return found;
}

/** A command's words as its program receives them; `"$@"` is the script's own arguments. */
function argsOf(words: ShellWord[], context: Context): Arg[] {
  return words.flatMap((word) => {
    const shown = literal(word);
    if ((shown === "$@" || shown === "$*") && word.every((part) => part.quote !== "single")) return context.args;
    const { lookup, seen } = expander(context);
    const fields = wordFields(word, lookup);
    return fields.map((text) => ({ text, shown: fields.length === 1 ? shown : text, usesPort: seen.port }));
  });
}

/** Expands with the context's variables, noting whether the environment's PORT was read. */
function expander(context: Context): { lookup: Lookup; seen: { port: boolean } } {
  const seen = { port: false };
  const hidden = new Set<string>();
  const within = (name: string, expand: () => string) => {
    hidden.add(name);
    try {
      return expand();
    } finally {
      hidden.delete(name);
    }
  };
  const lookup: Lookup = (name) => {
    if (/^[1-9]$/.test(name)) return context.args[Number(name) - 1]?.text;
    if (name === "@" || name === "*") return context.args.map((arg) => arg.text).join(" ");
    if (name === "#") return String(context.args.length);
    const own = hidden.has(name) ? undefined : context.vars.get(name);
    if (own !== undefined) return within(name, () => expandWord(own, lookup));
    const fixed = context.fixed.get(name);
    if (fixed !== undefined) return fixed;
    if (name === "PORT") {
      seen.port = true;
      return undefined;
    }
    const value = Object.hasOwn(context.env, name) ? context.env[name] : undefined;
    return value === undefined || hidden.has(name) ? value : within(name, () => expandText(value, lookup));
  };
  return { lookup, seen };
}

const base = (arg: Arg | undefined) => arg?.text.split("/").pop() ?? "";
const SERVERS: Record<string, (args: Arg[], context: Context) => ListenPort> = { gunicorn, uvicorn, daphne, hypercorn, granian, uwsgi };
const PLAIN_WRAPPERS = new Set(["exec", "nohup", "command", "time", "ddtrace-run", "nice"]);
const SUPERVISORS = new Set(["tini", "dumb-init", "wait-for-it", "wait-for-it.sh", "wait-for", "wait-for.sh", "runuser"]);
const RUNNERS = new Set(["uv", "poetry", "pipenv", "pdm", "hatch", "rye"]);
const RUNNER_VALUE_OPTIONS = new Set(["--with", "--python", "-p", "--env-file", "--project", "--directory", "--package", "--extra", "--group", "--only-group", "--index", "-e", "--env"]);
const SHELLS = /^(?:ba|da|a|z)?sh$/;

/** What a command (its program and arguments) makes listen: a server, or the command a wrapper, shell or script runs. */
function fromArgs(args: Arg[], context: Context): ListenPort[] {
  if (context.depth > MAX_DEPTH || args.length === 0) return [];
  const program = base(args[0]);
  const rest = args.slice(1);
  const next = (inner: Arg[], fixed = context.fixed) => fromArgs(inner, { ...context, fixed, depth: context.depth + 1 });
  const server = Object.hasOwn(SERVERS, program) ? SERVERS[program] : undefined;
  if (server !== undefined) return [server(rest, context)];
  if (PLAIN_WRAPPERS.has(program)) return next(afterOptions(rest, program === "nice" ? ["-n"] : []));
  if (program === "env") {
    const fixed = new Map(context.fixed);
    let i = 0;
    for (; i < rest.length; i += 1) {
      const text = (rest[i] as Arg).text;
      const assignment = /^([A-Za-z_]\w*)=([\s\S]*)$/.exec(text);
      if (assignment) fixed.set(assignment[1] as string, assignment[2] as string);
      else if (text === "-u" || text === "--unset" || text === "-C" || text === "--chdir") i += 1;
      else if (!text.startsWith("-")) break;
    }
    return next(rest.slice(i), fixed);
  }
  if (program === "newrelic-admin") return /^run-(?:program|python)$/.test(rest[0]?.text ?? "") ? next(rest.slice(1)) : [];
  if (program === "opentelemetry-instrument") return next(afterOptions(rest, null));
  if (program === "gosu" || program === "su-exec") return next(rest.slice(1));
  if (SUPERVISORS.has(program)) {
    const separator = rest.findIndex((arg) => arg.text === "--");
    if (separator !== -1) return next(rest.slice(separator + 1));
    return program === "tini" || program === "dumb-init" ? next(afterOptions(rest, ["-p", "-e", "-r", "--rewrite"])) : [];
  }
  if (RUNNERS.has(program) && rest[0]?.text === "run") {
    const inner = afterOptions(rest.slice(1), [...RUNNER_VALUE_OPTIONS]);
    return next(inner[0]?.text === "--" ? inner.slice(1) : inner);
  }
  if (/^python(?:\d+(?:\.\d+)?)?$/.test(program)) return python(rest, next);
  if (program === "manage.py" || program === "django-admin" || program === "django-admin.py") return runserver(program, rest);
  if (SHELLS.test(program)) {
    const inner = afterOptions(rest, ["-o"]);
    const flags = rest.slice(0, rest.length - inner.length).map((arg) => arg.text);
    if (flags.some((flag) => /^-\w*c\w*$/.test(flag))) return inner[0] === undefined ? [] : fromScript(inner[0].shown, inner.slice(2), context);
    const script = inner[0] === undefined ? null : context.readFile(inner[0].text);
    return script === null ? [] : fromScript(script, inner.slice(1), context);
  }
  const first = args[0] as Arg;
  if (first.text.includes("/") || first.text.endsWith(".sh")) {
    const script = context.readFile(first.text);
    // A script not found is taken for the usual entrypoint that execs its arguments.
    return script !== null ? fromScript(script, rest, context) : next(rest);
  }
  return [];
}

/** The arguments after a wrapper's options; `valued` lists the options taking a value (null: every `--x` not written `--x=y` does). */
function afterOptions(args: Arg[], valued: readonly string[] | null): Arg[] {
  let i = 0;
  while (i < args.length && (args[i] as Arg).text.startsWith("-") && (args[i] as Arg).text !== "--") {
    const text = (args[i] as Arg).text;
    i += (valued === null ? text.startsWith("--") && !text.includes("=") : valued.includes(text)) ? 2 : 1;
  }
  return args.slice(i);
}

/** `python -m server …`, or `python manage.py runserver …`; another Python program says nothing here. */
function python(args: Arg[], next: (inner: Arg[]) => ListenPort[]): ListenPort[] {
  for (let i = 0; i < args.length; i += 1) {
    const text = (args[i] as Arg).text;
    if (text === "-m") return next(args.slice(i + 1));
    if (text === "-c") return [];
    if (text === "-W" || text === "-X") i += 1;
    else if (!text.startsWith("-")) return base(args[i]) === "manage.py" || base(args[i]) === "django-admin.py" ? runserver(base(args[i]), args.slice(i + 1)) : [];
  }
  return [];
}

/** One occurrence of an option: `--bind X`, `--bind=X`, `-b X` or `-bX`. */
interface Option {
  flag: string;
  value: Arg;
}

function options(args: Arg[], names: readonly string[]): Option[] {
  const found: Option[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as Arg;
    for (const name of names) {
      const long = name.startsWith("--");
      if (arg.text === name && args[i + 1] !== undefined) {
        found.push({ flag: name, value: args[i + 1] as Arg });
        i += 1;
        break;
      }
      if (long ? arg.text.startsWith(`${name}=`) : arg.text.startsWith(name) && arg.text.length > name.length && !arg.text.startsWith("--")) {
        const cut = (text: string) => text.slice(text.indexOf(name) + name.length).replace(/^=/, "");
        found.push({ flag: name, value: { text: cut(arg.text), shown: cut(arg.shown), usesPort: arg.usesPort } });
        break;
      }
    }
  }
  return found;
}

/** The port of `host:port`, `:port`, `[::]:port` or `port`; `missing` when only a host is given; null when it is not a number. */
function portIn(text: string, missing: number | null): number | null {
  if (text.includes(UNKNOWN)) return null;
  const address = text.trim().replace(/^(?:https?|tcp):\/\//, "");
  const match = /^(?:\[[^\]]*\]|[^:[\]]*)(?::(\d*))?$/.exec(address);
  const port = /^\d+$/.test(address) ? address : match === null ? null : match[1] === undefined ? (missing === null ? null : String(missing)) : match[1];
  const number = port === null || port === "" ? NaN : Number(port);
  return number >= 1 && number <= 65535 ? number : null;
}

function heard(server: string, evidence: string, port: number | null, usesPortEnv: boolean): ListenPort {
  return { port, usesPortEnv, evidence, server };
}

const viaOption = (server: string, option: Option, port: number | null) => heard(server, `${server} ${option.flag} ${option.value.shown}`, port, option.value.usesPort);

/** An environment variable as the server sees it: set on the command line, else in the environment (PORT tracked). */
function variable(context: Context, name: string): { value: string | undefined; usesPort: boolean } {
  const { lookup, seen } = expander(context);
  const value = lookup(name);
  return { value, usesPort: seen.port };
}

function isUnix(bind: string): boolean {
  return /^(?:unix:|fd:\/\/)/.test(bind);
}

function gunicorn(args: Arg[], context: Context): ListenPort {
  const envArgs = variable(context, "GUNICORN_CMD_ARGS").value;
  const fromEnv = envArgs === undefined ? [] : options(envArgs.split(/\s+/).map(exact), ["--bind", "-b"]);
  const binds = [...options(args, ["--bind", "-b"]), ...fromEnv];
  const tcp = binds.find((bind) => !isUnix(bind.value.text));
  if (tcp !== undefined) {
    const evidence = fromEnv.includes(tcp) ? `GUNICORN_CMD_ARGS=${envArgs}` : `gunicorn ${tcp.flag} ${tcp.value.shown}`;
    return heard("gunicorn", evidence, portIn(tcp.value.text, 8000), tcp.value.usesPort);
  }
  if (binds.length > 0) return heard("gunicorn", `gunicorn ${binds[0]?.flag} ${binds[0]?.value.shown}`, null, false);
  const config = options(args, ["--config", "-c"])[0];
  const file = config === undefined || config.value.text.startsWith("python:") ? null : context.readFile(config.value.text);
  const bind = file === null ? null : /^bind\s*=\s*\[?\s*(.+?)\s*\]?\s*$/m.exec(file);
  if (bind) return gunicornConfigBind(bind[1] as string, `${config?.value.text}: ${bind[0].trim()}`, context);
  const port = variable(context, "PORT");
  if (port.value !== undefined) return heard("gunicorn", `gunicorn without --bind, PORT=${port.value}`, portIn(port.value, null), false);
  return heard("gunicorn", "gunicorn without --bind (binds 0.0.0.0:$PORT)", null, true);
}

/** gunicorn.conf.py's `bind = "0.0.0.0:8000"`, or a bind built from `os.environ.get("PORT", "8000")`. */
function gunicornConfigBind(value: string, evidence: string, context: Context): ListenPort {
  const read = /(?:os\.environ\.get|os\.getenv|environ\.get|getenv)\(\s*["'](\w+)["']\s*(?:,\s*["']?(\d+)["']?)?\s*\)|os\.environ\[\s*["'](\w+)["']\s*\]/.exec(value);
  if (read) {
    const name = (read[1] ?? read[3]) as string;
    const given = variable(context, name);
    const port = given.value !== undefined ? portIn(given.value, null) : read[2] !== undefined ? Number(read[2]) : null;
    return heard("gunicorn", evidence, port, given.usesPort);
  }
  const literalBind = /^[rbuf]*["']([^"']*)["']/.exec(value);
  return heard("gunicorn", evidence, literalBind && !isUnix(literalBind[1] as string) ? portIn(literalBind[1] as string, 8000) : null, false);
}

/** A server whose port is `--port N` (or `-p N`), its own environment variable, else its default 8000; a socket it is given instead is no port. */
function portFlagServer(server: string, args: Arg[], context: Context, flags: string[], sockets: string[], envName: string | null): ListenPort {
  const socket = options(args, sockets)[0];
  if (socket !== undefined) return viaOption(server, socket, null);
  const port = options(args, flags)[0];
  if (port !== undefined) return viaOption(server, port, portIn(port.value.text, null));
  const fromEnv = envName === null ? undefined : variable(context, envName).value;
  if (fromEnv !== undefined) return heard(server, `${envName}=${fromEnv}`, portIn(fromEnv, null), false);
  return heard(server, `${server} (default port 8000)`, 8000, false);
}

function uvicorn(args: Arg[], context: Context): ListenPort {
  return portFlagServer("uvicorn", args, context, ["--port"], ["--uds", "--fd"], "UVICORN_PORT");
}

function granian(args: Arg[], context: Context): ListenPort {
  return portFlagServer("granian", args, context, ["--port"], ["--uds"], "GRANIAN_PORT");
}

function daphne(args: Arg[], context: Context): ListenPort {
  const sockets = ["-u", "--unix-socket", "--fd"];
  if (options(args, ["-p", "--port"]).length > 0) return portFlagServer("daphne", args, context, ["-p", "--port"], sockets, null);
  const endpoint = options(args, ["-e", "--endpoint"]).find((option) => /^(?:tcp|ssl):/.test(option.value.text));
  if (endpoint !== undefined) {
    const port = /^(?:tcp|ssl):(?:[^:]*:)*?(?:port=)?(\d+)(?::|$)/.exec(endpoint.value.text);
    return viaOption("daphne", endpoint, port ? portIn(port[1] as string, null) : null);
  }
  return portFlagServer("daphne", args, context, [], sockets, null);
}

function hypercorn(args: Arg[], _context: Context): ListenPort {
  const binds = options(args, ["--bind", "-b", "--insecure-bind"]);
  const tcp = binds.find((bind) => !isUnix(bind.value.text));
  if (tcp !== undefined) return viaOption("hypercorn", tcp, portIn(tcp.value.text, 8000));
  if (binds[0] !== undefined) return viaOption("hypercorn", binds[0], null);
  return heard("hypercorn", "hypercorn (default port 8000)", 8000, false);
}

const UWSGI_HTTP = ["--http", "--http-socket", "--https", "--http11-socket"];

function uwsgi(args: Arg[], context: Context): ListenPort {
  const option = options(args, UWSGI_HTTP)[0];
  if (option !== undefined) return viaOption("uwsgi", option, portIn(option.value.text.split(",")[0] as string, null));
  for (const name of UWSGI_HTTP) {
    const envName = `UWSGI_${name.slice(2).toUpperCase().replace(/-/g, "_")}`;
    const value = variable(context, envName);
    if (value.value !== undefined) return heard("uwsgi", `${envName}=${value.value}`, portIn(value.value.split(",")[0] as string, null), value.usesPort);
  }
  const positional = args.filter((arg, i) => /\.ini(?::[\w-]+)?$/.test(arg.text) && !(args[i - 1]?.text.startsWith("--") && !args[i - 1]?.text.includes("=")));
  const inis = [...options(args, ["--ini"]).map((ini) => ini.value.text), ...positional.map((arg) => arg.text), variable(context, "UWSGI_INI").value].filter((path): path is string => path !== undefined);
  for (const ini of inis) {
    const found = uwsgiIni(ini, context);
    if (found !== null) return found;
  }
  return { ...NOTHING, server: "uwsgi" };
}

/** An ini file's `http-socket = :8000` (or http, https), its `$(VAR)` from the environment and `%(key)` from the file. */
function uwsgiIni(reference: string, context: Context): ListenPort | null {
  const [path = "", section = "uwsgi"] = reference.split(/:(?=[\w-]+$)/);
  const text = context.readFile(path);
  if (text === null) return null;
  const values = new Map<string, string>();
  let current = "";
  let written: { key: string; line: string } | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) current = (header[1] as string).trim();
    const pair = current === section ? /^([\w-]+)\s*[=:]\s*(.*)$/.exec(line) : null;
    if (!pair || line.startsWith("#") || line.startsWith(";")) continue;
    const key = (pair[1] as string).replace(/_/g, "-");
    if (!values.has(key)) values.set(key, pair[2] as string);
    if (written === null && UWSGI_HTTP.includes(`--${key}`)) written = { key, line };
  }
  if (written === null) return null;
  const { lookup, seen } = expander(context);
  const value = (values.get(written.key) as string)
    .replace(/%\(([\w-]+)\)/g, (_, key: string) => values.get(key.replace(/_/g, "-")) ?? UNKNOWN)
    .replace(/\$\((\w+)\)/g, (_, name: string) => lookup(name) ?? "");
  return heard("uwsgi", `${path}: ${written.line}`, portIn(value.split(",")[0] as string, null), seen.port);
}

const RUNSERVER = new Set(["runserver", "runserver_plus"]);
const MANAGE_VALUE_OPTIONS = new Set(["--settings", "--pythonpath", "--cert-file", "--key-file", "--extra-file", "--reloader-type", "--reloader-interval", "--verbosity", "-v"]);

/** `manage.py runserver [addr:]port` (runserver_plus the same), default 8000. */
function runserver(program: string, args: Arg[]): ListenPort[] {
  const positional: Arg[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const text = (args[i] as Arg).text;
    if (MANAGE_VALUE_OPTIONS.has(text)) i += 1;
    else if (!text.startsWith("-")) positional.push(args[i] as Arg);
  }
  const [command, address] = positional;
  if (command === undefined || !RUNSERVER.has(command.text)) return [];
  const what = `${program} ${command.text}`;
  if (address === undefined) return [heard("runserver", `${what} (default port 8000)`, 8000, false)];
  return [heard("runserver", `${what} ${address.shown}`, portIn(address.text, 8000), address.usesPort)];
}
