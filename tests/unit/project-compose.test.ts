import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { readComposeFiles, type ComposeFile } from "../../src/project/compose.js";
import type { DeclaredService } from "../../src/project/declared.js";
import { MemoryTree } from "../support/host-tree.js";

/**
 * The compose reader on files shaped like the ones real Django repositories carry
 * (cookiecutter-django's generated projects, netbox-docker, healthchecks, Plane's self-host
 * file): written here, not copied, with the shapes that matter kept.
 */

const read = (files: Record<string, string>) => readComposeFiles(new MemoryTree(files));

function service(file: ComposeFile | undefined, name: string): DeclaredService {
  const found = file?.services.find((s) => s.name === name);
  assert.ok(found, `${file?.path ?? "no file"} has no service ${name}`);
  return found;
}

/** 1-based line of the first line of `text` equal to `line`. */
function lineOf(text: string, line: string): number {
  const index = text.split("\n").indexOf(line);
  assert.notEqual(index, -1, `no line ${JSON.stringify(line)}`);
  return index + 1;
}

const yaml = (...lines: string[]) => `${lines.join("\n")}\n`;

const COOKIECUTTER_PRODUCTION = yaml(
  "volumes:",
  "  production_postgres_data: {}",
  "  production_traefik: {}",
  "",
  "services:",
  "  django: &django",
  "    build:",
  "      context: .",
  "      dockerfile: ./compose/production/django/Dockerfile",
  "    image: shopfront_production_django",
  "    depends_on:",
  "      - postgres",
  "      - redis",
  "    env_file:",
  "      - ./.envs/.production/.django",
  "      - ./.envs/.production/.postgres",
  "    command: /start",
  "",
  "  postgres:",
  "    build:",
  "      context: .",
  "      dockerfile: ./compose/production/postgres/Dockerfile",
  "    image: shopfront_production_postgres",
  "    volumes:",
  "      - production_postgres_data:/var/lib/postgresql/data",
  "    env_file:",
  "      - ./.envs/.production/.postgres",
  "",
  "  traefik:",
  "    build:",
  "      context: .",
  "      dockerfile: ./compose/production/traefik/Dockerfile",
  "    image: shopfront_production_traefik",
  "    depends_on:",
  "      - django",
  "    ports:",
  "      - '0.0.0.0:80:80'",
  "      - '0.0.0.0:443:443'",
  "      - '0.0.0.0:5555:5555'",
  "",
  "  redis:",
  "    image: docker.io/redis:7.2",
  "",
  "  celeryworker:",
  "    <<: *django",
  "    image: shopfront_production_celeryworker",
  "    command: /start-celeryworker",
  "",
  "  celerybeat:",
  "    <<: *django",
  "    image: shopfront_production_celerybeat",
  "    command: /start-celerybeat",
);

const COOKIECUTTER_LOCAL = yaml(
  "volumes:",
  "  shopfront_local_postgres_data: {}",
  "",
  "services:",
  "  django: &django",
  "    build:",
  "      context: .",
  "      dockerfile: ./compose/local/django/Dockerfile",
  "    image: shopfront_local_django",
  "    container_name: shopfront_local_django",
  "    depends_on:",
  "      - postgres",
  "      - redis",
  "      - mailpit",
  "    volumes:",
  "      - /app/.venv",
  "      - .:/app:z",
  "    env_file:",
  "      - path: ./.envs/.local/.django",
  "        required: false",
  "      - path: ./.envs/.local/.postgres",
  "        required: false",
  "    ports:",
  "      - '8000:8000'",
  "    command: /start",
  "",
  "  postgres:",
  "    build:",
  "      context: .",
  "      dockerfile: ./compose/production/postgres/Dockerfile",
  "    image: shopfront_production_postgres",
  "    env_file:",
  "      - path: ./.envs/.local/.postgres",
  "        required: false",
  "",
  "  mailpit:",
  "    image: docker.io/axllent/mailpit:latest",
  "    ports:",
  '      - "8025:8025"',
  "",
  "  redis:",
  "    image: docker.io/redis:7.2",
  "",
  "  celeryworker:",
  "    <<: *django",
  "    image: shopfront_local_celeryworker",
  "    container_name: shopfront_local_celeryworker",
  "    depends_on:",
  "      - redis",
  "      - postgres",
  "    ports: []",
  "    command: /start-celeryworker",
);

const COOKIECUTTER = {
  "docker-compose.production.yml": COOKIECUTTER_PRODUCTION,
  "docker-compose.local.yml": COOKIECUTTER_LOCAL,
  "docker-compose.docs.yml": yaml("services:", "  docs:", "    image: shopfront_local_docs", "    command: /start-docs"),
  ".envs/.production/.django": yaml(
    "# General",
    "# ------------------------------------------------------------------------------",
    "DJANGO_SETTINGS_MODULE=config.settings.production",
    "DJANGO_SECRET_KEY=!!!SET DJANGO_SECRET_KEY!!!",
    "DJANGO_ALLOWED_HOSTS=.shopfront.example",
    "REDIS_URL=redis://redis:6379/0",
  ),
  ".envs/.production/.postgres": yaml("POSTGRES_HOST=postgres", "POSTGRES_PORT=5432", "POSTGRES_DB=shopfront", "POSTGRES_USER=!!!SET POSTGRES_USER!!!"),
  ".envs/.local/.django": yaml("USE_DOCKER=yes", "IPYTHONDIR=/app/.ipython", "REDIS_URL=redis://redis:6379/0"),
  "compose/production/django/Dockerfile": "FROM python:3.13-slim\n",
  "compose/production/postgres/Dockerfile": "FROM docker.io/postgres:16\n",
  "manage.py": "",
};

test("cookiecutter-django: production and local files by their names, docs left out", async () => {
  const files = await read(COOKIECUTTER);
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [
      ["docker-compose.local.yml", "development"],
      ["docker-compose.production.yml", "production"],
    ],
  );
  for (const file of files) {
    assert.deepEqual(file.problems, [], file.path);
    assert.deepEqual(file.unresolved, [], file.path);
  }
});

test("cookiecutter-django production: builds from ./compose/..., /start, env files merged, celery services from <<: *django", async () => {
  const production = (await read(COOKIECUTTER)).find((f) => f.role === "production");
  assert.deepEqual(
    production?.services.map((s) => s.name),
    ["django", "postgres", "traefik", "redis", "celeryworker", "celerybeat"],
  );
  const django = service(production, "django");
  assert.deepEqual(django.build, { context: ".", dockerfile: "compose/production/django/Dockerfile", target: null });
  assert.equal(django.image, "shopfront_production_django");
  assert.deepEqual(django.command, { form: "shell", text: "/start" });
  assert.equal(django.entrypoint, null);
  assert.equal(django.healthcheck, null);
  assert.deepEqual(django.ports, []);
  assert.deepEqual(django.dependsOn, ["postgres", "redis"]);
  assert.deepEqual(django.environment, {
    DJANGO_SETTINGS_MODULE: "config.settings.production",
    DJANGO_SECRET_KEY: "!!!SET DJANGO_SECRET_KEY!!!",
    DJANGO_ALLOWED_HOSTS: ".shopfront.example",
    REDIS_URL: "redis://redis:6379/0",
    POSTGRES_HOST: "postgres",
    POSTGRES_PORT: "5432",
    POSTGRES_DB: "shopfront",
    POSTGRES_USER: "!!!SET POSTGRES_USER!!!",
  });
  assert.deepEqual(django.from, { file: "docker-compose.production.yml", line: lineOf(COOKIECUTTER_PRODUCTION, "  django: &django") });

  const worker = service(production, "celeryworker");
  assert.equal(worker.image, "shopfront_production_celeryworker");
  assert.deepEqual(worker.command, { form: "shell", text: "/start-celeryworker" });
  assert.deepEqual(worker.build, django.build);
  assert.deepEqual(worker.environment, django.environment);
  assert.deepEqual(worker.dependsOn, ["postgres", "redis"]);
  assert.deepEqual(worker.from, { file: "docker-compose.production.yml", line: lineOf(COOKIECUTTER_PRODUCTION, "  celeryworker:") });
  assert.deepEqual(service(production, "celerybeat").command, { form: "shell", text: "/start-celerybeat" });

  const postgres = service(production, "postgres");
  assert.deepEqual(postgres.build, { context: ".", dockerfile: "compose/production/postgres/Dockerfile", target: null });
  assert.equal(postgres.environment.POSTGRES_DB, "shopfront");
  const redis = service(production, "redis");
  assert.equal(redis.image, "docker.io/redis:7.2");
  assert.equal(redis.build, null);
  assert.deepEqual(service(production, "traefik").ports, [80, 443, 5555]);
});

test("cookiecutter-django local: optional env files, `ports: []` cancels the inherited port", async () => {
  const local = (await read(COOKIECUTTER)).find((f) => f.role === "development");
  const django = service(local, "django");
  assert.deepEqual(django.build, { context: ".", dockerfile: "compose/local/django/Dockerfile", target: null });
  assert.deepEqual(django.ports, [8000]);
  // .envs/.local/.postgres is not in the tree: `required: false` skips it without a problem.
  assert.deepEqual(django.environment, { USE_DOCKER: "yes", IPYTHONDIR: "/app/.ipython", REDIS_URL: "redis://redis:6379/0" });
  assert.deepEqual(service(local, "postgres").environment, {});
  assert.deepEqual(service(local, "postgres").build?.dockerfile, "compose/production/postgres/Dockerfile");
  const worker = service(local, "celeryworker");
  assert.deepEqual(worker.ports, []);
  assert.deepEqual(worker.dependsOn, ["redis", "postgres"]);
  assert.deepEqual(worker.command, { form: "shell", text: "/start-celeryworker" });
  assert.deepEqual(service(local, "mailpit").ports, [8025]);
  assert.deepEqual(local?.problems, []);
});

test("a required env_file that is missing is a problem naming the compose file; the rest still reads", async () => {
  const files = await read(Object.fromEntries(Object.entries(COOKIECUTTER).filter(([path]) => path !== ".envs/.production/.postgres")));
  const production = files.find((f) => f.role === "production");
  assert.deepEqual(production?.problems, [
    "docker-compose.production.yml: env_file .envs/.production/.postgres is missing; commit it, or mark it `required: false` if the services start without it",
  ]);
  assert.equal(service(production, "django").environment.DJANGO_SETTINGS_MODULE, "config.settings.production");
  assert.equal(service(production, "django").environment.POSTGRES_DB, undefined);
  assert.equal(service(production, "redis").image, "docker.io/redis:7.2");
});

test("env files as dotenv: export, comments, quotes, inline comments; environment wins over them; .env never a problem", async () => {
  const [file] = await read({
    "docker-compose.yml": yaml(
      "services:",
      "  web:",
      "    build: ./app",
      "    env_file:",
      "      - .env",
      "      - config/web.env",
      "      - path: config/missing.env",
      "        required: false",
      "    environment:",
      "      DJANGO_SETTINGS_MODULE: app.settings.staging",
      "      WORKERS: 4",
      "      DEBUG: false",
      "      UNSET:",
    ),
    "config/web.env": [
      "# settings",
      "export DJANGO_SETTINGS_MODULE=app.settings.production",
      "SECRET='a $b \\n c'",
      'GREETING="line one\\nline \\"two\\""',
      "INLINE=value # a comment",
      "HASH=a#b",
      "SPACED =  padded  ",
      "NO_VALUE",
      "EMPTY=",
      "MULTI='first",
      "second'",
      "",
    ].join("\r\n"),
  });
  assert.deepEqual(file?.problems, []);
  assert.deepEqual(service(file, "web").build, { context: "app", dockerfile: "app/Dockerfile", target: null });
  assert.deepEqual(service(file, "web").environment, {
    DJANGO_SETTINGS_MODULE: "app.settings.staging",
    SECRET: "a $b \\n c",
    GREETING: 'line one\nline "two"',
    INLINE: "value",
    HASH: "a#b",
    SPACED: "padded",
    EMPTY: "",
    MULTI: "first\r\nsecond",
    WORKERS: "4",
    DEBUG: "false",
    UNSET: "",
  });
});

const NETBOX_SHAPED = yaml(
  "services:",
  "  netbox: &netbox",
  "    image: docker.io/netboxcommunity/netbox:${VERSION-v4.1-3.0.2}",
  "    depends_on:",
  "      - postgres",
  "      - redis",
  "      - redis-cache",
  "    env_file: env/netbox.env",
  "    user: 'unit:root'",
  "    healthcheck:",
  "      test: curl -f http://localhost:8080/login/ || exit 1",
  "      start_period: 90s",
  "      interval: 15s",
  "    volumes:",
  "      - ./configuration:/etc/netbox/config:z,ro",
  "  netbox-worker:",
  "    <<: *netbox",
  "    depends_on:",
  "      netbox:",
  "        condition: service_healthy",
  "    command:",
  "      - /opt/netbox/venv/bin/python",
  "      - /opt/netbox/netbox/manage.py",
  "      - rqworker",
  "    healthcheck:",
  "      test: ps -aux | grep -v grep | grep -q rqworker || exit 1",
  "",
  "  postgres:",
  "    image: docker.io/postgres:16-alpine",
  "    healthcheck:",
  "      test: pg_isready -q -t 2 -d $$POSTGRES_DB -U $$POSTGRES_USER",
  "    env_file: env/postgres.env",
  "",
  "  redis:",
  "    image: docker.io/valkey/valkey:8.0-alpine",
  "    command:",
  "      - sh",
  "      - -c # evaluates $REDIS_PASSWORD inside the container",
  "      - valkey-server --appendonly yes --requirepass $$REDIS_PASSWORD",
  "    healthcheck: &redis-healthcheck",
  "      test: '[ $$(valkey-cli --pass \"$${REDIS_PASSWORD}\" ping) = ''PONG'' ]'",
  "    env_file: env/redis.env",
  "  redis-cache:",
  "    image: docker.io/valkey/valkey:8.0-alpine",
  "    healthcheck: *redis-healthcheck",
  "    env_file: env/redis-cache.env",
);

test("netbox-docker shape: `${VERSION-...}` default with dashes, `$$` escapes, string healthchecks, scalar env_file, <<: with long depends_on", async () => {
  const files = await read({
    "docker-compose.yml": NETBOX_SHAPED,
    "docker-compose.override.yml.example": yaml("services:", "  netbox:", "    ports:", '      - "8000:8080"'),
    "env/netbox.env": yaml("DB_HOST=postgres", "SECRET_KEY='r(m)9x$(_q3N4z1k(EFs#CjZk2X'", "SKIP_SUPERUSER=true"),
    "env/postgres.env": yaml("POSTGRES_DB=netbox", "POSTGRES_USER=netbox"),
    "env/redis.env": yaml("REDIS_PASSWORD=secret"),
    "env/redis-cache.env": yaml("REDIS_PASSWORD=other"),
  });
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [["docker-compose.yml", "default"]],
  );
  const [file] = files;
  assert.deepEqual(file?.problems, []);
  assert.deepEqual(file?.unresolved, []);
  const netbox = service(file, "netbox");
  assert.equal(netbox.image, "docker.io/netboxcommunity/netbox:v4.1-3.0.2");
  assert.deepEqual(netbox.ports, []);
  assert.deepEqual(netbox.healthcheck, { command: "curl -f http://localhost:8080/login/ || exit 1", path: "/login/", port: 8080 });
  assert.deepEqual(netbox.environment, { DB_HOST: "postgres", SECRET_KEY: "r(m)9x$(_q3N4z1k(EFs#CjZk2X", SKIP_SUPERUSER: "true" });

  const worker = service(file, "netbox-worker");
  assert.deepEqual(worker.dependsOn, ["netbox"]);
  assert.deepEqual(worker.command, { form: "exec", argv: ["/opt/netbox/venv/bin/python", "/opt/netbox/netbox/manage.py", "rqworker"] });
  assert.deepEqual(worker.healthcheck, { command: "ps -aux | grep -v grep | grep -q rqworker || exit 1", path: null, port: null });
  assert.equal(worker.image, netbox.image);
  assert.deepEqual(worker.environment, netbox.environment);

  assert.equal(service(file, "postgres").healthcheck?.command, "pg_isready -q -t 2 -d $POSTGRES_DB -U $POSTGRES_USER");
  const redis = service(file, "redis");
  assert.deepEqual(redis.command, { form: "exec", argv: ["sh", "-c", "valkey-server --appendonly yes --requirepass $REDIS_PASSWORD"] });
  assert.equal(redis.healthcheck?.command, `[ $(valkey-cli --pass "\${REDIS_PASSWORD}" ping) = 'PONG' ]`);
  assert.deepEqual(service(file, "redis-cache").healthcheck, redis.healthcheck);
  assert.equal(service(file, "redis-cache").environment.REDIS_PASSWORD, "other");
});

const HEALTHCHECKS_SHAPED = yaml(
  "services:",
  "  db:",
  "    image: postgres:16",
  "    volumes:",
  "      - db-data:/var/lib/postgresql/data",
  "    environment:",
  "      - POSTGRES_DB=$DB_NAME",
  "      - POSTGRES_PASSWORD=$DB_PASSWORD",
  "  web:",
  "    image: pingwatch",
  "    build:",
  "      context: ..",
  "      dockerfile: docker/Dockerfile",
  "    env_file:",
  "      - .env",
  "    environment:",
  "      - DB_HOST=db",
  "    ports:",
  '      - "8000:8000"',
  "    depends_on:",
  "      - db",
  "    command: bash -c 'while !</dev/tcp/db/5432; do sleep 1; done; uwsgi /opt/app/docker/uwsgi.ini'",
  "volumes:",
  "  db-data:",
);

test("healthchecks shape: docker/docker-compose.yml when the root has none, `context: ..` is the root, bare $VAR unresolved", async () => {
  const files = await read({
    "docker/docker-compose.yml": HEALTHCHECKS_SHAPED,
    "docker/Dockerfile": "FROM python:3.13-slim\n",
    "compose/local/django/Dockerfile": "FROM python:3.13-slim\n",
    "manage.py": "",
  });
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [["docker/docker-compose.yml", "default"]],
  );
  const [file] = files;
  const web = service(file, "web");
  assert.deepEqual(web.build, { context: ".", dockerfile: "docker/Dockerfile", target: null });
  assert.equal(web.image, "pingwatch");
  assert.deepEqual(web.ports, [8000]);
  assert.deepEqual(web.environment, { DB_HOST: "db" });
  assert.deepEqual(web.command, { form: "shell", text: "bash -c 'while !</dev/tcp/db/5432; do sleep 1; done; uwsgi /opt/app/docker/uwsgi.ini'" });
  assert.deepEqual(web.from, { file: "docker/docker-compose.yml", line: lineOf(HEALTHCHECKS_SHAPED, "  web:") });
  assert.deepEqual(service(file, "db").environment, { POSTGRES_DB: "", POSTGRES_PASSWORD: "" });
  assert.deepEqual(file?.unresolved, ["DB_NAME", "DB_PASSWORD"]);
  // env_file .env is never in predeploy's source: its absence is no problem.
  assert.deepEqual(file?.problems, []);
});

test("the .env beside a compose file, when the tree has it, is the interpolation environment (and an env_file)", async () => {
  const [file] = await read({
    "docker/docker-compose.yml": HEALTHCHECKS_SHAPED,
    "docker/.env": yaml("DB_NAME=hc", "DB_PASSWORD='fIgNZ$'", "SECRET_KEY=dev"),
  });
  assert.deepEqual(service(file, "db").environment, { POSTGRES_DB: "hc", POSTGRES_PASSWORD: "fIgNZ$" });
  assert.deepEqual(service(file, "web").environment, { DB_NAME: "hc", DB_PASSWORD: "fIgNZ$", SECRET_KEY: "dev", DB_HOST: "db" });
  assert.deepEqual(file?.unresolved, []);
});

const PLANE_SHAPED = yaml(
  "x-app-env : &app-env",
  "  environment:",
  "    - NGINX_PORT=${NGINX_PORT:-80}",
  "    - WEB_URL=${WEB_URL:-http://localhost}",
  "    - DEBUG=${DEBUG:-0}",
  '    - SENTRY_DSN=${SENTRY_DSN:-""}',
  "    - DATABASE_URL=${DATABASE_URL:-postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@${PGHOST}/${PGDATABASE}}",
  "    - POSTGRES_USER=${POSTGRES_USER:-tasks}",
  "    - REDIS_URL=${REDIS_URL:-redis://${REDIS_HOST}:6379/}",
  '    - EMAIL_FROM=${EMAIL_FROM:-"Team Tasks <team@tasks.example>"}',
  "",
  "services:",
  "  web:",
  "    <<: *app-env",
  "    image: ${DOCKERHUB_USER:-tasksapp}/tasks-frontend:${APP_RELEASE:-stable}",
  "    command: node web/server.js web",
  "    deploy:",
  "      replicas: ${WEB_REPLICAS:-1}",
  "    depends_on:",
  "      - api",
  "  api:",
  "    <<: *app-env",
  "    build:",
  "      context: ../apiserver",
  "      dockerfile: Dockerfile.api",
  "    command: ./bin/docker-entrypoint-api.sh",
  "    depends_on:",
  "      - tasks-db",
  "      - tasks-redis",
  "  createbuckets:",
  "    <<: *app-env",
  "    image: minio/mc",
  "    entrypoint: >",
  '      /bin/sh -c " /usr/bin/mc config host add tasks-minio http://tasks-minio:9000 \\$AWS_ACCESS_KEY_ID \\$AWS_SECRET_ACCESS_KEY; exit 0; "',
  "  tasks-db:",
  "    <<: *app-env",
  "    image: postgres:15.7-alpine",
  "    command: postgres -c 'max_connections=1000'",
  "  proxy:",
  "    <<: *app-env",
  "    image: ${DOCKERHUB_USER:-tasksapp}/tasks-proxy:${APP_RELEASE:-stable}",
  "    ports:",
  "      - ${NGINX_PORT}:80",
);

test("Plane shape: an x-app-env mapping merged into every service, nested defaults from the interpolation env, list env keeps quotes", async () => {
  const files = await read({ "deploy/docker-compose.yml": PLANE_SHAPED, "apiserver/Dockerfile.api": "FROM python:3.12\n" });
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [["deploy/docker-compose.yml", "default"]],
  );
  const [file] = files;
  assert.deepEqual(
    file?.services.map((s) => s.name),
    ["web", "api", "createbuckets", "tasks-db", "proxy"],
  );
  const expected = {
    NGINX_PORT: "80",
    WEB_URL: "http://localhost",
    DEBUG: "0",
    SENTRY_DSN: '""',
    // The inner ${POSTGRES_USER} comes from the interpolation environment, not the sibling item.
    DATABASE_URL: "postgresql://:@/",
    POSTGRES_USER: "tasks",
    REDIS_URL: "redis://:6379/",
    EMAIL_FROM: '"Team Tasks <team@tasks.example>"',
  };
  for (const s of file?.services ?? []) assert.deepEqual(s.environment, expected, s.name);
  assert.equal(service(file, "web").image, "tasksapp/tasks-frontend:stable");
  assert.deepEqual(service(file, "api").build, { context: "apiserver", dockerfile: "apiserver/Dockerfile.api", target: null });
  assert.equal(service(file, "api").image, null);
  assert.deepEqual(service(file, "proxy").ports, [80]);
  // Backslash is no escape: Compose still interpolates the variables behind it.
  assert.deepEqual(service(file, "createbuckets").entrypoint, {
    form: "shell",
    text: '/bin/sh -c " /usr/bin/mc config host add tasks-minio http://tasks-minio:9000 \\ \\; exit 0; "\n',
  });
  assert.deepEqual([...(file?.unresolved ?? [])].sort(), [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "NGINX_PORT",
    "PGDATABASE",
    "PGHOST",
    "POSTGRES_PASSWORD",
    "POSTGRES_USER",
    "REDIS_HOST",
  ]);
  assert.deepEqual(file?.problems, []);
});

test("interpolation: -, :-, +, :+, ?, :? against set, empty and unset variables; nesting; $$; lone $; keys untouched", async () => {
  const [file] = await read({
    "compose.yaml": yaml(
      "services:",
      "  app:",
      "    image: app",
      "    environment:",
      "      UNSET_DASH: ${UNSET-fallback}",
      "      EMPTY_DASH: ${EMPTY-fallback}",
      "      EMPTY_COLON_DASH: ${EMPTY:-fallback}",
      "      SET_COLON_DASH: ${SET:-fallback}",
      "      SET_PLUS: ${SET:+alt}",
      "      EMPTY_PLUS: ${EMPTY+alt}",
      "      EMPTY_COLON_PLUS: ${EMPTY:+alt}",
      "      UNSET_PLUS: ${UNSET+alt}",
      "      NESTED: ${UNSET:-${ALSO_UNSET:-deep}}",
      "      NESTED_SET: ${UNSET:-${SET}-x}",
      "      DOUBLE_DOLLAR: $$SET and $${SET}",
      "      BARE: $SET/$SET_2",
      '      LONE: "cost: 5$ and $ 1 and $-"',
      "      BACKSLASH: \\$SET",
      "      REQUIRED: ${NEEDED:?set NEEDED in .env}",
      "      EMPTY_REQUIRED: ${EMPTY:?}",
      "      EMPTY_QMARK: ${EMPTY?msg}",
      "      BROKEN: ${not valid}",
      "      $KEY: kept",
    ),
    ".env": yaml("SET=value", "EMPTY="),
  });
  assert.deepEqual(service(file, "app").environment, {
    UNSET_DASH: "fallback",
    EMPTY_DASH: "",
    EMPTY_COLON_DASH: "fallback",
    SET_COLON_DASH: "value",
    SET_PLUS: "alt",
    EMPTY_PLUS: "alt",
    EMPTY_COLON_PLUS: "",
    UNSET_PLUS: "",
    NESTED: "deep",
    NESTED_SET: "value-x",
    DOUBLE_DOLLAR: "$SET and ${SET}",
    BARE: "value/",
    LONE: "cost: 5$ and $ 1 and $-",
    BACKSLASH: "\\value",
    REQUIRED: "",
    EMPTY_REQUIRED: "",
    EMPTY_QMARK: "",
    BROKEN: "${not valid}",
    $KEY: "kept",
  });
  assert.deepEqual(file?.unresolved, ["SET_2", "NEEDED", "EMPTY"]);
  assert.deepEqual(file?.problems, ['compose.yaml: "${not valid}" is not a valid variable reference and docker compose refuses the file; write $$ for a literal $']);
});

test("ports: short forms, long form and expose give container ports, deduplicated; ranges left out", async () => {
  const [file] = await read({
    "compose.yml": yaml(
      "services:",
      "  web:",
      "    image: web",
      "    ports:",
      '      - "8000:8000"',
      '      - "0.0.0.0:80:80"',
      '      - "8080"',
      "      - 8080",
      '      - "5432/tcp"',
      '      - "127.0.0.1:5433:5432"',
      '      - "[::1]:6379:6379/tcp"',
      '      - "9000-9001:9000-9001"',
      "      - target: 8081",
      '        published: "${WEB_PORT:-8080}"',
      "        protocol: tcp",
      "        mode: host",
      "    expose:",
      '      - "5432"',
      "      - 3000",
    ),
  });
  assert.deepEqual(service(file, "web").ports, [8000, 80, 8080, 5432, 6379, 8081, 3000]);
});

test("command, entrypoint and healthcheck forms: exec lists, CMD shell-quoted, CMD-SHELL, NONE and disable", async () => {
  const [file] = await read({
    "compose.yml": yaml(
      "services:",
      "  a:",
      "    image: a",
      "    command: gunicorn app.wsgi --bind 0.0.0.0:8000",
      '    entrypoint: ["/entrypoint", "--wait", 30]',
      "    healthcheck:",
      `      test: ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]`,
      "  b:",
      "    image: b",
      "    healthcheck:",
      '      test: ["CMD-SHELL", "wget -qO- http://localhost/ready || exit 1"]',
      "  c:",
      "    image: c",
      "    healthcheck:",
      '      test: ["NONE"]',
      "  d:",
      "    image: d",
      "    healthcheck:",
      "      test: curl -f http://localhost:9000/",
      "      disable: true",
      "  e:",
      "    image: e",
      "    healthcheck:",
      "      interval: 5s",
    ),
  });
  const a = service(file, "a");
  assert.deepEqual(a.command, { form: "shell", text: "gunicorn app.wsgi --bind 0.0.0.0:8000" });
  assert.deepEqual(a.entrypoint, { form: "exec", argv: ["/entrypoint", "--wait", "30"] });
  assert.deepEqual(a.healthcheck, {
    command: `python -c 'import urllib.request; urllib.request.urlopen('"'"'http://127.0.0.1:8000/healthz'"'"')'`,
    path: "/healthz",
    port: 8000,
  });
  assert.deepEqual(service(file, "b").healthcheck, { command: "wget -qO- http://localhost/ready || exit 1", path: "/ready", port: null });
  assert.equal(service(file, "c").healthcheck, null);
  assert.equal(service(file, "d").healthcheck, null);
  assert.equal(service(file, "e").healthcheck, null);
});

test("services with profiles are left out, and so are the variables only they use", async () => {
  const [file] = await read({
    "compose.yaml": yaml(
      "services:",
      "  django:",
      "    build: .",
      "  mysql:",
      "    profiles: [mysql-redis, mysql-rabbitmq]",
      "    image: mysql:${MYSQL_VERSION}",
      "  postgres:",
      "    profiles: []",
      "    image: postgres:${PG_VERSION:?pin it}",
    ),
  });
  assert.deepEqual(
    file?.services.map((s) => s.name),
    ["django", "postgres"],
  );
  assert.deepEqual(service(file, "django").build, { context: ".", dockerfile: "Dockerfile", target: null });
  assert.equal(service(file, "postgres").image, "postgres:");
  assert.deepEqual(file?.unresolved, ["PG_VERSION"]);
});

const BASE = yaml(
  "services:",
  "  web:",
  "    build: .",
  "    command: gunicorn app.wsgi",
  "    environment:",
  "      - DEBUG=0",
  "      - SECRET_KEY=${SECRET_KEY:-dev}",
  "    ports:",
  '      - "8000:8000"',
  "    depends_on:",
  "      - db",
  "    healthcheck:",
  '      test: ["CMD", "curl", "-f", "http://localhost:8000/health/"]',
  "      interval: 10s",
  "  db:",
  "    image: postgres:16",
);
const OVERRIDE = yaml(
  "services:",
  "  web:",
  "    build:",
  "      dockerfile: Dockerfile.dev",
  '    command: ["python", "manage.py", "runserver", "0.0.0.0:8000"]',
  "    environment:",
  "      DEBUG: 1",
  "    ports:",
  '      - "5678:5678"',
  "    depends_on:",
  "      cache:",
  "        condition: service_started",
  "    healthcheck:",
  "      interval: 5s",
  "  cache:",
  "    image: redis:${REDIS_TAG}",
);

test("the override file beside a default file is merged service by service", async () => {
  const files = await read({ "docker-compose.yml": BASE, "docker-compose.override.yml": OVERRIDE, "docker-compose.override.yaml": "services: {}\n" });
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [["docker-compose.yml", "default"]],
  );
  const [file] = files;
  const web = service(file, "web");
  assert.deepEqual(web.build, { context: ".", dockerfile: "Dockerfile.dev", target: null });
  assert.deepEqual(web.command, { form: "exec", argv: ["python", "manage.py", "runserver", "0.0.0.0:8000"] });
  assert.deepEqual(web.environment, { DEBUG: "1", SECRET_KEY: "dev" });
  assert.deepEqual(web.ports, [8000, 5678]);
  assert.deepEqual(web.dependsOn, ["db", "cache"]);
  assert.deepEqual(web.healthcheck, { command: "curl -f http://localhost:8000/health/", path: "/health/", port: 8000 });
  assert.deepEqual(web.from, { file: "docker-compose.yml", line: 2 });
  assert.deepEqual(
    file?.services.map((s) => s.name),
    ["web", "db", "cache"],
  );
  assert.deepEqual(service(file, "cache").from, { file: "docker-compose.override.yml", line: lineOf(OVERRIDE, "  cache:") });
  assert.deepEqual(file?.unresolved, ["REDIS_TAG"]);
});

test("an override file alone is a development file; a named file gets no override", async () => {
  const files = await read({ "compose.override.yaml": OVERRIDE, "docker-compose.prod.yml": BASE });
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [
      ["compose.override.yaml", "development"],
      ["docker-compose.prod.yml", "production"],
    ],
  );
  assert.deepEqual(service(files[1], "web").ports, [8000]);
  assert.equal(service(files[0], "web").build?.dockerfile, "Dockerfile.dev");
});

test("file names: compose.<name>.yaml and docker-compose-<name>.yml forms, bare names only with services:, the first default file only", async () => {
  const minimal = yaml("services:", "  web:", "    image: web");
  const files = await read({
    "compose.yaml": minimal,
    "docker-compose.yml": minimal,
    "compose.prod.yaml": minimal,
    "docker-compose.ci.yml": minimal,
    "docker-compose-dev.yml": minimal,
    "docker-compose.docs.yml": minimal,
    "docker-compose.test.yaml": minimal,
    "local.yml": minimal,
    "test.yml": minimal,
    "production.yml": yaml("- hosts: web", "  roles: [app]"),
    "staging.yml": minimal,
    "docker/compose.yaml": minimal,
  });
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [
      ["compose.prod.yaml", "production"],
      ["compose.yaml", "default"],
      ["docker-compose-dev.yml", "development"],
      ["docker-compose.ci.yml", "test"],
      ["docker-compose.test.yaml", "test"],
      ["local.yml", "development"],
      ["test.yml", "test"],
    ],
  );
});

test("a file that is not valid YAML has no services and a problem naming it and the line", async () => {
  const broken = yaml("services:", "  django:", "    image: app", "    ports: [", "  redis:", "    image: redis:7");
  const files = await read({ "docker-compose.production.yml": broken, "docker-compose.local.yml": yaml("services:", "  web:", "    image: *missing") });
  const production = files.find((f) => f.role === "production");
  assert.deepEqual(production?.services, []);
  assert.equal(production?.problems.length, 1);
  assert.match(production?.problems[0] ?? "", /^docker-compose\.production\.yml: not valid YAML at line 5 \(.+\); fix it so docker compose can read the file$/);
  const local = files.find((f) => f.role === "development");
  assert.deepEqual(local?.services, []);
  assert.match(local?.problems[0] ?? "", /^docker-compose\.local\.yml: not valid YAML \(.*missing.*\); fix it/);
});

const YAML_PIECES = [
  "services:",
  "  web:",
  "  web: &web",
  "  worker:",
  "    <<: *web",
  "x-env: &env",
  "  <<: *env",
  "    image: ${IMAGE:-app}:${TAG}",
  "    build: ..",
  "    build: {context: ../.., dockerfile: /abs}",
  "    ports: [8000, '80:80', {target: x}]",
  "    ports:",
  "      - ${PORT}:80",
  "    environment:",
  "      - A=$$B",
  "      A: ${B:?}",
  "    env_file: [.env, {path: x.env, required: false}, y.env, 3]",
  "    depends_on: {db: {condition: service_healthy}}",
  "    healthcheck: {test: [CMD]}",
  "    healthcheck: {test: 5}",
  "    command: [1, null, {a: b}]",
  "    profiles: [p]",
  "---",
  "  - x",
  ": :",
  "'",
  '"',
  "{",
  "}",
  "${",
  "\t",
  "services: []",
  "services: ~",
  "null",
];
const composeText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(fc.oneof(fc.constantFrom(...YAML_PIECES), fc.string({ maxLength: 10 })), { maxLength: 25 }).map((lines) => lines.join("\n")),
);

test("property: reading never throws, whatever docker-compose.yml and its override hold", async () => {
  await fc.assert(
    fc.asyncProperty(composeText, composeText, async (main, override) => {
      const files = await read({ "docker-compose.yml": main, "docker-compose.override.yml": override, "y.env": "A=1\n" });
      assert.equal(files.length, 1);
      for (const s of files[0]?.services ?? []) assert.ok(s.ports.every((p) => Number.isInteger(p) && p > 0 && p < 65536));
    }),
    { numRuns: 300 },
  );
});

/** Strings rich in what interpolation reads: $, braces, operators, names. */
const interpolationText = fc.string({
  unit: fc.oneof(fc.constantFrom("$", "{", "}", ":", "-", "+", "?", "A", "_", "1", "\\", '"', "'", " "), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })),
  maxLength: 60,
});

test("property: interpolation never throws, names only variables, and `$$` escaping gives the text back", async () => {
  await fc.assert(
    fc.asyncProperty(interpolationText, async (text) => {
      const compose = (image: string) => read({ "compose.yaml": `services:\n  app:\n    image: ${JSON.stringify(image)}\n` });
      const [file] = await compose(text);
      assert.ok(file?.unresolved.every((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)));
      const [escaped] = await compose(text.replaceAll("$", () => "$$"));
      assert.equal(service(escaped, "app").image, text);
      assert.deepEqual(escaped?.unresolved, []);
      assert.deepEqual(escaped?.problems, []);
    }),
    { numRuns: 300 },
  );
});
