#!/usr/bin/env bash
# Provide the images the default plans name — python:3.13-slim, node:22-slim, postgres:17, and
# redis:7 — preferring the registry's: each is first pulled (`docker pull`, bounded by
# $PREDEPLOY_IMAGE_PULL_TIMEOUT seconds, default 60); only when the pull fails (no registry
# answers: on these machines Docker Hub is unreachable and the pull fails within a second) is a
# local stand-in built from Debian. A registry image pulled earlier is kept when a later pull
# fails. PREDEPLOY_IMAGE_PULL=never skips the pulls and always uses the stand-ins.
#
#   scripts/images/build.sh            # prints one line per image: pulled / built / up to date, and the time
#
# Stand-ins: rootfs/make-rootfs.sh (debootstrap trixie, slimmed as debian:trixie-slim) → `docker
# import` as predeploy/trixie-rootfs:<hash> → base/Dockerfile (apt sources, host CA trust) as
# predeploy/trixie-base:<hash> → one Dockerfile per image. Each image carries the hash of its recipe
# (its folder, its parent's hash, and for the base the host CA bundle) in the label
# predeploy.recipe-hash and is rebuilt only when that hash changes.
# The rootfs tarball is cached in $PREDEPLOY_IMAGE_CACHE so changing one recipe never re-bootstraps.
# Build logs go to $PREDEPLOY_IMAGE_CACHE/logs/; on failure the tail is printed.
# From scratch on 2 cores the stand-ins take 4-6 minutes, most of it compiling CPython (python/).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${PREDEPLOY_IMAGE_CACHE:-/var/cache/predeploy/images}"
host_ca_bundle=/etc/ssl/certs/ca-certificates.crt
hash_label=predeploy.recipe-hash
pull_timeout="${PREDEPLOY_IMAGE_PULL_TIMEOUT:-60}"
pull_policy="${PREDEPLOY_IMAGE_PULL:-always}"

mkdir -p "$cache/logs"
# One build at a time per machine: test suites may call this concurrently, and they share the
# cache directory and the tags.
exec 9>"$cache/build.lock"
flock 9
"$here/../docker/up.sh" >/dev/null

# hash_recipe PARENT_HASH FILE_OR_DIR...: a short hash of the parent's hash and every file's path
# and content, so editing, adding or renaming a recipe file changes it.
hash_recipe() {
  local parent="$1" path
  shift
  {
    printf '%s\n' "$parent"
    for path in "$@"; do
      if [ -d "$path" ]; then
        (cd "$path" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
      else
        sha256sum <"$path"
      fi
    done
  } | sha256sum | cut -c1-16
}

image_label() {
  docker image inspect --format "{{ index .Config.Labels \"$hash_label\" }}" "$1" 2>/dev/null || true
}

image_id() {
  docker image inspect --format '{{ .Id }}' "$1" 2>/dev/null || true
}

# Whether the local image came from a registry (it has a repository digest).
from_registry() {
  [ -n "$(docker image inspect --format '{{ join .RepoDigests " " }}' "$1" 2>/dev/null)" ]
}

report() { # NAME STATE STARTED_AT
  printf '%-28s %-11s %4ss\n' "$1" "$2" "$((SECONDS - $3))"
}

fail() { # MESSAGE LOG
  printf 'images/build: %s; last lines of %s:\n' "$1" "$2" >&2
  tail -n 40 "$2" >&2
  exit 1
}

# Untag-and-delete what a rebuild replaced; an image still used as a parent stays.
drop_image() {
  local previous_id="$1" tag="$2"
  [ -n "$previous_id" ] && [ "$previous_id" != "$(image_id "$tag")" ] || return 0
  docker image rm "$previous_id" >/dev/null 2>&1 || true
}

# Remove other tags of a hash-tagged repository (older recipes).
drop_stale_tags() { # REPOSITORY CURRENT_TAG
  local tag
  for tag in $(docker image ls --format '{{.Repository}}:{{.Tag}}' "$1"); do
    [ "$tag" = "$2" ] || docker image rm "$tag" >/dev/null 2>&1 || true
  done
}

build_rootfs() { # HASH → tags predeploy/trixie-rootfs:HASH
  local tag="predeploy/trixie-rootfs:$1" tarball="$cache/trixie-rootfs-$1.tar" log="$cache/logs/rootfs.log"
  local started=$SECONDS state=imported
  if [ -n "$(image_id "$tag")" ]; then
    report "$tag" 'up to date' "$started"
    return
  fi
  if [ ! -s "$tarball" ]; then
    state=built
    "$here/rootfs/make-rootfs.sh" "$tarball" >"$log" 2>&1 || fail 'debootstrap failed' "$log"
    find "$cache" -maxdepth 1 -name 'trixie-rootfs-*.tar' ! -name "${tarball##*/}" -delete
  fi
  docker import --change "LABEL $hash_label=$1" --change 'CMD ["bash"]' "$tarball" "$tag" >>"$log" 2>&1 \
    || fail 'docker import failed' "$log"
  drop_stale_tags predeploy/trixie-rootfs "$tag"
  report "$tag" "$state" "$started"
}

build_image() { # TAG RECIPE_DIR HASH BUILD_ARG...
  local tag="$1" recipe="$2" hash="$3" name started=$SECONDS
  shift 3
  name="$(basename "$recipe")"
  if [ "$(image_label "$tag")" = "$hash" ]; then
    report "$tag" 'up to date' "$started"
    return
  fi
  local log="$cache/logs/$name.log" context previous_id
  previous_id="$(image_id "$tag")"
  context="$(mktemp -d "${TMPDIR:-/tmp}/predeploy-image-$name.XXXXXX")"
  cp -a "$recipe/." "$context/"
  [ "$name" != base ] || cp "$host_ca_bundle" "$context/host-ca-bundle.crt"
  # No buildx plugin here: the classic builder (deprecated, still supported) is what works.
  if ! DOCKER_BUILDKIT=0 docker build --label "$hash_label=$hash" "$@" -t "$tag" "$context" >"$log" 2>&1; then
    rm -rf "$context"
    fail "building $tag failed" "$log"
  fi
  rm -rf "$context"
  drop_image "$previous_id" "$tag"
  report "$tag" built "$started"
}

rootfs_hash="$(hash_recipe '' "$here/rootfs")"
base_hash="$(hash_recipe "$rootfs_hash" "$here/base" "$host_ca_bundle")"
base_tag="predeploy/trixie-base:$base_hash"
base_ready=

# The rootfs and the base, once, and only when a stand-in is needed.
ensure_base() {
  [ -z "$base_ready" ] || return 0
  build_rootfs "$rootfs_hash"
  build_image "$base_tag" "$here/base" "$base_hash" --build-arg "ROOTFS_IMAGE=predeploy/trixie-rootfs:$rootfs_hash"
  drop_stale_tags predeploy/trixie-base "$base_tag"
  base_ready=1
}

stand_in() { # TAG RECIPE_DIR: the registry's image when a pull succeeds, else the local stand-in
  local tag="$1" recipe="$2" started=$SECONDS previous_id log
  log="$cache/logs/$(basename "$recipe")-pull.log"
  previous_id="$(image_id "$tag")"
  if [ "$pull_policy" != never ]; then
    if timeout "$pull_timeout" docker pull --quiet "$tag" >"$log" 2>&1; then
      drop_image "$previous_id" "$tag"
      report "$tag" pulled "$started"
      return
    fi
    if [ -n "$previous_id" ] && [ -z "$(image_label "$tag")" ] && from_registry "$tag"; then
      report "$tag" 'kept pulled' "$started" # pulled on an earlier run; no registry answers now
      return
    fi
  fi
  ensure_base
  build_image "$tag" "$recipe" "$(hash_recipe "$base_hash" "$recipe")" --build-arg "BASE_IMAGE=$base_tag"
}

stand_in python:3.13-slim "$here/python"
stand_in node:22-slim "$here/node"
stand_in postgres:17 "$here/postgres"
stand_in redis:7 "$here/redis"
