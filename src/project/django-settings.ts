import type { Origin } from "./declared.js";
import { join, type SourceTree } from "./source-tree.js";

/**
 * What a Django settings module needs from the environment and what it configures when the
 * environment is empty, read from its source: which variables carry the database URL or its
 * parts, ALLOWED_HOSTS, the cache and broker URLs, and the database engine it falls back to.
 * Regex and expression based: no Python is run, so it cannot see settings computed at import
 * time (a loop over os.environ, variable names built with f-strings, values a function returns,
 * `exec(open(...))`), nor modules pulled in other than by star-imports and django-split-settings'
 * `include()`. A branch whose condition it cannot evaluate (`if "test" in sys.argv`) configures nothing.
 */

type DatabaseEngine = "postgresql" | "sqlite" | "mysql" | "unknown";

export interface DjangoSettingsFacts {
  /** The database engine the settings configure by default: postgresql (incl. postgis), sqlite, mysql, or unknown when they build it from variables the reader cannot resolve. */
  engine: DatabaseEngine;
  /** Environment variables read as a whole database URL (DATABASE_URL, DJANGO_DATABASE_URL, DD_DATABASE_URL…: env.db("X"), env.db_url("X"), dj_database_url.config(env="X") (default DATABASE_URL), dj_database_url.parse(os.environ["X"]), os.getenv("X") passed to those). */
  databaseUrlVars: string[];
  /** Variables read for the database's parts, by role, when the settings build DATABASES from parts (POSTGRES_HOST, DB_HOST, SQL_HOST, DATABASE_HOST, PGHOST…); `engine` also holds the variables whose value picks the branch that sets DATABASES (`if os.getenv("DB") == "postgres"`). */
  databaseParts: { host: string[]; port: string[]; name: string[]; user: string[]; password: string[]; engine: string[] };
  /** The URL scheme the project itself writes for Postgres (postgres:// or postgresql://) in its settings, or null. */
  urlScheme: "postgres" | "postgresql" | null;
  /** Variables read for ALLOWED_HOSTS (DJANGO_ALLOWED_HOSTS, ALLOWED_HOSTS…). */
  allowedHostsVars: string[];
  /** Variables read as Redis/cache/broker URLs or hosts (REDIS_URL, CELERY_BROKER_URL, REDIS_HOST, CACHE_URL…). */
  cacheVars: string[];
  /** Every environment variable name the settings read (os.environ[…], os.environ.get, os.getenv, env("X"), env.str/bool/int/list/db("X"), config("X") from decouple). */
  envRead: string[];
  /** Variables the settings raise without (`env("X")`, `os.environ["X"]`, decouple's `config("X")` with no default), read where they run with an empty environment (not inside a branch or a function). */
  requiredVars: string[];
  /** Whether the settings, with an empty environment, set SECURE_SSL_REDIRECT truthy (literal True, or env-read with a truthy default). */
  sslRedirect: boolean;
  /** Files read, for messages. */
  files: Origin[];
}

/**
 * The settings module's facts, read from its source: the module file (or package __init__), and the
 * settings modules it star-imports (`from .base import *`, `from config.settings.base import *`),
 * found under `roots` (source-relative directories the module imports from). Modules imported under
 * a condition that is false with an empty environment are still read for the variables they use.
 */
export async function readDjangoSettings(tree: SourceTree, settingsModule: string, roots: readonly string[]): Promise<DjangoSettingsFacts | null> {
  const file = await moduleFile(tree, settingsModule, roots.length > 0 ? roots : ["."]);
  if (file === null) return null;
  const reader = new SettingsReader(tree, roots.length > 0 ? roots : ["."]);
  await reader.read(file, true);
  return reader.facts();
}

async function moduleFile(tree: SourceTree, module: string, roots: readonly string[]): Promise<string | null> {
  if (!/^[A-Za-z_][\w.]*$/.test(module)) return null;
  const path = module.split(".").join("/");
  for (const root of roots) {
    const found = await existing(tree, join(root, path));
    if (found !== null) return found;
  }
  return null;
}

/** `dir/name.py`, else the package `dir/name/__init__.py`. */
async function existing(tree: SourceTree, base: string): Promise<string | null> {
  for (const candidate of [`${base}.py`, join(base, "__init__.py")]) if ((await tree.readText(candidate)) !== null) return candidate;
  return null;
}

// Python source ---------------------------------------------------------------------------------

interface LogicalLine {
  text: string;
  indent: number;
}

/** Logical lines: comments dropped, bracketed and backslash continuations joined, strings (triple-quoted too) kept whole. */
function logicalLines(source: string): LogicalLine[] {
  const text = source.replace(/\r\n?/g, "\n");
  const lines: LogicalLine[] = [];
  let current = "";
  let depth = 0;
  let indent = 0;
  let atStart = true;
  let i = 0;
  const flush = () => {
    if (current.trim() !== "") lines.push({ text: current.trim(), indent });
    current = "";
    depth = 0;
    atStart = true;
  };
  while (i < text.length) {
    if (atStart) {
      let width = 0;
      let j = i;
      while (text[j] === " " || text[j] === "\t") width += text[j++] === "\t" ? 8 - (width % 8) : 1;
      if (j >= text.length || text[j] === "\n" || text[j] === "#") {
        const end = text.indexOf("\n", j);
        i = end === -1 ? text.length : end + 1;
        continue;
      }
      indent = width;
      atStart = false;
      i = j;
    }
    const char = text[i] as string;
    if (char === "#") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (char === "\\" && text[i + 1] === "\n") {
      current += " ";
      i += 2;
    } else if (char === '"' || char === "'") {
      const quote = text.startsWith(char.repeat(3), i) ? char.repeat(3) : char;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j) && !(quote.length === 1 && text[j] === "\n")) j += text[j] === "\\" ? 2 : 1;
      const end = Math.min(text.length, text.startsWith(quote, j) ? j + quote.length : j);
      current += text.slice(i, end).replace(/\n/g, "\\n");
      i = end;
    } else if (char === "\n") {
      i += 1;
      if (depth > 0) current += " ";
      else flush();
    } else {
      if ("([{".includes(char)) depth += 1;
      else if (")]}".includes(char)) depth = Math.max(0, depth - 1);
      current += char;
      i += 1;
    }
  }
  flush();
  return lines;
}

type Token = { kind: "str" | "num" | "name" | "op"; value: string };

const STRING = /([rRbBuUfF]{0,2})("""|'''|"|')/y;
const NAME = /[A-Za-z_]\w*/y;
const NUMBER = /0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[jJ]?/y;
const OPERATOR = /\*\*=|\/\/=|>>=|<<=|\.\.\.|->|:=|==|!=|<=|>=|[-+*/%&|^@]=|\*\*|\/\/|<<|>>|[()[\]{},:.;@=+\-*/%&|^~<>!]/y;
const PATTERNS = [["name", NAME], ["num", NUMBER], ["op", OPERATOR]] as const;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (pattern: RegExp) => {
    pattern.lastIndex = i;
    return pattern.exec(text);
  };
  while (i < text.length) {
    if (/\s/.test(text[i] as string)) {
      i += 1;
      continue;
    }
    const string = at(STRING);
    if (string) {
      const quote = string[2] as string;
      const raw = /r/i.test(string[1] as string);
      let j = i + string[0].length;
      let value = "";
      while (j < text.length && !text.startsWith(quote, j)) {
        if (text[j] === "\\" && j + 1 < text.length) {
          const escaped = text[j + 1] as string;
          value += raw ? `\\${escaped}` : escaped === "n" ? "\n" : escaped === "t" ? "\t" : escaped;
          j += 2;
        } else value += text[j++];
      }
      tokens.push({ kind: "str", value });
      i = j + quote.length;
      continue;
    }
    const before = i;
    for (const [kind, pattern] of PATTERNS) {
      const match = at(pattern);
      if (match === null) continue;
      tokens.push({ kind, value: match[0] });
      i += match[0].length;
      break;
    }
    if (i === before) i += 1;
  }
  return tokens;
}

type Node =
  | { kind: "str"; value: string }
  | { kind: "num"; value: number }
  | { kind: "const"; value: boolean | null }
  | { kind: "name"; id: string }
  | { kind: "attr"; object: Node; name: string }
  | { kind: "call"; callee: Node; args: Node[]; keywords: Map<string, Node> }
  | { kind: "subscript"; object: Node; index: Node }
  | { kind: "dict"; entries: [Node, Node][] }
  | { kind: "seq"; items: Node[] }
  | { kind: "not"; operand: Node }
  | { kind: "bool"; op: string; operands: Node[] }
  | { kind: "compare"; op: string; left: Node; right: Node }
  | { kind: "binary"; op: string; left: Node; right: Node }
  | { kind: "ifexp"; body: Node; test: Node; orelse: Node }
  | { kind: "other"; parts: Node[] };

const OTHER: Node = { kind: "other", parts: [] };
const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">="]);
const ARITHMETIC = new Set(["+", "-", "*", "/", "//", "%", "@", "|", "&", "^", "<<", ">>", "**"]);
/** Nesting deeper than this is not settings code: the rest of the line is skipped. */
const MAX_NESTING = 100;

/** A forgiving parser of Python expressions: what it does not know becomes `other` holding the parts it could read. */
class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  skip(): void {
    this.pos += 1;
  }

  get done(): boolean {
    return this.pos >= this.tokens.length;
  }

  rest(): Token[] {
    return this.tokens.slice(this.pos);
  }

  is(value: string, offset = 0): boolean {
    const token = this.tokens[this.pos + offset];
    return token !== undefined && token.kind !== "str" && token.value === value;
  }

  eat(value: string): boolean {
    if (!this.is(value)) return false;
    this.pos += 1;
    return true;
  }

  expression(): Node {
    if (this.depth >= MAX_NESTING) {
      this.pos = this.tokens.length;
      return OTHER;
    }
    this.depth += 1;
    try {
      return this.ternary();
    } finally {
      this.depth -= 1;
    }
  }

  private ternary(): Node {
    if (this.eat("lambda")) {
      while (!this.done && !this.is(":")) this.pos += 1;
      this.eat(":");
      return { kind: "other", parts: [this.expression()] };
    }
    const body = this.or();
    if (!this.eat("if")) return body;
    const test = this.or();
    if (!this.eat("else")) return { kind: "other", parts: [body, test] };
    return { kind: "ifexp", body, test, orelse: this.expression() };
  }

  private or(): Node {
    return this.chain("or", () => this.and());
  }

  private and(): Node {
    return this.chain("and", () => this.not());
  }

  private chain(op: string, next: () => Node): Node {
    const operands = [next()];
    while (this.eat(op)) operands.push(next());
    return operands.length === 1 ? (operands[0] as Node) : { kind: "bool", op, operands };
  }

  private not(): Node {
    if (this.eat("not")) return { kind: "not", operand: this.not() };
    return this.compare();
  }

  private compare(): Node {
    let left = this.arithmetic();
    for (;;) {
      let op: string | null = null;
      const token = this.tokens[this.pos];
      if (token?.kind === "op" && COMPARISONS.has(token.value)) op = token.value;
      else if (this.is("in")) op = "in";
      else if (this.is("not") && this.is("in", 1)) op = "not in";
      else if (this.is("is") && this.is("not", 1)) op = "is not";
      else if (this.is("is")) op = "is";
      if (op === null) return left;
      this.pos += op.split(" ").length;
      left = { kind: "compare", op, left, right: this.arithmetic() };
    }
  }

  private arithmetic(): Node {
    let left = this.unary();
    for (let token = this.tokens[this.pos]; token?.kind === "op" && ARITHMETIC.has(token.value); token = this.tokens[this.pos]) {
      this.pos += 1;
      left = { kind: "binary", op: token.value, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.eat("-") || this.eat("+") || this.eat("~") || this.eat("*") || this.eat("**") || this.eat("await")) return { kind: "other", parts: [this.unary()] };
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.atom();
    for (;;) {
      if (this.is(".") && this.tokens[this.pos + 1]?.kind === "name") {
        node = { kind: "attr", object: node, name: (this.tokens[this.pos + 1] as Token).value };
        this.pos += 2;
      } else if (this.eat("(")) {
        const { items, keywords } = this.items(")");
        node = { kind: "call", callee: node, args: items, keywords };
      } else if (this.eat("[")) {
        const { items } = this.items("]");
        node = { kind: "subscript", object: node, index: items.length === 1 ? (items[0] as Node) : { kind: "seq", items } };
      } else return node;
    }
  }

  private atom(): Node {
    const token = this.tokens[this.pos];
    if (token === undefined) return OTHER;
    if (token.kind === "str") {
      let value = "";
      while (this.tokens[this.pos]?.kind === "str") value += (this.tokens[this.pos++] as Token).value;
      return { kind: "str", value };
    }
    this.pos += 1;
    if (token.kind === "num") return { kind: "num", value: Number(token.value.replace(/_/g, "")) };
    if (token.kind === "name") {
      if (token.value === "True" || token.value === "False") return { kind: "const", value: token.value === "True" };
      if (token.value === "None") return { kind: "const", value: null };
      return { kind: "name", id: token.value };
    }
    if (token.value === "(") {
      const { items, entries, comma } = this.items(")");
      return items.length === 1 && !comma && entries.length === 0 ? (items[0] as Node) : { kind: "seq", items };
    }
    if (token.value === "[") return { kind: "seq", items: this.items("]").items };
    if (token.value === "{") {
      const { items, entries } = this.items("}");
      return entries.length > 0 ? { kind: "dict", entries } : { kind: "seq", items };
    }
    return OTHER;
  }

  /** A bracket's items up to `close`: expressions, `key: value` entries, `name=value` keywords; comprehension keywords skipped. */
  private items(close: string): { items: Node[]; entries: [Node, Node][]; keywords: Map<string, Node>; comma: boolean } {
    const items: Node[] = [];
    const entries: [Node, Node][] = [];
    const keywords = new Map<string, Node>();
    let comma = false;
    while (!this.done && !this.is(close)) {
      const before = this.pos;
      if (this.eat(",")) comma = true;
      else if (this.eat("for") || this.eat("async")) comma = true;
      else if (this.tokens[this.pos]?.kind === "name" && this.is("=", 1)) {
        const name = (this.tokens[this.pos] as Token).value;
        this.pos += 2;
        keywords.set(name, this.expression());
      } else {
        const item = this.expression();
        if (this.eat(":")) entries.push([item, this.expression()]);
        else items.push(item);
      }
      if (this.pos === before) this.pos += 1;
    }
    this.eat(close);
    return { items, entries, keywords, comma };
  }
}

function parse(tokens: Token[]): Node {
  const parser = new Parser(tokens);
  const parts = [parser.expression()];
  while (!parser.done) {
    const before = parser.rest().length;
    parts.push(parser.expression());
    if (parser.rest().length === before) parser.skip();
  }
  return parts.length === 1 ? (parts[0] as Node) : { kind: "other", parts };
}

function children(node: Node): Node[] {
  switch (node.kind) {
    case "attr":
      return [node.object];
    case "call":
      return [node.callee, ...node.args, ...node.keywords.values()];
    case "subscript":
      return [node.object, node.index];
    case "dict":
      return node.entries.flat();
    case "seq":
      return node.items;
    case "not":
      return [node.operand];
    case "bool":
      return node.operands;
    case "compare":
    case "binary":
      return [node.left, node.right];
    case "ifexp":
      return [node.body, node.test, node.orelse];
    case "other":
      return node.parts;
    default:
      return [];
  }
}

function* walk(node: Node): Generator<Node> {
  const stack = [node];
  while (stack.length > 0) {
    const next = stack.pop() as Node;
    yield next;
    stack.push(...children(next).reverse());
  }
}

/** `os.environ.get` for the node of that expression; null when it is not a dotted name. */
function dotted(node: Node): string | null {
  if (node.kind === "name") return node.id;
  if (node.kind !== "attr") return null;
  const object = dotted(node.object);
  return object === null ? null : `${object}.${node.name}`;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const variableName = (node: Node | undefined) => (node?.kind === "str" && VARIABLE.test(node.value) ? node.value : null);

// Reading the settings ----------------------------------------------------------------------------

type Value = string | number | boolean | null;

/** A read of an environment variable: its name, what it gives when unset, and what the settings read it as. */
interface Read {
  name: string;
  role: "plain" | "url" | "cache";
  /** What the read gives when the variable is unset; undefined: nothing (os.getenv gives None, see `required`). */
  fallback: Node | undefined;
  /** It raises when the variable is unset (os.environ["X"], env("X") without a default). */
  required: boolean;
  /** decouple's `cast=bool` casts the default too. */
  castBool: boolean;
}

const GETENV = new Set(["os.getenv", "getenv", "os.environ.get", "environ.get", "os.environ.setdefault", "os.environ.pop"]);
const ENVIRON = new Set(["os.environ", "environ"]);
/** django-environ's and environs' typed readers; the URL readers name a default variable. */
const ENV_METHODS: Record<string, { role: Read["role"]; variable?: string }> = {
  str: { role: "plain" }, bool: { role: "plain" }, int: { role: "plain" }, float: { role: "plain" }, decimal: { role: "plain" },
  list: { role: "plain" }, tuple: { role: "plain" }, dict: { role: "plain" }, json: { role: "plain" }, url: { role: "plain" }, path: { role: "plain" },
  db: { role: "url", variable: "DATABASE_URL" }, db_url: { role: "url", variable: "DATABASE_URL" }, dj_db_url: { role: "url", variable: "DATABASE_URL" },
  cache: { role: "cache", variable: "CACHE_URL" }, cache_url: { role: "cache", variable: "CACHE_URL" }, dj_cache_url: { role: "cache", variable: "CACHE_URL" },
  email: { role: "plain", variable: "EMAIL_URL" }, email_url: { role: "plain", variable: "EMAIL_URL" }, dj_email_url: { role: "plain", variable: "EMAIL_URL" },
  search_url: { role: "plain", variable: "SEARCH_URL" },
};
const HEROKU = new Set(["django_heroku.settings", "django_on_heroku.settings"]);
const PARTS = { HOST: "host", PORT: "port", NAME: "name", USER: "user", PASSWORD: "password", ENGINE: "engine" } as const;
type Part = (typeof PARTS)[keyof typeof PARTS];
const CACHE_WORD = /REDIS|VALKEY|CACHE|BROKER|MEMCACHE|RABBIT|AMQP|CELERY|CHANNEL/;
const LOCATOR_WORD = /URL|URI|HOST|LOCATION|DSN|BROKER|SERVER|ADDR|RESULT_BACKEND/;

interface Block {
  indent: number;
  keyword: string;
  /** Whether its body runs when the environment is empty: true, false, or null (cannot tell). */
  applies: boolean | null;
  /** The if/elif chain so far: a branch ran (taken), or may have (unsure). */
  taken: boolean;
  unsure: boolean;
  /** Variables its condition (and its chain's) reads. */
  vars: string[];
}

class SettingsReader {
  private readonly visited = new Set<string>();
  private readonly files: Origin[] = [];
  private readonly envObjects = new Set(["env"]);
  private readonly urlModules = new Set(["dj_database_url"]);
  private readonly urlParsers = new Set<string>();
  private decouple = false;
  private splitSettings = false;
  /** What each name holds with an empty environment (undefined: cannot tell). */
  private readonly values = new Map<string, Value | undefined>();
  /** What each name was last assigned, to follow a variable back to the environment it reads. */
  private readonly exprs = new Map<string, Node>();
  private readonly found = {
    envRead: new Set<string>(),
    required: new Set<string>(),
    url: new Set<string>(),
    cache: new Set<string>(),
    hosts: new Set<string>(),
    selectors: new Set<string>(),
    parts: { host: new Set<string>(), port: new Set<string>(), name: new Set<string>(), user: new Set<string>(), password: new Set<string>(), engine: new Set<string>() },
  };
  private engine: DatabaseEngine = "unknown";
  private ssl = false;
  private scheme: DjangoSettingsFacts["urlScheme"] = null;

  constructor(
    private readonly tree: SourceTree,
    private readonly roots: readonly string[],
  ) {}

  facts(): DjangoSettingsFacts {
    const { url, parts } = this.found;
    const list = (set: Set<string>) => [...set];
    return {
      engine: this.engine,
      databaseUrlVars: list(url),
      databaseParts: {
        host: list(parts.host),
        port: list(parts.port),
        name: list(parts.name),
        user: list(parts.user),
        password: list(parts.password),
        engine: [...new Set([...parts.engine, ...this.found.selectors])].filter((name) => !url.has(name)),
      },
      urlScheme: this.scheme,
      allowedHostsVars: list(this.found.hosts),
      cacheVars: list(this.found.cache).filter((name) => !url.has(name)),
      envRead: list(this.found.envRead),
      requiredVars: list(this.found.required),
      sslRedirect: this.ssl,
      files: this.files,
    };
  }

  /** Reads a settings file; `outer` is whether the import that pulled it in runs with an empty environment. */
  async read(file: string, outer: boolean | null): Promise<void> {
    if (this.visited.has(file) || this.visited.size >= 40) return;
    const text = await this.tree.readText(file);
    if (text === null) return;
    this.visited.add(file);
    this.files.push({ file, line: null });
    const stack: Block[] = [];
    for (const line of logicalLines(text)) {
      let closed: Block | null = null;
      while (stack.length > 0 && (stack[stack.length - 1] as Block).indent >= line.indent) closed = stack.pop() as Block;
      const sibling = closed !== null && closed.indent === line.indent ? closed : null;
      let tokens = tokenize(line.text);
      for (const token of tokens) {
        const scheme = token.kind === "str" ? /\b(postgres(?:ql)?):\/\//.exec(token.value) : null;
        if (scheme && this.scheme === null) this.scheme = scheme[1] as "postgres" | "postgresql";
      }
      const header = this.header(tokens, line.indent, sibling);
      if (header !== null) {
        stack.push(header.block);
        tokens = header.body;
        if (tokens.length === 0) continue;
      }
      const applies = combine([outer, ...stack.map((block) => block.applies)]);
      const conditions = stack.flatMap((block) => block.vars);
      await this.statement(file, tokens, applies, conditions);
    }
  }

  /** An `if`/`else`/`def`… line: the block it opens, and the statement written after its colon. */
  private header(tokens: Token[], indent: number, sibling: Block | null): { block: Block; body: Token[] } | null {
    const first = tokens[0];
    if (first?.kind !== "name") return null;
    const keyword = first.value === "async" ? (tokens[1]?.value ?? "") : first.value;
    if (!["if", "elif", "else", "while", "for", "with", "try", "except", "finally", "def", "class"].includes(keyword)) return null;
    const parser = new Parser(tokens.slice(first.value === "async" ? 2 : 1));
    const test = keyword === "if" || keyword === "elif" || keyword === "while" ? parser.expression() : null;
    const rest = test === null ? afterColon(parser.rest()) : parser.eat(":") ? parser.rest() : null;
    if (rest === null) return null;
    if (test !== null) this.collect(test, "");
    const vars = test === null ? [] : this.readsIn(test, true).map((read) => read.name);
    const chain = sibling !== null && (sibling.keyword === "if" || sibling.keyword === "elif") && (keyword === "elif" || keyword === "else") ? sibling : null;
    let applies: boolean | null;
    if (keyword === "if") applies = this.condition(test as Node);
    else if (keyword === "elif" || keyword === "else") {
      const own = keyword === "else" ? true : this.condition(test as Node);
      applies = chain === null ? null : chain.taken ? false : chain.unsure && own !== false ? null : own;
    } else if (keyword === "try" || keyword === "with" || keyword === "for" || keyword === "finally") applies = true;
    else if (keyword === "def" || keyword === "class") applies = false;
    else applies = null;
    const block: Block = {
      indent,
      keyword,
      applies,
      taken: (chain?.taken ?? false) || applies === true,
      unsure: (chain?.unsure ?? false) || applies === null,
      vars: [...(chain?.vars ?? []), ...vars],
    };
    return { block, body: rest };
  }

  private async statement(file: string, tokens: Token[], applies: boolean | null, conditions: string[]): Promise<void> {
    const words = tokens.map((token) => token.value).join(" ").replace(/\s*\.\s*/g, ".");
    if (tokens[0]?.kind === "name" && (tokens[0].value === "from" || tokens[0].value === "import")) {
      await this.importLine(file, words, applies);
      return;
    }
    const { targets, value, augmented } = splitAssignment(tokens);
    const node = parse(value);
    const targetNodes = targets.map((target) => parse(target));
    const root = targetNodes.length > 0 ? rootName(targetNodes[0] as Node) : node.kind === "call" && node.callee.kind === "attr" ? rootName(node.callee.object) : "";
    this.collect(node, root);
    if (applies === true) for (const read of this.readsIn(node, false)) if (read.required) this.found.required.add(read.name);
    if (root === "ALLOWED_HOSTS") for (const read of this.readsIn(node, true)) this.found.hosts.add(read.name);
    for (const target of targetNodes) if (target.kind === "name") this.assign(target.id, node, applies, augmented);
    if (root === "DATABASES") this.databases(targetNodes[0] ?? null, node, applies, conditions);
    if (root === "SECURE_SSL_REDIRECT" && targetNodes[0]?.kind === "name" && applies === true) this.ssl = truthy(this.evaluate(node)) === true;
    if (node.kind === "call" && dotted(node.callee) === "include" && this.splitSettings) await this.include(file, node, applies);
  }

  private assign(name: string, node: Node, applies: boolean | null, augmented: boolean): void {
    if (augmented) {
      if (applies !== false) this.values.set(name, undefined);
      return;
    }
    this.exprs.set(name, node);
    if (node.kind === "call" && /(?:^|\.)(?:Env|FileAwareEnv)$/.test(dotted(node.callee) ?? "")) this.envObjects.add(name);
    if (applies === true) this.values.set(name, this.evaluate(node));
    else if (applies === null) this.values.set(name, undefined);
  }

  private async importLine(file: string, text: string, applies: boolean | null): Promise<void> {
    if (/\bdecouple\b/.test(text)) this.decouple = true;
    if (/\bsplit_settings\b/.test(text)) this.splitSettings = true;
    const star = /^from\s*(\.*)\s*([\w.]*?)\s*import\s+\*$/.exec(text);
    if (star) {
      const dots = (star[1] as string).length;
      const module = star[2] as string;
      let found: string | null;
      if (dots === 0) found = await moduleFile(this.tree, module, this.roots);
      else {
        const dir = file.split("/").slice(0, -dots).join("/") || ".";
        found = await existing(this.tree, join(dir, ...(module === "" ? ["__init__"] : module.split("."))));
      }
      if (found !== null) await this.read(found, applies);
      return;
    }
    const aliased = /^import\s+dj_database_url\s+as\s+(\w+)/.exec(text);
    if (aliased) this.urlModules.add(aliased[1] as string);
    const from = /^from\s+dj_database_url\s+import\s+\(?([^)]*)\)?/.exec(text);
    for (const name of from?.[1]?.split(",") ?? []) {
      const [imported, alias] = name.trim().split(/\s+as\s+/);
      if (imported === "parse") this.urlParsers.add(alias ?? imported);
    }
  }

  /** django-split-settings: `include("components/base.py", optional("local.py"))`, globs within a directory. */
  private async include(file: string, call: Extract<Node, { kind: "call" }>, applies: boolean | null): Promise<void> {
    const dir = file.split("/").slice(0, -1).join("/") || ".";
    for (const arg of call.args) {
      const pattern = arg.kind === "str" ? arg.value : arg.kind === "call" && arg.args[0]?.kind === "str" ? arg.args[0].value : null;
      if (pattern === null || pattern.includes("..")) continue;
      const slash = pattern.lastIndexOf("/");
      const [sub, base] = [pattern.slice(0, Math.max(0, slash)), pattern.slice(slash + 1)];
      if (!/[*?]/.test(base)) {
        await this.read(join(dir, pattern), applies);
        continue;
      }
      const glob = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
      for (const entry of (await this.tree.list(join(dir, sub))).filter((e) => glob.test(e)).sort()) await this.read(join(dir, sub, entry), applies);
    }
  }

  /** Every variable the node reads goes to envRead; URL and cache readers to their lists; a cache-named setting's locators to cacheVars. */
  private collect(node: Node, target: string): void {
    for (const read of this.readsIn(node, false)) {
      this.found.envRead.add(read.name);
      if (read.role === "url") this.found.url.add(read.name);
      if (read.role === "cache") this.found.cache.add(read.name);
    }
    for (const read of this.readsIn(node, true)) {
      if (LOCATOR_WORD.test(read.name) && (CACHE_WORD.test(read.name) || CACHE_WORD.test(target))) this.found.cache.add(read.name);
    }
  }

  private databases(target: Node | null, node: Node, applies: boolean | null, conditions: string[]): void {
    const path = target === null ? null : pathOf(target);
    const update = node.kind === "call" && node.callee.kind === "attr" && node.callee.name === "update" ? { path: pathOf(node.callee.object), value: node.args[0] } : null;
    const where = update?.path ?? path;
    const value = update !== null ? update.value : node;
    if (where === null || value === undefined) return;
    for (const name of conditions) this.found.selectors.add(name);
    const key = where[2];
    if (where.length === 3 && key !== undefined && Object.hasOwn(PARTS, key)) this.part(PARTS[key as keyof typeof PARTS], value);
    else if (where.length < 3) this.parts(value);
    if (applies !== true || (where.length > 1 && where[1] !== "default")) return;
    if (where.length === 1 && (update === null || (value.kind === "dict" && value.entries.some(([k]) => k.kind === "str" && k.value === "default")))) {
      this.engine = this.databasesEngine(value);
    } else if (where.length === 2) {
      const engine = this.aliasEngine(value, update !== null);
      if (engine !== null) this.engine = engine;
    } else if (where.length === 3 && key === "ENGINE" && update === null) this.engine = engineNamed(this.evaluate(value));
  }

  /** The variables each `"HOST": …` entry (or `dict(HOST=…)`) of DATABASES reads. */
  private parts(value: Node): void {
    for (const node of walk(value)) {
      const entries: [string, Node][] =
        node.kind === "dict" ? node.entries.flatMap(([key, entry]) => (key.kind === "str" ? [[key.value, entry] as [string, Node]] : [])) : node.kind === "call" && dotted(node.callee) === "dict" ? [...node.keywords] : [];
      for (const [key, entry] of entries) if (Object.hasOwn(PARTS, key)) this.part(PARTS[key as keyof typeof PARTS], entry);
    }
  }

  /** The variables a part reads; a project's own reader (`envsecret("DB_PASSWORD")`, a function) counts when it names a variable. */
  private part(role: Part, value: Node): void {
    const names = this.readsIn(value, true).map((read) => read.name);
    for (const node of walk(value)) {
      const own = node.kind === "call" && node.callee.kind === "name" && this.readOf(node) === null ? variableName(node.args[0]) : null;
      if (own !== null && /^[A-Z][A-Z0-9_]*$/.test(own)) {
        names.push(own);
        this.found.envRead.add(own);
      }
    }
    for (const name of names) this.found.parts[role].add(name);
  }

  private databasesEngine(node: Node, depth = 0): DatabaseEngine {
    if (node.kind === "name" && depth < 4) {
      const expr = this.exprs.get(node.id);
      return expr === undefined ? "unknown" : this.databasesEngine(expr, depth + 1);
    }
    const alias = node.kind === "dict" ? node.entries.find(([key]) => key.kind === "str" && key.value === "default")?.[1] : undefined;
    return alias === undefined ? "unknown" : (this.aliasEngine(alias, false) ?? "unknown");
  }

  /** One alias's engine: its ENGINE, or the scheme of the URL it is parsed from when the variable is unset; null when an update names neither. */
  private aliasEngine(node: Node, update: boolean, depth = 0): DatabaseEngine | null {
    if (node.kind === "name" && depth < 4) {
      const expr = this.exprs.get(node.id);
      return expr === undefined ? "unknown" : this.aliasEngine(expr, update, depth + 1);
    }
    const entries = node.kind === "dict" ? node.entries.map(([key, value]) => [key.kind === "str" ? key.value : "", value] as const) : node.kind === "call" && dotted(node.callee) === "dict" ? [...node.keywords] : null;
    if (entries !== null) {
      const engine = entries.find(([key]) => key === "ENGINE")?.[1];
      return engine !== undefined ? engineNamed(this.evaluate(engine)) : update ? null : "unknown";
    }
    if (node.kind !== "call") return "unknown";
    const read = this.readOf(node);
    if (read?.role === "url") return read.fallback === undefined ? (update ? null : "unknown") : schemeEngine(this.evaluate(read.fallback));
    if (this.isUrlParse(node.callee)) return node.args[0] === undefined ? "unknown" : schemeEngine(this.evaluate(node.args[0]));
    return "unknown";
  }

  private isUrlParse(callee: Node): boolean {
    const name = dotted(callee) ?? "";
    return this.urlParsers.has(name) || [...this.urlModules].some((module) => name === `${module}.parse`);
  }

  /** The environment reads in the node; `follow`: also those of the names it uses, back to their assignments. */
  private readsIn(node: Node, follow: boolean, seen = new Set<string>()): Read[] {
    const reads: Read[] = [];
    for (const each of walk(node)) {
      const read = this.readOf(each);
      if (read !== null) reads.push(read);
      if (each.kind === "call" && this.isUrlParse(each.callee) && each.args[0] !== undefined) {
        for (const inner of this.readsIn(each.args[0], true, seen)) reads.push({ ...inner, role: "url" });
      }
      if (follow && each.kind === "name" && !seen.has(each.id) && seen.size < 20) {
        const expr = this.exprs.get(each.id);
        seen.add(each.id);
        if (expr !== undefined) reads.push(...this.readsIn(expr, true, seen));
      }
    }
    return reads;
  }

  /** The environment read a node is (a call, a subscript, `"X" in os.environ`), or null. */
  private readOf(node: Node): Read | null {
    const made = (name: string | null, role: Read["role"], fallback: Node | undefined, required: boolean, castBool = false): Read | null =>
      name === null ? null : { name, role, fallback, required, castBool };
    if (node.kind === "subscript") return ENVIRON.has(dotted(node.object) ?? "") ? made(variableName(node.index), "plain", undefined, true) : null;
    if (node.kind === "compare" && (node.op === "in" || node.op === "not in")) return ENVIRON.has(dotted(node.right) ?? "") ? made(variableName(node.left), "plain", undefined, false) : null;
    if (node.kind !== "call") return null;
    const callee = dotted(node.callee);
    if (callee === null) return null;
    const [first, second, third] = node.args;
    const fallback = node.keywords.get("default");
    if (GETENV.has(callee)) return made(variableName(first), "plain", second ?? fallback, false);
    const [object = "", method, extra] = callee.split(".");
    if (this.envObjects.has(object) && extra === undefined) {
      if (method === undefined) return made(variableName(first), "plain", fallback ?? third, fallback === undefined && third === undefined);
      const reader = Object.hasOwn(ENV_METHODS, method) ? ENV_METHODS[method] : undefined;
      if (reader === undefined) return null;
      const given = fallback ?? second;
      return made(variableName(first) ?? (first === undefined ? (reader.variable ?? null) : null), reader.role, given, given === undefined);
    }
    if ((callee === "config" && this.decouple) || callee === "decouple.config") {
      const cast = node.keywords.get("cast") ?? third;
      const role = cast !== undefined && this.isUrlParse(cast) ? "url" : "plain";
      const given = fallback ?? second;
      return made(variableName(first), role, given, given === undefined, cast !== undefined && dotted(cast) === "bool");
    }
    if ([...this.urlModules].some((module) => callee === `${module}.config`)) {
      return made(variableName(node.keywords.get("env") ?? first) ?? "DATABASE_URL", "url", fallback ?? second, false);
    }
    if (HEROKU.has(callee)) return made("DATABASE_URL", "url", undefined, false);
    return null;
  }

  /** Whether a branch runs with an empty environment: true, false, or null (cannot tell). */
  private condition(node: Node): boolean | null {
    const value = this.evaluate(node);
    return truthy(value) ?? null;
  }

  /** What the expression gives with an empty environment; undefined: cannot tell (or it raises). */
  private evaluate(node: Node, depth = 0): Value | undefined {
    if (depth > 20) return undefined;
    const evaluate = (inner: Node) => this.evaluate(inner, depth + 1);
    const read = this.readOf(node);
    if (read !== null) {
      if (node.kind === "compare") return node.op === "not in";
      if (read.required) return undefined;
      if (read.fallback === undefined) return read.role === "plain" ? null : undefined;
      const value = evaluate(read.fallback);
      return read.castBool && typeof value === "string" ? /^(?:1|true|yes|on|y|t)$/i.test(value) : value;
    }
    switch (node.kind) {
      case "str":
      case "num":
      case "const":
        return node.value;
      case "name":
        return this.values.get(node.id);
      case "not": {
        const value = evaluate(node.operand);
        return value === undefined ? undefined : !truthy(value);
      }
      case "bool": {
        let value: Value | undefined = undefined;
        for (const operand of node.operands) {
          value = evaluate(operand);
          if (value === undefined || truthy(value) === (node.op === "or")) return value;
        }
        return value;
      }
      case "ifexp": {
        const test = evaluate(node.test);
        return test === undefined ? undefined : evaluate(truthy(test) ? node.body : node.orelse);
      }
      case "compare":
        return this.compared(node, evaluate);
      case "binary": {
        const [left, right] = [evaluate(node.left), evaluate(node.right)];
        return node.op === "+" && typeof left === "string" && typeof right === "string" ? left + right : undefined;
      }
      case "call":
        return this.called(node, evaluate);
      default:
        return undefined;
    }
  }

  private compared(node: Extract<Node, { kind: "compare" }>, evaluate: (node: Node) => Value | undefined): Value | undefined {
    const left = evaluate(node.left);
    if (left === undefined) return undefined;
    if (node.op === "in" || node.op === "not in") {
      if (node.right.kind !== "seq") return undefined;
      const items = node.right.items.map(evaluate);
      if (items.some((item) => item === undefined)) return undefined;
      return items.includes(left) === (node.op === "in");
    }
    const right = evaluate(node.right);
    if (right === undefined) return undefined;
    if (node.op === "==" || node.op === "is") return left === right;
    if (node.op === "!=" || node.op === "is not") return left !== right;
    return undefined;
  }

  private called(node: Extract<Node, { kind: "call" }>, evaluate: (node: Node) => Value | undefined): Value | undefined {
    const argument = node.args[0] === undefined ? undefined : evaluate(node.args[0]);
    if (node.callee.kind === "attr") {
      const object = evaluate(node.callee.object);
      if (typeof object !== "string") return undefined;
      switch (node.callee.name) {
        case "lower":
          return object.toLowerCase();
        case "upper":
          return object.toUpperCase();
        case "strip":
          return object.trim();
        case "startswith":
          return typeof argument === "string" ? object.startsWith(argument) : undefined;
        case "endswith":
          return typeof argument === "string" ? object.endsWith(argument) : undefined;
        default:
          return undefined;
      }
    }
    if (argument === undefined) return undefined;
    switch (dotted(node.callee)) {
      case "bool":
        return truthy(argument);
      case "int":
        return typeof argument === "boolean" ? Number(argument) : /^\s*-?\d+\s*$/.test(String(argument)) ? Number(argument) : undefined;
      case "str":
        return argument === null ? "None" : typeof argument === "boolean" ? (argument ? "True" : "False") : String(argument);
      default:
        return undefined;
    }
  }
}

/** Python's truth value. */
function truthy(value: Value | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value !== null && value !== false && value !== 0 && value !== "";
}

function combine(values: (boolean | null)[]): boolean | null {
  return values.includes(false) ? false : values.includes(null) ? null : true;
}

/** The tokens after the header's own colon (`for x in y:`, `with a as b:`, `except E:`), or null when it has none. */
function afterColon(tokens: Token[]): Token[] | null {
  let depth = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    if (token.kind !== "op") continue;
    if ("([{".includes(token.value)) depth += 1;
    else if (")]}".includes(token.value)) depth -= 1;
    else if (token.value === ":" && depth === 0) return tokens.slice(i + 1);
  }
  return null;
}

/** `a = b = value`, `NAME: Type = value`, `NAME += value`, or an expression statement (no targets). */
function splitAssignment(tokens: Token[]): { targets: Token[][]; value: Token[]; augmented: boolean } {
  const segments: Token[][] = [[]];
  let augmented = false;
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === "op" && "([{".includes(token.value)) depth += 1;
    else if (token.kind === "op" && ")]}".includes(token.value)) depth -= 1;
    if (depth === 0 && token.kind === "op" && /^(?:[-+*/%&|^@]|\*\*|\/\/|>>|<<)?=$/.test(token.value)) {
      augmented ||= token.value !== "=";
      segments.push([]);
    } else (segments[segments.length - 1] as Token[]).push(token);
  }
  const value = segments.pop() as Token[];
  const targets = segments.map((target) => {
    const colon = target.findIndex((token) => token.kind === "op" && token.value === ":");
    return colon === -1 ? target : target.slice(0, colon);
  });
  return { targets, value, augmented };
}

/** The name a target or a method call's object starts from: `DATABASES` for `DATABASES["default"]["HOST"]`. */
function rootName(node: Node): string {
  if (node.kind === "name") return node.id;
  if (node.kind === "attr" || node.kind === "subscript") return rootName(node.object);
  return "";
}

/** `DATABASES["default"]["HOST"]` → ["DATABASES", "default", "HOST"]; null when a key is not a string. */
function pathOf(node: Node): string[] | null {
  if (node.kind === "name") return [node.id];
  if (node.kind !== "subscript" || node.index.kind !== "str") return null;
  const object = pathOf(node.object);
  return object === null ? null : [...object, node.index.value];
}

function engineNamed(value: Value | undefined): DatabaseEngine {
  if (typeof value !== "string") return "unknown";
  if (/postgresql|postgis|psycopg/.test(value)) return "postgresql";
  if (/sqlite3|spatialite/.test(value)) return "sqlite";
  if (/mysql/.test(value)) return "mysql";
  return "unknown";
}

/** The engine a database URL's scheme selects (dj-database-url's and django-environ's schemes). */
function schemeEngine(value: Value | undefined): DatabaseEngine {
  const scheme = typeof value === "string" ? /^([a-z][a-z0-9+.-]*):/i.exec(value.trim())?.[1]?.toLowerCase() : undefined;
  if (scheme === undefined) return "unknown";
  if (/^(?:postgres|postgresql|pgsql|postgis|psql|timescale|timescalegis)$/.test(scheme)) return "postgresql";
  if (/^(?:sqlite|spatialite)$/.test(scheme)) return "sqlite";
  if (/^(?:mysql|mysql2|mysqlgis|mysql-connector)$/.test(scheme)) return "mysql";
  return "unknown";
}
