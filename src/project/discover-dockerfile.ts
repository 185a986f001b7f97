import type { Config } from "../model/config.js";
import { imageCommand, type ImageCommand } from "./dockerfile.js";
import { join, type SourceTree } from "./source-tree.js";

/**
 * The backend's Dockerfile and its build context. Repositories build it either from the
 * root (`docker build -f apps/web/Dockerfile .`) or from its own directory
 * (`docker build apps/web`); which one shows in its COPY and ADD sources, so the context is
 * the candidate where they all exist (the root when both fit), unless predeploy.json says.
 */

export interface BackendDockerfile {
  /** Source-relative path of the Dockerfile. */
  path: string;
  /** Source-relative build context. */
  context: string;
  /** The deployed stage's ENTRYPOINT, CMD and ENV (backend.target's stage, else the final one); null: no such stage. */
  command: ImageCommand | null;
}

/** `apps/web` → `apps/web/Dockerfile` is looked for, then the conventional `docker/django.Dockerfile`, then the root's `Dockerfile`. */
function candidates(djangoDir: string): string[] {
  return [...new Set([join(djangoDir, "Dockerfile"), "apps/web/Dockerfile", "docker/django.Dockerfile", "Dockerfile"])];
}

export async function discoverDockerfile(tree: SourceTree, config: Config, djangoDir: string, problems: string[]): Promise<BackendDockerfile | null> {
  const configured = config.paths.dockerfile;
  let path: string | null = null;
  let text: string | null = null;
  if (configured !== undefined) {
    text = await tree.readText(configured);
    if (text === null) {
      problems.push(`predeploy.json: paths.dockerfile is "${configured}" but no such file exists; fix the path or remove it`);
      return null;
    }
    path = configured;
  } else {
    for (const candidate of candidates(djangoDir)) {
      text = await tree.readText(candidate);
      if (text !== null) {
        path = candidate;
        break;
      }
    }
  }
  if (path === null || text === null) return null;
  const command = imageCommand(text, config.backend.target);
  if (config.paths.dockerContext !== undefined) return { path, context: config.paths.dockerContext, command };
  return { path, context: await buildContext(tree, path, text), command };
}

async function buildContext(tree: SourceTree, dockerfile: string, text: string): Promise<string> {
  const own = dockerfile.includes("/") ? dockerfile.slice(0, dockerfile.lastIndexOf("/")) : ".";
  if (own === ".") return ".";
  const sources = copySources(text);
  const found = async (context: string) => (await Promise.all(sources.map((s) => exists(tree, join(context, s))))).filter(Boolean).length;
  const [atRoot, atOwn] = await Promise.all([found("."), found(own)]);
  return atOwn > atRoot ? own : ".";
}

/** The local sources of COPY/ADD instructions: not `--from` stages, URLs or paths built from variables; globs cut to their directory. */
export function copySources(dockerfile: string): string[] {
  const instructions = dockerfile.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const sources: string[] = [];
  for (const line of instructions) {
    const match = /^\s*(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!match) continue;
    const rest = (match[2] as string).trim();
    let args: string[];
    if (rest.startsWith("[")) {
      try {
        args = (JSON.parse(rest) as unknown[]).map(String);
      } catch {
        continue;
      }
    } else {
      args = rest.split(/\s+/);
    }
    const flags = args.filter((a) => a.startsWith("--"));
    if (flags.some((f) => /^--from=/i.test(f))) continue;
    const paths = args.filter((a) => !a.startsWith("--")).slice(0, -1);
    for (const source of paths) {
      if (source.includes("$") || /^[a-z]+:\/\//i.test(source) || source.startsWith("<<")) continue;
      const glob = source.search(/[*?[]/);
      const path = (glob === -1 ? source : source.slice(0, source.lastIndexOf("/", glob) + 1)).replace(/^\.\//, "").replace(/\/+$/, "");
      sources.push(path === "" ? "." : path);
    }
  }
  return sources.filter((s) => s !== ".");
}

async function exists(tree: SourceTree, path: string): Promise<boolean> {
  return (await tree.readText(path)) !== null || (await tree.list(path)).length > 0;
}
