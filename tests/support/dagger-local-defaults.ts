/**
 * Dagger's local defaults (`.env`) as the engine matches them to a module's arguments. No engine runs
 * here, so this follows the engine's source (docs: docs.dagger.io/features/local-defaults):
 *
 * - `core/modulesource.go` LoadUserDefaults: the `.env` beside the module's dagger.json is taken as it
 *   is; the nearest `.env` found upward from where the CLI runs (the same file when that is the module's
 *   directory) is taken through `core/envfile.go` Namespace: only keys starting with `<module>_` (dashes
 *   as underscores, any case) count, with that prefix removed.
 * - `core/modfunc.go` UserDefault: a constructor argument is looked up by its API name with
 *   LookupCaseInsensitive (Go's strings.EqualFold: letter case only, no `_` or `-` dropped); a
 *   function's argument behind a further `<function>_` prefix (the function's declared name).
 */

/** Where a `.env` sits relative to the module: beside its dagger.json, or in a directory above. */
export type EnvFilePlace = "module-directory" | "parent-directory";

export interface ModuleArguments {
  /** The module's name (dagger.json `name`). */
  module: string;
  /** Constructor arguments by API name (camelCase, as the introspector reports them). */
  constructorArgs: readonly string[];
  /** Each function's arguments, keyed by the function's declared name. */
  functionArgs: Readonly<Record<string, readonly string[]>>;
}

/** The argument a key sets: `fn` null for the constructor. */
export interface ArgumentTarget {
  fn: string | null;
  argument: string;
}

/** One `KEY=value` line of a .env file; `commented` for a `# KEY=value` line (a documented option). */
export interface EnvAssignment {
  key: string;
  value: string;
  line: number;
  commented: boolean;
}

const ASSIGNMENT = /^(#\s*)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

export function envAssignments(text: string): EnvAssignment[] {
  return text.split("\n").flatMap((raw, index) => {
    const match = ASSIGNMENT.exec(raw.trim());
    if (!match) return [];
    return [{ key: match[2] ?? "", value: match[3] ?? "", line: index + 1, commented: match[1] !== undefined }];
  });
}

/** The argument the engine fills from `key` in a .env at `place`; undefined when it ignores the key. */
export function argumentForKey(key: string, api: ModuleArguments, place: EnvFilePlace): ArgumentTarget | undefined {
  const outer = withoutPrefix(key, api.module);
  const candidates = place === "module-directory" ? [key, outer] : [outer];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const constructorArg = api.constructorArgs.find((arg) => sameFold(arg, candidate));
    if (constructorArg !== undefined) return { fn: null, argument: constructorArg };
    for (const [fn, args] of Object.entries(api.functionArgs)) {
      const rest = withoutPrefix(candidate, fn);
      const argument = rest === undefined ? undefined : args.find((arg) => sameFold(arg, rest));
      if (argument !== undefined) return { fn, argument };
    }
  }
  return undefined;
}

/** The CLI flag of an argument: secretKey → --secret-key. */
export function cliFlag(argument: string): string {
  return `--${argument.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function withoutPrefix(key: string, name: string): string | undefined {
  const prefix = `${name.replaceAll("-", "_")}_`;
  return key.length >= prefix.length && sameFold(key.slice(0, prefix.length), prefix) ? key.slice(prefix.length) : undefined;
}

/** strings.EqualFold for the ASCII names that keys and arguments are made of. */
function sameFold(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
