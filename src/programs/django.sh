# predeploy: Django in the backend image's own environment.
#
#   sh django.sh setup                    Django set up through manage.py (shell -c)
#   sh django.sh migrate                  manage.py migrate --noinput
#   sh django.sh manage <args>...         manage.py <args> (a registry tool run in the image), diagnosed as setup
#
# It reads, from the environment or from assignments src/plan/backend-image.ts writes above it:
#   PREDEPLOY_PYTHON             a shell-quoted command for Python (predeploy.json's backend.python); unset: discovered
#   PREDEPLOY_MANAGE_CANDIDATES  where manage.py may be (space-separated, relative to the workdir); else searched
#   PREDEPLOY_SETTINGS_MODULE    the settings module when the image has no manage.py and sets none
#   PREDEPLOY_START              how the deployed backend starts ("the image's CMD `uv run gunicorn ...`")
#   PREDEPLOY_START_SYNCS        1 when that command is a `uv run` that syncs the venv at start-up
#   PREDEPLOY_REQUIRED           the variables the deployed settings raise without (space-separated), to name
#                                every unset one when the settings fail on the first
#
# When `setup` fails, its last stderr line says why, in the image's terms, and what to change
# (Django not importable, the project or a module missing from the image's Python, a variable
# the settings need), naming the Python and the backend's command where the cause does not:
#   predeploy: diagnosis: <cause>: <fix>. [Tried: <Pythons>.] [Python: <path>.] [The backend starts with <command>.]
# It names modules and variables, never a value from the environment.
set -u
usage() { echo "usage: sh django.sh setup | migrate | manage <args>..." >&2; exit 2; }
case "${1:-}" in
  setup | migrate | manage) ;;
  *) usage ;;
esac
start=$PWD
use_python() {
  venv_dir=""
  case "$1" in
    configured)
      [ -n "${PREDEPLOY_PYTHON:-}" ] || return 1
      py() { eval "$PREDEPLOY_PYTHON" '"$@"'; }
      how="backend.python from predeploy.json ($PREDEPLOY_PYTHON)"
      which=$PREDEPLOY_PYTHON ;;
    virtual-env)
      [ -x "${VIRTUAL_ENV:-/nonexistent}/bin/python" ] || return 1
      py() { "$VIRTUAL_ENV/bin/python" "$@"; }
      how="\$VIRTUAL_ENV/bin/python ($VIRTUAL_ENV/bin/python)"
      which=$VIRTUAL_ENV/bin/python
      venv_dir=$VIRTUAL_ENV ;;
    uv-project-environment)
      [ -x "${UV_PROJECT_ENVIRONMENT:-/nonexistent}/bin/python" ] || return 1
      py() { "$UV_PROJECT_ENVIRONMENT/bin/python" "$@"; }
      how="\$UV_PROJECT_ENVIRONMENT/bin/python ($UV_PROJECT_ENVIRONMENT/bin/python)"
      which=$UV_PROJECT_ENVIRONMENT/bin/python
      venv_dir=$UV_PROJECT_ENVIRONMENT ;;
    dot-venv)
      dir=$start
      until [ -x "$dir/.venv/bin/python" ]; do
        [ "$dir" != / ] || return 1
        dir=$(dirname "$dir")
      done
      venv=$dir/.venv
      py() { "$venv/bin/python" "$@"; }
      how="the project venv $venv"
      which=$venv/bin/python
      venv_dir=$venv ;;
    uv)
      command -v uv >/dev/null 2>&1 || return 1
      py() { uv run --no-sync python "$@"; }
      how="uv run --no-sync python"
      which=$how ;;
    poetry)
      # The environment Poetry made for the project (never one it would make now: `env info` creates nothing).
      command -v poetry >/dev/null 2>&1 || return 1
      venv=$(poetry env info --path 2>/dev/null) || return 1
      [ -n "$venv" ] && [ -x "$venv/bin/python" ] || return 1
      py() { "$venv/bin/python" "$@"; }
      how="Poetry's environment for the project ($venv)"
      which=$venv/bin/python
      venv_dir=$venv ;;
    python3)
      command -v python3 >/dev/null 2>&1 || return 1
      py() { python3 "$@"; }
      which=$(command -v python3)
      how="python3 on PATH ($which)" ;;
    python)
      command -v python >/dev/null 2>&1 || return 1
      py() { python "$@"; }
      which=$(command -v python)
      how="python on PATH ($which)" ;;
    *) return 1 ;;
  esac
}
label() {
  case "$1" in
    configured) echo "backend.python" ;;
    virtual-env) echo "\$VIRTUAL_ENV" ;;
    uv-project-environment) echo "\$UV_PROJECT_ENVIRONMENT" ;;
    dot-venv) echo ".venv" ;;
    poetry) echo "Poetry's environment" ;;
    *) echo "$1" ;;
  esac
}
if [ -n "${PREDEPLOY_PYTHON:-}" ]; then candidates="configured"; else candidates="virtual-env uv-project-environment dot-venv uv poetry python3 python"; fi
chosen=""
has_django=""
# For the diagnosis: the Pythons found without Django, and the candidates the image does not have.
tried=""
absent=""
for candidate in $candidates; do
  if ! use_python "$candidate"; then
    absent="${absent:+$absent, }$(label "$candidate")"
    continue
  fi
  [ -n "$chosen" ] || chosen=$candidate
  if py -c "import django" >/dev/null 2>&1; then chosen=$candidate; has_django=1; break; fi
  tried="${tried:+$tried, }$which"
done
if [ -z "$chosen" ]; then
  echo "python: not found" >&2
  echo "predeploy: no Python in the backend image (looked for \$VIRTUAL_ENV/bin/python, \$UV_PROJECT_ENVIRONMENT/bin/python, .venv/bin/python in the workdir or above, uv, Poetry's environment, python3, python); set backend.python in predeploy.json" >&2
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

# The nearest directory at or above manage.py's holding pyproject.toml or setup.py; empty when none does.
project_root() {
  up=$PWD
  until [ -f "$up/pyproject.toml" ] || [ -f "$up/setup.py" ]; do
    [ -n "$up" ] && [ "$up" != / ] || return 0
    up=$(dirname "$up")
  done
  echo "$up"
}
# Where module $1 (dotted) is as source, looked for from manage.py's directory, the workdir and the project's (and its src/).
module_source() {
  for base in "$PWD" "$start" "$project" "${project:+$project/src}"; do
    [ -n "$base" ] || continue
    path=$base
    rest=$1
    while :; do
      path=$path/${rest%%.*}
      case "$rest" in *.*) rest=${rest#*.} ;; *) break ;; esac
    done
    if [ -f "$path.py" ] || [ -d "$path" ]; then echo "$path"; return 0; fi
  done
  return 1
}
# Whether the project is a package a venv installs (a build backend, or uv's package = true), not a bare source tree.
is_package() {
  [ -n "$project" ] || return 1
  [ ! -f "$project/setup.py" ] || return 0
  package=""
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      "[build-system]"*) package=${package:-1} ;;
      "package = true"* | "package=true"*) package=1 ;;
      "package = false"* | "package=false"*) package=0 ;;
    esac
  done <"$project/pyproject.toml"
  [ "$package" = 1 ]
}
# Where the image's Python finds module $1 (a file, or a package's directory); empty when it does not.
module_origin() {
  py -c 'import importlib.util, sys
try:
    spec = importlib.util.find_spec(sys.argv[1])
except Exception:
    spec = None
if spec is not None:
    print(spec.origin if spec.origin not in (None, "namespace") else next(iter(spec.submodule_search_locations or []), ""))' "$1" 2>/dev/null
}
valid_name() {
  case "$1" in "" | *[!A-Za-z0-9_.]* | [0-9.]*) return 1 ;; esac
}
# Whether the environment variable named $1 is unset (not merely empty).
unset_variable() {
  case "$1" in "" | *[!A-Za-z0-9_]* | [0-9]*) return 1 ;; esac
  eval "[ -z \"\${$1+set}\" ]"
}
# The diagnosis of a failed setup, from what its stderr (kept in $1, when it could be) names and what the
# image holds: one line, cause first, then the fix, then what it was found from.
diagnose() {
  module=""
  variable=""
  setting=""
  key=""
  environ=""
  exception=""
  library=""
  in_traceback=""
  if [ -n "$1" ] && [ -f "$1" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        *": cannot open shared object file"*)
          library=${line%%: cannot open shared object file*}
          library=${library##*: } ;;
        *"ModuleNotFoundError: No module named '"*"'"*)
          module=${line#*No module named \'}
          module=${module%%\'*} ;;
        *"Set the "*" environment variable"*)
          variable=${line#*Set the }
          variable=${variable%% environment variable*} ;;
        *"UndefinedValueError: "*" not found"*)
          variable=${line#*UndefinedValueError: }
          variable=${variable%% not found*} ;;
        *"ImproperlyConfigured: The "*" setting must not be empty"*)
          setting=${line#*ImproperlyConfigured: The }
          setting=${setting%% setting must not be empty*} ;;
        "KeyError: '"*"'")
          key=${line#KeyError: \'}
          key=${key%\'} ;;
        *"environ["* | *"os.environ"*) environ=1 ;;
      esac
      if [ "$line" = "Traceback (most recent call last):" ]; then
        in_traceback=1
      elif [ -n "$in_traceback" ]; then
        case "$line" in "" | " "* | "	"*) ;; *) exception=$line in_traceback="" ;; esac
      fi
    done <"$1"
  fi
  valid_name "$module" || module=""
  valid_name "$variable" || variable=""
  valid_name "$setting" || setting=""
  valid_name "$key" || key=""
  # os.environ["NAME"] in the traceback's source lines: its KeyError names a variable.
  [ -n "$variable" ] || [ -z "$environ" ] || variable=$key
  project=$(project_root)
  syncs=""
  [ -z "${PREDEPLOY_START_SYNCS:-}" ] || [ -z "${PREDEPLOY_START:-}" ] || syncs=1
  # Whether the cause or fix below already names the Python, and the backend's command (else the end does).
  python_said=""
  start_said=""
  fix=""
  # What the cause was found from, after the fix (a summary is cut at its end).
  detail=""
  copy_fix="add it to the project, or, if the repository has it, copy it into the image (the Dockerfile's COPY lines, .dockerignore)"
  if [ -z "$has_django" ]; then
    cause="no Python in the image imports Django"
    detail="Tried: ${tried:-none}${absent:+; not found: $absent}"
    python_said=1
    if [ -n "$syncs" ]; then
      fix="$PREDEPLOY_START would install the dependencies at start-up, over the network: install them in the image (\`uv sync --frozen --no-dev\`) and start with \`uv run --no-sync\`"
      start_said=1
    else
      fix="install it in the image (its requirements or lockfile), or name the Python with backend.python in predeploy.json"
    fi
  elif [ -n "$library" ]; then
    # A module that imports but cannot load its C library: the ModuleNotFoundError after it is a consequence.
    cause="the image lacks the system library $library, which its Python packages load"
    fix="install the Debian package that provides it in the Dockerfile's final stage (build dependencies removed after the build take their libraries with them)"
  elif [ -n "$module" ]; then
    top=${module%%.*}
    origin=$(module_origin "$top")
    python_said=1
    if [ -n "$origin" ] && [ "$top" != "$module" ]; then
      case "$origin" in
        */site-packages/* | */dist-packages/*) ours="" ;;
        "$PWD"/* | "$start"/* | "${project:-$PWD}"/*) ours=1 ;;
        *) ours="" ;;
      esac
      if [ -n "$ours" ]; then
        cause="No module named '$module' in the image's copy of the project ($top is at ${origin%/__init__.py})"
        fix=$copy_fix
        python_said=""
      else
        cause="$which has $top (${origin%/__init__.py}) but no module '$module'"
        fix="the image installs a version of $top the code does not expect: pin the right one in the requirements or lockfile"
      fi
    elif found=$(module_source "$module"); then
      if is_package; then
        lacking=$which
        [ -z "$venv_dir" ] || lacking="the image's venv $venv_dir"
        cause="$lacking lacks the project itself ($found)"
        if [ -n "$syncs" ]; then
          fix="$PREDEPLOY_START would install it at start-up, over the network: install it in the image (\`uv sync --frozen\` without \`--no-install-project\`) and start with \`uv run --no-sync\`"
          start_said=1
        else
          fix="install it in the image (\`uv sync --frozen\` without \`--no-install-project\`, or \`pip install .\`, after copying the source)"
        fi
      else
        cause="$which does not find '$module', which the image has at $found"
        fix="put its directory on PYTHONPATH in the image, or make the project a package and install it"
      fi
    elif [ "$top" != "$module" ] && found=$(module_source "$top"); then
      cause="No module named '$module' in the image's copy of the project ($top is at $found)"
      fix=$copy_fix
      python_said=""
    else
      cause="$which has no module '$module'"
      fix="add the package that provides it to the image's requirements or lockfile, as a runtime dependency"
    fi
  elif [ -n "$variable" ] && unset_variable "$variable"; then
    # Unset, not wrong: a value the deployment gives that the repository does not hold (the result is predeploy's error).
    echo "predeploy: unset: $variable" >&2
    others=""
    for name in ${PREDEPLOY_REQUIRED:-}; do
      [ "$name" != "$variable" ] && unset_variable "$name" && others="${others:+$others, }$name"
    done
    cause="the settings need the environment variable $variable${others:+ (and, read with no default, $others)}, which the deployment sets and predeploy was not given"
    them=it
    [ -z "$others" ] || them="each"
    fix="set $them in predeploy.json \"env\" (a credential: pass it as a secret)"
  elif [ -n "$variable" ]; then
    cause="the settings refuse the environment variable $variable as it is set"
    fix="check the value predeploy.json \"env\" or the deployment gives it"
  elif [ -n "$setting" ]; then
    cause="the $setting setting is empty (read from an environment variable the check does not set?)"
    fix="set that variable in predeploy.json \"env\" (a credential: pass it as a secret)"
  else
    cause="Django could not be set up with $which${exception:+ ($exception)}"
    python_said=1
  fi
  line="$cause${fix:+: $fix}."
  [ -z "$detail" ] || line="$line $detail."
  [ -n "$python_said" ] || line="$line Python: $which."
  if [ -z "$start_said" ] && [ -n "${PREDEPLOY_START:-}" ]; then
    line="$line The backend starts with $PREDEPLOY_START${syncs:+, which syncs the venv at start-up}."
  fi
  echo "predeploy: diagnosis: $line" >&2
}
# Whether Django's system checks reported what failed (their findings say it: nothing to diagnose).
checks_reported() {
  [ -n "$1" ] && [ -f "$1" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in *"System check identified"*) return 0 ;; esac
  done <"$1"
  return 1
}
# Runs "$@" (setup, manage): its stderr passes through as it comes and is kept for the diagnosis of a failure.
run_diagnosed() {
  kept=""
  if command -v mktemp >/dev/null 2>&1 && command -v tee >/dev/null 2>&1; then kept=$(mktemp -d 2>/dev/null) || kept=""; fi
  if [ -z "$kept" ]; then
    "$@"
    status=$?
  else
    exec 3>&1
    { "$@" 2>&1 1>&3 3>&-; echo "$?" >"$kept/status"; } | tee "$kept/stderr" >&2
    exec 3>&-
    read -r status <"$kept/status" || status=1
  fi
  [ "$status" -eq 0 ] || checks_reported "${kept:+$kept/stderr}" || diagnose "${kept:+$kept/stderr}"
  [ -z "$kept" ] || rm -rf "$kept" 2>/dev/null
  return "$status"
}
case "$1" in
  # `shell` carries on when the settings fail to load (Django then skips its set-up): reading them raises their error.
  setup) run_diagnosed django shell -c 'import os, django; from django.conf import settings; settings.INSTALLED_APPS; print("django", django.get_version(), "set up with", os.environ.get("DJANGO_SETTINGS_MODULE"))' ;;
  migrate) django migrate --noinput ;;
  manage)
    shift
    run_diagnosed django "$@" ;;
esac
