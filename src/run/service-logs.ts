import { createHash } from "node:crypto";
import type { ServiceBinding, ServiceSpec } from "../plan/spec.js";

/**
 * The output of a check's services, for the report. Neither executor can read a running
 * service's output from the check (Dagger has no API for it), so every service writes it,
 * as it runs, to a file in a volume mounted after its layers, and the check's command — in
 * a container with the same volume — prints the end of each file when it fails, between
 * markers that the result builder lifts out of its stderr (after redaction). Each file is
 * named by the service's digest, so the check and the executors agree on it without talking.
 */

/**
 * The volume is mounted at `mount`; the logs are in `dir`, created world-writable with the
 * sticky bit (1777, as /tmp), since a service runs as its image's user, often not root.
 */
export const SERVICE_LOGS = { mount: "/predeploy/service-logs", volume: "predeploy-service-logs", subdir: "all", dir: "/predeploy/service-logs/all" } as const;
/** Lines of each service's log a failing check prints. */
export const SERVICE_LOG_LINES = 60;

const BEGIN = "predeploy: service log:";
const END = "predeploy: end of service log:";

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A service's identity: equal specs are one service (Dagger starts each digest once per session). */
export function serviceDigest(service: ServiceSpec): string {
  return createHash("sha256").update(canonicalJson(service)).digest("hex");
}

export function serviceLogFile(service: ServiceSpec): string {
  return `${SERVICE_LOGS.dir}/${serviceDigest(service).slice(0, 16)}.log`;
}

// Runs the service's command with its output also in the log file; `<log>.exit` holds its
// exit code once it ends (readiness.ts fails fast on it). Its own exit code is the command's.
const TEE = `log=$1; shift
rm -f "$log.exit"
{ "$@" 2>&1; echo "$?" > "$log.exit"; } | tee "$log"
exit "$(cat "$log.exit" 2>/dev/null || echo 1)"`;

/** The command a service runs: its own (or its image's default), its output kept in `logFile`. */
export function loggedServiceArgs(logFile: string, command: readonly string[]): string[] {
  return ["sh", "-c", TEE, "sh", logFile, ...command];
}

// Runs the check's command; when it fails, prints the end of each service's log on stderr.
const SHOW = `n=$1; shift; entries=""
while [ "$n" -gt 0 ]; do entries="$entries $1"; shift; n=$((n - 1)); done
"$@"; status=$?
if [ "$status" -ne 0 ]; then
  sleep 1 # what a service logs about the failing request can arrive a moment later (wrangler reads its worker's console through the inspector)
  for entry in $entries; do
    alias=\${entry%%=*}; file=\${entry#*=}
    [ -s "$file" ] || continue
    echo "${BEGIN} $alias" >&2
    tail -n ${SERVICE_LOG_LINES} "$file" >&2
    [ -z "$(tail -c 1 "$file")" ] || echo >&2
    echo "${END} $alias" >&2
  done
fi
exit "$status"`;

/** Every service a container binds, its services' services included, once each by log file. */
export function boundServiceLogs(services: readonly ServiceBinding[]): { alias: string; file: string }[] {
  const seen = new Map<string, string>();
  const visit = (binding: ServiceBinding): void => {
    const file = serviceLogFile(binding.service);
    if (seen.has(file)) return;
    seen.set(file, binding.alias);
    binding.service.container.services.forEach(visit);
  };
  services.forEach(visit);
  return [...seen].map(([file, alias]) => ({ alias, file }));
}

/** `command`, printing the logs of the services it binds when it fails; unchanged without services. */
export function showingServiceLogs(command: readonly string[], services: readonly ServiceBinding[]): string[] {
  const logs = boundServiceLogs(services);
  if (logs.length === 0) return [...command];
  return ["sh", "-c", SHOW, "sh", String(logs.length), ...logs.map(({ alias, file }) => `${alias}=${file}`), ...command];
}

/** One service's log block, as the check printed it (or as an executor writes it for a service that never became ready). */
export function serviceLogBlock(alias: string, text: string): string {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return [`${BEGIN} ${alias}`, ...lines.slice(-SERVICE_LOG_LINES), `${END} ${alias}`, ""].join("\n");
}

const BLOCK = new RegExp(`^${BEGIN} (\\S+)\\n([\\s\\S]*?)^${END} \\1$\\n?`, "gm");

/** The service log blocks lifted out of a check's stderr, and the stderr without them. */
export function splitServiceLogs(stderr: string): { logs: { service: string; text: string }[]; rest: string } {
  const logs: { service: string; text: string }[] = [];
  const rest = stderr.replace(BLOCK, (_, service: string, text: string) => {
    logs.push({ service, text });
    return "";
  });
  return { logs, rest };
}
