/** Source-relative path arithmetic. */

/** Path of `path` relative to `base`, both source-relative (base must contain path). */
export function relativeTo(base: string, path: string): string {
  if (base === ".") return path;
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
}

/** The directory holding a source-relative path ("." for a file at the root). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "." : path.slice(0, slash);
}
