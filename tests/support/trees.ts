import { MemoryTree } from "./host-tree.js";

const workerPackage = (test: boolean) => JSON.stringify({ name: "w", scripts: { typecheck: "tsc --noEmit", ...(test ? { test: "vitest run" } : {}) } });

/** A stack laid out like DESIGN.md: Django, two workers, a site and a template. */
export function stackFiles(): Record<string, string> {
  return {
    "pyproject.toml": "[project]\nname='x'\n",
    "uv.lock": "version = 1\n",
    "apps/web/manage.py": "#!/usr/bin/env python\n",
    "apps/web/Dockerfile": "FROM python:3.13-slim\n",
    "workers/intake/wrangler.toml": "name = 'intake'\n",
    "workers/intake/package.json": workerPackage(true),
    "workers/intake/package-lock.json": "{}",
    "workers/mailer/wrangler.toml": "name = 'mailer'\n",
    "workers/mailer/package.json": workerPackage(false),
    "workers/mailer/package-lock.json": "{}",
    "workers/notes/README.md": "not a worker: no wrangler.toml\n",
    "sites/coffee-shop/package.json": JSON.stringify({ scripts: { build: "vite build" } }),
    "sites/coffee-shop/package-lock.json": "{}",
    "sites/_template/package.json": JSON.stringify({ scripts: { build: "vite build" } }),
    "sites/_template/package-lock.json": "{}",
    "sites/docs/package.json": JSON.stringify({ scripts: { dev: "vite" } }),
  };
}

export function stackTree(overrides: Record<string, string | null> = {}): MemoryTree {
  const files = stackFiles();
  for (const [path, contents] of Object.entries(overrides)) {
    if (contents === null) delete files[path];
    else files[path] = contents;
  }
  return new MemoryTree(files);
}
