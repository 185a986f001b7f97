import { check, type CatalogueContext } from "./catalogue-context.js";
import { backendSecrets, postgresService, pythonContainer, relativeTo } from "./containers.js";
import { PYTEST_JUNIT } from "../model/contracts.js";
import { POSTGRES } from "./constants.js";
import { join, type DjangoApp } from "./discover.js";
import type { CheckSpec, ContainerSpec } from "./spec.js";

/** `python <manage.py> …`, relative to the Python project directory where the tools run. */
export function manage(django: DjangoApp, ...args: string[]): string[] {
  return ["python", relativeTo(django.projectDir, join(django.dir, "manage.py")), ...args];
}

/** The backend's container with a fresh Postgres bound as `db`. */
export function withDatabase(context: CatalogueContext, container: ContainerSpec): ContainerSpec {
  return { ...container, services: [...container.services, { alias: POSTGRES.alias, service: postgresService(context.images) }] };
}

const DJANGO_SETUP = 'import django; django.setup(); print("django", django.get_version(), "set up")';

export function pythonChecks(context: CatalogueContext, django: DjangoApp): CheckSpec[] {
  const container = pythonContainer(django, context.config, context.images);
  const pathBase = django.projectDir;
  const backendImage =
    django.dockerfile === null
      ? check(context, {
          id: "build.backend-image",
          stage: "build",
          title: "Django container (dependencies + django.setup())",
          container,
          command: ["python", "-c", DJANGO_SETUP],
          parser: "django-check",
          pathBase,
        })
      : check(context, {
          id: "build.backend-image",
          stage: "build",
          title: `Django container (${django.dockerfile})`,
          container: {
            base: { kind: "dockerfile", context: ".", dockerfile: django.dockerfile },
            env: { DJANGO_SETTINGS_MODULE: django.settingsModule, ALLOWED_HOSTS: "localhost", ...context.config.env },
            secretEnv: backendSecrets(),
            caches: [],
            layers: [],
            services: [],
          },
          command: ["python", "-c", DJANGO_SETUP],
          parser: "django-check",
          pathBase,
        });
  return [
    backendImage,
    check(context, { id: "quality.ruff-check", stage: "quality", title: "ruff check", container, command: ["ruff", "check", "--output-format=json", "."], parser: "ruff-check", pathBase }),
    check(context, { id: "quality.ruff-format", stage: "quality", title: "ruff format --check", container, command: ["ruff", "format", "--check", "."], parser: "ruff-format", pathBase }),
    check(context, { id: "quality.mypy", stage: "quality", title: "mypy", container, command: ["mypy", "--output", "json", "."], parser: "mypy", pathBase }),
    check(context, {
      id: "test.pytest",
      stage: "test",
      title: "pytest",
      container: withDatabase(context, container),
      command: ["pytest", `--junitxml=${PYTEST_JUNIT}`, "-q", "-p", "no:cacheprovider"],
      outputFiles: [PYTEST_JUNIT],
      parser: "pytest-junit",
      pathBase,
    }),
    check(context, { id: "test.django-check", stage: "test", title: "Django system check", container, command: manage(django, "check"), parser: "django-check", pathBase }),
    check(context, {
      id: "test.migrations-check",
      stage: "test",
      title: "missing migrations",
      container,
      command: manage(django, "makemigrations", "--check", "--dry-run"),
      parser: "makemigrations",
      pathBase,
    }),
  ];
}
