import type { CatalogueContext } from "./catalogue-context.js";
import { relativeTo } from "../project/paths.js";
import type { BackendImage } from "../project/deployment.js";
import { describeStart, imageStart } from "../project/dockerfile.js";
import { wiring } from "./stack.js";
import type { DjangoApp } from "../project/discover.js";
import { join } from "../project/source-tree.js";
import { shellQuote } from "../project/shell-quote.js";
import { program } from "../programs/index.js";
import type { ContainerSpec } from "../model/spec.js";

/**
 * Django inside the backend image, in the image's own environment: the checks that run the
 * built image (its Django set-up, its migrations) cannot assume the system `python`, since
 * many images keep Django in a project venv started with `uv run`. A small POSIX script,
 * written into the container, picks the Python that imports Django (or the one
 * predeploy.json names), finds manage.py, says which it used on stderr, and runs Django
 * through it (src/programs/django.sh says how).
 */
export const DJANGO_SCRIPT_PATH = "/opt/predeploy/django.sh";

/**
 * django.sh for one Django app: the program as it is, below assignments of the values it
 * reads (predeploy.json's `backend.python`, where manage.py may be, the settings module
 * for an image without one, how the deployed backend starts and the variables the deployed
 * settings raise without — for its explanation of a failure), so its container needs no
 * environment of its own.
 */
export function djangoScript(django: DjangoApp, python: readonly string[] | undefined): string {
  const manageCandidates = [...new Set(["manage.py", join(django.dir, "manage.py"), join(relativeTo(django.projectDir, django.dir), "manage.py")])];
  const declared = django.deployment.start;
  const start = imageStart(django.dockerfile?.command ?? null, declared === null ? undefined : { argv: declared.argv, source: declared.why });
  const values: [string, string][] = [
    ["PREDEPLOY_PYTHON", python ? shellQuote(python) : ""],
    ["PREDEPLOY_MANAGE_CANDIDATES", manageCandidates.join(" ")],
    ["PREDEPLOY_SETTINGS_MODULE", django.settingsModule],
    ["PREDEPLOY_START", describeStart(start)],
    ["PREDEPLOY_START_SYNCS", start?.uvSync === true ? "1" : ""],
    ["PREDEPLOY_REQUIRED", (django.settings?.requiredVars ?? []).join(" ")],
  ];
  return `${values.map(([name, value]) => `${name}=${shellQuote([value])}`).join("\n")}\n${program("django.sh")}`;
}

/**
 * The built backend image as the deploy would run it: its own workdir, user, ENV and
 * entrypoint; the environment the deployment declares for it; the run's secrets under the
 * names its settings read (secret key, database), the hosts it is called by, the services
 * beside it, and PORT. The settings module is set only when predeploy.json names it.
 */
export function backendImage(context: CatalogueContext, django: DjangoApp, image: BackendImage, withScript: boolean): ContainerSpec {
  const { deployment } = django;
  const wires = wiring(context, django, django.services.verify);
  return {
    // Dagger and docker read the Dockerfile's path relative to the context.
    base: { kind: "dockerfile", context: image.context, dockerfile: relativeTo(image.context, image.path), ...(image.target !== null ? { target: image.target } : {}) },
    // What the deployment declares, pointed at the run's services, then predeploy.json's.
    env: {
      ...deployment.env,
      ...wires.env,
      PORT: String(deployment.port.port),
      ...(django.settingsConfigured ? { DJANGO_SETTINGS_MODULE: django.settingsModule } : {}),
      ...context.config.env,
    },
    secretEnv: wires.secretEnv,
    caches: [],
    layers: withScript ? [{ kind: "file", path: DJANGO_SCRIPT_PATH, contents: djangoScript(django, context.config.backend.python) }] : [],
    services: [],
  };
}
