import { NOTHING_DECLARED } from "../../src/project/declarations.js";
import type { DjangoApp } from "../../src/project/discover.js";

/** A Django app as discovery makes it for a repository that declares nothing about its deployment; `overrides` win. */
export function djangoApp(overrides: Partial<DjangoApp> = {}): DjangoApp {
  const dockerfile = overrides.dockerfile ?? null;
  return {
    dir: "apps/web",
    settingsModule: "config.settings",
    settingsConfigured: false,
    importRoot: "apps/web",
    projectDir: ".",
    install: { kind: "uv", lockfile: "uv.lock" },
    dockerfile,
    deployment: { image: dockerfile, start: null, release: null, port: { port: 8000, why: "nothing declares one" }, health: null, web: null, env: {} },
    declarations: NOTHING_DECLARED,
    services: { verify: [], tests: [], leftOut: [] },
    database: { engine: "postgresql", urlVars: ["DATABASE_URL"], parts: { host: [], port: [], name: [], user: [], password: [] }, name: "predeploy", user: "predeploy", scheme: "postgres", aliases: [], why: "" },
    settings: null,
    systemPackages: [],
    unmappedPackages: [],
    developmentEnv: null,
    python: null,
    deployCheck: { level: "ERROR", settings: null, env: {}, why: "Django's default" },
    ...overrides,
  };
}
