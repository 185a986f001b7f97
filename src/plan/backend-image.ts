import type { CatalogueContext } from "./catalogue-context.js";
import { backendSecrets, relativeTo } from "./containers.js";
import { BACKEND_SERVICE } from "./constants.js";
import type { BackendDockerfile } from "./discover-dockerfile.js";
import type { DjangoApp } from "./discover.js";
import { join } from "./source-tree.js";
import { shellQuote } from "./shell-quote.js";
import type { ContainerSpec } from "./spec.js";

/**
 * Django inside the backend image, in the image's own environment: the checks that run the
 * built image (its Django set-up, its migrations) cannot assume the system `python`, since
 * many images keep Django in a project venv started with `uv run`. A small POSIX script,
 * written into the container, picks the Python that imports Django (or the one
 * predeploy.json names), finds manage.py, says which it used on stderr, and runs:
 *
 *   sh django.sh setup                    Django set up through manage.py (shell -c)
 *   sh django.sh migrate                  manage.py migrate --noinput
 *   sh django.sh migrate-then-wait PORT   migrate, then listen on PORT (a service's "ready")
 */
export const DJANGO_SCRIPT_PATH = "/opt/predeploy/django.sh";

/** Where Python may live in an image, in the order they are tried. */
const PYTHON_CANDIDATES = `
    virtual-env)
      [ -x "\${VIRTUAL_ENV:-/nonexistent}/bin/python" ] || return 1
      py() { "$VIRTUAL_ENV/bin/python" "$@"; }
      how="\\$VIRTUAL_ENV/bin/python ($VIRTUAL_ENV/bin/python)" ;;
    uv-project-environment)
      [ -x "\${UV_PROJECT_ENVIRONMENT:-/nonexistent}/bin/python" ] || return 1
      py() { "$UV_PROJECT_ENVIRONMENT/bin/python" "$@"; }
      how="\\$UV_PROJECT_ENVIRONMENT/bin/python ($UV_PROJECT_ENVIRONMENT/bin/python)" ;;
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
      how="python on PATH ($(command -v python))" ;;`;

/** Python that listens on the port in argv[1] and accepts forever: a service's "ready". */
export const LISTENER = "import socket,sys;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('0.0.0.0',int(sys.argv[1])));s.listen(16);[c.close() for c,_ in iter(s.accept,None)]";

/** The script for one Django app, with predeploy.json's `backend.python` when set. */
export function djangoScript(django: DjangoApp, python: readonly string[] | undefined): string {
  const configured = python
    ? `
    configured)
      py() { ${shellQuote(python)} "$@"; }
      how=${shellQuote([`backend.python from predeploy.json (${shellQuote(python)})`])} ;;`
    : "";
  const candidates = python ? "configured" : "virtual-env uv-project-environment dot-venv uv python3 python";
  const manageCandidates = [...new Set(["manage.py", join(django.dir, "manage.py"), join(relativeTo(django.projectDir, django.dir), "manage.py")])];
  // Through the project's own manage.py (`shell -c` sets Django up as manage.py does: settings by
  // argv, django-configurations…); system-check findings are left to test.django-check.
  const setup = `import os, django; print("django", django.get_version(), "set up with", os.environ.get("DJANGO_SETTINGS_MODULE"))`;
  return `# predeploy: Django in the backend image's own environment (see src/plan/backend-image.ts).
set -u
start=$PWD
use_python() {
  case "$1" in${configured}${PYTHON_CANDIDATES}
    *) return 1 ;;
  esac
}
chosen=""
for candidate in ${candidates}; do
  use_python "$candidate" || continue
  [ -n "$chosen" ] || chosen=$candidate
  if py -c "import django" >/dev/null 2>&1; then chosen=$candidate; break; fi
done
if [ -z "$chosen" ]; then
  echo "python: not found" >&2
  echo "predeploy: no Python in the backend image (looked for \\$VIRTUAL_ENV/bin/python, \\$UV_PROJECT_ENVIRONMENT/bin/python, .venv/bin/python in the workdir or above, uv, python3, python); set backend.python in predeploy.json" >&2
  exit 127
fi
use_python "$chosen"
echo "predeploy: Python: $how" >&2
manage=""
for candidate in ${shellQuote(manageCandidates)}; do
  if [ -f "$candidate" ]; then manage=$candidate; break; fi
done
[ -n "$manage" ] || manage=$(find . -maxdepth 4 -name manage.py -not -path "*/.venv/*" -not -path "*/node_modules/*" -not -path "*/site-packages/*" 2>/dev/null | head -n 1)
if [ -n "$manage" ]; then
  cd "$(dirname "$manage")" || exit 1
  echo "predeploy: manage.py: $PWD/manage.py" >&2
  django() { py manage.py "$@"; }
else
  export DJANGO_SETTINGS_MODULE="\${DJANGO_SETTINGS_MODULE:-${django.settingsModule}}"
  echo "predeploy: no manage.py in the image; python -m django with DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE" >&2
  django() { py -m django "$@"; }
fi
case "\${1:-}" in
  setup) django shell -c ${shellQuote([setup])} ;;
  migrate) django migrate --noinput ;;
  migrate-then-wait) django migrate --noinput && echo "predeploy: migrations applied; listening on \${2:?port}" >&2 && py -c ${shellQuote([LISTENER])} "$2" ;;
  *) echo "usage: sh ${DJANGO_SCRIPT_PATH} setup | migrate | migrate-then-wait PORT" >&2; exit 2 ;;
esac
`;
}

/**
 * The built backend image as the deploy would run it: its own workdir, user, ENV and
 * entrypoint; the run's secrets (SECRET_KEY, DATABASE_URL, INTAKE_API_KEY), the hosts it is
 * called by, and PORT. The settings module is set only when predeploy.json names it.
 */
export function backendImage(context: CatalogueContext, django: DjangoApp, dockerfile: BackendDockerfile, withScript: boolean): ContainerSpec {
  return {
    // Dagger and docker read the Dockerfile's path relative to the context.
    base: {
      kind: "dockerfile",
      context: dockerfile.context,
      dockerfile: relativeTo(dockerfile.context, dockerfile.path),
      ...(context.config.backend.target !== undefined ? { target: context.config.backend.target } : {}),
    },
    env: {
      ALLOWED_HOSTS: `${BACKEND_SERVICE.alias},localhost,127.0.0.1`,
      PORT: String(backendPort(context)),
      ...(django.settingsConfigured ? { DJANGO_SETTINGS_MODULE: django.settingsModule } : {}),
      ...context.config.env,
    },
    secretEnv: backendSecrets(),
    caches: [],
    layers: withScript ? [{ kind: "file", path: DJANGO_SCRIPT_PATH, contents: djangoScript(django, context.config.backend.python) }] : [],
    services: [],
  };
}

export function backendPort(context: CatalogueContext): number {
  return context.config.backend.port ?? BACKEND_SERVICE.port;
}
