// The pages of a site's build output, shared by the programs that read them (site-links.mjs,
// pages-probe.mjs), written beside them into the container.
import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Every .html file under `dir`, relative to it with `/` separators, sorted; none when it does not exist. */
export function htmlPages(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/** The path a host serves a page at: `index.html` at `/`, `about/index.html` at `/about/`, `menu.html` at `/menu.html`. */
export function pagePath(file) {
  if (file === "index.html") return "/";
  return file.endsWith("/index.html") ? `/${file.slice(0, -"index.html".length)}` : `/${file}`;
}
