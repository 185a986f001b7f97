# predeploy: a set-up step (an install) under the set-up time limit, where the image has coreutils
# `timeout` (TERM at the limit, KILL 10 s later); as it is elsewhere. Run inline, as
# `sh -c <this program> SECONDS COMMAND...`, so that it needs no file in the container: $0 is SECONDS.
if command -v timeout >/dev/null 2>&1; then exec timeout -k 10 "$0" "$@"; fi
exec "$@"
