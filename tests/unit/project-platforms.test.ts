import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { readPlatforms, type PlatformDeclaration } from "../../src/project/platforms.js";
import { readProcfile } from "../../src/project/procfile.js";
import { MemoryTree } from "../support/host-tree.js";

// Fixtures shaped like the platform files of public Django repositories (cookiecutter-django,
// wagtail/bakerydemo, fly.io and Render deployments), written for these tests.

async function onlyPlatform(files: Record<string, string>): Promise<PlatformDeclaration> {
  const { platforms, problems } = await readPlatforms(new MemoryTree(files));
  assert.deepEqual(problems, []);
  assert.equal(platforms.length, 1);
  return platforms[0] as PlatformDeclaration;
}

test("Procfile (cookiecutter shape): release, a web process without --bind, a worker behind a VAR=value prefix", async () => {
  const procfile = [
    "release: python manage.py migrate",
    "web: gunicorn ledger.wsgi:application",
    "worker: REMAP_SIGTERM=SIGQUIT celery -A ledger.celery_app worker --loglevel=info",
    "beat: REMAP_SIGTERM=SIGQUIT celery -A ledger.celery_app beat --loglevel=info",
    "",
  ].join("\n");
  assert.deepEqual(await readProcfile(new MemoryTree({ Procfile: procfile })), {
    release: { value: "python manage.py migrate", from: { file: "Procfile", line: 1 } },
    web: { value: "gunicorn ledger.wsgi:application", from: { file: "Procfile", line: 2 } },
    worker: { value: "REMAP_SIGTERM=SIGQUIT celery -A ledger.celery_app worker --loglevel=info", from: { file: "Procfile", line: 3 } },
    beat: { value: "REMAP_SIGTERM=SIGQUIT celery -A ledger.celery_app beat --loglevel=info", from: { file: "Procfile", line: 4 } },
  });
});

test("Procfile (bakerydemo shape): a piped release, uwsgi on $PORT as written; CRLF, comments, blank and colon-less lines skipped", async () => {
  const procfile = [
    "# processes for the platform",
    'release: yes "yes" | python manage.py migrate',
    "",
    "web: uwsgi --http-socket=:$PORT --master --workers=2 --wsgi-file=gallery/wsgi_production.py  --static-map /media/=/app/media/",
    "this line names no process",
    "",
  ].join("\r\n");
  assert.deepEqual(await readProcfile(new MemoryTree({ Procfile: procfile })), {
    release: { value: 'yes "yes" | python manage.py migrate', from: { file: "Procfile", line: 2 } },
    web: {
      value: "uwsgi --http-socket=:$PORT --master --workers=2 --wsgi-file=gallery/wsgi_production.py  --static-map /media/=/app/media/",
      from: { file: "Procfile", line: 4 },
    },
  });
});

test("no Procfile at the root: null, even with one further down", async () => {
  assert.equal(await readProcfile(new MemoryTree({ "docker/Procfile": "web: honcho start\n", "manage.py": "" })), null);
});

test("heroku.yml, object form: build.docker.web {dockerfile, target} built in the Dockerfile's directory, release only (no run: the image CMD)", async () => {
  const herokuYml = `build:
  docker:
    web:
      dockerfile: deploy/Dockerfile
      target: production
  config:
    NIGHTLY: 0

release:
  image: web
  command:
    - /venv/bin/python manage.py migrate --noinput
`;
  assert.deepEqual(await onlyPlatform({ "heroku.yml": herokuYml }), {
    platform: "heroku",
    file: "heroku.yml",
    build: { value: { context: "deploy", dockerfile: "deploy/Dockerfile", target: "production" }, from: { file: "heroku.yml", line: 3 } },
    image: null,
    start: null,
    release: { value: { form: "shell", text: "/venv/bin/python manage.py migrate --noinput" }, from: { file: "heroku.yml", line: 11 } },
    port: null,
    healthPath: null,
    env: {},
  });
});

test("heroku.yml, string form: run.web.command's first entry starts the web process; release commands joined with &&", async () => {
  const herokuYml = `build:
  docker:
    web: Dockerfile
release:
  image: web
  command:
    - python manage.py collectstatic --noinput
    - python manage.py migrate --noinput
run:
  web:
    image: web
    command:
      - gunicorn shop.wsgi:application --bind 0.0.0.0:$PORT
  celery-worker:
    image: web
    command:
      - celery -A shop.celeryconf worker --loglevel=INFO
`;
  const heroku = await onlyPlatform({ "heroku.yml": herokuYml });
  assert.deepEqual(heroku.build, { value: { context: ".", dockerfile: "Dockerfile", target: null }, from: { file: "heroku.yml", line: 3 } });
  assert.deepEqual(heroku.start, { value: { form: "shell", text: "gunicorn shop.wsgi:application --bind 0.0.0.0:$PORT" }, from: { file: "heroku.yml", line: 13 } });
  assert.deepEqual(heroku.release?.value, { form: "shell", text: "python manage.py collectstatic --noinput && python manage.py migrate --noinput" });
});

test("heroku.yml: run.web as a plain string", async () => {
  const heroku = await onlyPlatform({ "heroku.yml": "build:\n  docker:\n    web: ./docker/web.Dockerfile\nrun:\n  web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n" });
  assert.deepEqual(heroku.start, { value: { form: "shell", text: "gunicorn shop.wsgi --bind 0.0.0.0:$PORT" }, from: { file: "heroku.yml", line: 5 } });
  assert.deepEqual(heroku.build?.value, { context: "docker", dockerfile: "docker/web.Dockerfile", target: null });
});

const FLY_PRODUCTION = `app = 'events-backend-production'
primary_region = 'ewr'
console_command = '/code/manage.py shell'

[build]
  dockerfile = 'Dockerfile.fly'

[deploy]
  release_command = 'python manage.py migrate --noinput'

[env]
  PORT = '8000'

[processes]
  app = 'daphne -b 0.0.0.0 -p 8000 events.asgi:application'

[http_service]
  internal_port = 8000
  force_https = true
  auto_stop_machines = 'suspend'
  processes = ['app']

[[statics]]
  guest_path = '/code/static'
  url_prefix = '/static/'
`;

test("fly.production.toml: [processes] app, [http_service] internal_port, [deploy] release_command and [env], commands as argv (fly runs no shell)", async () => {
  assert.deepEqual(await onlyPlatform({ "fly.production.toml": FLY_PRODUCTION, "Dockerfile.fly": "FROM python:3.12-slim\n" }), {
    platform: "fly",
    file: "fly.production.toml",
    build: { value: { context: ".", dockerfile: "Dockerfile.fly", target: null }, from: { file: "fly.production.toml", line: 6 } },
    image: null,
    start: { value: { form: "exec", argv: ["daphne", "-b", "0.0.0.0", "-p", "8000", "events.asgi:application"] }, from: { file: "fly.production.toml", line: 15 } },
    release: { value: { form: "exec", argv: ["python", "manage.py", "migrate", "--noinput"] }, from: { file: "fly.production.toml", line: 9 } },
    port: { value: 8000, from: { file: "fly.production.toml", line: 18 } },
    healthPath: null,
    env: { PORT: "8000" },
  });
});

test("root fly configs: fly.production.toml, then fly.prod.toml, then fly.toml, then the others by name", async () => {
  const app = (name: string) => `app = '${name}'\n`;
  const { platforms } = await readPlatforms(
    new MemoryTree({ "fly.toml": app("a"), "fly.staging.toml": app("b"), "fly.production.toml": FLY_PRODUCTION, "fly.prod.toml": app("c"), "fly.review.toml": app("d"), "flyway.toml": app("x") }),
  );
  assert.deepEqual(
    platforms.map((p) => p.file),
    ["fly.production.toml", "fly.prod.toml", "fly.toml", "fly.review.toml", "fly.staging.toml"],
  );
});

test("legacy fly.toml: [[services]] internal_port (with _), build-target, [[services.http_checks]] path, a bash -c release command kept whole", async () => {
  const flyToml = `app = "tasting"

[processes]
  app = "daphne -b 0.0.0.0 -p 8000 tasting.asgi:application -v2"
  worker = "python manage.py qcluster"

[build]
  dockerfile = "deployment/fly/Dockerfile"
  build-target = "runtime"

[deploy]
  release_command = "bash -c \\"python manage.py migrate --noinput && python manage.py collectstatic --noinput\\""

[env]
  DJANGO_SETTINGS_MODULE = "tasting.settings.prod"
  WEB_CONCURRENCY = 2

[[services]]
  http_checks = []
  processes = ["app"]
  internal_port = 8_000
  protocol = "tcp"

[[services]]
  processes = ["app"]
  internal_port = 9_000
  [[services.tcp_checks]]
    grace_period = "1s"
  [[services.http_checks]]
    interval = 10000
    path = "/health/"
`;
  const fly = await onlyPlatform({ "fly.toml": flyToml });
  assert.deepEqual(fly.build, { value: { context: ".", dockerfile: "deployment/fly/Dockerfile", target: "runtime" }, from: { file: "fly.toml", line: 8 } });
  assert.deepEqual(fly.release?.value, { form: "exec", argv: ["bash", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput"] });
  assert.deepEqual(fly.start?.value, { form: "exec", argv: ["daphne", "-b", "0.0.0.0", "-p", "8000", "tasting.asgi:application", "-v2"] });
  assert.deepEqual(fly.port, { value: 8000, from: { file: "fly.toml", line: 21 } });
  assert.deepEqual(fly.healthPath, { value: "/health/", from: { file: "fly.toml", line: 31 } });
  assert.deepEqual(fly.env, { DJANGO_SETTINGS_MODULE: "tasting.settings.prod", WEB_CONCURRENCY: "2" });
});

test("fly.toml: [[http_service.checks]] path; the process [http_service] serves is the web one, whatever its name", async () => {
  const flyToml = `app = "notes"

[processes]
  app = "python manage.py qcluster"
  web = "gunicorn --bind :8080 --workers 2 notes.wsgi"

[http_service]
  internal_port = 8080
  processes = ["web"]

  [[http_service.checks]]
    grace_period = "10s"
    method = "get"
    path = "/healthz/"
`;
  const fly = await onlyPlatform({ "fly.toml": flyToml });
  assert.deepEqual(fly.start, { value: { form: "exec", argv: ["gunicorn", "--bind", ":8080", "--workers", "2", "notes.wsgi"] }, from: { file: "fly.toml", line: 5 } });
  assert.deepEqual(fly.healthPath, { value: "/healthz/", from: { file: "fly.toml", line: 14 } });
  assert.deepEqual(fly.port?.value, 8080);
});

test("fly.toml: a prebuilt [build] image, top-level [checks.<name>] path, no [processes] (the image's command)", async () => {
  const flyToml = `app = "notes"

[build]
  image = "ghcr.io/example/notes:2.4.1"

[checks.alive]
  type = "http"
  port = 8080
  path = "/alive"
`;
  const fly = await onlyPlatform({ "fly.toml": flyToml, Dockerfile: "FROM python:3.12\n" });
  assert.equal(fly.build, null);
  assert.deepEqual(fly.image, { value: "ghcr.io/example/notes:2.4.1", from: { file: "fly.toml", line: 4 } });
  assert.deepEqual(fly.healthPath, { value: "/alive", from: { file: "fly.toml", line: 9 } });
  assert.equal(fly.start, null);
  assert.equal(fly.port, null);
});

test("a fly.toml below the root: [build] dockerfile relative to its directory, the root as context; deeper than two levels and node_modules not searched", async () => {
  const flyToml = `app = 'bookmarks'

[build]
  dockerfile = 'Dockerfile'

[[mounts]]
  source = 'data'
  destination = '/var/data'

[http_service]
  internal_port = 8000
`;
  const { platforms, problems } = await readPlatforms(
    new MemoryTree({
      "docker/flyio/fly.toml": flyToml,
      "docker/flyio/Dockerfile": "FROM python:3.11-slim\nCOPY . .\n",
      "deploy/fly.toml": "[build]\n  dockerfile = '../Dockerfile.prod'\n",
      "a/b/c/fly.toml": "[build]\n  dockerfile = 'Dockerfile'\n",
      "node_modules/pkg/fly.toml": "[build]\n  dockerfile = 'Dockerfile'\n",
      "manage.py": "",
    }),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(
    platforms.map((p) => [p.file, p.build?.value.dockerfile, p.build?.value.context]),
    [
      ["deploy/fly.toml", "Dockerfile.prod", "."],
      ["docker/flyio/fly.toml", "docker/flyio/Dockerfile", "."],
    ],
  );
  assert.deepEqual(platforms[1]?.build?.from, { file: "docker/flyio/fly.toml", line: 4 });
});

test("fly.toml without [build]: the Dockerfile beside it, from the file as a whole", async () => {
  const fly = await onlyPlatform({ "fly.toml": "app = 'x'\n\n[http_service]\n  internal_port = 8000\n", Dockerfile: "FROM python:3.12\n" });
  assert.deepEqual(fly.build, { value: { context: ".", dockerfile: "Dockerfile", target: null }, from: { file: "fly.toml", line: null } });
  const none = await onlyPlatform({ "fly.toml": "app = 'x'\n" });
  assert.equal(none.build, null);
});

const RENDER_YAML = `databases:
  - name: ledger-db
    databaseName: ledger
    user: ledger

services:
  - type: redis
    name: ledger-cache
    ipAllowList: []
  - type: web
    name: ledger-docs
    runtime: static
    staticPublishPath: ./site
  - type: web
    name: ledger
    runtime: docker
    rootDir: backend
    dockerfilePath: ./docker/Dockerfile
    dockerContext: .
    dockerCommand: gunicorn ledger.wsgi:application --bind 0.0.0.0:$PORT
    preDeployCommand: python manage.py migrate --noinput
    healthCheckPath: /healthz/
    envVars:
      - key: DJANGO_SETTINGS_MODULE
        value: ledger.settings.production
      - key: WEB_CONCURRENCY
        value: 4
      - key: DATABASE_URL
        fromDatabase:
          name: ledger-db
          property: connectionString
      - key: SECRET_KEY
        generateValue: true
      - key: SENTRY_DSN
        sync: false
      - key: CELERY_BROKER_URL
        value: "$REDIS_URL"
      - fromGroup: shared-settings
  - type: worker
    name: ledger-worker
    runtime: docker
`;

test("render.yaml: the first web service that is no static site; Docker paths inside rootDir; literal envVars only", async () => {
  assert.deepEqual(await onlyPlatform({ "render.yaml": RENDER_YAML }), {
    platform: "render",
    file: "render.yaml",
    build: { value: { context: "backend", dockerfile: "backend/docker/Dockerfile", target: null }, from: { file: "render.yaml", line: 18 } },
    image: null,
    start: { value: { form: "shell", text: "gunicorn ledger.wsgi:application --bind 0.0.0.0:$PORT" }, from: { file: "render.yaml", line: 20 } },
    release: { value: { form: "shell", text: "python manage.py migrate --noinput" }, from: { file: "render.yaml", line: 21 } },
    port: null,
    healthPath: { value: "/healthz/", from: { file: "render.yaml", line: 22 } },
    // Render does not interpolate: the app receives "$REDIS_URL" itself.
    env: { DJANGO_SETTINGS_MODULE: "ledger.settings.production", WEB_CONCURRENCY: "4", CELERY_BROKER_URL: "$REDIS_URL" },
  });
});

test("render.yaml: a native runtime's startCommand (no build); runtime image's image.url; the legacy env: docker with default paths", async () => {
  const native = await onlyPlatform({ "render.yaml": "services:\n  - type: web\n    name: site\n    env: python\n    buildCommand: ./build.sh\n    startCommand: gunicorn site.wsgi:application\n" });
  assert.equal(native.build, null);
  assert.deepEqual(native.start, { value: { form: "shell", text: "gunicorn site.wsgi:application" }, from: { file: "render.yaml", line: 6 } });

  const image = await onlyPlatform({ "render.yaml": "services:\n  - type: web\n    name: api\n    runtime: image\n    image:\n      url: ghcr.io/example/api:v1.4.2\n" });
  assert.deepEqual(image.image, { value: "ghcr.io/example/api:v1.4.2", from: { file: "render.yaml", line: 5 } });
  assert.equal(image.build, null);

  const legacy = await onlyPlatform({ "render.yaml": "services:\n  - type: web\n    name: api\n    env: docker\n    dockerfilePath: ./python_service/Dockerfile\n" });
  assert.deepEqual(legacy.build?.value, { context: "python_service", dockerfile: "python_service/Dockerfile", target: null });
  const defaults = await onlyPlatform({ "render.yaml": "services:\n  - type: web\n    name: api\n    runtime: docker\n" });
  assert.deepEqual(defaults.build, { value: { context: ".", dockerfile: "Dockerfile", target: null }, from: { file: "render.yaml", line: 2 } });
});

test("render.yaml with no web service declares nothing", async () => {
  const { platforms, problems } = await readPlatforms(new MemoryTree({ "render.yaml": "services:\n  - type: worker\n    name: jobs\n    runtime: python\n" }));
  assert.deepEqual([platforms, problems], [[], []]);
});

test("invalid TOML and YAML: a problem naming the file, its line and the fix; the other files still read", async () => {
  const { platforms, problems } = await readPlatforms(
    new MemoryTree({
      "fly.toml": "app = 'x'\n[build\n  dockerfile = 'Dockerfile'\n",
      "render.yaml": "services:\n  - type: web\n    name: api\n   runtime: docker\n",
      "heroku.yml": "build:\n  docker:\n    web: Dockerfile\n",
    }),
  );
  assert.deepEqual(
    platforms.map((p) => p.platform),
    ["heroku"],
  );
  assert.equal(problems.length, 2);
  assert.match(problems[0] ?? "", /^fly\.toml: not valid TOML at line 2 \(.+\); fix it so fly deploy can read the file$/);
  assert.match(problems[1] ?? "", /^render\.yaml: not valid YAML at line 4 \(.+\); fix it so Render can read the file$/);
});

test("property: the Procfile and platform readers never throw on arbitrary text", async () => {
  const fragments = [
    ...FLY_PRODUCTION.split("\n"),
    ...RENDER_YAML.split("\n"),
    "web: gunicorn x.wsgi",
    "[[services.http_checks]]",
    "[checks.a]",
    "  path = 1",
    "internal_port = 70000",
    "run:\n  web:\n    command: 3",
    "release_command = 'a \"b'",
    "a: &x [1]\nb: *x\nc: *y",
    "__proto__: x",
  ];
  const line = fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: "binary", maxLength: 60 }));
  const text = fc.array(line, { maxLength: 25 }).map((lines) => lines.join("\n"));
  const files = fc.record({ Procfile: text, "heroku.yml": text, "fly.toml": text, "render.yaml": text, "deploy/fly.toml": text });
  await fc.assert(
    fc.asyncProperty(files, async (contents) => {
      const tree = new MemoryTree(contents);
      await readProcfile(tree);
      const { platforms, problems } = await readPlatforms(tree);
      assert.ok(platforms.length + problems.length <= 4);
    }),
    { numRuns: 300 },
  );
});
