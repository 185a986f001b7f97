import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { debianPackagesFor } from "../../src/project/apk-packages.js";
import { dockerfileFacts } from "../../src/project/dockerfile-facts.js";

const facts = (lines: string[], target?: string) => dockerfileFacts(lines.join("\n"), "Dockerfile", target);

test("a cookiecutter-style production Dockerfile: build and run stages, commented apt lists, start scripts copied to /start and /entrypoint, no CMD", () => {
  const found = facts([
    "ARG PYTHON_VERSION=3.12-slim-bookworm",
    "FROM docker.io/python:${PYTHON_VERSION} AS wheels",
    "RUN apt-get update && apt-get install --no-install-recommends -y \\",
    "  # a compiler for the wheels that have no binary",
    "  build-essential \\",
    "  # headers psycopg builds against",
    "  libpq-dev",
    "COPY ./requirements /requirements",
    "RUN pip wheel --wheel-dir /wheels -r /requirements/production.txt",
    "",
    "FROM docker.io/python:${PYTHON_VERSION} AS runtime",
    "ARG APP_DIR=/srv/app",
    "ENV PYTHONUNBUFFERED 1",
    "WORKDIR ${APP_DIR}",
    "RUN apt-get update && apt-get install --no-install-recommends -y \\",
    "  # the client library at run time",
    "  libpq-dev \\",
    "  # compilemessages",
    "  gettext \\",
    "  # the entrypoint waits for the database with it",
    "  wait-for-it \\",
    "  && apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false \\",
    "  && rm -rf /var/lib/apt/lists/*",
    "COPY --from=wheels /wheels /wheels/",
    "COPY --chown=web:web ./deploy/web/entrypoint /entrypoint",
    "COPY --chown=web:web --chmod=755 ./deploy/web/start /start",
    "COPY --chown=web:web . ${APP_DIR}",
    'RUN DATABASE_URL="postgres://build" python manage.py compilemessages',
    'ENTRYPOINT ["/entrypoint"]',
  ]);
  assert.ok(found);
  assert.equal(found.stage, "runtime");
  assert.deepEqual(found.exposes, []);
  assert.equal(found.healthcheck, null);
  assert.deepEqual(found.aptPackages, ["build-essential", "libpq-dev", "gettext", "wait-for-it"], "both stages, flags and purge left out");
  assert.deepEqual(found.apkPackages, []);
  assert.deepEqual(found.copies, [
    { source: "deploy/web/entrypoint", destination: "/entrypoint" },
    { source: "deploy/web/start", destination: "/start" },
    { source: ".", destination: "/srv/app" },
  ]);
  assert.deepEqual(found.env, { PYTHONUNBUFFERED: "1" });
});

test("a bakerydemo-style Dockerfile: RUN_DEPS and BUILD_DEPS defined inline over several quoted lines, ENV PORT, EXPOSE", () => {
  const found = facts([
    "FROM python:3.12-slim",
    "ARG NIGHTLY=0",
    "RUN set -ex \\",
    '    && RUN_DEPS=" \\',
    "        libexpat1 \\",
    "        libjpeg62-turbo \\",
    "        libpq5 \\",
    "        postgresql-client \\",
    '    " \\',
    "    && seq 1 8 | xargs -I{} mkdir -p /usr/share/man/man{} \\",
    "    && apt-get update && apt-get install -y --no-install-recommends $RUN_DEPS \\",
    "    && rm -rf /var/lib/apt/lists/*",
    "ADD requirements/ /requirements/",
    "ENV VIRTUAL_ENV=/venv PATH=/venv/bin:$PATH",
    "RUN set -ex \\",
    '    && BUILD_DEPS=" \\',
    "        build-essential \\",
    "        libjpeg62-turbo-dev \\",
    "        libpq-dev \\",
    '    " \\',
    "    && apt-get update && apt-get install -y --no-install-recommends $BUILD_DEPS \\",
    "    && python -m venv ${VIRTUAL_ENV} \\",
    "    && pip install --no-cache-dir -r /requirements/production.txt \\",
    "    && apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false $BUILD_DEPS",
    "WORKDIR /code/",
    "COPY . .",
    "ENV PORT=8000",
    "EXPOSE 8000",
    "ENV DJANGO_SETTINGS_MODULE=shop.settings.production DJANGO_DEBUG=off",
    'ENTRYPOINT ["/code/docker-entrypoint.sh"]',
    'CMD ["uwsgi", "/code/etc/uwsgi.ini"]',
  ]);
  assert.ok(found);
  assert.deepEqual(found.aptPackages, ["libexpat1", "libjpeg62-turbo", "libpq5", "postgresql-client", "build-essential", "libjpeg62-turbo-dev", "libpq-dev"]);
  assert.deepEqual(found.exposes, [{ value: 8000, from: { file: "Dockerfile", line: 28 } }]);
  assert.equal(found.env.PORT, "8000");
  assert.equal(found.env.PATH, "/venv/bin:$PATH", "ENV as written");
  assert.deepEqual(found.copies, [
    { source: "requirements", destination: "/requirements" },
    { source: ".", destination: "/code" },
  ]);
});

const trafficStopsLike = [
  "FROM python:3.11-slim-bookworm as base",
  "ARG APP_USER=appuser",
  "RUN set -ex \\",
  '    && RUN_DEPS=" \\',
  "    libpcre3 \\",
  "    postgresql-client \\",
  '    " \\',
  "    && apt-get update && apt-get install -y --no-install-recommends $RUN_DEPS",
  "FROM base AS deploy",
  "WORKDIR /code",
  "COPY --chown=appuser:appuser . /code/",
  "EXPOSE 8000/tcp",
  "ENV UWSGI_WSGI_FILE=stops/wsgi.py",
  "ENV UWSGI_HTTP=:8000 UWSGI_MASTER=1 UWSGI_LAZY_APPS=1",
  'ENTRYPOINT ["/code/docker-entrypoint.sh"]',
  'CMD ["newrelic-admin", "run-program", "uwsgi", "--single-interpreter", "--enable-threads"]',
  "FROM base AS dev",
  'SHELL ["/bin/bash", "-c"]',
  "RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y --no-install-recommends vim",
  "EXPOSE 9000",
  'CMD ["python", "/code/manage.py", "runserver", "0.0.0.0:9000"]',
];

test("a Traffic-Stops-style Dockerfile: the deployed stage is the target (deploy), not the last one (dev)", () => {
  const deploy = facts(trafficStopsLike, "deploy");
  assert.ok(deploy);
  assert.equal(deploy.stage, "deploy");
  assert.deepEqual(deploy.exposes.map((e) => e.value), [8000], "the dev stage's EXPOSE is not the deployed stage's");
  assert.equal(deploy.env.UWSGI_HTTP, ":8000");
  assert.equal(deploy.env.UWSGI_WSGI_FILE, "stops/wsgi.py");
  assert.deepEqual(deploy.copies, [{ source: ".", destination: "/code" }]);
  assert.deepEqual(deploy.aptPackages, ["libpcre3", "postgresql-client", "vim"], "every stage's installs");
  const last = facts(trafficStopsLike);
  assert.equal(last?.stage, "dev");
  assert.deepEqual(last?.exposes.map((e) => e.value), [9000]);
  assert.equal(last?.env.UWSGI_HTTP, undefined);
  assert.equal(facts(trafficStopsLike, "Deploy")?.stage, "deploy", "stage names are case-insensitive");
  assert.equal(facts(trafficStopsLike, "production"), null);
  assert.equal(dockerfileFacts("# no FROM at all\nRUN true\n", "Dockerfile"), null);
});

test("package lists in ENV and ARG, single-quoted lowercase variables, pins, flags with values", () => {
  const envAndArg = facts([
    "FROM python:3.12-slim",
    'ENV RUN_DEPS="postgresql-client"',
    'ARG BUILD_DEPS="build-essential libpq-dev"',
    "ARG EXTRA_DEPS",
    "RUN set -ex && apt-get update && apt-get install -y $RUN_DEPS ${BUILD_DEPS} $EXTRA_DEPS \\",
    "    && pip install -r requirements.txt && apt-get purge -y --auto-remove $BUILD_DEPS",
  ]);
  assert.deepEqual(envAndArg?.aptPackages, ["postgresql-client", "build-essential", "libpq-dev"], "an ARG without a value adds nothing");
  const lowercase = facts([
    "FROM debian:bookworm-slim",
    "RUN build_deps='gcc libc6-dev make' \\",
    " && apt -yq update && apt -y install --no-install-recommends $build_deps libxml2-dev=2.9.* \\",
    ' && apt-get -o Dpkg::Options::="--force-confold" install -y curl/bookworm-backports \\',
    " && DEBIAN_FRONTEND=noninteractive apt-get -t bookworm-backports install -y libpq-dev \\",
    " && apt -y --auto-remove purge $build_deps",
  ]);
  assert.deepEqual(lowercase?.aptPackages, ["gcc", "libc6-dev", "make", "libxml2-dev", "curl", "libpq-dev"]);
  const undefinedHere = facts(["FROM base", "RUN apt-get install -y $FROM_ELSEWHERE $(cat packages.txt) ./local.deb"]);
  assert.deepEqual(undefinedHere?.aptPackages, [], "unknown variables, command substitutions and .deb files are not packages");
});

test("a global ARG before FROM counts where the stage declares it again, as Docker requires", () => {
  const found = facts([
    'ARG SYSTEM_DEPS="libpq5 gettext"',
    "ARG UNDECLARED=libmagic1",
    "FROM python:3.12-slim AS build",
    "ARG SYSTEM_DEPS",
    "RUN apt-get update && apt-get install -y $SYSTEM_DEPS $UNDECLARED",
    "FROM build",
    "RUN apt-get install -y $SYSTEM_DEPS tini",
  ]);
  assert.deepEqual(found?.aptPackages, ["libpq5", "gettext", "tini"], "ARGs do not cross FROM; a global one is empty where not declared");
});

test("an Alpine Dockerfile: apk add with --virtual and -t names left out, versions cut, EXPOSE $PORT from a legacy ENV", () => {
  const found = facts([
    "FROM python:3.12-alpine",
    "RUN apk add --no-cache --virtual .build-deps gcc libmagic postgresql-dev musl-dev \\",
    "    && pip install -r requirements.txt \\",
    "    && apk del .build-deps",
    "RUN apk --no-cache add -t .runtime libpq jpeg-dev=9e-r0 && apk update",
    'ENV AO="--no-cache --virtual .more"',
    "RUN apk add $AO zlib-dev",
    "ENV PORT 8000",
    "EXPOSE ${PORT}/tcp $UNSET 53/udp",
    "CMD gunicorn --bind 0.0.0.0:$PORT api.wsgi",
  ]);
  assert.ok(found);
  assert.deepEqual(found.apkPackages, ["gcc", "libmagic", "postgresql-dev", "musl-dev", "libpq", "jpeg-dev", "zlib-dev"]);
  assert.deepEqual(found.aptPackages, []);
  assert.deepEqual(found.exposes.map((e) => e.value), [8000], "$UNSET and a UDP port are left out");
  assert.deepEqual(debianPackagesFor(found.apkPackages), { debian: ["gcc", "libmagic1", "libpq-dev", "build-essential", "libpq5", "libjpeg-dev", "zlib1g-dev"], unknown: [] });
});

test("Alpine to Debian: the toolchain as build-essential, Alpine's own Python dropped, versioned PostgreSQL, unknown names kept apart", () => {
  assert.deepEqual(debianPackagesFor(["build-base", "musl-dev", "linux-headers", "py3-cffi", "python3-dev", "postgresql16-dev", "postgresql15-client", "libxslt1-dev", "openssl-dev", "git", "libxslt1-dev"]), {
    debian: ["build-essential", "libpq-dev", "postgresql-client", "libssl-dev", "git"],
    unknown: ["libxslt1-dev"],
  });
  assert.deepEqual(debianPackagesFor([]), { debian: [], unknown: [] });
});

test("HEALTHCHECK: exec form quoted, shell form as is, NONE, inherited through FROM, a script with no URL", () => {
  const exec = facts([
    "FROM python:3.12-slim AS app",
    `HEALTHCHECK --interval=30s --timeout=10s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health/')"]`,
  ]);
  assert.equal(exec?.healthcheck?.value.path, "/health/");
  assert.equal(exec?.healthcheck?.value.port, 8000);
  assert.match(exec?.healthcheck?.value.command ?? "", /^python -c 'import urllib\.request; /);
  assert.deepEqual(exec?.healthcheck?.from, { file: "Dockerfile", line: 2 });
  const shell = facts(["FROM python:3.12-slim", "HEALTHCHECK --interval=5m --timeout=3s \\", "  CMD curl -f http://localhost:8000/ || exit 1"]);
  assert.deepEqual(shell?.healthcheck, { value: { command: "curl -f http://localhost:8000/ || exit 1", path: "/", port: 8000 }, from: { file: "Dockerfile", line: 2 } });
  const base = ["FROM python:3.12-slim AS base", "HEALTHCHECK CMD curl -fs http://127.0.0.1:8080/healthz || exit 1"];
  assert.equal(facts([...base, "FROM base AS web"])?.healthcheck?.value.path, "/healthz", "inherited from the stage it is built FROM");
  assert.equal(facts([...base, "FROM base AS web", "HEALTHCHECK NONE"])?.healthcheck, null);
  assert.equal(facts([...base, "FROM python:3.12-slim AS other"])?.healthcheck, null, "not from a stage it does not build on");
  const script = facts(["FROM python:3.12-slim", "HEALTHCHECK --start-period=20s --start-interval=5s --retries=1 CMD ./fetchstatus.py"]);
  assert.deepEqual(script?.healthcheck?.value, { command: "./fetchstatus.py", path: null, port: null });
});

test("COPY and ADD: several sources into a directory, WORKDIR-relative destinations, JSON form; globs, URLs, archives, --from and other flags left out", () => {
  const found = facts([
    "FROM python:3.12-slim",
    "WORKDIR /srv",
    "COPY a.txt docker/b.sh /opt/bin/",
    "COPY start.sh run",
    "COPY requirements.txt .",
    'COPY ["docker/start", "/start"]',
    "WORKDIR app",
    "COPY ./manage.py ./",
    "COPY --chmod=755 scripts/*.sh /usr/local/bin/",
    "COPY --from=builder /venv /venv",
    "COPY --parents src/ /app/",
    "ADD https://example.com/tool.tgz /opt/",
    "ADD vendor.tar.gz /opt/vendor/",
    "ADD --link conf/ /etc/app/",
  ]);
  assert.deepEqual(found?.copies, [
    { source: "a.txt", destination: "/opt/bin/a.txt" },
    { source: "docker/b.sh", destination: "/opt/bin/b.sh" },
    { source: "start.sh", destination: "/srv/run" },
    { source: "requirements.txt", destination: "/srv/requirements.txt" },
    { source: "docker/start", destination: "/start" },
    { source: "manage.py", destination: "/srv/app/manage.py" },
    { source: "conf", destination: "/etc/app" },
  ]);
});

test("any text: the Dockerfile facts and the apk mapping never throw", () => {
  const line = fc.oneof(
    fc.constantFrom(
      "FROM python:3.12 AS a", "FROM a", "ARG X=\"a b\"", "ARG X", "ENV Y $X", "ENV", "EXPOSE $Y/tcp", "RUN apt-get install -y $X", "RUN apk add --virtual",
      "RUN X=\"$(a\" && apt-get -o", "HEALTHCHECK CMD [", "HEALTHCHECK NONE", "COPY", "COPY --from", "ADD a", "WORKDIR ..", "\\", "RUN <<EOF", "EOF", "RUN ${X:-${Y",
    ),
    fc.string({ maxLength: 80 }),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), (lines, target) => {
      const found = dockerfileFacts(lines.join("\n"), "Dockerfile", target);
      if (found !== null) {
        assert.ok(found.aptPackages.every((p) => /^[a-z0-9][a-z0-9+.-]+$/.test(p)));
        assert.ok(found.exposes.every((e) => Number.isInteger(e.value) && e.value > 0 && e.value < 65536));
        assert.ok(found.copies.every((c) => c.destination.startsWith("/")));
        debianPackagesFor(found.apkPackages);
      }
    }),
    { numRuns: 400 },
  );
  fc.assert(fc.property(fc.array(fc.string({ maxLength: 20 })), (names) => void debianPackagesFor(names)));
});
