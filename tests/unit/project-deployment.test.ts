/**
 * How the repository deploys its backend, from what it declares (src/project/deployment.ts,
 * backing-services.ts, database.ts, intake-contract.ts), on in-memory trees shaped like the
 * repositories those declarations come from: which Dockerfile, how it starts, on which port,
 * behind which health route, beside which services, on which database.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Config } from "../../src/model/config.js";
import { discoverStack } from "../../src/project/discover.js";
import type { DjangoApp } from "../../src/project/discover.js";
import { MemoryTree } from "../support/host-tree.js";

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n';
const REQUIREMENTS = { "requirements/base.txt": "Django==5.2.20\n", "requirements/local.txt": "-r base.txt\npytest-django\n" };
const SETTINGS = {
  "config/__init__.py": "",
  "config/settings/__init__.py": "",
  "config/settings/base.py": 'import environ\nenv = environ.Env()\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": env("POSTGRES_DB"), "USER": env("POSTGRES_USER"), "PASSWORD": env("POSTGRES_PASSWORD"), "HOST": env("POSTGRES_HOST"), "PORT": env("POSTGRES_PORT")}}\nREDIS_URL = env("REDIS_URL", default="redis://localhost:6379/0")\n',
  "config/settings/local.py": "from .base import *  # noqa\n",
  "config/settings/production.py": 'from .base import *  # noqa\nfrom .base import env\nSECRET_KEY = env("DJANGO_SECRET_KEY")\nALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")\n',
};

async function django(files: Record<string, string>, config: unknown = {}): Promise<DjangoApp> {
  const stack = await discoverStack(new MemoryTree({ "manage.py": MANAGE, ...REQUIREMENTS, ...SETTINGS, ...files }), Config.parse(config), { workerConfigs: ["wrangler.toml"] });
  assert.deepEqual(stack.problems, []);
  assert.ok(stack.django);
  return stack.django;
}

const PRODUCTION_DOCKERFILE = 'FROM python:3.13-slim\nRUN BUILD_DEPS="build-essential libpq-dev" && apt-get update && apt-get install -y $BUILD_DEPS\nCOPY ./docker/start /start\nCOPY . /app\nENTRYPOINT ["/entrypoint"]\n';
const COMPOSE_PRODUCTION = [
  "services:",
  "  django: &django",
  "    build:",
  "      context: .",
  "      dockerfile: ./docker/production.Dockerfile",
  "    depends_on: [postgres, redis]",
  "    environment:",
  "      - DJANGO_SETTINGS_MODULE=config.settings.production",
  "    command: /start",
  "    healthcheck:",
  '      test: ["CMD", "curl", "-f", "http://localhost:5000/ops/ping/"]',
  "  postgres:",
  "    image: docker.io/postgres:16",
  "  redis:",
  "    image: redis:7",
  "  celeryworker:",
  "    <<: *django",
  "    command: /start-celeryworker",
  "  mailpit:",
  "    image: axllent/mailpit",
  "",
].join("\n");

describe("the deployed image", () => {
  test("the production compose file's web service names it, over the root Dockerfile and the development compose file", async () => {
    const app = await django({
      Dockerfile: "FROM python:3.13-slim\nCMD [\"gunicorn\"]\n",
      "docker/production.Dockerfile": PRODUCTION_DOCKERFILE,
      "docker/local.Dockerfile": "FROM python:3.13-slim\n",
      "docker-compose.production.yml": COMPOSE_PRODUCTION,
      "docker-compose.local.yml": "services:\n  django:\n    build:\n      context: .\n      dockerfile: ./docker/local.Dockerfile\n",
    });
    assert.equal(app.dockerfile?.path, "docker/production.Dockerfile");
    assert.equal(app.dockerfile?.context, ".");
    assert.match(app.dockerfile?.why ?? "", /^docker-compose\.production\.yml:2: the production compose file's web service \(django\) builds it$/);
    assert.deepEqual(app.dockerfile?.others, ["Dockerfile", "docker/local.Dockerfile"]);
  });

  test("without a production declaration: a *production* Dockerfile, then the root one, then the development compose file, then the conventional places", async () => {
    const local = "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/local.Dockerfile\n";
    assert.equal((await django({ "deploy/Dockerfile.prod": "FROM python:3.13-slim\n", Dockerfile: "FROM python:3.13-slim\n" })).dockerfile?.path, "deploy/Dockerfile.prod");
    assert.equal((await django({ Dockerfile: "FROM python:3.13-slim\n", "docker/local.Dockerfile": "FROM python:3.13-slim\n", "docker-compose.local.yml": local })).dockerfile?.path, "Dockerfile");
    assert.equal((await django({ "docker/local.Dockerfile": "FROM python:3.13-slim\n", "docker-compose.local.yml": local })).dockerfile?.path, "docker/local.Dockerfile");
    assert.equal((await django({})).dockerfile, null);
  });

  test("heroku.yml, fly.toml and render.yaml name the Dockerfile they deploy", async () => {
    const heroku = await django({ "heroku.yml": "build:\n  docker:\n    web: docker/web.Dockerfile\n", "docker/web.Dockerfile": "FROM python:3.13-slim\n", Dockerfile: "FROM python:3.13-slim\n" });
    assert.equal(heroku.dockerfile?.path, "docker/web.Dockerfile");
    assert.match(heroku.dockerfile?.why ?? "", /heroku deploys it/);
    const fly = await django({ "fly.toml": "[build]\n  dockerfile = 'deploy/app.Dockerfile'\n", "deploy/app.Dockerfile": "FROM python:3.13-slim\n" });
    assert.equal(fly.dockerfile?.path, "deploy/app.Dockerfile");
  });
});

describe("how it starts, and on which port", () => {
  test("an image without a CMD of its own runs what the platform does: the Procfile's web, through the image's entrypoint; the port from its command", async () => {
    const app = await django({
      "docker/production.Dockerfile": PRODUCTION_DOCKERFILE,
      "docker-compose.production.yml": COMPOSE_PRODUCTION,
      "docker/start": "#!/bin/bash\nexec gunicorn config.wsgi --bind 0.0.0.0:5000\n",
      Procfile: "release: python manage.py migrate\nweb: gunicorn config.wsgi:application --bind 0.0.0.0:5000\n",
    });
    assert.deepEqual(app.deployment.start, { argv: ["sh", "-c", "gunicorn config.wsgi:application --bind 0.0.0.0:5000"], useEntrypoint: true, why: "Procfile:2: the Procfile's web process" });
    assert.deepEqual(app.deployment.release?.argv, ["sh", "-c", "python manage.py migrate"]);
    assert.deepEqual(app.deployment.port, { port: 5000, why: "the start command: gunicorn --bind 0.0.0.0:5000" });
  });

  test("without a Procfile, compose's command, split as compose splits it; its start script says the port", async () => {
    const app = await django({
      "docker/production.Dockerfile": PRODUCTION_DOCKERFILE,
      "docker-compose.production.yml": COMPOSE_PRODUCTION,
      "docker/start": "#!/bin/bash\nset -o errexit\nexec gunicorn config.wsgi --bind 0.0.0.0:5000 --chdir=/app\n",
    });
    assert.deepEqual(app.deployment.start?.argv, ["/start"]);
    assert.equal(app.deployment.start?.useEntrypoint, true);
    assert.equal(app.deployment.port.port, 5000, app.deployment.port.why);
  });

  test("an image's own CMD is what runs; Daphne on port 80 listens on 80", async () => {
    const app = await django({ Dockerfile: 'FROM python:3.13-slim\nEXPOSE 80\nCMD ["daphne", "-b", "0.0.0.0", "-p", "80", "config.asgi:application"]\n' });
    assert.equal(app.deployment.start, null);
    assert.deepEqual(app.deployment.port, { port: 80, why: "the start command: daphne -p 80" });
  });

  test("a command that reads $PORT listens where PORT is set: its own default, else EXPOSE, else 8000; predeploy.json's backend.port wins", async () => {
    assert.equal((await django({ Dockerfile: 'FROM python:3.13-slim\nEXPOSE 9000\nCMD gunicorn config.wsgi --bind 0.0.0.0:$PORT\n' })).deployment.port.port, 9000);
    assert.equal((await django({ Dockerfile: 'FROM python:3.13-slim\nCMD gunicorn config.wsgi --bind 0.0.0.0:${PORT:-8080}\n' })).deployment.port.port, 8080);
    assert.equal((await django({ Dockerfile: 'FROM python:3.13-slim\nCMD ["gunicorn", "config.wsgi"]\n' })).deployment.port.port, 8000);
    assert.deepEqual((await django({ Dockerfile: 'FROM python:3.13-slim\nEXPOSE 80\n' }, { backend: { port: 7000 } })).deployment.port, { port: 7000, why: "predeploy.json backend.port" });
  });
});

describe("the health route", () => {
  test("the compose healthcheck's route and port; else the Dockerfile's HEALTHCHECK; predeploy.json's first", async () => {
    const composed = await django({ "docker/production.Dockerfile": PRODUCTION_DOCKERFILE, "docker-compose.production.yml": COMPOSE_PRODUCTION });
    assert.deepEqual(composed.deployment.health, { path: "/ops/ping/", port: 5000, why: "docker-compose.production.yml:2: the compose service django's healthcheck" });
    const own = await django({ Dockerfile: "FROM python:3.13-slim\nHEALTHCHECK CMD curl -f http://localhost:8000/healthz/ || exit 1\nCMD [\"gunicorn\"]\n" });
    assert.equal(own.deployment.health?.path, "/healthz/");
    assert.equal((await django({ Dockerfile: "FROM python:3.13-slim\n" }, { backend: { health: { path: "/up" } } })).deployment.health?.path, "/up");
    assert.equal((await django({ Dockerfile: "FROM python:3.13-slim\n" })).deployment.health, null);
  });
});

describe("the services beside the backend and the tests", () => {
  test("the web service's dependencies run from their images; its workers and what it does not reach are not started", async () => {
    const app = await django({ "docker/production.Dockerfile": PRODUCTION_DOCKERFILE, "docker-compose.production.yml": COMPOSE_PRODUCTION });
    assert.deepEqual(
      app.services.verify.map((s) => [s.name, s.kind, s.image]),
      [
        ["postgres", "postgres", "docker.io/postgres:16"],
        ["redis", "redis", "redis:7"],
      ],
    );
    assert.deepEqual(app.services.leftOut, [], "the celery worker and mailpit are not what django depends on");
    assert.deepEqual(app.database.aliases, ["postgres"], "the database answers to the name the project uses too");
  });

  test("the CI test job's services are the tests' (and, without a compose file, the backend's); its database names the throw-away one", async () => {
    const ci = [
      "jobs:",
      "  pytest:",
      "    runs-on: ubuntu-latest",
      "    services:",
      "      database:",
      "        image: postgres:17",
      "        env:",
      "          POSTGRES_USER: shop",
      "          POSTGRES_DB: shop_test",
      "          POSTGRES_PASSWORD: postgres",
      "      cache:",
      "        image: valkey/valkey:9",
      "    env:",
      "      POSTGRES_HOST: localhost",
      "    steps:",
      "      - run: pytest",
      "",
    ].join("\n");
    const app = await django({ ".github/workflows/test.yml": ci, Dockerfile: "FROM python:3.13-slim\n" });
    assert.deepEqual(app.services.tests.map((s) => [s.name, s.kind]), [["database", "postgres"], ["cache", "redis"]]);
    assert.deepEqual(app.services.verify.map((s) => s.name), ["database", "cache"]);
    assert.deepEqual([app.database.name, app.database.user, app.database.aliases], ["shop_test", "shop", ["database"]]);
  });
});

describe("the database, as the settings read it", () => {
  test("settings that build DATABASES from POSTGRES_* get each part; the scheme follows the project's", async () => {
    const app = await django({});
    assert.deepEqual(app.database.parts, { host: ["POSTGRES_HOST"], port: ["POSTGRES_PORT"], name: ["POSTGRES_DB"], user: ["POSTGRES_USER"], password: ["POSTGRES_PASSWORD"] });
    assert.deepEqual(app.database.urlVars, []);
    const url = await django({ "config/settings/base.py": 'import dj_database_url\n"""DATABASE_URL postgresql://user:pw@host/db"""\nDATABASES = {"default": dj_database_url.config(conn_max_age=600)}\n' });
    assert.deepEqual([url.database.urlVars, url.database.scheme], [["DATABASE_URL"], "postgresql"]);
  });

  test("settings that hard-code SQLite get no database service; a SQLite default beside DATABASE_URL is only the local fallback", async () => {
    const sqlite = await django({ "config/settings/base.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n' });
    assert.equal(sqlite.database.engine, "sqlite");
    assert.match(sqlite.database.why, /the settings use SQLite/);
    const fallback = await django({ "config/settings/base.py": 'import dj_database_url\nDATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}\n' });
    assert.equal(fallback.database.engine, "postgresql");
  });
});

describe("the end-to-end contract", () => {
  const worker = (source: string) => ({
    "workers/intake/wrangler.toml": "name = 'intake'\n",
    "workers/intake/package.json": JSON.stringify({ name: "intake" }),
    "workers/intake/package-lock.json": "{}",
    "workers/intake/src/index.ts": source,
  });
  test("is found only when the worker routes /intake/ and the backend's inbox app defines Submission", async () => {
    const files = { "apps/web/manage.py": MANAGE, "apps/web/inbox/models.py": "class Submission(models.Model):\n    pass\n", ...worker("const ROUTE = /^\\/intake\\/([a-z-]+)\\/form$/;\n") };
    const tree = (extra: Record<string, string>) => new MemoryTree({ ...REQUIREMENTS, ...files, ...extra });
    const found = await discoverStack(tree({}), Config.parse({}), { workerConfigs: ["wrangler.toml"] });
    assert.match(found.intake?.why ?? "", /workers\/intake routes \/intake\/ and apps\/web\/inbox\/models\.py defines Submission/);
    const other = await discoverStack(tree({ "workers/intake/src/index.ts": 'export default { fetch: () => new Response("contact") };\n' }), Config.parse({}), { workerConfigs: ["wrangler.toml"] });
    assert.equal(other.intake, null);
    const noInbox = await discoverStack(tree({ "apps/web/inbox/models.py": "class Message(models.Model):\n    pass\n" }), Config.parse({}), { workerConfigs: ["wrangler.toml"] });
    assert.equal(noInbox.intake, null);
  });
});

test("the web port among EXPOSE ports: the one nearest the deployed stage, never a store's the image also bundles", async () => {
  const dockerfile = [
    "FROM python:3.13-slim AS base",
    "RUN apt-get update && apt-get install -y postgresql",
    "EXPOSE 5432",
    "FROM base AS development",
    "EXPOSE 8000 3000",
    "FROM base AS production",
    "EXPOSE 8080",
    'CMD ["bash", "./bin/serve"]',
  ].join("\n");
  const app = await django({ Dockerfile: `${dockerfile}\n` });
  assert.deepEqual([app.deployment.port.port, app.deployment.port.why], [8080, "EXPOSE in Dockerfile"]);
  const nginx = await django({ Dockerfile: 'FROM python:3.13-slim\nEXPOSE 5432\nEXPOSE 80 8080\nENTRYPOINT ["/boot.sh"]\n' });
  assert.equal(nginx.deployment.port.port, 80);
  const store = await django({ Dockerfile: 'FROM python:3.13-slim\nEXPOSE 6379\nENTRYPOINT ["/boot.sh"]\n' });
  assert.equal(store.deployment.port.port, 6379, "a store port alone is still what the image says");
});
