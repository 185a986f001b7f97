#!/usr/bin/env bash
# The main job on a machine without a Dagger engine: start Docker, build the base images,
# then run the module's full pre-deploy plan on examples/stack (or the directory given)
# in real containers and print the report. Exit code: 0 passed, 1 failed, 2 error.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/docker/up.sh
bash scripts/images/build.sh
target=examples/stack
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then target=$1; shift; fi
exec npm run --silent harness -- "$target" "$@"
