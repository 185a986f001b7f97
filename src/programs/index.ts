import { readFileSync } from "node:fs";

/**
 * The programs predeploy runs inside containers, kept as real files beside this one (linted
 * and tested as code) and read once, as text, where a plan writes them into a container. The
 * Dagger runtime loads the module's whole source directory, so they are there at run time.
 */
export type ProgramName = "probe.py" | "django.sh" | "content_mtimes.py" | "neon-bridge.mjs" | "dev-vars.mjs" | "pages-probe.mjs" | "site-pages.mjs" | "runtime.sh" | "limit.sh" | "site-links.mjs";

const loaded = new Map<ProgramName, string>();

export function program(name: ProgramName): string {
  let text = loaded.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./${name}`, import.meta.url), "utf8");
    loaded.set(name, text);
  }
  return text;
}
