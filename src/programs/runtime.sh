# predeploy's runtime inside containers: every check's command, every service and every fix job runs
# under it, in both executors. src/run/runtime.ts builds its arguments and writes it into each container
# (after the container's own layers) with these assignments above it:
#   READY_PORT, NOT_READY_EXIT, BEGIN_LOG, END_LOG, STARTED_FILE, LOGS_DIR ($PREDEPLOY_LOGS overrides it)
#
#   check LIMIT WAIT HOSTS COMMAND...
#       Writes its start time to STARTED_FILE (an engine's replay of an old failure shows an old
#       time), waits (up to WAIT seconds) until every service it binds (HOSTS, space-separated aliases;
#       empty: none) is ready, then runs COMMAND under `timeout LIMIT` (where the image has it): the check's limit
#       counts from when its services are ready.
#   serve NAME LOG LIMIT SECONDS WAIT HOSTS PORTS ONESHOT CHECK COMMAND...
#       Waits (up to WAIT seconds) until every service it binds (HOSTS) is ready, then runs COMMAND (under `timeout LIMIT`)
#       with its output also appended to its log, $PREDEPLOY_LOGS/$PREDEPLOY_RUN/LOG. It is ready
#       once every port of PORTS is listened on at an address other than loopback and CHECK (a shell
#       command, the project's own healthcheck; empty: none) exits 0 — or, for a one-shot job
#       (ONESHOT=1, a release step such as the migrations), once COMMAND has exited 0. Ready, it accepts
#       connections on READY_PORT for as long as it runs. It exits with COMMAND's exit code; one that
#       is not ready within SECONDS of its start (or listens only elsewhere than PORTS for a minute) says why in its
#       log and exits NOT_READY_EXIT.
#   logs LINES ALIAS=FILE...
#       Prints the last LINES lines of each service log between markers (src/run/service-logs.ts
#       lifts them out of the output).
#   fix ROOT CWD ARCHIVE COMMAND...
#       Runs each COMMAND (a shell command line) in CWD, stopping at the first that fails; then puts
#       the files under ROOT whose content is new or changed into ARCHIVE (a tar, base64 on one line)
#       and lists them on stderr after "predeploy fixed:" (src/run/fix.ts reads both).
#
# Readiness is the ready port, not a file: a stopped instance of a service leaves nothing behind that
# a new instance of it, or another run's, could be mistaken for.
set -u

can() { command -v "$1" >/dev/null 2>&1; }
now() { date +%s; }
# The pause between polls: a fifth of a second where sleep takes fractions (GNU, busybox), else a
# second. Each service waits for its needs in turn, so a whole second per poll adds up along a stack.
nap() { sleep 0.2 2>/dev/null || sleep 1; }
logs_dir() { echo "${PREDEPLOY_LOGS:-$LOGS_DIR}/${PREDEPLOY_RUN:-adhoc}"; }

# Whether HOST accepts a TCP connection on PORT, with whatever the image has; 2: it has nothing to try with.
reachable() {
  if can python3; then python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 2).close()' "$1" "$2" 2>/dev/null
  elif can perl; then perl -MIO::Socket::INET -e 'exit(IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => $ARGV[1], Proto => "tcp", Timeout => 2) ? 0 : 1)' "$1" "$2" 2>/dev/null
  elif can node; then node -e 'const s=require("net").connect(+process.argv[2],process.argv[1],()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),2000)' "$1" "$2" 2>/dev/null
  elif can bash; then bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
  elif can nc; then nc -z -w 2 "$1" "$2" 2>/dev/null
  else return 2
  fi
}

# Waits (until the epoch second $1) for the ready port of each alias in $2; says which was not ready.
wait_ready() {
  until_second=$1
  for host in $2; do
    while :; do
      reachable "$host" "$READY_PORT"
      case $? in
        0) break ;;
        2) echo "predeploy: this image has none of python3, perl, node, bash or nc to check whether service $host is ready" >&2; return 1 ;;
      esac
      if [ "$(now)" -ge "$until_second" ]; then
        echo "predeploy: service $host was not ready within $(( until_second - started ))s (its log says why)" >&2
        return 1
      fi
      nap
    done
  done
}

# Accepts connections on the ready port until killed.
serve_ready_port() {
  if can python3; then
    exec python3 -c 'import socket,sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(64)
while True:
    s.accept()[0].close()' "$READY_PORT"
  elif can perl; then
    exec perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => "0.0.0.0", LocalPort => $ARGV[0], Proto => "tcp", Listen => 64, ReuseAddr => 1) or die "ready port: $!\n"; while (1) { my $c = $s->accept; close $c if $c }' "$READY_PORT"
  elif can node; then
    exec node -e 'require("net").createServer((s) => s.destroy()).listen(+process.argv[1], "0.0.0.0")' "$READY_PORT"
  elif can nc; then
    while :; do nc -l -p "$READY_PORT" </dev/null >/dev/null 2>&1 || nc -l "$READY_PORT" </dev/null >/dev/null 2>&1 || sleep 1; done
  else
    echo "predeploy: this image has none of python3, perl, node or nc to signal that it is ready" >&2
    return 1
  fi
}

# The local addresses (kernel hex, `ADDR:PORT`) of the sockets listening in this network namespace.
listeners() {
  for table in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$table" ] || continue
    while read -r _ local _ state _; do
      [ "$state" = 0A ] && echo "$local"
    done <"$table"
  done
}

is_loopback() { # a kernel hex address: 127.0.0.0/8 (little-endian), ::1, or ::ffff:127.x
  case $1 in
    ??????7F | 0000000000000000FFFF0000??????7F | 00000000000000000000000001000000) return 0 ;;
    *) return 1 ;;
  esac
}

# PORT's state: public (listened on beyond loopback), loopback (only there), or none.
port_state() {
  state=none
  for entry in $(listeners); do
    [ "$(( 0x${entry##*:} ))" = "$1" ] || continue
    if is_loopback "${entry%:*}"; then state=loopback; else state=public; break; fi
  done
  echo "$state"
}

# The ports listened on beyond loopback, other than PORTS and the ready port, in order.
other_ports() {
  for entry in $(listeners); do
    is_loopback "${entry%:*}" && continue
    port=$(( 0x${entry##*:} ))
    case " $1 $READY_PORT " in *" $port "*) continue ;; esac
    echo "$port"
  done | sort -n | uniq | tr '\n' ' ' | sed 's/ $//'
}

serve() {
  name=$1 logfile=$2 limit=$3 seconds=$4 wait=$5 hosts=$6 ports=$7 oneshot=$8 check=$9
  shift 9
  dir=$(logs_dir)
  log=/dev/null
  if mkdir -p "$dir" 2>/dev/null; then
    chmod 1777 "$dir" 2>/dev/null
    { : >>"$dir/$logfile"; } 2>/dev/null && log=$dir/$logfile
  fi
  say() { echo "predeploy: $*" | tee -a "$log" >&2; }
  echo "predeploy: starting at $(date -u +%FT%TZ)" >>"$log"
  if [ -n "$hosts" ]; then
    started=$(now)
    wait_ready "$(( started + wait ))" "$hosts" 2>>"$log" || { say "$name not started: a service it binds was not ready"; exit "$NOT_READY_EXIT"; }
  fi
  started=$(now)
  deadline=$(( started + seconds ))
  if can timeout; then set -- timeout -k 10 "$limit" "$@"; fi
  fifo=$(mktemp -u "${TMPDIR:-/tmp}/predeploy-service.XXXXXX")
  if mkfifo "$fifo" 2>/dev/null; then
    tee -a "$log" <"$fifo" &
    "$@" >"$fifo" 2>&1 &
  else
    "$@" &
  fi
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null' TERM INT
  elsewhere_since=""
  while :; do
    if ! kill -0 "$child" 2>/dev/null; then
      wait "$child"
      code=$?
      if [ "$oneshot" = 1 ] && [ "$code" = 0 ]; then
        rm -f "$fifo"
        say "$name done after $(( $(now) - started ))s; ready"
        serve_ready_port
        exit 1
      fi
      rm -f "$fifo"
      say "$name exited with code $code before it was ready"
      exit "$code"
    fi
    waiting_for=""
    if [ "$oneshot" != 1 ]; then
      for port in $ports; do
        [ "$(port_state "$port")" = public ] || waiting_for="$waiting_for $port"
      done
      if [ -z "$waiting_for" ] && [ -n "$check" ]; then
        if ! check_output=$(if can timeout; then timeout 10 sh -c "$check"; else sh -c "$check"; fi 2>&1); then waiting_for=check; fi
      fi
      [ -z "$waiting_for" ] && break
    fi
    elsewhere=""
    [ "$oneshot" = 1 ] || elsewhere=$(other_ports "$ports")
    if [ -n "$elsewhere" ] && [ "$waiting_for" != check ]; then
      [ -n "$elsewhere_since" ] || elsewhere_since=$(now)
    else
      elsewhere_since=""
    fi
    if [ "$(now)" -ge "$deadline" ] || { [ -n "$elsewhere_since" ] && [ "$(( $(now) - elsewhere_since ))" -ge 60 ]; }; then
      for port in $waiting_for; do
        case $port in
          check) say "$name: its healthcheck did not pass: ${check_output:-no output}" ;;
          *)
            if [ "$(port_state "$port")" = loopback ]; then
              say "$name listens on port $port only on the loopback address: nothing outside its container reaches it; it must listen on 0.0.0.0"
            elif [ -n "$elsewhere" ]; then
              say "$name listens on $elsewhere, not $port"
            else
              say "$name did not listen on port $port within $(( $(now) - started ))s"
            fi ;;
        esac
      done
      [ "$oneshot" = 1 ] && say "$name did not finish within $(( $(now) - started ))s"
      kill -TERM "$child" 2>/dev/null
      rm -f "$fifo"
      exit "$NOT_READY_EXIT"
    fi
    nap
  done
  rm -f "$fifo"
  say "$name ready after $(( $(now) - started ))s"
  serve_ready_port &
  ready=$!
  code=""
  while [ -z "$code" ]; do
    wait "$child"
    code=$?
    # A trapped signal interrupts `wait` (code > 128) while the command still runs.
    kill -0 "$child" 2>/dev/null && code=""
  done
  kill "$ready" 2>/dev/null
  say "$name exited with code $code"
  exit "$code"
}

check() {
  limit=$1 wait=$2 hosts=$3
  shift 3
  date +%s >"$STARTED_FILE" 2>/dev/null
  started=$(now)
  if [ -n "$hosts" ]; then wait_ready "$(( started + wait ))" "$hosts" || exit "$NOT_READY_EXIT"; fi
  if can timeout; then exec timeout -k 10 "$limit" "$@"; fi
  exec "$@"
}

print_logs() {
  lines=$1
  shift
  dir=$(logs_dir)
  for entry in "$@"; do
    alias=${entry%%=*} file=$dir/${entry#*=}
    [ -s "$file" ] || continue
    echo "$BEGIN_LOG $alias"
    tail -n "$lines" "$file"
    [ -z "$(tail -c 1 "$file")" ] || echo
    echo "$END_LOG $alias"
  done
}

# Content hashes of every source file (not dependencies, VCS or bytecode), sorted by path.
snapshot() {
  (cd "$1" && find . -type f ! -path '*/node_modules/*' ! -path './.git/*' ! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 -r sha256sum)
}

fix() {
  root=$1 cwd=$2 archive=$3
  shift 3
  work=$(mktemp -d)
  snapshot "$root" >"$work/before"
  cd "$cwd" || exit 1
  status=0
  for command in "$@"; do
    echo "predeploy fix: $command" >&2
    sh -c "$command" || { status=$?; break; }
  done
  snapshot "$root" >"$work/after"
  [ "$status" -eq 0 ] || exit "$status"
  cd "$root" || exit 1
  grep -Fxv -f "$work/before" "$work/after" | cut -c67- >"$work/fixed"
  if [ -s "$work/fixed" ]; then tar -cf - -T "$work/fixed" | base64 | tr -d '\n' >"$archive"; else : >"$archive"; fi
  echo "predeploy fixed:" >&2
  cat "$work/fixed" >&2
}

usage() {
  echo "usage: runtime.sh check LIMIT WAIT HOSTS COMMAND... | serve NAME LOG LIMIT SECONDS WAIT HOSTS PORTS ONESHOT CHECK COMMAND... | logs LINES ALIAS=FILE... | fix ROOT CWD ARCHIVE COMMAND..." >&2
  exit 2
}
case "${1:-}" in
  check) [ $# -ge 5 ] || usage; shift; check "$@" ;;
  serve) [ $# -ge 11 ] || usage; shift; serve "$@" ;;
  logs) [ $# -ge 2 ] || usage; shift; print_logs "$@" ;;
  fix) [ $# -ge 4 ] || usage; shift; fix "$@" ;;
  *) usage ;;
esac
