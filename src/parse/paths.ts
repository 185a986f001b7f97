import { posix } from "node:path";
import { SOURCE_ROOT as CONTAINER_SOURCE_ROOT } from "../model/contracts.js";

/**
 * A path printed by a tool, made relative to the source root: relative paths start at the
 * check's `pathBase`; absolute paths under `/src` lose that prefix; `file://` URLs become paths.
 * Absolute paths elsewhere (the Python install, node's internals) are returned normalised.
 */
export function sourcePath(pathBase: string, printed: string): string {
  let path = printed.trim().replace(/^file:\/\//, "").replace(/\\/g, "/");
  if (!path.startsWith("/")) path = posix.join(CONTAINER_SOURCE_ROOT, pathBase || ".", path);
  path = posix.normalize(path);
  if (path === CONTAINER_SOURCE_ROOT) return ".";
  if (path.startsWith(`${CONTAINER_SOURCE_ROOT}/`)) return path.slice(CONTAINER_SOURCE_ROOT.length + 1);
  return path;
}

/** True for a source-relative path of the project itself (not an installed package or the runtime). */
export function isProjectPath(path: string): boolean {
  return (
    path !== "." &&
    !path.startsWith("/") &&
    !path.startsWith("../") &&
    !path.startsWith("<") &&
    !/(^|\/)(site-packages|dist-packages|node_modules|\.venv)\//.test(path)
  );
}
