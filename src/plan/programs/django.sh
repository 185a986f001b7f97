# predeploy: Django in the backend image's own environment.
#
#   sh django.sh setup                    Django set up through manage.py (shell -c)
#   sh django.sh migrate                  manage.py migrate --noinput
#   sh django.sh migrate-then-wait PORT   migrate, then run listener.py (beside this file) on PORT
#
# It reads, from the environment or from assignments src/plan/backend-image.ts writes above it:
#   PREDEPLOY_PYTHON             a shell-quoted command for Python (predeploy.json's backend.python); unset: discovered
#   PREDEPLOY_MANAGE_CANDIDATES  where manage.py may be (space-separated, relative to the workdir); else searched
#   PREDEPLOY_SETTINGS_MODULE    the settings module when the image has no manage.py and sets none
set -u
usage() { echo "usage: sh django.sh setup | migrate | migrate-then-wait PORT" >&2; exit 2; }
case "${1:-}" in
  setup | migrate) ;;
  migrate-then-wait) [ -n "${2:-}" ] || usage ;;
  *) usage ;;
esac
start=$PWD
here=$(cd "$(dirname "$0")" && pwd)
use_python() {
  case "$1" in
    configured)
      [ -n "${PREDEPLOY_PYTHON:-}" ] || return 1
      py() { eval "$PREDEPLOY_PYTHON" '"$@"'; }
      how="backend.python from predeploy.json ($PREDEPLOY_PYTHON)" ;;
    virtual-env)
      [ -x "${VIRTUAL_ENV:-/nonexistent}/bin/python" ] || return 1
      py() { "$VIRTUAL_ENV/bin/python" "$@"; }
      how="\$VIRTUAL_ENV/bin/python ($VIRTUAL_ENV/bin/python)" ;;
    uv-project-environment)
      [ -x "${UV_PROJECT_ENVIRONMENT:-/nonexistent}/bin/python" ] || return 1
      py() { "$UV_PROJECT_ENVIRONMENT/bin/python" "$@"; }
      how="\$UV_PROJECT_ENVIRONMENT/bin/python ($UV_PROJECT_ENVIRONMENT/bin/python)" ;;
    dot-venv)
      dir=$start
      until [ -x "$dir/.venv/bin/python" ]; do
        [ "$dir" != / ] || return 1
        dir=$(dirname "$dir")
      done
      venv=$dir/.venv
      py() { "$venv/bin/python" "$@"; }
      how="the project venv $venv" ;;
    uv)
      command -v uv >/dev/null 2>&1 || return 1
      py() { uv run --no-sync python "$@"; }
      how="uv run --no-sync python" ;;
    python3)
      command -v python3 >/dev/null 2>&1 || return 1
      py() { python3 "$@"; }
      how="python3 on PATH ($(command -v python3))" ;;
    python)
      command -v python >/dev/null 2>&1 || return 1
      py() { python "$@"; }
      how="python on PATH ($(command -v python))" ;;
    *) return 1 ;;
  esac
}
if [ -n "${PREDEPLOY_PYTHON:-}" ]; then candidates="configured"; else candidates="virtual-env uv-project-environment dot-venv uv python3 python"; fi
chosen=""
for candidate in $candidates; do
  use_python "$candidate" || continue
  [ -n "$chosen" ] || chosen=$candidate
  if py -c "import django" >/dev/null 2>&1; then chosen=$candidate; break; fi
done
if [ -z "$chosen" ]; then
  echo "python: not found" >&2
  echo "predeploy: no Python in the backend image (looked for \$VIRTUAL_ENV/bin/python, \$UV_PROJECT_ENVIRONMENT/bin/python, .venv/bin/python in the workdir or above, uv, python3, python); set backend.python in predeploy.json" >&2
  exit 127
fi
use_python "$chosen"
echo "predeploy: Python: $how" >&2
manage=""
for candidate in ${PREDEPLOY_MANAGE_CANDIDATES:-manage.py}; do
  if [ -f "$candidate" ]; then manage=$candidate; break; fi
done
[ -n "$manage" ] || manage=$(find . -maxdepth 4 -name manage.py -not -path "*/.venv/*" -not -path "*/node_modules/*" -not -path "*/site-packages/*" 2>/dev/null | head -n 1)
if [ -n "$manage" ]; then
  # manage.py chooses the settings (by argv, django-configurations, ...): nothing is exported here.
  cd "$(dirname "$manage")" || exit 1
  echo "predeploy: manage.py: $PWD/manage.py" >&2
  django() { py manage.py "$@"; }
else
  export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-${PREDEPLOY_SETTINGS_MODULE:-}}"
  echo "predeploy: no manage.py in the image; python -m django with DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE" >&2
  django() { py -m django "$@"; }
fi
case "$1" in
  setup) django shell -c 'import os, django; print("django", django.get_version(), "set up with", os.environ.get("DJANGO_SETTINGS_MODULE"))' ;;
  migrate) django migrate --noinput ;;
  migrate-then-wait) django migrate --noinput && echo "predeploy: migrations applied; listening on $2" >&2 && py "$here/listener.py" "$2" ;;
esac
