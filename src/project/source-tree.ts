/**
 * Read-only view of the source directory that discovery works on. The Dagger layer
 * implements it over a `Directory`; tests implement it over the host file system.
 */
export interface SourceTree {
  /** Names of the entries directly in `dir` (source-relative, "." for the root); directories end with "/". Empty when `dir` does not exist. */
  list(dir: string): Promise<string[]>;
  /** Text of a file, or null when it does not exist. */
  readText(path: string): Promise<string | null>;
}

/** Joins source-relative paths; "." is the root. */
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "." && p !== "").join("/");
  return joined === "" ? "." : joined.replace(/\/+/g, "/");
}
