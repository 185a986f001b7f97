import type { ComposeFile } from "./compose.js";
import { describeOrigin } from "./declared.js";
import type { Declarations } from "./declarations.js";
import { webServiceOf } from "./deployment.js";

export interface DevelopmentEnv {
  /** The web service's environment as the compose file declares it (its env files, then `environment:`). */
  env: Record<string, string>;
  why: string;
}

const ORDER: ComposeFile["role"][] = ["test", "development", "default"];

/**
 * The environment the project's own development setup runs Django with: the web service of its
 * test compose file, else its development one (`docker-compose.local.yml`), else the default one.
 * What `docker compose -f docker-compose.local.yml run django pytest` gives the settings
 * `manage.py` picks (`USE_DOCKER=yes`, a Redis URL…): the test stage's checks start from it; the CI
 * job's environment and the run's wiring go over it. Values are the repository's own, never secrets
 * of the run. Null: no such compose file has a web service.
 */
export function developmentEnvOf(declarations: Declarations): DevelopmentEnv | null {
  for (const role of ORDER) {
    for (const file of declarations.compose.filter((f) => f.role === role)) {
      const web = webServiceOf(file);
      if (web === null || Object.keys(web.environment).length === 0) continue;
      const env = Object.fromEntries(Object.entries(web.environment).filter(([, value]) => value !== ""));
      const kind = role === "default" ? "the" : `the ${role}`;
      return { env, why: `${describeOrigin(web.from)}: ${kind} compose file's web service (${web.name})` };
    }
  }
  return null;
}
