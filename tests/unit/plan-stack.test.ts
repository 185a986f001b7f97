/**
 * The declared stack in the plan (src/plan/stack.ts, backend-services.ts, checks-verify.ts,
 * render-plan.ts): the services each check binds, the environment that points the project's
 * settings at them, how the backend and its release step run, and what `plan` says of each.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import type { CheckSpec, ServiceSpec } from "../../src/model/spec.js";
import { planChecks } from "../../src/plan/index.js";
import { renderPlan } from "../../src/plan/render-plan.js";
import { MemoryTree } from "../support/host-tree.js";

/** examples/compose as it is on disk. */
function composeExample(overrides: Record<string, string | null> = {}): MemoryTree {
  const root = join(import.meta.dirname, "../../examples/compose");
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  for (const [path, text] of Object.entries(overrides)) {
    if (text === null) delete files[path];
    else files[path] = text;
  }
  return new MemoryTree(files);
}

function byId(checks: CheckSpec[], id: string): CheckSpec {
  const found = checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id}`);
  return found;
}

function service(spec: CheckSpec | ServiceSpec, alias: string): ServiceSpec {
  const found = ("container" in spec ? spec.container : spec).services.find((b) => b.alias === alias);
  assert.ok(found, `no service ${alias}`);
  return found.service;
}

test("the backend runs as the compose template deploys it: the Procfile's web through the image's entrypoint, on 5000, beside Postgres (also as `postgres`) and Redis; the release step migrates first", async () => {
  const plan = await planChecks(composeExample(), null);
  assert.deepEqual(plan.errors, []);
  const health = byId(plan.checks, "verify.backend-health");
  const backend = service(health, "backend");
  assert.deepEqual([backend.args, backend.useEntrypoint, backend.ports], [["sh", "-c", "gunicorn config.wsgi:application --bind 0.0.0.0:5000"], true, [5000]]);
  assert.deepEqual(backend.container.services.map((b) => b.alias), ["db", "postgres", "redis", "migrate"]);
  assert.equal(service(backend, "db"), service(backend, "postgres"), "one database under both names");
  assert.deepEqual(service(backend, "db").container.env, { POSTGRES_USER: "compose_shop", POSTGRES_DB: "compose_shop" });
  assert.deepEqual(service(backend, "redis").container.base, { kind: "image", image: "docker.io/redis:7" });
  const migrate = service(backend, "migrate");
  assert.deepEqual([migrate.args, migrate.oneShot, migrate.useEntrypoint], [["sh", "-c", "python manage.py migrate"], true, true]);
  assert.deepEqual(JSON.parse(health.command.at(-1) ?? "{}").headers, { "X-Forwarded-Proto": "https" }, "asked as the platform's proxy asks");
});

test("the settings' own variables point at the run's services; secrets only as secret names", async () => {
  const plan = await planChecks(composeExample(), null);
  const backend = service(byId(plan.checks, "verify.backend-health"), "backend").container;
  assert.deepEqual(
    { POSTGRES_HOST: backend.env.POSTGRES_HOST, POSTGRES_PORT: backend.env.POSTGRES_PORT, POSTGRES_DB: backend.env.POSTGRES_DB, REDIS_URL: backend.env.REDIS_URL, DJANGO_ALLOWED_HOSTS: backend.env.DJANGO_ALLOWED_HOSTS, PORT: backend.env.PORT },
    { POSTGRES_HOST: "db", POSTGRES_PORT: "5432", POSTGRES_DB: "compose_shop", REDIS_URL: "redis://redis:6379/0", DJANGO_ALLOWED_HOSTS: "backend,localhost,127.0.0.1", PORT: "5000" },
  );
  assert.equal(backend.env.DJANGO_SETTINGS_MODULE, "config.settings.production", "the production compose file's environment");
  assert.deepEqual(backend.secretEnv, { SECRET_KEY: "secretKey", INTAKE_API_KEY: "intakeApiKey", DJANGO_SECRET_KEY: "secretKey", POSTGRES_PASSWORD: "postgresPassword" });
  const pytest = byId(plan.checks, "test.pytest").container;
  assert.deepEqual(pytest.services.map((b) => b.alias), ["db", "postgres", "redis"]);
  assert.equal(pytest.env.REDIS_URL, "redis://redis:6379/0", "the CI job's localhost URL points at the run's Redis");
  assert.equal(pytest.env.POSTGRES_PASSWORD, undefined, "the CI's literal password is not given beside the run's secret one");
  assert.equal(pytest.secretEnv.POSTGRES_PASSWORD, "postgresPassword");
});

test("the tests' environment installs the build tools the Dockerfile names through shell variables; the linters stand alone", async () => {
  const plan = await planChecks(composeExample(), null);
  const first = byId(plan.checks, "test.pytest").container.layers[0];
  assert.ok(first?.kind === "exec" && first.args.join(" ").includes("install -y -qq --no-install-recommends build-essential libpq-dev libpq5"), JSON.stringify(first));
  const ruff = byId(plan.checks, "quality.ruff-check").container.layers.filter((l) => l.kind === "exec");
  assert.deepEqual(ruff[0], { kind: "exec", args: ["pip", "install", "ruff==0.17.6"] });
});

test("a port the health route asks that the backend does not listen on is said, with both", async () => {
  const plan = await planChecks(composeExample({ Procfile: "release: python manage.py migrate\nweb: gunicorn config.wsgi:application --bind 0.0.0.0:5001\n" }), null);
  const probe = JSON.parse(byId(plan.checks, "verify.backend-health").command.at(-1) ?? "{}");
  assert.equal(probe.base, "http://backend:5000");
  assert.match(probe.unreachable, /docker-compose\.production\.yml:\d+: the compose service django's healthcheck asks port 5000, but the backend listens on 5001 \(the start command: gunicorn --bind 0\.0\.0\.0:5001\)/);
});

test("SQLite settings: no database service, the backend migrates its own file before it starts, and the titles say so", async () => {
  const plan = await planChecks(
    new MemoryTree({
      "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")\n',
      "site_config/__init__.py": "",
      "site_config/settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/data/db.sqlite3"}}\n',
      "requirements.txt": "Django==5.2.20\ngunicorn\n",
      Dockerfile: 'FROM python:3.13-slim\nCOPY . /app\nCMD ["gunicorn", "site_config.wsgi", "--bind", "0.0.0.0:8000"]\n',
    }),
    null,
  );
  assert.equal(byId(plan.checks, "verify.migrations").title, "migrations apply on a fresh SQLite database");
  assert.deepEqual(byId(plan.checks, "verify.migrations").container.services, []);
  const backend = service(byId(plan.checks, "verify.backend-health"), "backend");
  assert.deepEqual(backend.container.services, []);
  assert.deepEqual(backend.args, ["sh", "-c", 'sh /opt/predeploy/django.sh migrate && exec "$@"', "sh", "gunicorn", "site_config.wsgi", "--bind", "0.0.0.0:8000"]);
  assert.ok(backend.container.layers.some((layer) => layer.kind === "file" && layer.path === "/opt/predeploy/django.sh"), "the migrate it runs first is written into its container");
  const names = (services: ServiceSpec["container"]["services"]): string[] => services.flatMap((b) => [b.service.name, ...names(b.service.container.services)]);
  assert.deepEqual([...new Set(plan.checks.flatMap((c) => names(c.container.services)))], ["backend"], "nothing binds a database");
});

test("plan says where each part of the stack came from, and why a declared service is left out", async () => {
  const text = renderPlan(await planChecks(composeExample(), null), "text");
  for (const line of [
    "  image: docker/production.Dockerfile; also there: docker/local.Dockerfile\n      from docker-compose.production.yml:6: the production compose file's web service (django) builds it",
    "  start: gunicorn config.wsgi:application --bind 0.0.0.0:5000\n      from Procfile:2: the Procfile's web process",
    "  release: python manage.py migrate\n      from Procfile:1: the Procfile's release process",
    "  port: 5000\n      from the start command: gunicorn --bind 0.0.0.0:5000",
    "  health: /ops/ping/ on port 5000\n      from docker-compose.production.yml:6: the compose service django's healthcheck",
    "  service: redis (docker.io/redis:7)\n      from docker-compose.production.yml:",
  ]) {
    assert.ok(text.includes(line), `plan lacks:\n${line}\n---\n${text}`);
  }
});

test("a database image by any common name is the database (predeploy's own replaces it), a tool beside it is not; an empty name compose could not interpolate is no name", async () => {
  const production = readFileSync(join(import.meta.dirname, "../../examples/compose/docker-compose.production.yml"), "utf8")
    .replace("image: docker.io/postgres:17", "image: pgautoupgrade/pgautoupgrade:17-alpine\n    environment:\n      - POSTGRES_DB=$DB_NAME")
    .replace("  redis:\n", "  postgres-exporter:\n    image: prometheuscommunity/postgres-exporter\n\n  redis:\n")
    .replace("      - postgres\n      - redis", "      - postgres\n      - postgres-exporter\n      - redis");
  const plan = await planChecks(composeExample({ "docker-compose.production.yml": production, ".github/workflows/ci.yml": null }), null);
  const backend = service(byId(plan.checks, "verify.backend-health"), "backend");
  assert.deepEqual(backend.container.services.map((b) => b.alias), ["db", "postgres", "postgres-exporter", "redis", "migrate"]);
  assert.equal(service(backend, "postgres"), service(backend, "db"), "the pgautoupgrade service is the run's own Postgres");
  assert.deepEqual(service(backend, "postgres-exporter").container.base, { kind: "image", image: "prometheuscommunity/postgres-exporter" });
  assert.notEqual(plan.stack?.django?.database.name, "");
});

test("settings that build DATABASES in a function are wired by the names of the variables they read, and plan says it went by names", async () => {
  const settings = [
    "import os",
    "DATABASE_URL = os.getenv('DATABASE_URL')",
    "PG_HOST = os.getenv('POSTGRES_HOST')",
    "PG_NAME = os.getenv('POSTGRES_DB', 'app')",
    "REDIS_HOST = os.getenv('REDIS_HOST')",
    "",
    "def configure():",
    "    if DATABASE_URL:",
    "        return {'default': parse(DATABASE_URL)}",
    "    return {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': PG_HOST, 'NAME': PG_NAME}}",
    "",
    "DATABASES = configure()",
  ].join("\n");
  const plan = await planChecks(
    new MemoryTree({
      "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      "shop/__init__.py": "",
      "shop/settings.py": `${settings}\n`,
      "requirements.txt": "Django==5.2.20\n",
    }),
    null,
  );
  const database = plan.stack?.django?.database;
  assert.deepEqual([database?.urlVars, database?.parts.host, database?.parts.name], [["DATABASE_URL"], ["POSTGRES_HOST"], ["POSTGRES_DB"]]);
  assert.match(database?.why ?? "", /by their names: DATABASES is built where predeploy cannot follow/);
  const pytestEnv = byId(plan.checks, "test.django-tests").container;
  assert.equal(pytestEnv.env.POSTGRES_HOST, "db");
  assert.equal(pytestEnv.secretEnv.DATABASE_URL, "databaseUrl");
  assert.equal(pytestEnv.env.REDIS_HOST, undefined, "a cache's host is not the database's");
});

test("the test stage starts from the development compose setup's environment, but its settings module and database password; the CI job and the wiring go over it", async () => {
  const plan = await planChecks(composeExample(), null);
  const development = plan.stack?.django?.developmentEnv;
  assert.match(development?.why ?? "", /^docker-compose\.local\.yml:\d+: the development compose file's web service \(django\)$/);
  const { env, secretEnv } = byId(plan.checks, "test.pytest").container;
  assert.equal(env.USE_DOCKER, "yes", "what the local compose file's env file gives");
  assert.equal(env.DJANGO_SETTINGS_MODULE, undefined, "manage.py or the CI job chooses the settings");
  assert.equal(env.POSTGRES_HOST, "db", "the wiring points the settings at the run's database");
  assert.equal(env.POSTGRES_PASSWORD, undefined);
  assert.equal(secretEnv.POSTGRES_PASSWORD, "postgresPassword", "the run's password, never the repository's development one");
  assert.equal(byId(plan.checks, "verify.migrations").container.env.USE_DOCKER, undefined, "what is deployed gets the deployment's environment only");
});

test("a SQLite default beside a database URL the settings read in a function is the local fallback: the run gives them Postgres", async () => {
  const settings = [
    "import os",
    "DATABASE_URL = os.getenv('DATABASE_URL')",
    "def configure():",
    "    if DATABASE_URL:",
    "        return {'default': parse(DATABASE_URL)}",
    "    return {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}",
    "DATABASES = configure()",
  ].join("\n");
  const plan = await planChecks(
    new MemoryTree({ "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n', "shop/__init__.py": "", "shop/settings.py": `${settings}\n`, "requirements.txt": "Django==5.2.20\n" }),
    null,
  );
  assert.equal(plan.stack?.django?.database.engine, "postgresql");
  assert.equal(byId(plan.checks, "test.django-tests").container.secretEnv.DATABASE_URL, "databaseUrl");
});
