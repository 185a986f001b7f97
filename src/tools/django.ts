import { PYTEST_JUNIT } from "../model/contracts.js";
import { relativeTo } from "../project/paths.js";
import type { DjangoApp } from "../project/discover.js";
import { join } from "../project/source-tree.js";
import { pyprojectTable, iniSection, type PythonProject } from "../project/python-project.js";
import { adoptedBy, adoptedByDefault, notAdopted, type Adoption, type DevelopmentTool } from "./types.js";

/**
 * Django's own commands run through the project's `manage.py`, which chooses the settings
 * (by argv, django-configurations, …): predeploy never exports a settings module of its own
 * unless predeploy.json names one.
 */
export function manage(django: DjangoApp, ...args: string[]): string[] {
  return ["python", relativeTo(django.projectDir, join(django.dir, "manage.py")), ...args];
}

const always = (project: PythonProject): Adoption => adoptedBy(`Django project: ${join(project.django.dir, "manage.py")}`);

export const djangoCheck: DevelopmentTool = {
  ecosystem: "python",
  program: "python",
  role: "checklist",
  check: { id: "test.django-check", stage: "test", title: "Django system check" },
  proves: "Django's system check, under the settings `manage.py` chooses",
  parser: "django-check",
  adoption: always,
  command: (project) => manage(project.django, "check"),
  caches: [],
  importsSettings: true,
};

export const migrationsCheck: DevelopmentTool = {
  ecosystem: "python",
  program: "python",
  role: "checklist",
  check: { id: "test.migrations-check", stage: "test", title: "missing migrations" },
  proves: "`makemigrations --check --dry-run`: each app whose models changed without a migration",
  parser: "makemigrations",
  adoption: always,
  command: (project) => manage(project.django, "makemigrations", "--check", "--dry-run"),
  // Unsafe: it writes code a person or agent must read.
  fix: (project) => ({ argv: manage(project.django, "makemigrations", "{app}"), safe: false, rules: ["missing-migration"] }),
  caches: [],
  importsSettings: true,
};

/** The settings pytest's own configuration names for pytest-django (`DJANGO_SETTINGS_MODULE` or `--ds`), with where. */
export function pytestSettings(project: PythonProject): { module: string; where: string } | null {
  const sources: { where: string; get: (key: string) => unknown }[] = [];
  const toml = pyprojectTable(project, "tool.pytest.ini_options");
  if (toml !== null) sources.push({ where: "pyproject.toml [tool.pytest.ini_options]", get: (k) => toml[k] ?? toml[k.toLowerCase()] });
  for (const [files, section] of [[["pytest.ini"], "pytest"], [["setup.cfg"], "tool:pytest"], [["tox.ini"], "pytest"]] as const) {
    const ini = iniSection(project, [...files], section);
    if (ini !== null) sources.push({ where: ini.where, get: (k) => ini.keys.get(k.toLowerCase()) });
  }
  for (const source of sources) {
    const named = source.get("DJANGO_SETTINGS_MODULE");
    if (typeof named === "string" && named.trim() !== "") return { module: named.trim(), where: source.where };
    const addopts = source.get("addopts");
    const ds = /--ds[= ]([\w.]+)/.exec(Array.isArray(addopts) ? addopts.join(" ") : String(addopts ?? ""));
    if (ds) return { module: ds[1] as string, where: `${source.where} addopts` };
  }
  return null;
}

/** pytest when the project configured it for Django; otherwise Django's own runner. */
function pytestAdoption(project: PythonProject): Adoption {
  const plugin = project.declared.get("pytest-django");
  if (plugin !== undefined) return adoptedBy(`pytest-django is declared in ${plugin}`);
  const settings = pytestSettings(project);
  if (settings !== null) return adoptedBy(`pytest is configured for Django in ${settings.where}`);
  return notAdopted("not the project's test runner: pytest is not configured for Django (no pytest-django, no pytest settings naming DJANGO_SETTINGS_MODULE); test.django-tests runs manage.py test");
}

export const pytest: DevelopmentTool = {
  ecosystem: "python",
  program: "pytest",
  role: "test-runner",
  check: { id: "test.pytest", stage: "test", title: "pytest" },
  proves: "counts and each failing test with file:line (JUnit XML), on a throw-away Postgres",
  parser: "pytest-junit",
  adoption: pytestAdoption,
  // pytest reads its own testpaths.
  command: () => ["pytest", `--junitxml=${PYTEST_JUNIT}`, "-q", "-p", "no:cacheprovider"],
  // pytest-django needs a settings module named outside manage.py: its configuration's, else manage.py's default.
  env: (project): Record<string, string> => (pytestSettings(project) !== null ? {} : { DJANGO_SETTINGS_MODULE: project.django.settingsModule }),
  caches: [],
  importsSettings: true,
  database: true,
  outputFiles: [PYTEST_JUNIT],
  writes: ["**/.pytest_cache"],
};

export const djangoTests: DevelopmentTool = {
  ecosystem: "python",
  program: "python",
  role: "test-runner",
  check: { id: "test.django-tests", stage: "test", title: "manage.py test" },
  proves: "`manage.py test`: counts and each failing test with file:line, on a throw-away Postgres",
  parser: "django-test",
  // Yields to pytest where the project configured it for Django (tools/registry-rules.ts).
  adoption: () => adoptedByDefault("Django's own test runner: pytest is not configured for Django"),
  command: (project) => manage(project.django, "test", "--noinput", "-v", "2"),
  caches: [],
  importsSettings: true,
  database: true,
};
