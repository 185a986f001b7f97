import { backendImage, DJANGO_SCRIPT_PATH } from "./backend-image.js";
import { manage } from "./backend-services.js";
import { check, type CatalogueContext } from "./catalogue-context.js";
import { pythonContainer, throwawayDatabase } from "./containers.js";
import { PYTEST_JUNIT } from "../model/contracts.js";
import { THROWAWAY_DATABASE_URL_SECRET } from "./constants.js";
import type { DjangoApp } from "./discover.js";
import type { CheckSpec, ContainerSpec } from "./spec.js";
import { withContentMtimes } from "./tool-caches.js";

const DJANGO_SETUP = 'import django; django.setup(); print("django", django.get_version(), "set up")';

/**
 * The quality and test checks' environment. Their DATABASE_URL is always the run's own
 * Postgres: an external database is for what is deployed, never for test databases.
 */
function developmentContainer(context: CatalogueContext, django: DjangoApp): ContainerSpec {
  const container = pythonContainer(context, django);
  return context.externalDatabase ? { ...container, secretEnv: { ...container.secretEnv, DATABASE_URL: THROWAWAY_DATABASE_URL_SECRET } } : container;
}

function withTestDatabase(context: CatalogueContext, container: ContainerSpec): ContainerSpec {
  return { ...container, services: [...container.services, throwawayDatabase(context.images)] };
}

/** The image builds and Django sets up in it, in the image's own environment; without a Dockerfile, in the production dependencies. */
function backendImageCheck(context: CatalogueContext, django: DjangoApp): CheckSpec {
  const fields = { id: "build.backend-image", stage: "build", parser: "django-check", pathBase: django.projectDir } as const;
  if (django.dockerfile === null) {
    return check(context, {
      ...fields,
      title: "Django container (production dependencies + django.setup())",
      container: pythonContainer(context, django, "production"),
      command: ["python", "-c", DJANGO_SETUP],
    });
  }
  return check(context, {
    ...fields,
    title: `Django container (${django.dockerfile.path})`,
    container: backendImage(context, django, django.dockerfile, true),
    command: ["sh", DJANGO_SCRIPT_PATH, "setup"],
  });
}

export function pythonChecks(context: CatalogueContext, django: DjangoApp): CheckSpec[] {
  const container = developmentContainer(context, django);
  const toolContainer = withContentMtimes(container, django);
  const pathBase = django.projectDir;
  return [
    backendImageCheck(context, django),
    check(context, { id: "quality.ruff-check", stage: "quality", title: "ruff check", container: toolContainer, command: ["ruff", "check", "--output-format=json", "."], parser: "ruff-check", pathBase }),
    check(context, { id: "quality.ruff-format", stage: "quality", title: "ruff format --check", container: toolContainer, command: ["ruff", "format", "--check", "."], parser: "ruff-format", pathBase }),
    check(context, { id: "quality.mypy", stage: "quality", title: "mypy", container: toolContainer, command: ["mypy", "--output", "json", "."], parser: "mypy", pathBase }),
    check(context, {
      id: "test.pytest",
      stage: "test",
      title: "pytest",
      container: withTestDatabase(context, container),
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
