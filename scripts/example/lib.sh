# Shared by verify-host.sh and capture-tool-output.sh (sourced, not run).
# Installs the example stack's tools once into a cache keyed by the lockfiles, makes fresh
# copies of examples/stack that use them, and runs the tools the way the containers do.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK="$ROOT/examples/stack"
FAULTS="$ROOT/tests/faults"
CACHE="${PREDEPLOY_EXAMPLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/predeploy-example}"
UV_VERSION=0.9.30

export WRANGLER_SEND_METRICS=false
export UV_PYTHON_DOWNLOADS=never
export PIP_DISABLE_PIP_VERSION_CHECK=1
export DJANGO_SETTINGS_MODULE=apps.web.config.settings
export PYTHONPATH=.
unset DATABASE_URL SECRET_KEY

log() { printf '%s\n' "$*" >&2; }

hash_files() { cat "$@" | sha256sum | cut -c1-16; }

# The virtualenv for the backend's tools: $CACHE/venv-<hash of pyproject + uv.lock + python>.
setup_python() {
  local uv_env="$CACHE/uv-$UV_VERSION"
  if [ ! -x "$uv_env/bin/uv" ]; then
    log "installing uv $UV_VERSION into $uv_env"
    python3 -m venv "$uv_env"
    "$uv_env/bin/pip" install --quiet "uv==$UV_VERSION"
  fi
  UV="$uv_env/bin/uv"
  local key
  key=$( (cat "$STACK/pyproject.toml" "$STACK/uv.lock"; python3 --version) | sha256sum | cut -c1-16)
  VENV="$CACHE/venv-$key"
  if [ ! -f "$VENV/.complete" ]; then
    log "creating $VENV"
    rm -rf "$VENV"
    sync_venv "$VENV"
    touch "$VENV/.complete"
  fi
  export PATH="$VENV/bin:$PATH"
}

# Installs the locked dependencies (all groups) into the virtualenv at $1.
sync_venv() {
  (cd "$STACK" && UV_PROJECT_ENVIRONMENT="$1" "$UV" sync --quiet --frozen --all-groups \
    --no-install-project --python python3)
}

# node_modules for one package (dir relative to the stack), installed with `npm ci` from its
# lockfile into $CACHE/node/<name>-<hash>; prints that directory.
setup_node_package() {
  local pkg="$STACK/$1" key dir
  key=$(hash_files "$pkg/package.json" "$pkg/package-lock.json")
  dir="$CACHE/node/$(basename "$1")-$key"
  if [ ! -f "$dir/.complete" ]; then
    log "npm ci for $1 into $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$pkg/package.json" "$pkg/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    touch "$dir/.complete"
  fi
  printf '%s\n' "$dir"
}

# Packages with a package.json: every worker, every site except templates (`_name`).
node_packages() {
  (cd "$STACK" && for d in workers/*/ sites/*/; do
    d=${d%/}
    case "$(basename "$d")" in _*) continue ;; esac
    [ -f "$d/package.json" ] && printf '%s\n' "$d"
  done)
}

setup_all() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  setup_python
  declare -gA NODE_MODULES=()
  local pkg
  for pkg in $(node_packages); do
    NODE_MODULES[$pkg]="$(setup_node_package "$pkg")/node_modules"
  done
  flock -u 9
}

# A fresh copy of the stack at $1 whose packages use the cached node_modules.
fresh_copy() {
  local dest=$1 pkg
  rm -rf "$dest"
  mkdir -p "$dest"
  (cd "$STACK" && tar --exclude=node_modules --exclude=dist --exclude=.wrangler \
    --exclude=__pycache__ --exclude=.mypy_cache --exclude=.pytest_cache --exclude=.ruff_cache \
    --exclude=db.sqlite3 -cf - .) | tar -xf - -C "$dest"
  for pkg in "${!NODE_MODULES[@]}"; do
    ln -s "${NODE_MODULES[$pkg]}" "$dest/$pkg/node_modules"
  done
}

# Runs one host tool in the stack copy $1 (cwd), output to stdout/stderr; returns its exit code.
run_tool() {
  local dir=$1 tool=$2
  case "$tool" in
    ruff-check) (cd "$dir" && ruff check .) ;;
    ruff-format) (cd "$dir" && ruff format --check .) ;;
    mypy) (cd "$dir" && mypy .) ;;
    pytest) (cd "$dir" && pytest -q -p no:cacheprovider) ;;
    django-check) (cd "$dir" && python apps/web/manage.py check) ;;
    makemigrations) (cd "$dir" && python apps/web/manage.py makemigrations --check --dry-run) ;;
    migrate) (cd "$dir" && python apps/web/manage.py migrate --noinput) ;;
    tsc) (cd "$dir/workers/intake" && npx tsc --noEmit --pretty false) ;;
    worker-test) (cd "$dir/workers/intake" && npm test) ;;
    worker-bundle) (cd "$dir/workers/intake" && npx wrangler deploy --dry-run --outdir dist) ;;
    site-build) (cd "$dir/sites/coffee-shop" && npm run build && [ -n "$(ls -A dist)" ]) ;;
    site-test) (cd "$dir/sites/coffee-shop" && npm test) ;;
    worker-e2e | backend-e2e) intake_e2e "$dir" ;;
    *) log "unknown tool: $tool"; return 2 ;;
  esac
}

# The host tool that stands in for a check id of the default plan ("" when there is none).
tool_for_check() {
  case "$1" in
    quality.ruff-check) echo ruff-check ;;
    quality.ruff-format) echo ruff-format ;;
    quality.mypy) echo mypy ;;
    quality.tsc.intake) echo tsc ;;
    test.pytest) echo pytest ;;
    test.django-check) echo django-check ;;
    test.migrations-check) echo makemigrations ;;
    test.worker-tests.intake) echo worker-test ;;
    test.site-tests.coffee-shop) echo site-test ;;
    build.worker-bundle.intake) echo worker-bundle ;;
    build.site.coffee-shop) echo site-build ;;
    verify.migrations) echo migrate ;;
    verify.intake-e2e) echo worker-e2e ;;
    *) echo "" ;;
  esac
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() {
  local url=$1 seconds=$2 i
  for ((i = 0; i < seconds * 2; i++)); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 0.5
  done
  return 1
}

E2E_GROUPS=()
stop_e2e() {
  local pgid
  for pgid in "${E2E_GROUPS[@]}"; do kill -- "-$pgid" 2>/dev/null || true; done
  for pgid in "${E2E_GROUPS[@]}"; do
    while kill -0 -- "-$pgid" 2>/dev/null; do sleep 0.2; done
  done
  E2E_GROUPS=()
}

# The intake path end to end on the host: Django runserver (SQLite) and `wrangler dev --local`,
# a form POSTed to the worker, then the row looked up in the database. Logs go to stderr; the
# stdout line says what happened. Returns 0 only when the row was stored.
intake_e2e() {
  local rc=0
  run_intake_e2e "$@" || rc=$?
  stop_e2e
  return "$rc"
}

run_intake_e2e() {
  local dir=$1 backend_port worker_port inspector_port key token status body id stored
  backend_port=$(free_port)
  worker_port=$(free_port)
  inspector_port=$(free_port)
  key=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  token="e2e-$(python3 -c 'import secrets; print(secrets.token_hex(6))')"

  if ! (cd "$dir" && python apps/web/manage.py migrate --noinput -v 0) >&2; then
    echo "e2e: migrate failed"
    return 1
  fi
  (cd "$dir" && INTAKE_API_KEY=$key exec setsid python apps/web/manage.py runserver \
    "127.0.0.1:$backend_port" --noreload) >&2 &
  E2E_GROUPS+=($!)
  if ! wait_http "http://127.0.0.1:$backend_port/health" 30; then
    echo "e2e: backend /health did not answer 200"
    return 1
  fi
  # INTAKE_API_KEY and BACKEND_URL reach the worker from the process environment (see wrangler.toml).
  (cd "$dir/workers/intake" && CLOUDFLARE_INCLUDE_PROCESS_ENV=true INTAKE_API_KEY=$key \
    BACKEND_URL="http://127.0.0.1:$backend_port" exec setsid npx wrangler dev --local \
    --ip 127.0.0.1 --port "$worker_port" --inspector-port "$inspector_port" \
    --show-interactive-dev-session=false) >&2 &
  E2E_GROUPS+=($!)
  if ! wait_http "http://127.0.0.1:$worker_port/health" 90; then
    echo "e2e: worker /health did not answer 200"
    return 1
  fi

  body=$(mktemp)
  status=$(curl -s -o "$body" -w '%{http_code}' -X POST \
    --data-urlencode "name=Host E2E" --data-urlencode "email=e2e@example.com" \
    --data-urlencode "message=Intake check $token" --data-urlencode "website=" \
    "http://127.0.0.1:$worker_port/intake/coffee-shop/form")
  id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("id", ""))' "$body" 2>/dev/null || true)
  if [ "$status" != 201 ] || ! [[ "$id" =~ ^[0-9]+$ ]]; then
    echo "e2e: worker answered $status: $(head -c 300 "$body")"
    rm -f "$body"
    return 1
  fi
  rm -f "$body"
  stored=$(cd "$dir" && python -c '
import sys, django
django.setup()
from apps.web.inbox.models import Submission
print(Submission.objects.filter(pk=int(sys.argv[1]), client="coffee-shop", message__endswith=sys.argv[2]).count())
' "$id" "$token")
  if [ "$stored" != 1 ]; then
    echo "e2e: worker answered 201 with id $id but no row was stored"
    return 1
  fi
  echo "e2e: worker answered 201 with id $id and the row is stored"
}
