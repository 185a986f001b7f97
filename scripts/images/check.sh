#!/usr/bin/env bash
# Smoke test of the images build.sh provides: each stand-in does what the plans rely on,
# including reaching PyPI and npm through the host's proxy.
#
#   scripts/images/check.sh        # one line per check; exits non-zero on the first failure

# shellcheck disable=SC2016 # the $(...) in single quotes run inside the containers.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run_id="predeploy-image-check-$$"
network="$run_id"
db_container="$run_id-db"
cache_container="$run_id-cache"

"$here/../docker/up.sh" >/dev/null

cleanup() {
  docker rm -fv "$db_container" "$cache_container" >/dev/null 2>&1 || true
  docker network rm "$network" >/dev/null 2>&1 || true
}
trap cleanup EXIT

pass() { printf 'ok    %s\n' "$1"; }
fail() {
  printf 'FAIL  %s\n' "$1" >&2
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 20 | sed 's/^/      /' >&2
  exit 1
}

# expect_output NAME EXPECTED_REGEX IMAGE COMMAND...: the command succeeds and its output matches.
expect_output() {
  local name="$1" pattern="$2" image="$3" output
  shift 3
  if ! output="$(docker run --rm "$image" "$@" 2>&1)"; then
    fail "$name" "$output"
  fi
  grep -Eq "$pattern" <<<"$output" || fail "$name: expected /$pattern/" "$output"
  pass "$name"
}

expect_output 'python:3.13-slim runs Python 3.13 as python and python3' \
  '^Python 3\.13\.[0-9]+ Python 3\.13\.[0-9]+$' python:3.13-slim \
  sh -c 'echo $(python --version) $(python3 --version)'
expect_output 'python:3.13-slim: pip install uv==0.9.30, globally and into a venv' \
  '^uv 0\.9\.30.*/usr/local/bin/uv uv 0\.9\.30' python:3.13-slim \
  sh -c 'pip install -q uv==0.9.30 && python -m venv /tmp/venv && /tmp/venv/bin/pip install -q uv==0.9.30 \
    && echo $(uv --version) $(command -v uv) $(/tmp/venv/bin/uv --version)'
expect_output 'python:3.13-slim: Python.h, libpython in /usr/local owned by no package, pip alone in site-packages' \
  '^README\.txt pip pip-[0-9.]+\.dist-info $' python:3.13-slim \
  sh -c 'test -f /usr/local/include/python3.13/Python.h && test -f /usr/local/lib/libpython3.13.so.1.0 \
    && ! dpkg -S /usr/local/lib/libpython3.13.so.1.0 >/dev/null 2>&1 \
    && ls /usr/local/lib/python3.13/site-packages | tr "\n" " "'

expect_output 'node:22-slim runs Node 22 with npm, npx and corepack' \
  '^v22\.[0-9]+\.[0-9]+ 10\.[0-9.]+ 10\.[0-9.]+ 0\.[0-9.]+$' node:22-slim \
  sh -c 'echo $(node --version) $(npm --version) $(npx --version) $(corepack --version)'
expect_output 'node:22-slim: npm view zod version reaches the registry' \
  '^[0-9]+\.[0-9]+\.[0-9]+$' node:22-slim npm view zod version

docker network create "$network" >/dev/null
docker run -d --name "$db_container" --network "$network" --network-alias db \
  -e POSTGRES_USER=u -e POSTGRES_PASSWORD=p -e POSTGRES_DB=d postgres:17 >/dev/null

# psql from a second container on the same network, by the alias, with the given credentials.
psql_from_peer() { # URL SQL
  docker run --rm --network "$network" postgres:17 psql "$1" -tAc "$2" 2>&1
}

started=$SECONDS
until answer="$(psql_from_peer postgres://u:p@db:5432/d 'select current_user || current_database()')"; do
  if [ $((SECONDS - started)) -ge 30 ]; then
    fail 'postgres:17 accepts psql postgres://u:p@db:5432/d from another container within 30s' \
      "$answer"$'\n'"$(docker logs "$db_container" 2>&1)"
  fi
  sleep 1
done
[ "$answer" = ud ] || fail 'postgres:17 connects as user u to database d' "$answer"
pass "postgres:17 accepts psql postgres://u:p@db:5432/d from another container (after $((SECONDS - started))s)"

if answer="$(psql_from_peer postgres://u:wrong@db:5432/d 'select 1')"; then
  fail 'postgres:17 rejects a wrong password' "$answer"
fi
grep -q 'password authentication failed' <<<"$answer" || fail 'postgres:17 rejects a wrong password' "$answer"
pass 'postgres:17 rejects a wrong password'

docker run -d --name "$cache_container" --network "$network" --network-alias cache redis:7 >/dev/null
started=$SECONDS
until answer="$(docker run --rm --network "$network" redis:7 redis-cli -h cache ping 2>&1)" && [ "$answer" = PONG ]; do
  if [ $((SECONDS - started)) -ge 30 ]; then
    fail 'redis:7 answers redis-cli -h cache ping from another container within 30s' \
      "$answer"$'\n'"$(docker logs "$cache_container" 2>&1)"
  fi
  sleep 1
done
pass "redis:7 answers PING from another container (after $((SECONDS - started))s)"
