import { MemoryTree } from "./host-tree.js";

const workerPackage = (test: boolean) => JSON.stringify({ name: "w", scripts: { typecheck: "tsc --noEmit", ...(test ? { test: "vitest run" } : {}) } });

/** A stack laid out like DESIGN.md: Django, two workers, a site and a template. */
export function stackFiles(): Record<string, string> {
  return {
    "pyproject.toml": "[project]\nname='x'\n[dependency-groups]\ndev = ['ruff', 'mypy', 'pytest-django']\n",
    "uv.lock": "version = 1\n",
    "apps/web/manage.py": "#!/usr/bin/env python\n",
    "apps/web/Dockerfile": "FROM python:3.13-slim\n",
    // The intake contract the default end-to-end check follows: a form route on the worker, the backend's inbox table.
    "apps/web/inbox/models.py": "from django.db import models\n\n\nclass Submission(models.Model):\n    email = models.EmailField()\n",
    "workers/intake/src/index.ts": "const FORM_ROUTE = /^\\/intake\\/([a-z0-9-]+)\\/form\\/?$/;\nexport default { fetch: () => new Response(String(FORM_ROUTE)) };\n",
    "workers/intake/wrangler.toml": "name = 'intake'\n",
    "workers/intake/package.json": workerPackage(true),
    "workers/intake/package-lock.json": "{}",
    "workers/intake/tsconfig.json": "{}",
    "workers/mailer/wrangler.toml": "name = 'mailer'\n",
    "workers/mailer/package.json": workerPackage(false),
    "workers/mailer/package-lock.json": "{}",
    "workers/mailer/tsconfig.json": "{}",
    "workers/notes/README.md": "not a worker: no wrangler.toml\n",
    "sites/coffee-shop/package.json": JSON.stringify({ scripts: { build: "vite build" } }),
    "sites/coffee-shop/package-lock.json": "{}",
    "sites/_template/package.json": JSON.stringify({ scripts: { build: "vite build" } }),
    "sites/_template/package-lock.json": "{}",
    "sites/docs/package.json": JSON.stringify({ scripts: { dev: "vite" } }),
  };
}

/** A tree of `files` with some replaced (a string) or removed (null). */
function treeOf(files: Record<string, string>, overrides: Record<string, string | null>): MemoryTree {
  for (const [path, contents] of Object.entries(overrides)) {
    if (contents === null) delete files[path];
    else files[path] = contents;
  }
  return new MemoryTree(files);
}

export function stackTree(overrides: Record<string, string | null> = {}): MemoryTree {
  return treeOf(stackFiles(), overrides);
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * A monorepo shaped the way agency repos are: a pnpm workspace (root packageManager, one
 * lockfile) of Astro sites sharing packages/ui, an intake worker on the Neon driver, Django
 * at apps/web whose manage.py names `config.settings` (importable from apps/web), dev tools
 * in an extra and a group, and a Dockerfile with a uv project venv.
 */
export function agencyFiles(): Record<string, string> {
  const site = (name: string) => ({
    [`sites/${name}/package.json`]: json({ name: `@agency/site-${name}`, scripts: { build: "astro build", test: "node --test" }, dependencies: { "@agency/ui": "workspace:*", astro: "catalog:" } }),
    [`sites/${name}/src/pages/index.astro`]: "---\n---\n<h1>hi</h1>\n",
  });
  return {
    "package.json": json({ name: "agency", private: true, packageManager: "pnpm@10.34.9" }),
    "pnpm-workspace.yaml": "packages:\n  - sites/*\n  - packages/*\n  - workers/*\n",
    "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    "pyproject.toml": "[project]\nname = 'agency-web'\n[project.optional-dependencies]\ndev = ['ruff', 'mypy', 'pytest-django']\n[dependency-groups]\ntest = ['factory-boy']\n",
    "uv.lock": "version = 1\n",
    "apps/web/manage.py": 'import os\n\ndef main():\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n',
    "apps/web/config/__init__.py": "",
    "apps/web/config/settings.py": "import environ\n",
    "apps/web/Dockerfile": "FROM python:3.13-slim\nWORKDIR /app\nRUN uv sync --frozen --no-dev\nCMD [\"uv\", \"run\", \"--no-sync\", \"gunicorn\", \"config.wsgi:application\"]\n",
    "packages/ui/package.json": json({ name: "@agency/ui", scripts: { test: "node --test" } }),
    "workers/intake/wrangler.toml": "name = 'intake'\n",
    "workers/intake/tsconfig.json": "{}",
    "workers/intake/package.json": json({ name: "@agency/intake-worker", scripts: { test: "node --test" }, dependencies: { "@neondatabase/serverless": "1.2.0" }, devDependencies: { wrangler: "4.86.0" } }),
    ...site("bright-dental"),
    ...site("northside-plumbing"),
    ...site("rosemary-bakery"),
    ...site("_template"),
  };
}

/** The agency example's end-to-end contract, as its predeploy.json declares it (its code has none predeploy would find). */
export const AGENCY_E2E = { e2e: { path: "/submit/rosemary-bakery", expectStatus: 202, sql: "SELECT id FROM leads_submission WHERE id = %(id)s" } } as const;

export function agencyTree(overrides: Record<string, string | null> = {}): MemoryTree {
  return treeOf(agencyFiles(), overrides);
}
