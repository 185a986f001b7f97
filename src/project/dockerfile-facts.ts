import type { Declared, DeclaredHealthcheck } from "./declared.js";
import { dockerfileInstructions, envAssignments, jsonArgv, stagesOf, type Instruction, type Stage } from "./dockerfile.js";
import { healthcheckOf } from "./health-url.js";
import { shellQuote } from "./shell-quote.js";

/**
 * What a Dockerfile says beyond how its image starts (dockerfile.ts): the ports it exposes, its
 * healthcheck, the system packages its stages install, where its start scripts land, its ENV.
 * Read without Docker, so shell variables are expanded here as the build's shell would (the
 * package lists of Django images live in `BUILD_DEPS`/`RUN_DEPS` variables, not on the install line).
 */

export interface DockerfileFacts {
  /** The deployed stage (target's, else the final one): its name or index. */
  stage: string;
  /** EXPOSE ports of that stage and the stages it is built FROM, in order ("8000/tcp" → 8000; `$PORT` expanded from ENV/ARG when known, else left out). */
  exposes: Declared<number>[];
  /** Its HEALTHCHECK (CMD form shell-quoted, shell form as is; NONE → null), through healthcheckOf. */
  healthcheck: Declared<DeclaredHealthcheck> | null;
  /**
   * Packages the Dockerfile installs with apt-get/apt install, in ANY stage (build stages too: they
   * are what the Python dependencies needed to build), shell variables expanded: set earlier in the
   * same RUN, by ENV or ARG earlier in the stage (or the stages it is built FROM, for ENV), or by a
   * global ARG before the first FROM that the stage declares again (`ARG NAME`, as Docker requires).
   * Flags are not packages; version pins (`libpq-dev=15.*`) keep only the name.
   */
  aptPackages: string[];
  /** Packages installed with `apk add`, expanded the same way; `--virtual NAME`/`-t NAME` names are not packages. */
  apkPackages: string[];
  /** The images its stages are built FROM (any stage, like the packages), global ARGs expanded: `python:3.12`, `node:22-slim`. */
  baseImages: string[];
  /** The image the deployed stage is built FROM (through the stages it builds on), with its line. */
  deployedBase: Declared<string> | null;
  /**
   * COPY/ADD of local sources into the deployed stage's file system: where a file of the context
   * lands (absolute, WORKDIR applied), for finding a start script such as /start. A source copied
   * into a directory lands at `<directory>/<its name>`, except `.` and `dir/` whose contents fill it.
   * Only plain paths (no globs, URLs or archives ADD unpacks); `--chown`/`--chmod`/`--link` allowed, `--from` excluded.
   */
  copies: { source: string; destination: string }[];
  /** The deployed stage's ENV (from its FROM-chain), as written. */
  env: Record<string, string>;
}

/** What one stage leaves to the stages built FROM it, and what it declares itself. */
interface StageFacts {
  /** ENV, expanded, for expanding later instructions. */
  env: Map<string, string>;
  /** ENV as written. */
  written: Map<string, string>;
  workdir: string;
  exposes: Declared<number>[];
  /** undefined: no HEALTHCHECK here (inherited); null: HEALTHCHECK NONE. */
  healthcheck: Declared<DeclaredHealthcheck> | null | undefined;
  copies: { source: string; destination: string }[];
}

export function dockerfileFacts(dockerfile: string, path: string, target?: string): DockerfileFacts | null {
  const instructions = dockerfileInstructions(dockerfile);
  const stages = stagesOf(instructions);
  const index = target === undefined ? stages.length - 1 : stages.findIndex((stage) => stage.name === target.toLowerCase());
  if (index < 0) return null;
  const globals = globalArgs(instructions);
  const apt = new Set<string>();
  const apk = new Set<string>();
  const facts: StageFacts[] = [];
  stages.forEach((stage, i) => {
    const parent = stage.parent !== null && stage.parent < i ? facts[stage.parent] : undefined;
    facts.push(stageFacts(stage.instructions, parent, globals, path, apt, apk));
  });
  const chain: StageFacts[] = [];
  for (let i: number | null = index; i !== null && chain.length <= stages.length; i = stages[i]?.parent ?? null) chain.unshift(facts[i] as StageFacts);
  const deployed = facts[index] as StageFacts;
  const healthcheck = [...chain].reverse().find((stage) => stage.healthcheck !== undefined)?.healthcheck ?? null;
  return {
    stage: stages[index]?.name ?? String(index),
    exposes: chain.flatMap((stage) => stage.exposes),
    healthcheck,
    aptPackages: [...apt],
    apkPackages: [...apk],
    baseImages: [...new Set(stages.filter((stage) => stage.parent === null).map((stage) => withGlobals(stage.base, globals)))],
    deployedBase: deployedBase(stages, index, globals, path),
    copies: chain.flatMap((stage) => stage.copies),
    env: Object.fromEntries(deployed.written),
  };
}

function deployedBase(stages: readonly Stage[], index: number, globals: ReadonlyMap<string, string>, path: string): Declared<string> | null {
  let at = index;
  for (let hops = 0; stages[at]?.parent != null && hops < stages.length; hops++) at = stages[at]?.parent as number;
  const root = stages[at];
  return root === undefined ? null : { value: withGlobals(root.base, globals), from: { file: path, line: root.line } };
}

/** A FROM line's image with the global ARGs it names (`python:${PYTHON_VERSION:-3.12}`); an unknown one by its default, else empty. */
function withGlobals(image: string, globals: ReadonlyMap<string, string>): string {
  return image.replace(/\$\{?(\w+)(?::?-([^}]*))?\}?/g, (_, name: string, fallback?: string) => globals.get(name) ?? fallback ?? "");
}

/** `ARG NAME=default` before the first FROM: what a stage's own `ARG NAME` takes. */
function globalArgs(instructions: Instruction[]): Map<string, string> {
  const globals = new Map<string, string>();
  for (const { keyword, args } of instructions) {
    if (keyword === "FROM") break;
    if (keyword === "ARG") for (const [name, value] of argAssignments(args, globals, () => undefined)) if (value !== undefined) globals.set(name, value);
  }
  return globals;
}

function stageFacts(instructions: Instruction[], parent: StageFacts | undefined, globals: ReadonlyMap<string, string>, path: string, apt: Set<string>, apk: Set<string>): StageFacts {
  const facts: StageFacts = {
    env: new Map(parent?.env),
    written: new Map(parent?.written),
    workdir: parent?.workdir ?? "/",
    exposes: [],
    healthcheck: undefined,
    copies: [],
  };
  // ARGs do not cross FROM; an ENV wins over an ARG of the same name.
  const args = new Map<string, string>();
  const lookup: Lookup = (name) => facts.env.get(name) ?? args.get(name);
  for (const { keyword, args: text, line } of instructions) {
    const from = { file: path, line };
    if (keyword === "ARG") {
      for (const [name, value] of argAssignments(text, globals, lookup)) {
        if (value === undefined) args.delete(name);
        else args.set(name, value);
      }
    } else if (keyword === "ENV") {
      for (const [name, value] of envValues(text, lookup)) facts.env.set(name, value);
      for (const [name, value] of envAssignments(text)) facts.written.set(name, value);
    } else if (keyword === "RUN") {
      installs(runScript(text), lookup, apt, apk);
    } else if (keyword === "EXPOSE") {
      for (const word of dockerWords(text)) {
        const port = /^(\d{1,5})(?:\/tcp)?$/i.exec(expandWord(word, lookup));
        if (port && Number(port[1]) >= 1 && Number(port[1]) <= 65535) facts.exposes.push({ value: Number(port[1]), from });
      }
    } else if (keyword === "HEALTHCHECK") {
      facts.healthcheck = healthcheckInstruction(text, from);
    } else if (keyword === "WORKDIR") {
      const dir = expandText(text.trim(), lookup);
      if (!dir.includes(UNKNOWN)) facts.workdir = absolute(dir, facts.workdir);
    } else if (keyword === "COPY" || keyword === "ADD") {
      facts.copies.push(...copiesOf(keyword, text, lookup, facts.workdir));
    }
  }
  return facts;
}

/** `ARG A=1 B`: a value given, the global default for a bare name, undefined when neither (unset). */
function argAssignments(text: string, globals: ReadonlyMap<string, string>, lookup: Lookup): [string, string | undefined][] {
  return dockerWords(text).map((word) => {
    const assignment = assignmentOf(word);
    if (assignment === null) return [literal(word), globals.get(literal(word))];
    return [assignment.name, expandWord(assignment.value, lookup)];
  });
}

/** `ENV A=1 B="two words"` or the legacy `ENV A one value`, values expanded. */
function envValues(text: string, lookup: Lookup): [string, string][] {
  const words = dockerWords(text);
  const first = words[0];
  if (first === undefined) return [];
  if (assignmentOf(first) === null) return [[literal(first), words.slice(1).map((word) => expandWord(word, lookup)).join(" ")]];
  return words.flatMap((word) => {
    const assignment = assignmentOf(word);
    return assignment === null ? [] : [[assignment.name, expandWord(assignment.value, lookup)] as [string, string]];
  });
}

/** A RUN's script: its flags (`--mount=…`) dropped; an exec form's `sh -c` script, or its argv quoted. */
function runScript(args: string): string {
  const text = args.replace(/^(?:--\S+\s+)*/, "");
  const argv = jsonArgv(text);
  if (argv === null) return text;
  const [shell = "", flag = "", script] = argv;
  return /(?:^|\/)(?:ba|da|a)?sh$/.test(shell) && /^-\w*c$/.test(flag) && script !== undefined ? script : shellQuote(argv);
}

const APT_VALUE_OPTIONS = new Set(["-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"]);
const APK_VALUE_OPTIONS = new Set(["-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--keys-dir", "--repositories-file", "--cache-dir", "--cache-max-age", "--timeout", "--wait"]);

/** The packages a RUN's `apt-get install`/`apt install`/`apk add` commands name, its own variables expanded as the shell goes. */
function installs(script: string, lookup: Lookup, apt: Set<string>, apk: Set<string>): void {
  const vars = new Map<string, string>();
  const scoped: Lookup = (name) => (vars.has(name) ? vars.get(name) : lookup(name));
  for (const command of shellCommands(script)) {
    const words = literal(command[0] ?? []) === "export" ? command.slice(1) : command;
    const assignments = prefixAssignments(words);
    if (assignments.length === words.length) {
      for (const { name, value } of assignments) vars.set(name, expandWord(value, scoped));
      continue;
    }
    let fields = words.slice(assignments.length).flatMap((word) => wordFields(word, scoped));
    while (fields[0] === "sudo" || fields[0] === "command") fields = fields.slice(1);
    const program = (fields[0] ?? "").split("/").pop();
    if (program === "apt-get" || program === "apt") {
      for (const name of operands(fields.slice(1), "install", APT_VALUE_OPTIONS)) {
        const bare = name.replace(/[=/].*$/, "").replace(/:[a-z0-9]+$/, "");
        if (/^[a-z0-9][a-z0-9+.-]+$/.test(bare)) apt.add(bare);
      }
    } else if (program === "apk") {
      for (const name of operands(fields.slice(1), "add", APK_VALUE_OPTIONS)) {
        const bare = name.replace(/[=<>~@].*$/, "");
        if (/^[A-Za-z0-9][A-Za-z0-9+._-]*$/.test(bare)) apk.add(bare);
      }
    }
  }
}

/** The operands after `subcommand` (options and their values skipped), or none when the command runs another subcommand. */
function operands(fields: string[], subcommand: string, valueOptions: ReadonlySet<string>): string[] {
  const found: string[] = [];
  let seen = false;
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i] as string;
    if (field.startsWith("-")) {
      if (valueOptions.has(field)) i += 1;
    } else if (!seen) {
      if (field !== subcommand) return [];
      seen = true;
    } else if (!field.includes(UNKNOWN) && !field.startsWith("/") && !field.startsWith("./")) {
      found.push(field);
    }
  }
  return found;
}

function healthcheckInstruction(text: string, from: { file: string; line: number }): Declared<DeclaredHealthcheck> | null {
  const rest = text.replace(/^(?:--[\w-]+(?:=\S*)?\s+)*/, "");
  const cmd = /^CMD\s+([\s\S]*)$/i.exec(rest);
  if (cmd === null) return null;
  const args = (cmd[1] as string).trim();
  const argv = jsonArgv(args);
  return { value: healthcheckOf(argv !== null ? shellQuote(argv) : args), from };
}

const COPY_FLAGS = /^--(?:chown|chmod|link)(?:=|$)/;
const ARCHIVE = /\.(?:tar|tgz|tbz2?|txz|tar\.(?:gz|bz2|xz|zst))$/i;

function copiesOf(keyword: string, text: string, lookup: Lookup, workdir: string): { source: string; destination: string }[] {
  let rest = text;
  for (let flag = /^(--\S+)\s+/.exec(rest); flag !== null; flag = /^(--\S+)\s+/.exec(rest)) {
    if (!COPY_FLAGS.test(flag[1] as string)) return [];
    rest = rest.slice(flag[0].length);
  }
  const parts = (jsonArgv(rest) ?? rest.split(/\s+/).filter((part) => part !== "")).map((part) => expandText(part, lookup));
  const target = parts.pop();
  if (target === undefined || parts.length === 0 || target.includes(UNKNOWN) || target === "") return [];
  // `.` and `..` name directories as a trailing slash does: the file lands inside.
  const intoDirectory = /(?:^|\/)(?:\.\.?)?$/.test(target) || parts.length > 1;
  const destination = absolute(target, workdir);
  return parts.flatMap((source) => {
    if (source === "" || source.includes(UNKNOWN) || source.startsWith("<<") || /[*?[]/.test(source) || /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i.test(source)) return [];
    if (keyword === "ADD" && ARCHIVE.test(source)) return [];
    const clean = source.replace(/^(?:\.\/)+/, "").replace(/\/+$/, "") || ".";
    const fills = clean === "." || source.endsWith("/");
    const name = clean.split("/").pop() as string;
    return [{ source: clean, destination: intoDirectory && !fills ? absolute(name, destination) : destination }];
  });
}

/** `path` resolved against `dir` (absolute, `.` and `..` applied, no trailing slash). */
function absolute(path: string, dir: string): string {
  const segments: string[] = [];
  for (const segment of `${path.startsWith("/") ? "" : dir}/${path}`.split("/")) {
    if (segment === "..") segments.pop();
    else if (segment !== "" && segment !== ".") segments.push(segment);
  }
  return `/${segments.join("/")}`;
}

// Shell words -----------------------------------------------------------------------------------

/** A piece of a word: as written unquoted, in single or double quotes, or a command substitution's text. */
export interface ShellPart {
  text: string;
  quote: "none" | "single" | "double" | "subst";
}
export type ShellWord = ShellPart[];
/** A variable's value: its text, or undefined when it is unset. */
export type Lookup = (name: string) => string | undefined;

/** Stands for text only running the command would give (a command substitution): nothing made from it is trusted. */
export const UNKNOWN = "\u0000";

const RESERVED = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac"]);

/**
 * The simple commands of a shell script, as words: split at newlines, `;`, `&`, `|`, `&&`, `||`
 * and parentheses; comments, redirections and heredoc bodies dropped; a leading reserved word
 * (`then`, `do`, `{`…) dropped so that what it runs comes first. Quoting is kept for expansion.
 */
export function shellCommands(script: string): ShellWord[][] {
  return tokenize(script, true);
}

/** Words of a Dockerfile instruction (ENV, ARG, EXPOSE): shell quoting, no operators. */
function dockerWords(text: string): ShellWord[] {
  return tokenize(text, false).flat();
}

function tokenize(text: string, shell: boolean): ShellWord[][] {
  const commands: ShellWord[][] = [];
  let command: ShellWord[] = [];
  let word: ShellWord | null = null;
  const heredocs: { word: string; strip: boolean }[] = [];
  const add = (part: string, quote: ShellPart["quote"]) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last !== undefined && last.quote === quote && quote !== "subst") last.text += part;
    else word.push({ text: part, quote });
  };
  const endWord = () => {
    if (word !== null) command.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    while (command.length > 0 && isReserved(command[0] as ShellWord)) command.shift();
    if (command.length > 0) commands.push(command);
    command = [];
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    const next = text[i + 1];
    if (char === "\\") {
      if (next === "\n") i += 2;
      else {
        if (next !== undefined) add(next, "single");
        i += 2;
      }
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end === -1 ? text.length : end;
      add(text.slice(i + 1, stop), "single");
      i = stop + 1;
    } else if (char === '"') {
      i = doubleQuoted(text, i + 1, add);
    } else if (expansionEnd(text, i) !== null) {
      i = expansion(text, i, add, "none");
    } else if (char === "\n") {
      if (shell) endCommand();
      else endWord();
      i = skipHeredocs(text, i + 1, heredocs);
    } else if (/\s/.test(char)) {
      endWord();
      i += 1;
    } else if (shell && char === "#" && word === null) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (shell && ";&|()".includes(char)) {
      endCommand();
      i += 1;
    } else if (shell && (char === "<" || char === ">")) {
      // A redirection: its file descriptor (`2>`), operator and target are not arguments.
      const current = word as ShellWord | null;
      if (current !== null && current.length === 1 && current[0]?.quote === "none" && /^\d+$/.test(current[0].text)) word = null;
      else endWord();
      const operator = /^(?:<<-?|>>|>&|<&|>\||<>|<|>)/.exec(text.slice(i))?.[0] ?? char;
      i += operator.length;
      while (text[i] === " " || text[i] === "\t") i += 1;
      const start = i;
      while (i < text.length && !/[\s;&|()<>]/.test(text[i] as string)) i += 1;
      if (operator.startsWith("<<")) heredocs.push({ word: text.slice(start, i).replace(/["']/g, ""), strip: operator === "<<-" });
    } else {
      add(char, "none");
      i += 1;
    }
  }
  endCommand();
  return commands;
}

/** Where the command substitution or `${…}` starting at `i` ends (the index of its last character; the text's length when unclosed), or null. */
function expansionEnd(text: string, i: number): number | null {
  const char = text[i];
  const next = text[i + 1];
  if (char === "$" && next === "(") return closing(text, i + 1, "(", ")");
  if (char === "$" && next === "{") return closing(text, i + 1, "{", "}");
  if (char !== "`") return null;
  const end = text.indexOf("`", i + 1);
  return end === -1 ? text.length : end;
}

/** Adds the expansion at `i` (a substitution's command as "subst", `${…}` whole, quoted as `braced`); returns the index after it. */
function expansion(text: string, i: number, add: (part: string, quote: ShellPart["quote"]) => void, braced: ShellPart["quote"]): number {
  const end = expansionEnd(text, i) as number;
  if (text[i] === "`") add(text.slice(i + 1, end), "subst");
  else if (text[i + 1] === "(") add(text.slice(i + 2, end), "subst");
  else add(text.slice(i, end + 1), braced);
  return end + 1;
}

function isReserved(word: ShellWord): boolean {
  return word.length === 1 && word[0]?.quote === "none" && RESERVED.has(word[0].text);
}

/** Reads a double-quoted string from `start` (after its quote); returns the index after its closing quote. */
function doubleQuoted(text: string, start: number, add: (part: string, quote: ShellPart["quote"]) => void): number {
  let i = start;
  add("", "double");
  while (i < text.length && text[i] !== '"') {
    const char = text[i] as string;
    const next = text[i + 1];
    if (char === "\\" && next !== undefined && '$`"\\\n'.includes(next)) {
      if (next !== "\n") add(next, "single");
      i += 2;
    } else if (expansionEnd(text, i) !== null) {
      i = expansion(text, i, add, "double");
    } else {
      add(char, "double");
      i += 1;
    }
  }
  return i + 1;
}

/** The index of the bracket closing the one at `open` (quotes inside skipped), or the text's end. */
function closing(text: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const char = text[i];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end === -1) return text.length;
      i = end;
    } else if (char === "\\") i += 1;
    else if (char === left) depth += 1;
    else if (char === right && --depth === 0) return i;
  }
  return text.length;
}

/** After a newline: past the bodies of the heredocs the line opened. */
function skipHeredocs(text: string, start: number, heredocs: { word: string; strip: boolean }[]): number {
  let i = start;
  for (const heredoc of heredocs.splice(0)) {
    while (i < text.length) {
      const end = text.indexOf("\n", i);
      const line = text.slice(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end + 1;
      if ((heredoc.strip ? line.replace(/^\t+/, "") : line) === heredoc.word) break;
    }
  }
  return i;
}

/** The word as written, quotes removed, nothing expanded (for messages). */
export function literal(word: ShellWord): string {
  return word.map((part) => (part.quote === "subst" ? `$(${part.text})` : part.text)).join("");
}

/** `NAME=value` (a shell assignment): the name and the value's word. */
export function assignmentOf(word: ShellWord): { name: string; value: ShellWord } | null {
  const first = word[0];
  const match = first?.quote === "none" ? /^([A-Za-z_]\w*)=/.exec(first.text) : null;
  if (!match || first === undefined) return null;
  const rest = first.text.slice(match[0].length);
  return { name: match[1] as string, value: [...(rest === "" ? [] : [{ text: rest, quote: "none" as const }]), ...word.slice(1)] };
}

/** The `A=1 B=2` words a command starts with. */
export function prefixAssignments(words: ShellWord[]): { name: string; value: ShellWord }[] {
  const found: { name: string; value: ShellWord }[] = [];
  for (const word of words) {
    const assignment = assignmentOf(word);
    if (assignment === null) break;
    found.push(assignment);
  }
  return found;
}

/** The word expanded as one string (an assignment's value: no field splitting). */
export function expandWord(word: ShellWord, lookup: Lookup): string {
  return word.map((part) => (part.quote === "single" ? part.text : part.quote === "subst" ? UNKNOWN : expandText(part.text, lookup))).join("");
}

/** The fields the word expands to: unquoted expansions split at whitespace, as the shell splits them. */
export function wordFields(word: ShellWord, lookup: Lookup): string[] {
  const fields: string[] = [];
  let current = "";
  let started = false;
  for (const part of word) {
    if (part.quote !== "none") {
      current += part.quote === "single" ? part.text : part.quote === "subst" ? UNKNOWN : expandText(part.text, lookup);
      started = true;
      continue;
    }
    expandText(part.text, lookup)
      .split(/\s+/)
      .forEach((piece, index) => {
        if (index > 0 && started) {
          fields.push(current);
          current = "";
          started = false;
        }
        current += piece;
        if (piece !== "") started = true;
      });
  }
  if (started) fields.push(current);
  return fields;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}` (and `-`, `=`, `+`, `?` forms) expanded; an unset variable is empty. */
export function expandText(text: string, lookup: Lookup, depth = 0): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char !== "$") {
      out += char;
      i += 1;
      continue;
    }
    if (text[i + 1] === "{") {
      const end = closing(text, i + 1, "{", "}");
      out += depth > 8 ? UNKNOWN : braced(text.slice(i + 2, end), lookup, depth);
      i = end + 1;
      continue;
    }
    const name = /^(?:[A-Za-z_]\w*|[0-9@*#?$!-])/.exec(text.slice(i + 1))?.[0];
    if (name === undefined) {
      out += char;
      i += 1;
    } else {
      out += lookup(name) ?? "";
      i += 1 + name.length;
    }
  }
  return out;
}

function braced(inner: string, lookup: Lookup, depth: number): string {
  const match = /^([A-Za-z_]\w*|[0-9@*#?])(?:(:?[-=+?])([\s\S]*))?$/.exec(inner);
  if (match === null) return UNKNOWN;
  const value = lookup(match[1] as string);
  const operator = match[2];
  if (operator === undefined) return value ?? "";
  const word = () => expandText((match[3] as string).replace(/^(["'])([\s\S]*)\1$/, "$2"), lookup, depth + 1);
  const unset = operator.startsWith(":") ? value === undefined || value === "" : value === undefined;
  const kind = operator.slice(-1);
  if (kind === "+") return unset ? "" : word();
  if (kind === "?") return value ?? "";
  return unset ? word() : (value as string);
}
