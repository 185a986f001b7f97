import { configuredAt, WEB_CONTENT, type Configuration } from "./python-adoption.js";
import { iniSection, pyprojectTable, type PythonProject } from "../project/python-project.js";
import { adoptedBy, notAdopted, type Adoption, type DevelopmentTool } from "./types.js";

const MYPY: Configuration = { tables: ["tool.mypy"], files: ["mypy.ini", ".mypy.ini"], sections: [{ files: ["mypy.ini", ".mypy.ini", "setup.cfg"], section: "mypy" }] };
const TARGET_KEYS = ["files", "packages", "modules"];

/**
 * mypy runs only where the project installs it: its plugins and stubs (django-stubs) come
 * with the project's dependencies, so a configuration alone (e.g. a pre-commit mirror with
 * its own additional_dependencies) cannot be reproduced faithfully.
 */
function adoption(project: PythonProject): Adoption {
  const declared = project.declared.get("mypy") ?? project.declared.get("django-stubs");
  if (declared !== undefined) return adoptedBy(`${project.declared.has("mypy") ? "mypy" : "django-stubs (which brings mypy)"} is declared in ${declared}`);
  const configured = configuredAt(project, MYPY);
  if (configured !== null) {
    return notAdopted(`mypy is configured in ${configured} but is no declared dependency, so its plugins and stubs are unknown; declare it in a dev group or extra (or set checks.quality.mypy.enabled and its command)`);
  }
  return notAdopted("not adopted by this project: mypy is neither a declared dependency nor configured");
}

/** The targets mypy's own configuration names (`files`, `packages`, `modules`), or none. */
function configuredTargets(project: PythonProject): boolean {
  const toml = pyprojectTable(project, "tool.mypy");
  if (toml !== null && TARGET_KEYS.some((k) => toml[k] !== undefined)) return true;
  const ini = iniSection(project, ["mypy.ini", ".mypy.ini", "setup.cfg"], "mypy");
  return ini !== null && TARGET_KEYS.some((k) => ini.keys.has(k));
}

/** Where mypy's configuration names the Django settings for django-stubs. */
function namesSettings(project: PythonProject): boolean {
  const toml = pyprojectTable(project, "tool.django-stubs");
  if (toml !== null && typeof toml.django_settings_module === "string") return true;
  for (const file of ["mypy.ini", ".mypy.ini", "setup.cfg"]) {
    for (const section of ["mypy.plugins.django-stubs", "mypy_django_plugin"]) {
      if (project.ini.get(file)?.get(section)?.has("django_settings_module")) return true;
    }
  }
  return false;
}

export const mypy: DevelopmentTool = {
  ecosystem: "python",
  program: "mypy",
  role: "type-checker",
  check: { id: "quality.mypy", stage: "quality", title: "mypy" },
  proves: "mypy findings with file:line:col and error code, on the targets its configuration names",
  parser: "mypy",
  adoption,
  // With targets in its configuration mypy is run bare; otherwise on the Django project's own packages, not `.`.
  command: (project) => ["mypy", "--output", "json", ...(configuredTargets(project) ? [] : project.packages.length > 0 ? project.packages : ["."])],
  // django-stubs falls back to the environment when its configuration names no settings.
  env: (project): Record<string, string> => (namesSettings(project) ? {} : { DJANGO_SETTINGS_MODULE: project.django.settingsModule }),
  // It trusts a cached module by size, path and mtime.
  caches: [{ name: "mypy", env: "MYPY_CACHE_DIR", byMtime: true }],
  writes: ["**/.mypy_cache"],
  ignores: WEB_CONTENT,
  importsSettings: true,
};
