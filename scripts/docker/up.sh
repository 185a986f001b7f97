#!/usr/bin/env bash
# Start a Docker daemon for the container harness, idempotently.
#
#   scripts/docker/up.sh        # prints one status line; dockerd logs go to $PREDEPLOY_DOCKERD_LOG
#
# Installs docker.io and debootstrap (Debian packages) when missing, starts dockerd in the
# background when `docker info` does not answer, and waits (bounded) until it does.
#
# How containers reach the package registries on these machines (checked on the host):
# - There is no HTTP(S)_PROXY in the environment and no proxy in apt/npm/pip config. The host's
#   resolver (/etc/resolv.conf, a non-loopback address) answers registry names with the address of
#   a transparent proxy that intercepts HTTP and HTTPS; HTTPS is re-signed by a CA that is only in
#   the host's /etc/ssl/certs/ca-certificates.crt.
# - So containers need nothing but ordinary NAT on Docker's bridge: Docker copies the host's
#   resolv.conf into containers on the default bridge, and the embedded DNS (127.0.0.11) of
#   user-defined networks forwards to the same resolver. No proxy env, no --network host.
# - They must trust that CA: the images built by scripts/images/build.sh carry the host bundle.
# - The uplink MTU is 1400 while Docker's networks use 1500; path MTU discovery copes (a 22 MB
#   wheel from PyPI downloads fine on a default user-defined network), so no --mtu is needed.
set -euo pipefail

log_file="${PREDEPLOY_DOCKERD_LOG:-/var/log/predeploy-dockerd.log}"
wait_seconds="${PREDEPLOY_DOCKERD_WAIT:-60}"

mkdir -p "$(dirname "$log_file")"

say() { printf 'docker/up: %s\n' "$*"; }
log() { printf '%s up.sh: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$log_file"; }

install_missing_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing ${missing[*]} (log: $log_file)"
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >>"$log_file" 2>&1
  apt-get install -y --no-install-recommends "${missing[@]}" >>"$log_file" 2>&1
}

daemon_answers() { docker info >/dev/null 2>&1; }

start_daemon() {
  log 'starting dockerd'
  # setsid + nohup: the daemon outlives this script and the shell that ran it.
  setsid nohup dockerd >>"$log_file" 2>&1 </dev/null &
}

install_missing_packages

if ! daemon_answers; then
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    start_daemon
  fi
  deadline=$((SECONDS + wait_seconds))
  until daemon_answers; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "dockerd did not answer within ${wait_seconds}s; last log lines ($log_file):" >&2
      tail -n 20 "$log_file" >&2
      exit 1
    fi
    sleep 1
  done
fi

# The docker client on PATH may be newer than Debian's daemon; it negotiates the API version down.
# `docker version` fails outright when it cannot, so this line is the check.
if ! versions="$(docker version --format '{{.Client.Version}} {{.Server.Version}} {{.Server.APIVersion}}' 2>&1)"; then
  say "the docker client ($(command -v docker)) cannot talk to the daemon: $versions" >&2
  exit 1
fi
read -r client_version server_version api_version <<<"$versions"
say "ready: client $client_version, daemon $server_version, API $api_version"
