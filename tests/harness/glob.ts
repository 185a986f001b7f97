/**
 * Include/exclude globs with the semantics Dagger (BuildKit's pattern matcher) gives
 * `withDirectory({ include, exclude })`: paths are relative with `/` separators, `*` and
 * `?` stay inside one path segment, `**` spans any number of segments, and a pattern
 * that matches a directory matches everything beneath it. Negated (`!`) patterns are
 * not supported (no plan uses them).
 */

function toRegExp(pattern: string): RegExp {
  const clean = pattern.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
  let source = "";
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i] as string;
    if (char === "*") {
      if (clean[i + 1] === "*") {
        const slashAfter = clean[i + 2] === "/";
        source += slashAfter ? "(?:.*/)?" : ".*";
        i += slashAfter ? 2 : 1;
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

export class GlobSet {
  private readonly patterns: RegExp[];

  constructor(patterns: readonly string[]) {
    for (const pattern of patterns) {
      if (pattern.startsWith("!")) throw new Error(`negated glob patterns are not supported: ${pattern}`);
    }
    this.patterns = patterns.map(toRegExp);
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** True when `path` or one of its parent directories matches a pattern. */
  matches(path: string): boolean {
    const segments = path.split("/");
    for (let end = segments.length; end > 0; end--) {
      const prefix = segments.slice(0, end).join("/");
      if (this.patterns.some((pattern) => pattern.test(prefix))) return true;
    }
    return false;
  }
}
