import { backendImage, DJANGO_SCRIPT_PATH } from "./backend-image.js";
import { check, stackCheck, type CatalogueContext, type LeftOut } from "./catalogue-context.js";
import { BACKEND_IMAGE_CHECK } from "./constants.js";
import { pythonContainer, standaloneContainer } from "./containers.js";
import { testBindings } from "./stack.js";
import type { DjangoApp } from "../project/discover.js";
import type { CheckSpec, ContainerSpec, ToolInfo } from "../model/spec.js";
import { withContentMtimes } from "../tools/tool-caches.js";
import { PYTHON_TOOLS, type DevelopmentTool, type ImageTool, type PythonTool } from "../tools/index.js";
import { applyRegistryRules } from "../tools/registry-rules.js";
import { manage } from "../tools/django.js";
import { backendImage as backendImageEntry } from "../tools/stack-checks.js";
import type { PythonProject } from "../project/python-project.js";

/**
 * Django set up through the project's own manage.py (which chooses the settings), as `shell -c`
 * runs it. `shell` carries on when the settings fail to load (Django then skips its set-up and
 * exits 0): reading them raises their error.
 */
const DJANGO_SETUP = 'import django; from django.conf import settings; settings.INSTALLED_APPS; print("django", django.get_version(), "set up")';


const toolInfo = (tool: PythonTool): ToolInfo => ({ program: tool.program, ecosystem: tool.ecosystem, role: tool.role });

/** Where image tools run: the built image with the deployment's environment; without a Dockerfile, the production dependencies. */
function imageEnvironment(context: CatalogueContext, django: DjangoApp): { container: ContainerSpec; manage: (args: string[]) => string[]; where: string } {
  if (django.dockerfile === null) {
    return { container: pythonContainer(context, django, "production"), manage: (args) => manage(django, ...args), where: "no Dockerfile: the production dependencies" };
  }
  return { container: backendImage(context, django, django.dockerfile, true), manage: (args) => ["sh", DJANGO_SCRIPT_PATH, "manage", ...args], where: `the backend image: ${django.dockerfile.path}` };
}

/** The image builds and Django sets up in it, in the image's own environment; without a Dockerfile, in the production dependencies. */
function backendImageCheck(context: CatalogueContext, django: DjangoApp): CheckSpec {
  const image = imageEnvironment(context, django);
  return stackCheck(context, backendImageEntry, undefined, {
    pathBase: django.projectDir,
    title: django.dockerfile === null ? "Django container (production dependencies + manage.py shell)" : `Django container (${django.dockerfile.path})`,
    container: image.container,
    command: django.dockerfile === null ? image.manage(["shell", "-c", DJANGO_SETUP]) : ["sh", DJANGO_SCRIPT_PATH, "setup"],
    why: image.where,
  });
}

/**
 * A registry tool that runs in the built image, once the image's own set-up passed: its own
 * variables over the deployment's, never over the run's secrets nor predeploy.json's env.
 */
function imageToolCheck(context: CatalogueContext, tool: ImageTool, project: PythonProject, why: string): CheckSpec {
  const image = imageEnvironment(context, project.django);
  const own = Object.entries(tool.env?.(project) ?? {}).filter(([name]) => !(name in image.container.secretEnv) && !(name in context.config.env));
  return check(context, {
    ...tool.check,
    tool: toolInfo(tool),
    container: own.length === 0 ? image.container : { ...image.container, env: { ...image.container.env, ...Object.fromEntries(own) } },
    command: image.manage(tool.manage(project)),
    parser: tool.parser,
    pathBase: project.django.projectDir,
    dependsOn: [BACKEND_IMAGE_CHECK],
    why: `${why}; in ${image.where}`,
  });
}

/**
 * A failed install in predeploy's development environment, when the project's own image installs
 * its requirements: what the environment lacks, not the project's failure (the image's own build
 * is checked by build.backend-image).
 */
function environmentFault(dockerfile: string): string {
  return `the project's own image (${dockerfile}) installs its requirements; predeploy's check environment lacks something it has (a system library or build tool installed in a way predeploy did not read): name its Debian packages in python.systemPackages in predeploy.json`;
}

/** One registry tool as a check, in the project's development environment. */
function toolCheck(context: CatalogueContext, tool: DevelopmentTool, project: PythonProject, container: ContainerSpec, why: string): CheckSpec {
  const django = project.django;
  const base =
    tool.standalone !== undefined
      ? standaloneContainer(context, django, tool.standalone(project), tool.inputs)
      : tool.ignores !== undefined
        ? pythonContainer(context, django, "development", tool.ignores)
        : container;
  let own = tool.caches.some((cache) => cache.byMtime === true) ? withContentMtimes(base, django) : base;
  // Secrets come after the layers, so leaving them out keeps the shared install layers.
  if (!tool.importsSettings) own = { ...own, secretEnv: {} };
  if (tool.database === true) own = { ...own, services: [...own.services, ...testBindings(context, django)] };
  // predeploy.json's settings module, when named, is already in every container's environment.
  const env = Object.entries(tool.env?.(project) ?? {}).filter(([name]) => !(django.settingsConfigured && name === "DJANGO_SETTINGS_MODULE"));
  return check(context, {
    ...tool.check,
    tool: toolInfo(tool),
    container: own,
    // On the command, not the container: the container's env comes before its install layers, which every Python check shares.
    command: env.length > 0 ? ["env", ...env.map(([name, value]) => `${name}=${value}`), ...tool.command(project)] : tool.command(project),
    parser: tool.parser,
    outputFiles: tool.outputFiles ?? [],
    pathBase: django.projectDir,
    why,
    ...(tool.fix ? { fix: { ...tool.fix(project), cwd: django.projectDir } } : {}),
    ...(tool.standalone === undefined && django.dockerfile !== null ? { setupFault: environmentFault(django.dockerfile.path) } : {}),
  });
}

/** The backend's image check and every Python tool the project adopted; the others, left out with the reason. */
export function pythonChecks(context: CatalogueContext, project: PythonProject): { checks: CheckSpec[]; leftOut: LeftOut[] } {
  const django = project.django;
  // The quality and test checks' environment: the tests always reach the run's own database, never an external one.
  const container = pythonContainer(context, django);
  const checks = [backendImageCheck(context, django)];
  const leftOut: LeftOut[] = [];
  for (const { tool, adoption } of applyRegistryRules(PYTHON_TOOLS.map((tool) => ({ tool, id: tool.check.id, adoption: tool.adoption(project) })))) {
    const forced = context.config.checks[tool.check.id]?.enabled === true;
    if (!adoption.adopted && !forced) {
      leftOut.push({ ...tool.check, reason: adoption.why });
      continue;
    }
    const why = adoption.adopted ? adoption.by : `enabled in predeploy.json (checks.${tool.check.id}.enabled); ${adoption.why}`;
    checks.push(tool.environment === "image" ? imageToolCheck(context, tool, project, why) : toolCheck(context, tool, project, container, why));
  }
  return { checks, leftOut };
}
