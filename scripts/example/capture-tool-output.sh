#!/usr/bin/env bash
# Runs the real tools on the green example stack and on every fault of tests/faults and stores
# their raw output as parser fixtures: tests/fixtures/tools/<case>/<tool>.{stdout,stderr,exitcode}
# (+ pytest.junit.xml), <case> being `green` or a fault slug. The command lines are the ones
# the containers run. Every case runs in the same directory (/tmp/predeploy-capture/stack), so
# paths in the output do not change between runs. Re-runnable: it rewrites all fixtures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CAPTURE=/tmp/predeploy-capture
OUT="$ROOT/tests/fixtures/tools"
COPY="$CAPTURE/stack"
JUNIT="$CAPTURE/junit.xml"

setup_all

# The virtualenv and node_modules are put at fixed places too, so that tracebacks that name
# files inside them stay the same between runs and machines.
rm -rf "$CAPTURE"
mkdir -p "$CAPTURE/deps"
sync_venv "$CAPTURE/venv"
export PATH="$CAPTURE/venv/bin:$PATH"
for pkg in "${!NODE_MODULES[@]}"; do
  mkdir -p "$CAPTURE/deps/$pkg"
  cp -a "${NODE_MODULES[$pkg]}" "$CAPTURE/deps/$pkg/node_modules"
  NODE_MODULES[$pkg]="$CAPTURE/deps/$pkg/node_modules"
done
# The host's ~/.npmrc has settings npm warns about; the containers have none.
printf 'update-notifier=false\nfund=false\naudit=false\n' >"$CAPTURE/npmrc"
export NPM_CONFIG_USERCONFIG="$CAPTURE/npmrc"

# Each capture tool: where it runs (relative to the stack) and its command line.
declare -A TOOL_DIR=(
  [ruff-check]=. [ruff-format]=. [mypy]=. [mypy-json]=. [pytest]=. [django-check]=.
  [makemigrations]=. [tsc]=workers/intake [worker-test]=workers/intake
  [worker-bundle]=workers/intake [site-build]=sites/coffee-shop [site-test]=sites/coffee-shop
)
declare -A TOOL_CMD=(
  [ruff-check]="ruff check --output-format=json ."
  [ruff-format]="ruff format --check ."
  [mypy]="mypy ."
  [mypy-json]="mypy --output json ."
  [pytest]="pytest --junitxml=$JUNIT -q"
  [django-check]="python apps/web/manage.py check"
  [makemigrations]="python apps/web/manage.py makemigrations --check --dry-run"
  [tsc]="npx tsc --noEmit --pretty false"
  [worker-test]="npm test"
  [worker-bundle]="npx wrangler deploy --dry-run --outdir dist"
  [site-build]="npm run build"
  [site-test]="npm test"
)
GREEN_TOOLS=(ruff-check ruff-format mypy mypy-json pytest django-check makemigrations tsc
  worker-test worker-bundle site-build site-test)

capture() {
  local case=$1 tool=$2 dest="$OUT/$1" code=0
  mkdir -p "$dest"
  rm -f "$JUNIT"
  # shellcheck disable=SC2086 # the command lines above are word-split on purpose
  (cd "$COPY/${TOOL_DIR[$tool]}" && ${TOOL_CMD[$tool]}) \
    >"$dest/$tool.stdout" 2>"$dest/$tool.stderr" || code=$?
  echo "$code" >"$dest/$tool.exitcode"
  if [ "$tool" = pytest ] && [ -f "$JUNIT" ]; then cp "$JUNIT" "$dest/pytest.junit.xml"; fi
  # Paths as the containers show them: the source at /src, the virtualenv at /venv.
  sed -i -e "s#$COPY#/src#g" -e "s#$CAPTURE/venv#/venv#g" "$dest/$tool".std* "$dest"/*.xml 2>/dev/null || true
  echo "captured $case/$tool (exit $code)"
}

# The capture tools that stand in for a fault's failing checks.
fault_tools() {
  local check tool
  for check in $(python3 -c 'import json, sys; print(" ".join(json.load(open(sys.argv[1]))["failingChecks"]))' "$1"); do
    tool=$(tool_for_check "$check")
    [ -n "${TOOL_CMD[$tool]:-}" ] && echo "$tool"
    [ "$tool" = mypy ] && echo mypy-json
  done
  return 0
}

rm -rf "$OUT"
fresh_copy "$COPY"
for tool in "${GREEN_TOOLS[@]}"; do capture green "$tool"; done

for fault_dir in "$FAULTS"/*/; do
  slug=$(basename "$fault_dir")
  tools=$(fault_tools "$fault_dir/fault.json")
  [ -n "$tools" ] || continue
  fresh_copy "$COPY"
  (cd "$COPY" && sh "$fault_dir/apply.sh")
  for tool in $tools; do capture "$slug" "$tool"; done
done
