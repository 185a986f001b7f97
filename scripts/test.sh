#!/usr/bin/env bash
# The whole test suite (`npm test`): type-check, house rules, the unit tier, then every
# integration and container test (the examples and their faults run in real containers).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "type-check (src, tests, scripts)"
npm run --silent typecheck

step "house rules and workflow lint"
npm run --silent lint

step "container engine and base images"
if bash scripts/docker/up.sh && bash scripts/images/build.sh; then
  export PREDEPLOY_DOCKER=ready
elif [ "${CI:-}" = "true" ]; then
  echo "!!! Docker engine or base images unavailable: CI must run the container suite, failing !!!" >&2
  exit 1
else
  echo "!!! Docker engine or base images unavailable: the container suite will report itself SKIPPED !!!"
  export PREDEPLOY_DOCKER=unavailable
fi

# Both tiers run whatever the first says, so one run reports every failure; either failing fails it.
status=0
step "unit tests (one process)"
npm run --silent test:unit || status=1

step "integration and container tests"
# One file at a time: the container tests count containers and networks before and after.
node --import tsx --test --test-concurrency=1 --test-reporter=spec tests/integration/*.test.ts tests/harness/*.test.ts tests/container/*.test.ts || status=1
exit "$status"
