import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { DeclaredCommand } from "../../src/project/declared.js";
import { listenPort } from "../../src/project/start-port.js";

const exec = (...argv: string[]): DeclaredCommand => ({ form: "exec", argv });
const shell = (text: string): DeclaredCommand => ({ form: "shell", text });
const noFiles = () => null;
const files = (map: Record<string, string>) => (path: string) => map[path] ?? null;
const heard = (command: DeclaredCommand, env: Record<string, string> = {}, readFile: (path: string) => string | null = noFiles) => listenPort(command, env, readFile);

test("gunicorn: --bind host:port, -b :port, --bind=…:$PORT, and no bind at all (it binds $PORT itself)", () => {
  assert.deepEqual(heard(exec("gunicorn", "config.wsgi", "--bind", "0.0.0.0:5000")), { port: 5000, usesPortEnv: false, evidence: "gunicorn --bind 0.0.0.0:5000", server: "gunicorn" });
  assert.deepEqual(heard(shell("/usr/local/bin/gunicorn -b :8080 shop.wsgi")), { port: 8080, usesPortEnv: false, evidence: "gunicorn -b :8080", server: "gunicorn" });
  assert.deepEqual(heard(shell("gunicorn --bind=0.0.0.0:$PORT --workers 2 shop.wsgi"), { PORT: "8000" }), { port: null, usesPortEnv: true, evidence: "gunicorn --bind 0.0.0.0:$PORT", server: "gunicorn" });
  assert.deepEqual(heard(shell("gunicorn config.asgi:application -k uvicorn_worker.UvicornWorker")), { port: null, usesPortEnv: true, evidence: "gunicorn without --bind (binds 0.0.0.0:$PORT)", server: "gunicorn" });
  assert.deepEqual(heard(shell("PORT=9000 gunicorn shop.wsgi")), { port: 9000, usesPortEnv: false, evidence: "gunicorn without --bind, PORT=9000", server: "gunicorn" }, "a PORT the command line sets is no longer the platform's");
  assert.equal(heard(exec("gunicorn", "--bind", "unix:/run/g.sock", "--bind", "[::]:8001", "shop.wsgi")).port, 8001, "unix sockets are skipped");
  assert.deepEqual(heard(exec("gunicorn", "--bind", "unix:/run/g.sock", "shop.wsgi")), { port: null, usesPortEnv: false, evidence: "gunicorn --bind unix:/run/g.sock", server: "gunicorn" });
  assert.equal(heard(exec("gunicorn", "shop.wsgi"), { GUNICORN_CMD_ARGS: "--bind=0.0.0.0:7000 --workers=3" }).port, 7000);
  const config = heard(exec("gunicorn", "-c", "/etc/gunicorn.py", "shop.wsgi"), {}, files({ "/etc/gunicorn.py": 'import os\nbind = "0.0.0.0:" + os.environ.get("PORT", "8005")\nworkers = 2\n' }));
  assert.deepEqual(config, { port: 8005, usesPortEnv: true, evidence: '/etc/gunicorn.py: bind = "0.0.0.0:" + os.environ.get("PORT", "8005")', server: "gunicorn" });
});

test("daphne, uvicorn, hypercorn and granian: their flags and their default port", () => {
  assert.deepEqual(heard(shell("daphne -b 0.0.0.0 -p 80 shop.asgi:application")), { port: 80, usesPortEnv: false, evidence: "daphne -p 80", server: "daphne" });
  assert.deepEqual(heard(exec("daphne", "-e", "tcp:port=8001:interface=0.0.0.0", "shop.asgi:application")), { port: 8001, usesPortEnv: false, evidence: "daphne -e tcp:port=8001:interface=0.0.0.0", server: "daphne" });
  assert.deepEqual(heard(exec("daphne", "-u", "/tmp/daphne.sock", "shop.asgi:application")).port, null);
  assert.deepEqual(heard(shell("exec uvicorn config.asgi:application --host 0.0.0.0 --reload")), { port: 8000, usesPortEnv: false, evidence: "uvicorn (default port 8000)", server: "uvicorn" });
  assert.deepEqual(heard(shell("uvicorn shop.asgi:app --host 0.0.0.0 --port ${PORT:-10000}")), { port: 10000, usesPortEnv: true, evidence: "uvicorn --port ${PORT:-10000}", server: "uvicorn" });
  assert.equal(heard(exec("uvicorn", "shop.asgi:app"), { UVICORN_PORT: "8100" }).port, 8100);
  assert.equal(heard(exec("python", "-m", "uvicorn", "shop.asgi:app", "--port=8200")).port, 8200);
  assert.equal(heard(exec("hypercorn", "--bind", "0.0.0.0:8300", "shop.asgi:application")).port, 8300);
  assert.deepEqual(heard(exec("granian", "--interface", "asgi", "--port", "8400", "shop.asgi:application")), { port: 8400, usesPortEnv: false, evidence: "granian --port 8400", server: "granian" });
});

test("uwsgi: --http-socket=:$PORT, an ini file with $(PORT) or a fixed port, UWSGI_HTTP behind newrelic-admin, --socket is not HTTP", () => {
  assert.deepEqual(heard(shell("uwsgi --http-socket=:$PORT --master --workers=2 --wsgi-file=shop/wsgi.py")), { port: null, usesPortEnv: true, evidence: "uwsgi --http-socket :$PORT", server: "uwsgi" });
  const ini = "[uwsgi]\n# where it listens\nhttp-socket=:$(PORT)\nmaster=true\nwsgi-file=shop/wsgi.py\n";
  assert.deepEqual(heard(exec("uwsgi", "/code/etc/uwsgi.ini"), { PORT: "8000" }, files({ "/code/etc/uwsgi.ini": ini })), {
    port: null,
    usesPortEnv: true,
    evidence: "/code/etc/uwsgi.ini: http-socket=:$(PORT)",
    server: "uwsgi",
  });
  const fixed = "[uwsgi]\nport = 8010\nhttp_socket = :%(port)\n[other]\nhttp = :9999\n";
  assert.equal(heard(exec("uwsgi", "--ini", "etc/app.ini"), {}, files({ "etc/app.ini": fixed })).port, 8010, "%(key) from the same section");
  assert.deepEqual(heard(exec("newrelic-admin", "run-program", "uwsgi", "--single-interpreter", "--enable-threads"), { UWSGI_HTTP: ":8000", UWSGI_MASTER: "1" }), {
    port: 8000,
    usesPortEnv: false,
    evidence: "UWSGI_HTTP=:8000",
    server: "uwsgi",
  });
  assert.deepEqual(heard(exec("uwsgi", "--socket", ":8000", "--module", "shop.wsgi")), { port: null, usesPortEnv: false, evidence: null, server: "uwsgi" });
});

test("shells, wrappers and scripts: sh -c chains, tini/dumb-init/env/exec, an entrypoint that execs its arguments, /start read from the image", () => {
  assert.deepEqual(heard(exec("sh", "-c", "python manage.py migrate && daphne -b 0.0.0.0 -p 8000 shop.asgi:application")), { port: 8000, usesPortEnv: false, evidence: "daphne -p 8000", server: "daphne" });
  assert.equal(heard(exec("/usr/bin/tini", "--", "gunicorn", "-b", "0.0.0.0:8081", "x.wsgi")).port, 8081);
  assert.equal(heard(exec("dumb-init", "--rewrite", "15:2", "env", "A=b", "uvicorn", "x:app", "--port", "8082")).port, 8082);
  assert.equal(heard(exec("uv", "run", "--no-sync", "gunicorn", "--bind", ":8083", "x.wsgi")).port, 8083);
  const start = ["#!/bin/bash", "set -o errexit", "set -o nounset", "", "python /app/manage.py collectstatic --noinput", "", "exec gunicorn config.wsgi --bind 0.0.0.0:5000 --chdir=/app"].join("\n");
  const entrypoint = ["#!/bin/bash", "set -o errexit", 'if [ -z "${POSTGRES_USER}" ]; then', "    export POSTGRES_USER=postgres", "fi", 'wait-for-it "${POSTGRES_HOST}:${POSTGRES_PORT}" -t 30', ">&2 echo 'PostgreSQL is available'", 'exec "$@"'].join("\n");
  const image = files({ "/start": start, "/entrypoint": entrypoint });
  const expected = { port: 5000, usesPortEnv: false, evidence: "gunicorn --bind 0.0.0.0:5000", server: "gunicorn" };
  assert.deepEqual(heard(shell("/start"), {}, image), expected);
  assert.deepEqual(heard(exec("/entrypoint", "/start"), {}, image), expected);
  assert.deepEqual(heard(exec("/unreadable-entrypoint.sh", "/start"), {}, image), expected, "an entrypoint that is not found is taken to exec its arguments");
  assert.deepEqual(heard(exec("bash", "/start"), {}, image), expected);
  const defaulted = "#!/bin/sh\nPORT=${PORT:-10000}\necho starting on $PORT\nexec gunicorn --bind 0.0.0.0:$PORT app.wsgi:application\n";
  assert.deepEqual(heard(shell("./start.sh"), {}, files({ "./start.sh": defaulted })), { port: 10000, usesPortEnv: true, evidence: "gunicorn --bind 0.0.0.0:$PORT", server: "gunicorn" });
  const either = '#!/bin/sh\nif [ "$DEBUG" = "1" ]; then\n  exec python manage.py runserver 0.0.0.0:8000\nelse\n  exec gunicorn shop.wsgi -b 0.0.0.0:8088\nfi\n';
  assert.equal(heard(shell("/run.sh"), {}, files({ "/run.sh": either })).port, 8088, "the production server over runserver");
  const heredoc = "#!/bin/sh\npython << END\nimport gunicorn\nEND\nexec uvicorn app:app --port 8090 2>&1\n";
  assert.equal(heard(shell("/run.sh"), {}, files({ "/run.sh": heredoc })).port, 8090, "a heredoc body is not a command");
  const loop = files({ "/a.sh": "exec /b.sh", "/b.sh": "exec /a.sh" });
  assert.deepEqual(heard(shell("/a.sh"), {}, loop), { port: null, usesPortEnv: false, evidence: null, server: null });
});

test("runserver and runserver_plus; a command that starts no server says nothing", () => {
  assert.deepEqual(heard(exec("python", "manage.py", "runserver", "0.0.0.0:8000")), { port: 8000, usesPortEnv: false, evidence: "manage.py runserver 0.0.0.0:8000", server: "runserver" });
  assert.deepEqual(heard(shell("exec python manage.py runserver_plus 0.0.0.0:8001")), { port: 8001, usesPortEnv: false, evidence: "manage.py runserver_plus 0.0.0.0:8001", server: "runserver" });
  assert.deepEqual(heard(exec("./manage.py", "runserver", "--noreload")), { port: 8000, usesPortEnv: false, evidence: "manage.py runserver (default port 8000)", server: "runserver" });
  assert.equal(heard(shell("python manage.py runserver 9001")).port, 9001);
  const nothing = { port: null, usesPortEnv: false, evidence: null, server: null };
  assert.deepEqual(heard(shell("celery -A shop worker -l info")), nothing);
  assert.deepEqual(heard(exec("python", "manage.py", "migrate")), nothing);
  assert.deepEqual(heard(exec()), nothing);
});

test("any command text: listenPort never throws and gives a port in range", () => {
  const word = fc.oneof(
    fc.constantFrom("gunicorn", "uwsgi", "daphne", "uvicorn", "-b", "--bind", "--port", "-p", "-e", "tcp:port=", ":$PORT", "${PORT:-", "&&", "sh", "-c", "exec", '"$@"', "/start", "manage.py", "runserver", "--http-socket", "x.ini", "tini", "--", "'", '"', "$(", "<<"),
    fc.string({ maxLength: 12 }),
  );
  const scripts = (path: string) => (path.length % 2 === 0 ? `exec ${path} gunicorn -b :${path.length}\n[uwsgi]\nhttp=:$(PORT)` : null);
  fc.assert(
    fc.property(fc.array(word, { maxLength: 12 }), fc.boolean(), fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 10 })), (words, asShell, env) => {
      const found = listenPort(asShell ? shell(words.join(" ")) : exec(...words), env, scripts);
      assert.ok(found.port === null || (Number.isInteger(found.port) && found.port >= 1 && found.port <= 65535));
    }),
    { numRuns: 500 },
  );
});
