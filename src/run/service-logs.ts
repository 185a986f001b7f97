import { createHash } from "node:crypto";
import type { ServiceBinding, ServiceSpec } from "../model/spec.js";

/**
 * The output of a check's services, for the report. No engine lets a check read a running
 * service's output, and a service that exits takes its output with it, so every service keeps
 * it (runtime.sh `serve`) in a file in a volume mounted after its layers, in a folder named by
 * the run's id (two runs on one engine never share a file). When a check fails, its executor
 * reads the end of each of its services' files (runtime.sh `logs`) in a container of its own;
 * the result builder lifts the blocks out after redaction.
 */

/**
 * The volume is mounted at `mount`; the logs are in `dir`/<run id>, created world-writable with
 * the sticky bit (1777, as /tmp), since a service runs as its image's user, often not root.
 */
export const SERVICE_LOGS = { mount: "/predeploy/service-logs", volume: "predeploy-service-logs", subdir: "all", dir: "/predeploy/service-logs/all" } as const;
/** Lines of each service's log a failing check reads. */
export const SERVICE_LOG_LINES = 60;

export const BEGIN_LOG = "predeploy: service log:";
export const END_LOG = "predeploy: end of service log:";

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

/** The name of a service's log file in the run's folder: its name and digest. */
export function serviceLogFile(service: ServiceSpec): string {
  return `${service.name}-${serviceDigest(service).slice(0, 16)}.log`;
}

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

/** One service's log block, as runtime.sh `logs` prints it. */
export function serviceLogBlock(alias: string, text: string): string {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return [`${BEGIN_LOG} ${alias}`, ...lines.slice(-SERVICE_LOG_LINES), `${END_LOG} ${alias}`, ""].join("\n");
}

const BLOCK = new RegExp(`^${BEGIN_LOG} (\\S+)\\n([\\s\\S]*?)^${END_LOG} \\1$\\n?`, "gm");

/** The service log blocks lifted out of a text, and the text without them. */
export function splitServiceLogs(text: string): { logs: { service: string; text: string }[]; rest: string } {
  const logs: { service: string; text: string }[] = [];
  const rest = text.replace(BLOCK, (_, service: string, block: string) => {
    logs.push({ service, text: block });
    return "";
  });
  return { logs, rest };
}
