#!/usr/bin/env bash
# Runs examples/agency's own tools on the host, one host stand-in per check id of predeploy's
# default plan, on a fresh copy of the example: every one must pass. With --faults, applies each
# fault of tests/faults-agency to another fresh copy, runs every stand-in again and checks that
# exactly the fault's failingChecks fail (a check whose prerequisite failed counts as skipped, as
# in the plan), and that the log of the finding's check names its file, line, rule and message.
#
#   scripts/example/agency-verify-host.sh [--faults] [--only SLUG] [--keep DIR]
#
# Needs Docker with the local images (scripts/images/build.sh) for Postgres and the backend image,
# Node 20+, and a Python 3.12+ for the project venv. Tools are cached in $PREDEPLOY_AGENCY_CACHE.
# The verify stand-ins differ from the containers in one place: the intake end-to-end check runs
# the worker's fetch handler under Node (not workerd) with the real Neon driver pointed at a small
# SQL-over-HTTP stand-in, so it proves the form → worker code → driver → Postgres path on the
# migrated schema, but not workerd itself (verify.worker-health.intake runs `wrangler dev` for that).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EXAMPLE="$ROOT/examples/agency"
FAULTS="$ROOT/tests/faults-agency"
CACHE="${PREDEPLOY_AGENCY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/predeploy-agency}"
UV_VERSION=0.9.30
SITES=(rosemary-bakery northside-plumbing bright-dental)

export WRANGLER_SEND_METRICS=false UV_PYTHON_DOWNLOADS=never PIP_DISABLE_PIP_VERSION_CHECK=1
export CI=true NPM_CONFIG_UPDATE_NOTIFIER=false
unset DATABASE_URL SECRET_KEY DJANGO_SETTINGS_MODULE PYTHONPATH

with_faults=false only="" keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --faults) with_faults=true ;;
    --only) only=$2; with_faults=true; shift ;;
    --keep) keep=$2; shift ;;
    *) echo "usage: $0 [--faults] [--only SLUG] [--keep DIR]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '%s\n' "$*" >&2; }

# Every check id of the default plan for this example, in plan order, and what each waits for.
CHECKS=(build.backend-image build.worker-bundle.intake)
for s in "${SITES[@]}"; do CHECKS+=("build.site.$s"); done
CHECKS+=(quality.ruff-check quality.ruff-format quality.mypy quality.tsc.intake
  test.pytest test.django-check test.migrations-check test.worker-tests.intake)
for s in "${SITES[@]}"; do CHECKS+=("test.site-tests.$s"); done
CHECKS+=(verify.migrations verify.backend-health verify.worker-health.intake verify.intake-e2e)
declare -A NEEDS=(
  [verify.migrations]="build.backend-image"
  [verify.backend-health]="verify.migrations"
  [verify.worker-health.intake]="build.worker-bundle.intake"
  [verify.intake-e2e]="verify.backend-health verify.worker-health.intake"
)

# The host tool name (fault.json hostTool) that stands in for a check id.
tool_for_check() {
  case "$1" in
    build.backend-image) echo image-build ;;
    build.worker-bundle.intake) echo worker-bundle ;;
    build.site.*) echo site-build ;;
    quality.ruff-check) echo ruff-check ;;
    quality.ruff-format) echo ruff-format ;;
    quality.mypy) echo mypy ;;
    quality.tsc.intake) echo tsc ;;
    test.pytest) echo pytest ;;
    test.django-check) echo django-check ;;
    test.migrations-check) echo makemigrations ;;
    test.worker-tests.intake) echo worker-test ;;
    test.site-tests.*) echo site-test ;;
    verify.migrations) echo image-migrate ;;
    verify.backend-health) echo image-serve ;;
    verify.worker-health.intake) echo worker-dev ;;
    verify.intake-e2e) echo intake-e2e ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Tools, cached by version and lockfile.

find_python() {
  local candidate root
  root=$(pyenv root 2>/dev/null || true)
  for candidate in python3.13 python3.12 ${root:+"$root"/versions/3.13*/bin/python3.13} \
    ${root:+"$root"/versions/3.12*/bin/python3.12} python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate" 2>/dev/null || printf '%s\n' "$candidate"
      return 0
    fi
  done
  log "agency-verify: no Python 3.12+ found (the example requires it)"
  return 1
}

setup_tools() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  local python uv_env key pnpm_version
  python=$(find_python)
  uv_env="$CACHE/uv-$UV_VERSION"
  if [ ! -x "$uv_env/bin/uv" ]; then
    log "installing uv $UV_VERSION into $uv_env"
    python3 -m venv "$uv_env"
    "$uv_env/bin/pip" install --quiet "uv==$UV_VERSION"
  fi
  UV="$uv_env/bin/uv"
  key=$( (cat "$EXAMPLE/pyproject.toml" "$EXAMPLE/uv.lock"; "$python" --version) | sha256sum | cut -c1-16)
  VENV="$CACHE/venv-$key"
  if [ ! -f "$VENV/.complete" ]; then
    log "creating $VENV (all extras and groups)"
    rm -rf "$VENV"
    (cd "$EXAMPLE" && UV_PROJECT_ENVIRONMENT="$VENV" "$UV" sync --quiet --frozen --all-extras \
      --all-groups --no-install-project --python "$python")
    touch "$VENV/.complete"
  fi
  pnpm_version=$(sed -n 's/.*"packageManager": *"pnpm@\([^"+]*\).*/\1/p' "$EXAMPLE/package.json")
  if [ ! -x "$CACHE/pnpm-$pnpm_version/node_modules/.bin/pnpm" ]; then
    log "installing pnpm $pnpm_version into $CACHE/pnpm-$pnpm_version"
    npm install --prefix "$CACHE/pnpm-$pnpm_version" --no-audit --no-fund --loglevel=error \
      "pnpm@$pnpm_version" >&2
  fi
  export PATH="$VENV/bin:$CACHE/pnpm-$pnpm_version/node_modules/.bin:$PATH"
  export npm_config_store_dir="$CACHE/pnpm-store"
  # Fills the store once; fresh copies then install offline.
  (cd "$EXAMPLE" && pnpm fetch --frozen-lockfile --reporter=silent >&2)
  flock -u 9
}

# ---------------------------------------------------------------------------------------------
# A throw-away Postgres (the local postgres:17 image) on a private network the backend image joins.

RUN_ID="agency-verify-$$"
NET="$RUN_ID"
PG="$RUN_ID-db"
PG_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
CONTAINERS=()
PROCESS_GROUPS=()

cleanup() {
  local pgid
  for pgid in "${PROCESS_GROUPS[@]}"; do kill -- "-$pgid" 2>/dev/null || true; done
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  docker network rm "$NET" >/dev/null 2>&1 || true
  docker image ls -q --filter "label=predeploy.agency-verify=$RUN_ID" | xargs -r docker image rm -f >/dev/null 2>&1 || true
  [ -n "$keep" ] || rm -rf "$WORK"
}

start_postgres() {
  docker image inspect postgres:17 python:3.13-slim >/dev/null 2>&1 || "$ROOT/scripts/images/build.sh" >&2
  docker network create "$NET" >/dev/null
  CONTAINERS+=("$PG")
  docker run -d --name "$PG" --network "$NET" --network-alias db -p 127.0.0.1::5432 \
    -e POSTGRES_USER=agency -e POSTGRES_PASSWORD="$PG_PASSWORD" -e POSTGRES_DB=agency postgres:17 >/dev/null
  local i
  for ((i = 0; i < 60; i++)); do
    docker exec "$PG" pg_isready -q -U agency -d agency 2>/dev/null && break
    sleep 0.5
  done
  PG_PORT=$(docker port "$PG" 5432/tcp | head -n1 | sed 's/.*://')
}

# create_db NAME: a fresh database; prints nothing.
create_db() {
  docker exec -e PGOPTIONS="-c client_min_messages=warning" "$PG" psql -q -U agency -d agency -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$1\"" >/dev/null
}

host_db_url() { echo "postgres://agency:$PG_PASSWORD@127.0.0.1:$PG_PORT/$1"; }
net_db_url() { echo "postgres://agency:$PG_PASSWORD@db:5432/$1"; }

# ---------------------------------------------------------------------------------------------
# Fresh copies and the stand-ins.

fresh_copy() {
  local dest=$1
  rm -rf "$dest"
  mkdir -p "$dest"
  (cd "$EXAMPLE" && tar --exclude=node_modules --exclude=dist --exclude=.astro --exclude=.wrangler \
    --exclude=__pycache__ --exclude=.mypy_cache --exclude=.pytest_cache --exclude=.ruff_cache \
    --exclude=staticfiles --exclude=.venv -cf - .) | tar -xf - -C "$dest"
}

pnpm_install() {
  (cd "$1" && pnpm install --frozen-lockfile --offline --reporter=silent)
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run_check DIR CASE CHECK_ID: output on stdout/stderr, exit code of the stand-in.
run_check() {
  local dir=$1 case=$2 id=$3 site
  export SECRET_KEY="host-verify-$case" DATABASE_URL
  DATABASE_URL=$(host_db_url "$case")
  case "$id" in
    quality.ruff-check) (cd "$dir" && ruff check .) ;;
    quality.ruff-format) (cd "$dir" && ruff format --check .) ;;
    quality.mypy) (cd "$dir" && mypy .) ;;
    test.pytest) (cd "$dir" && pytest -q -p no:cacheprovider) ;;
    test.django-check) (cd "$dir" && python apps/web/manage.py check) ;;
    test.migrations-check) (cd "$dir" && python apps/web/manage.py makemigrations --check --dry-run) ;;
    quality.tsc.intake) (cd "$dir/workers/intake" && pnpm exec tsc --noEmit --pretty false) ;;
    test.worker-tests.intake) (cd "$dir/workers/intake" && pnpm test) ;;
    build.worker-bundle.intake) (cd "$dir/workers/intake" && pnpm exec wrangler deploy --dry-run --outdir dist) ;;
    build.site.*) site=${id#build.site.}; (cd "$dir/sites/$site" && pnpm run build && [ -n "$(ls -A dist)" ]) ;;
    test.site-tests.*) site=${id#test.site-tests.}; (cd "$dir/sites/$site" && pnpm test) ;;
    build.backend-image) image_build "$dir" "$case" ;;
    verify.migrations) image_migrate "$case" ;;
    verify.backend-health) image_serve "$case" ;;
    verify.worker-health.intake) worker_dev "$dir" ;;
    verify.intake-e2e) intake_e2e "$dir" "$case" ;;
    *) log "no stand-in for $id"; return 2 ;;
  esac
}

image_tag() { echo "predeploy-agency-verify:$RUN_ID-$1"; }

# The Dockerfile builds (legacy builder, as the harness uses) and Django sets up in the image's
# own environment (its uv project venv).
image_build() {
  local dir=$1 case=$2
  (cd "$dir" && DOCKER_BUILDKIT=0 docker build -q --label "predeploy.agency-verify=$RUN_ID" \
    -f apps/web/Dockerfile -t "$(image_tag "$case")" .) || return 1
  docker run --rm -e SECRET_KEY=probe -e DATABASE_URL="$(net_db_url "$case")" "$(image_tag "$case")" \
    uv run --no-sync python -c 'import django; django.setup(); print("django.setup() ok")'
}

image_migrate() {
  local case=$1
  create_db "$case"
  docker run --rm --network "$NET" -e SECRET_KEY="host-verify-$case" \
    -e DATABASE_URL="$(net_db_url "$case")" "$(image_tag "$case")" \
    uv run --no-sync python manage.py migrate --noinput
}

# The image's own CMD serves; there is no /health route, so the admin login page must answer 200.
image_serve() {
  local case=$1 name="$RUN_ID-web-$1" i status=""
  CONTAINERS+=("$name")
  docker run -d --name "$name" --network "$NET" -p 127.0.0.1::8000 -e SECRET_KEY="host-verify-$case" \
    -e DATABASE_URL="$(net_db_url "$case")" -e ALLOWED_HOSTS=localhost,127.0.0.1 \
    "$(image_tag "$case")" >/dev/null
  local port
  port=$(docker port "$name" 8000/tcp | head -n1 | sed 's/.*://')
  for ((i = 0; i < 60; i++)); do
    if [ "$(docker inspect -f '{{.State.Running}}' "$name")" != true ]; then
      echo "backend container exited:"; docker logs "$name" 2>&1 | tail -n 20
      return 1
    fi
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/admin/login/" || true)
    [ "$status" = 000 ] || break
    sleep 0.5
  done
  docker logs "$name" 2>&1 | tail -n 5
  echo "GET /admin/login/ answered $status"
  [ "$status" = 200 ]
}

# `wrangler dev --local` starts the worker in workerd; any answer below 500 from / proves it runs
# (the worker has no /health route: / is a 404).
worker_dev() {
  local dir=$1 port inspector status="" i rc=1
  port=$(free_port)
  inspector=$(free_port)
  (cd "$dir/workers/intake" && exec setsid pnpm exec wrangler dev --local --ip 127.0.0.1 --port "$port" \
    --inspector-port "$inspector" --show-interactive-dev-session=false) &
  local pgid=$!
  PROCESS_GROUPS+=("$pgid")
  for ((i = 0; i < 120; i++)); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    [ "$status" = 000 ] || break
    sleep 0.5
  done
  echo "GET / answered $status"
  [ "$status" != 000 ] && [ "$status" -lt 500 ] && rc=0
  kill -- "-$pgid" 2>/dev/null || true
  while kill -0 -- "-$pgid" 2>/dev/null; do sleep 0.2; done
  return "$rc"
}

# A form posted to the worker's fetch handler (its default export, with the NEON_DATABASE_URL
# binding) under Node; the real Neon driver sends its SQL over HTTP to neon-http.py, which runs it
# on the database the backend image migrated. Then the row is read back.
intake_e2e() {
  local dir=$1 case=$2 port pgid out id token rc=0
  port=$(free_port)
  setsid python "$WORK/neon-http.py" "$port" &
  pgid=$!
  PROCESS_GROUPS+=("$pgid")
  local i
  for ((i = 0; i < 60; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)" = 000 ] || break
    sleep 0.5
  done
  cp "$WORK/e2e-runner.ts" "$dir/workers/intake/e2e-runner.ts"
  token="e2e-$RANDOM$RANDOM"
  out=$(cd "$dir/workers/intake" && NEON_HTTP_ENDPOINT="http://127.0.0.1:$port/sql" \
    NEON_DATABASE_URL="$(host_db_url "$case")" E2E_TOKEN="$token" node --import tsx e2e-runner.ts) || rc=$?
  rm -f "$dir/workers/intake/e2e-runner.ts"
  kill -- "-$pgid" 2>/dev/null || true
  echo "$out"
  [ "$rc" = 0 ] || return 1
  id=$(printf '%s\n' "$out" | sed -n 's/^id=//p')
  if [ "$(docker exec "$PG" psql -tA -U agency -d "$case" -c \
    "SELECT count(*) FROM leads_submission WHERE id = $id AND site = 'rosemary-bakery' AND message LIKE '%$token'")" != 1 ]; then
    echo "e2e: the worker answered with id $id but no such row is stored"
    return 1
  fi
  echo "e2e: submission $id stored in leads_submission and read back"
}

write_helpers() {
  cat >"$WORK/neon-http.py" <<'PY'
"""Stand-in for Neon's SQL-over-HTTP endpoint: POST /sql {query, params} with the connection
string in the Neon-Connection-String header, answered the way the driver reads it (raw text
values, array mode); errors as 400 {message, code}."""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
from psycopg import pq


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        params = [None if p is None else str(p).encode() for p in body.get("params", [])]
        with psycopg.connect(self.headers["Neon-Connection-String"], autocommit=True) as conn:
            res = conn.pgconn.exec_params(body["query"].encode(), params)
            if res.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
                message = (res.error_field(pq.DiagnosticField.MESSAGE_PRIMARY) or b"").decode()
                code = (res.error_field(pq.DiagnosticField.SQLSTATE) or b"").decode()
                return self.answer(400, {"message": message, "code": code})
            fields = [{"name": res.fname(i).decode(), "dataTypeID": res.ftype(i)} for i in range(res.nfields)]
            rows = [
                [None if (v := res.get_value(r, c)) is None else v.decode() for c in range(res.nfields)]
                for r in range(res.ntuples)
            ]
            command = (res.command_status or b"").decode().split(" ")[0]
            self.answer(200, {"fields": fields, "rows": rows, "command": command, "rowCount": res.ntuples})

    def answer(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write("neon-http: " + format % args + "\n")


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
  cat >"$WORK/e2e-runner.ts" <<'TS'
import { neonConfig } from "@neondatabase/serverless";
import worker from "./src/index.ts";

neonConfig.fetchEndpoint = process.env.NEON_HTTP_ENDPOINT ?? "";
const form = new URLSearchParams({
  name: "Host E2E",
  email: "e2e@example.com",
  phone: "(512) 555-0100",
  message: `Intake check ${process.env.E2E_TOKEN}`,
  website: "",
});
const request = new Request("http://127.0.0.1/submit/rosemary-bakery", { method: "POST", body: form });
const env = { NEON_DATABASE_URL: process.env.NEON_DATABASE_URL, ALLOWED_ORIGINS: "" };
const response = await worker.fetch(request as never, env, {} as never);
const text = await response.text();
console.log(`e2e: worker answered ${response.status}: ${text}`);
const id = response.ok ? (JSON.parse(text) as { id?: unknown }).id : undefined;
if (typeof id !== "number") process.exit(1);
console.log(`id=${id}`);
TS
}

# ---------------------------------------------------------------------------------------------
# One case: every check in plan order; prints the failing and skipped check ids.

run_case() {
  local dir=$1 case=$2 id need started
  declare -gA STATUS=()
  FAILED=() SKIPPED=()
  create_db "$case"
  for id in "${CHECKS[@]}"; do
    for need in ${NEEDS[$id]:-}; do
      if [ "${STATUS[$need]}" != passed ]; then STATUS[$id]=skipped; fi
    done
    if [ "${STATUS[$id]:-}" = skipped ]; then
      SKIPPED+=("$id")
      continue
    fi
    started=$SECONDS
    if run_check "$dir" "$case" "$id" >"$WORK/$case.$id.log" 2>&1; then
      STATUS[$id]=passed
    else
      STATUS[$id]=failed
      FAILED+=("$id")
    fi
    DURATION[$case.$id]=$((SECONDS - started))
  done
}

fault_fields() {
  python3 - "$1" <<'PY'
import json, sys
fault = json.load(open(sys.argv[1]))
finding = fault["finding"]
for value in (fault["hostTool"], finding["check"], finding["file"], finding["line"], finding["rule"], finding["messageIncludes"]):
    print("" if value is None else value)
print(" ".join(sorted(fault["failingChecks"])))
PY
}

# The finding's file as the tool prints it: Node tools run in their package.
tool_relative() {
  local check=$1 file=$2
  case "$check" in
    quality.tsc.* | test.worker-tests.* | build.worker-bundle.*) printf '%s\n' "${file#workers/intake/}" ;;
    build.site.* | test.site-tests.*) printf '%s\n' "${file#sites/*/}" ;;
    *) printf '%s\n' "$file" ;;
  esac
}

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  WORK=$(cd "$keep" && pwd)
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/predeploy-agency-verify.XXXXXX")
fi
trap cleanup EXIT
trap 'exit 130' INT TERM
declare -A DURATION=()
failures=0
started_all=$SECONDS

setup_tools
start_postgres
write_helpers

if [ -z "$only" ]; then
  fresh_copy "$WORK/green"
  pnpm_install "$WORK/green"
  run_case "$WORK/green" green
  for id in "${CHECKS[@]}"; do
    if [ "${STATUS[$id]}" = passed ]; then
      echo "ok green: $id (${DURATION[green.$id]}s)"
    else
      echo "FAIL green: $id ${STATUS[$id]}; output:"
      tail -n 30 "$WORK/green.$id.log" | sed 's/^/    /'
      failures=$((failures + 1))
    fi
  done
fi

if $with_faults; then
  for fault_dir in "$FAULTS"/*/; do
    slug=$(basename "$fault_dir")
    [ -z "$only" ] || [ "$only" = "$slug" ] || continue
    mapfile -t fields < <(fault_fields "$fault_dir/fault.json")
    tool=${fields[0]} check=${fields[1]} file=${fields[2]} line=${fields[3]} rule=${fields[4]}
    message=${fields[5]} expected=${fields[6]}
    case_name=$(echo "$slug" | tr -c 'a-z0-9\n' '_')
    copy="$WORK/$slug"
    fresh_copy "$copy"
    if ! (cd "$copy" && sh "$fault_dir/apply.sh"); then
      echo "FAIL fault $slug: apply.sh failed"
      failures=$((failures + 1))
      continue
    fi
    pnpm_install "$copy" || true
    run_case "$copy" "$case_name"
    problems=()
    actual=$(printf '%s\n' "${FAILED[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
    [ "$actual" = "$expected" ] || problems+=("failing checks are [$actual], fault.json lists [$expected]")
    [ "$(tool_for_check "$check")" = "$tool" ] || problems+=("hostTool $tool does not stand in for $check")
    out="$WORK/$case_name.$check.log"
    if [ -n "$file" ]; then
      location=$(tool_relative "$check" "$file")
      if [ -n "$line" ]; then
        if [ "$tool" = tsc ]; then location="$location($line,"; else location="$location:$line"; fi
      fi
      grep -qF -- "$location" "$out" 2>/dev/null || problems+=("no '$location' in the $check output")
    fi
    [ -z "$rule" ] || grep -qF -- "$rule" "$out" 2>/dev/null || problems+=("no rule '$rule' in the $check output")
    [ -z "$message" ] || grep -qF -- "$message" "$out" 2>/dev/null || problems+=("no '$message' in the $check output")
    if [ ${#problems[@]} -gt 0 ]; then
      echo "FAIL fault $slug: ${problems[*]}; $check output:"
      tail -n 30 "$out" 2>/dev/null | sed 's/^/    /'
      failures=$((failures + 1))
    else
      echo "ok fault $slug: failed [$actual]${SKIPPED[*]:+; skipped [${SKIPPED[*]}]}"
    fi
  done
fi

echo "agency-verify-host: $failures failure(s) in $((SECONDS - started_all))s"
[ "$failures" -eq 0 ]
