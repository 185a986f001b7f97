#!/usr/bin/env bash
# Entrypoint of the postgres:17 stand-in, following the official image's contract:
# - POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (default
#   postgres), POSTGRES_DB (default: the user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD
#   (default scram-sha-256) take effect on first start, when PGDATA holds no cluster yet;
# - *.sh and *.sql files in /docker-entrypoint-initdb.d run once, after the database exists;
# - the server listens on 0.0.0.0:5432 with password auth for remote hosts.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

if [ "$1" != 'postgres' ]; then
  exec "$@"
fi

if [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA"
  chown -R postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
auth_method="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

psql_as_owner() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" "$@"
}

initialise() {
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth_method" != 'trust' ]; then
    echo 'postgres entrypoint: POSTGRES_PASSWORD is empty; set it (or POSTGRES_HOST_AUTH_METHOD=trust)' >&2
    exit 1
  fi

  # shellcheck disable=SC2206 # POSTGRES_INITDB_ARGS is a word list by contract.
  local initdb_args=(--username="$POSTGRES_USER" -D "$PGDATA" ${POSTGRES_INITDB_ARGS:-})
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    # The password reaches initdb through a pipe, never a file or the process list. The process
    # substitution must sit on the initdb command itself: it is closed when its command ends.
    initdb "${initdb_args[@]}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD")
  else
    initdb "${initdb_args[@]}"
  fi

  printf '\nhost all all all %s\n' "$auth_method" >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  # A socket-only server for the set-up steps, so no client can connect half-way through.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start

  if [ "$POSTGRES_DB" != 'postgres' ]; then
    psql_as_owner --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi

  local file
  # shellcheck disable=SC1090 # init scripts are the user's, sourced as upstream does.
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh) echo "postgres entrypoint: running $file"; . "$file" ;;
      *.sql) echo "postgres entrypoint: running $file"; psql_as_owner --dbname "$POSTGRES_DB" -f "$file" ;;
      *) ;;
    esac
  done

  pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'postgres entrypoint: initialisation complete'
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initialise
fi

exec "$@"
