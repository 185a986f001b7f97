import type { ServiceBinding } from "../plan/spec.js";
import { serviceLogFile } from "./service-logs.js";

/**
 * An engine's own health check of a port that never opens retries for many minutes, and a
 * service that fails it never lets the binding command run (nor print the service's log).
 * So executors skip the engine's health check, and the command that binds services waits
 * for their ports itself, inside its own time limit: a service that exits first (its log's
 * `.exit` file, see service-logs.ts) or never listens (a server bound to 127.0.0.1) fails
 * that command, saying which.
 */

/** Seconds a command waits for each entrypoint service before it fails. */
export const READY_SECONDS = 300;
/** The exit code of a command whose service never listened (sysexits EX_UNAVAILABLE). */
export const NOT_READY_EXIT = 69;

/** `alias:port:log file` of each directly bound service. */
export function serviceTargets(services: readonly ServiceBinding[]): string[] {
  return services.flatMap((b) => b.service.ports.map((port) => `${b.alias}:${port}:${serviceLogFile(b.service)}`));
}

// Tries a TCP connection with whatever the image has: python3, node, bash's /dev/tcp, nc.
const WAIT = `started=$(date +%s); deadline=$(( started + $1 )); shift
can() { command -v "$1" >/dev/null 2>&1; }
open() {
  if can python3; then python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 2).close()' "$1" "$2" 2>/dev/null
  elif can node; then node -e 'const s=require("net").connect(+process.argv[2],process.argv[1],()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),2000)' "$1" "$2" 2>/dev/null
  elif can bash; then bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
  elif can nc; then nc -z -w 2 "$1" "$2" 2>/dev/null
  else return 0; fi
}
# An exit written since this wait began (an older one is an earlier run's, in the shared volume).
exited() {
  [ -f "$1.exit" ] && [ "$(stat -c %Y "$1.exit" 2>/dev/null || echo 0)" -ge "$started" ]
}
while [ "$1" != "--" ]; do
  host=\${1%%:*}; rest=\${1#*:}; port=\${rest%%:*}; log=\${rest#*:}
  until open "$host" "$port"; do
    if exited "$log"; then echo "predeploy: service $host exited with code $(cat "$log.exit") before it accepted connections on port $port" >&2; exit ${NOT_READY_EXIT}; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "predeploy: service $host did not accept connections on port $port; it is not ready (is it listening on 0.0.0.0, not 127.0.0.1?)" >&2; exit ${NOT_READY_EXIT}; fi
    sleep 1
  done
  shift
done
shift
exec "$@"`;

/** `argv`, first waiting (bounded) until each target accepts connections; unchanged when there is none. */
export function afterServicesListen(argv: readonly string[], targets: readonly string[]): string[] {
  return targets.length === 0 ? [...argv] : ["sh", "-c", WAIT, "sh", String(READY_SECONDS), ...targets, "--", ...argv];
}
