#!/bin/sh
# gunicorn moves from the runtime dependencies to the dev extra (pyproject.toml and uv.lock
# re-locked together, as `uv lock` wrote them). Every tool runs in the dev environment and passes;
# the image installs runtime dependencies only, so its CMD (`uv run --no-sync gunicorn ...`)
# cannot start.
set -eu
patch --quiet --forward -p1 < "$(dirname "$0")/lock.patch"
grep -q '{ name = "gunicorn", marker = "extra == '"'"'dev'"'"'", specifier = ">=23.0" },' uv.lock
