#!/usr/bin/env bash
# Runs the example stack's own tools on the host, on a fresh copy of examples/stack: every one
# must pass. With --faults, applies each fault of tests/faults to another fresh copy, runs the
# fault's hostTool and checks that it fails where fault.json says (file, line, rule, message),
# and that the host tools standing in for the fault's other failingChecks fail too.
# Prints one line per item; exits non-zero on any mismatch.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

with_faults=false
case "${1:-}" in
  --faults) with_faults=true ;;
  "") ;;
  *) echo "usage: $0 [--faults]" >&2; exit 2 ;;
esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/predeploy-verify.XXXXXX")
trap 'stop_e2e; rm -rf "$WORK"' EXIT
failures=0
started=$SECONDS

setup_all

GREEN_TOOLS=(ruff-check ruff-format mypy pytest django-check makemigrations tsc worker-test
  worker-bundle site-build site-test worker-e2e)

fresh_copy "$WORK/green"
for tool in "${GREEN_TOOLS[@]}"; do
  out="$WORK/green.$tool.log"
  if run_tool "$WORK/green" "$tool" >"$out" 2>&1; then
    echo "ok green: $tool"
  else
    echo "FAIL green: $tool exited non-zero; output:"
    tail -n 40 "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  fi
done

# Prints the fault.json fields the checks below need, one per line ("" for null).
fault_fields() {
  python3 - "$1" <<'PY'
import json, sys
fault = json.load(open(sys.argv[1]))
finding = fault["finding"]
for value in (fault["hostTool"], finding["file"], finding["line"], finding["rule"], finding["messageIncludes"]):
    print("" if value is None else value)
print(" ".join(fault["failingChecks"]))
PY
}

# The finding's file as the tool prints it: relative to the package it runs in.
tool_relative() {
  local tool=$1 file=$2
  case "$tool" in
    tsc | worker-test) printf '%s\n' "${file#workers/intake/}" ;;
    site-build) printf '%s\n' "${file#sites/coffee-shop/}" ;;
    *) printf '%s\n' "$file" ;;
  esac
}

if $with_faults; then
  for fault_dir in "$FAULTS"/*/; do
    slug=$(basename "$fault_dir")
    mapfile -t fields < <(fault_fields "$fault_dir/fault.json")
    tool=${fields[0]} file=${fields[1]} line=${fields[2]} rule=${fields[3]} message=${fields[4]}
    failing_checks=${fields[5]}
    copy="$WORK/$slug"
    out="$WORK/$slug.log"
    fresh_copy "$copy"
    if ! (cd "$copy" && sh "$fault_dir/apply.sh"); then
      echo "FAIL fault $slug: apply.sh failed"
      failures=$((failures + 1))
      continue
    fi
    if run_tool "$copy" "$tool" >"$out" 2>&1; then
      echo "FAIL fault $slug: $tool passed"
      failures=$((failures + 1))
      continue
    fi
    problems=()
    also_failed=()
    for check in $failing_checks; do
      other=$(tool_for_check "$check")
      case "$other" in "" | "$tool") continue ;; esac
      [[ "$tool" == *-e2e && "$other" == worker-e2e ]] && continue
      if run_tool "$copy" "$other" >"$out.$other" 2>&1; then
        problems+=("$other passed although $check is listed as failing")
      else
        also_failed+=("$other")
      fi
    done
    location=""
    if [ -n "$file" ]; then
      location=$(tool_relative "$tool" "$file")
      if [ -n "$line" ]; then
        if [ "$tool" = tsc ]; then location="$location($line,"; else location="$location:$line:"; fi
      fi
      grep -qF -- "$location" "$out" || problems+=("no '$location' in the output")
    fi
    [ -z "$rule" ] || grep -qF -- "$rule" "$out" || problems+=("no rule '$rule' in the output")
    [ -z "$message" ] || grep -qF -- "$message" "$out" || problems+=("no '$message' in the output")
    if [ ${#problems[@]} -gt 0 ]; then
      echo "FAIL fault $slug: $tool failed but: ${problems[*]}; output:"
      tail -n 40 "$out" | sed 's/^/    /'
      failures=$((failures + 1))
    else
      if [ -n "$file" ]; then
        where="at ${file}${line:+:$line}"
      elif [[ "$tool" == *-e2e ]]; then
        where="($(grep -m1 '^e2e:' "$out"))"
      else
        where="($(grep -m1 -F -- "${rule:-$message}" "$out" | sed 's/^ *//' | cut -c1-100))"
      fi
      echo "ok fault $slug: $tool failed $where${also_failed[*]:+; also failed: ${also_failed[*]}}"
    fi
  done
fi

echo "verify-host: $failures failure(s) in $((SECONDS - started))s"
[ "$failures" -eq 0 ]
