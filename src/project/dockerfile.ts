import { shellQuote } from "./shell-quote.js";

/**
 * How the deployed stage of a Dockerfile starts: its ENTRYPOINT and CMD as Docker composes
 * them (exec or shell form, inherited through `FROM <earlier stage>`, an ENTRYPOINT resetting
 * an inherited CMD), read at plan time without Docker, so that a failure inside the built image
 * can say how the image's own command would have started Django.
 */

/** An ENTRYPOINT or CMD as written: exec form (a JSON array) or shell form (run by the stage's SHELL). */
export type CommandForm = { form: "exec"; argv: string[] } | { form: "shell"; text: string; shell: string[] };

/** From an image outside the Dockerfile (its `FROM python:3.13-slim`): not known here. */
export const FROM_BASE_IMAGE = "base";

export interface ImageCommand {
  /** The deployed stage: its name, or its 0-based index when it has none. */
  stage: string;
  /** null: none; "base": whatever the base image outside the Dockerfile sets. */
  entrypoint: CommandForm | null | typeof FROM_BASE_IMAGE;
  cmd: CommandForm | null | typeof FROM_BASE_IMAGE;
  /** ENV the stage and the stages it is built FROM set, as written (`$VAR` not expanded). */
  env: Record<string, string>;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, CMD, ... */
  keyword: string;
  /** The rest of the logical line, continuations joined, heredoc bodies left out. */
  args: string;
  /** The 1-based line it starts on. */
  line: number;
}

const DEFAULT_SHELL = ["/bin/sh", "-c"];
const DIRECTIVE = /^#\s*([a-zA-Z][\w-]*)\s*=\s*(\S+)\s*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/g;
/** The instructions BuildKit reads heredocs for. */
const HEREDOC_INSTRUCTIONS = new Set(["RUN", "COPY", "ADD"]);

/**
 * The instructions of a Dockerfile: parser directives (`# escape=`) honoured, comments dropped,
 * continuation lines joined, heredoc bodies (`RUN <<EOF ... EOF`) skipped.
 */
export function dockerfileInstructions(text: string): Instruction[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let escape = "\\";
  let index = 0;
  for (; index < lines.length; index += 1) {
    const directive = DIRECTIVE.exec(lines[index] ?? "");
    if (!directive) break;
    if (directive[1]?.toLowerCase() === "escape" && (directive[2] === "`" || directive[2] === "\\")) escape = directive[2];
  }
  const instructions: Instruction[] = [];
  const skippable = (line: string) => line.trim() === "" || /^\s*#/.test(line);
  while (index < lines.length) {
    let line = lines[index++] ?? "";
    if (skippable(line)) continue;
    const start = index;
    let logical = "";
    while (line.trimEnd().endsWith(escape)) {
      const trimmed = line.trimEnd();
      logical += `${trimmed.slice(0, -escape.length)} `;
      line = "";
      while (index < lines.length) {
        const next = lines[index++] ?? "";
        if (!skippable(next)) {
          line = next;
          break;
        }
      }
    }
    logical += line;
    const match = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(logical);
    if (!match) continue;
    const args = (match[2] ?? "").trim();
    const keyword = (match[1] ?? "").toUpperCase();
    instructions.push({ keyword, args, line: start });
    if (!HEREDOC_INSTRUCTIONS.has(keyword)) continue;
    for (const heredoc of args.matchAll(HEREDOC)) {
      const strip = heredoc[1] === "-";
      const word = heredoc[3] ?? "";
      while (index < lines.length) {
        const body = lines[index++] ?? "";
        if ((strip ? body.replace(/^\t+/, "") : body) === word) break;
      }
    }
  }
  return instructions;
}

/** An exec-form JSON array of strings, or null when the text is not one (Docker then reads shell form). */
export function jsonArgv(text: string): string[] | null {
  if (!text.startsWith("[")) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}

function commandForm(args: string, shell: string[]): CommandForm {
  const argv = jsonArgv(args);
  return argv !== null ? { form: "exec", argv } : { form: "shell", text: args, shell };
}

/** Words of an instruction's arguments, quotes removed (`a="b c"` is one word). */
export function words(text: string): string[] {
  const found: string[] = [];
  let current = "";
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === "\\" && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else if (/\s/.test(char)) {
      if (started) found.push(current);
      current = "";
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) found.push(current);
  return found;
}

/** `ENV A=1 B="two words"` or the legacy `ENV A one value`. */
export function envAssignments(args: string): [string, string][] {
  const parts = words(args);
  const first = parts[0];
  if (first === undefined) return [];
  if (!first.includes("=")) return [[first, args.trim().slice(args.trim().indexOf(first) + first.length).trim()]];
  return parts.filter((part) => part.includes("=")).map((part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)]);
}

export interface Stage {
  name: string | null;
  /** Index of the earlier stage it is built FROM, or null for an image outside the Dockerfile. */
  parent: number | null;
  /** What its FROM names, as written: an image, or an earlier stage's name. */
  base: string;
  /** Its FROM line (1-based). */
  line: number;
  instructions: Instruction[];
}

/** The build stages: each FROM and the instructions after it (those before the first FROM belong to none). */
export function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const parts = words(instruction.args).filter((part) => !part.startsWith("--"));
      const base = (parts[0] ?? "").toLowerCase();
      const name = parts[1]?.toLowerCase() === "as" ? (parts[2] ?? "").toLowerCase() : null;
      const parent = stages.findIndex((stage) => stage.name !== null && stage.name === base);
      stages.push({ name, parent: parent === -1 ? null : parent, base: parts[0] ?? "", line: instruction.line, instructions: [] });
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return stages;
}

interface Config {
  entrypoint: ImageCommand["entrypoint"];
  cmd: ImageCommand["cmd"];
  env: Record<string, string>;
  shell: string[];
}

function configOf(stages: Stage[], index: number, depth = 0): Config {
  const stage = stages[index] as Stage;
  const start: Config =
    stage.parent !== null && stage.parent < index && depth < stages.length
      ? configOf(stages, stage.parent, depth + 1)
      : { entrypoint: FROM_BASE_IMAGE, cmd: FROM_BASE_IMAGE, env: {}, shell: DEFAULT_SHELL };
  const config: Config = { ...start, env: { ...start.env } };
  let cmdSet = false;
  for (const { keyword, args } of stage.instructions) {
    if (keyword === "CMD") {
      config.cmd = commandForm(args, config.shell);
      cmdSet = true;
    } else if (keyword === "ENTRYPOINT") {
      config.entrypoint = commandForm(args, config.shell);
      // Docker: an ENTRYPOINT drops the CMD inherited from the base, unless this stage set one before it.
      if (!cmdSet) config.cmd = null;
    } else if (keyword === "ENV") {
      for (const [name, value] of envAssignments(args)) config.env[name] = value;
    } else if (keyword === "SHELL") {
      config.shell = jsonArgv(args) ?? config.shell;
    }
  }
  return config;
}

/**
 * The ENTRYPOINT, CMD and ENV of the stage `target` names (the final stage without one), or
 * null when the Dockerfile has no FROM or no such stage.
 */
export function imageCommand(dockerfile: string, target?: string): ImageCommand | null {
  const stages = stagesOf(dockerfileInstructions(dockerfile));
  const index = target === undefined ? stages.length - 1 : stages.findIndex((stage) => stage.name === target.toLowerCase());
  if (index < 0) return null;
  const { entrypoint, cmd, env } = configOf(stages, index);
  return { stage: stages[index]?.name ?? String(index), entrypoint, cmd, env };
}

/** How the deployed backend would start: what runs, where that comes from, and whether `uv run` syncs the venv first. */
export interface ImageStart {
  /** "the image's CMD", "the image's ENTRYPOINT", "the image's ENTRYPOINT and CMD", or "predeploy.json's backend.command". */
  source: string;
  /** The command as written, shortened for a one-line message (a shell form's script, not its shell). */
  shown: string;
  /**
   * It starts through `uv run` without `--no-sync` (nor UV_NO_SYNC): uv first syncs the
   * project's venv with the lockfile, so whatever the image's venv lacks (the project itself,
   * a dependency group) is installed at start-up, over the network.
   */
  uvSync: boolean;
}

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|dash|ash|zsh)$/;
const SEPARATORS = new Set(["&&", "||", ";", "|", "&", "(", ")"]);
const TRUTHY = /^(?:1|true|yes|on|y|t)$/i;
const SHOWN_CHARS = 50;

/** The words a command runs: a shell's script split roughly into words, separators kept as their own words. */
function commandWords(argv: string[]): string[] {
  const shellIndex = argv.findIndex((arg, i) => i < argv.length - 1 && /^-[a-z]*c$/.test(arg) && SHELLS.test(argv[i - 1] ?? ""));
  const scripts = shellIndex > 0 ? [...argv.slice(0, shellIndex - 1), argv[shellIndex + 1] ?? "", ...argv.slice(shellIndex + 2)] : argv;
  return scripts.flatMap((script) => words(script.replace(/(&&|\|\||[;|&()])/g, " $1 ")));
}

/** Whether a `uv run` in the command syncs first. */
function syncsFirst(argv: string[], env: Record<string, string>): boolean {
  if (TRUTHY.test(env.UV_NO_SYNC ?? "")) return false;
  const all = commandWords(argv);
  let segment: string[] = [];
  for (let i = 0; i < all.length; i += 1) {
    const word = all[i] as string;
    if (SEPARATORS.has(word)) {
      segment = [];
      continue;
    }
    if (word.split("/").pop() === "uv" && all[i + 1] === "run") {
      const rest: string[] = [];
      for (let j = i + 2; j < all.length && !SEPARATORS.has(all[j] as string); j += 1) rest.push(all[j] as string);
      const noSync = rest.includes("--no-sync") || segment.some((w) => /^UV_NO_SYNC=/.test(w) && TRUTHY.test(w.slice("UV_NO_SYNC=".length)));
      if (!noSync) return true;
    }
    segment.push(word);
  }
  return false;
}

/** The command as written, its script for `sh -c`, shortened at a word to about SHOWN_CHARS characters. */
function shown(form: CommandForm | string[]): string {
  let text: string;
  if (Array.isArray(form)) text = shellQuote(form);
  else if (form.form === "shell") text = form.text;
  else {
    const [first = "", flag, script, ...rest] = form.argv;
    text = SHELLS.test(first) && flag !== undefined && /^-[a-z]*c$/.test(flag) && script !== undefined && rest.length === 0 ? script : shellQuote(form.argv);
  }
  text = text.replace(/\s+/g, " ").replace(/`/g, "'").trim();
  if (text.length <= SHOWN_CHARS) return text;
  // Whole words, and not a dangling option whose value was cut off.
  const kept: string[] = [];
  for (const word of text.split(" ")) {
    if ([...kept, word].join(" ").length > SHOWN_CHARS) break;
    kept.push(word);
  }
  while (kept.length > 1 && kept[kept.length - 1]?.startsWith("-")) kept.pop();
  return kept.length > 0 ? `${kept.join(" ")} …` : `${text.slice(0, SHOWN_CHARS)}…`;
}

function argvOf(form: CommandForm): string[] {
  return form.form === "exec" ? form.argv : [...form.shell, form.text];
}

/**
 * How the deployed backend starts: the command the deployment declares (predeploy.json's
 * `backend.command`, the platform's, the Procfile's, compose's; `source` says which), else the
 * image's ENTRYPOINT and CMD as Docker composes them (a shell-form ENTRYPOINT ignores CMD); null
 * when neither is known (the Dockerfile sets none, so its base image's applies).
 */
export function imageStart(command: ImageCommand | null, declared?: { argv: readonly string[]; source: string }): ImageStart | null {
  const env = command?.env ?? {};
  if (declared !== undefined && declared.argv.length > 0) {
    return { source: declared.source, shown: shown([...declared.argv]), uvSync: syncsFirst([...declared.argv], env) };
  }
  if (command === null) return null;
  const entrypoint = typeof command.entrypoint === "object" ? command.entrypoint : null;
  const cmd = typeof command.cmd === "object" ? command.cmd : null;
  if (entrypoint !== null && (entrypoint.form === "shell" || cmd === null)) {
    return { source: "the image's ENTRYPOINT", shown: shown(entrypoint), uvSync: syncsFirst(argvOf(entrypoint), env) };
  }
  if (entrypoint !== null && cmd !== null) {
    const argv = [...argvOf(entrypoint), ...argvOf(cmd)];
    return { source: "the image's ENTRYPOINT and CMD", shown: shown(argv), uvSync: syncsFirst(argv, env) };
  }
  if (cmd !== null) return { source: "the image's CMD", shown: shown(cmd), uvSync: syncsFirst(argvOf(cmd), env) };
  return null;
}

/** "the image's CMD `uv run gunicorn config.wsgi:application …`", for messages. */
export function describeStart(start: ImageStart | null): string {
  return start === null ? "the base image's CMD (the Dockerfile sets none)" : `${start.source} \`${start.shown}\``;
}
