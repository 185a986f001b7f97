import { program } from "../programs/index.js";

/**
 * The verify stage's probe, written into its container as a file. Python because the
 * backend image already has it (and psycopg for the SQL read-back); standard library
 * otherwise. It prints JSON lines; the last one is the verdict the `http-probe` parser reads.
 */
export const PROBE_PATH = "/opt/predeploy/probe.py";

/** The probe (src/programs/probe.py), written into the checks that run it. */
export const PROBE_SCRIPT = program("probe.py");

/** What the probe's `health` mode reads (as JSON): see `health()` in the script. */
export interface HealthProbe {
  base: string;
  path: string;
  expectStatus: number | null;
  /** Text the answer's body must contain (health.expectText); null: any body. */
  expectText: string | null;
  what: "backend" | "worker";
  /** The predeploy.json field that configures it, for the message. */
  configKey: string;
  /** Tried in order when `path` answers 404 and nothing is configured; `reject`: statuses that do not show the app serves. */
  fallbacks: { path: string; reject: number[] }[];
  /** Sent with every request, as the platform's proxy sends them. */
  headers?: Record<string, string>;
  /** Said when nothing answers (e.g. the health route's port is not the one the backend listens on). */
  unreachable?: string;
}

/** What a platform's TLS-terminating proxy adds to every request it forwards. */
export const PROXY_HEADERS = { "X-Forwarded-Proto": "https" } as const;

/** A backend without a health route: a real page (the admin login), else any page Django routes (its 404 is Django answering), never a 400 (a Host it refuses). */
export const BACKEND_FALLBACKS: HealthProbe["fallbacks"] = [
  { path: "/admin/login/", reject: [400, 404] },
  { path: "/", reject: [400] },
];
/** A worker without a health route: any answer below 500 from `/` shows the runtime loaded it and it handles requests. */
export const WORKER_FALLBACKS: HealthProbe["fallbacks"] = [{ path: "/", reject: [] }];

/** The probe of a health route; anything configured (path, status, text) is asked for exactly, without fallbacks. */
export function healthProbe(
  base: string,
  what: HealthProbe["what"],
  configKey: string,
  configured: { path?: string | undefined; expectStatus?: number | undefined; expectText?: string | undefined } | undefined,
  fallbacks: HealthProbe["fallbacks"],
): HealthProbe {
  const custom = configured?.path !== undefined || configured?.expectStatus !== undefined || configured?.expectText !== undefined;
  return { base, path: configured?.path ?? "/health", expectStatus: configured?.expectStatus ?? null, expectText: configured?.expectText ?? null, what, configKey, fallbacks: custom ? [] : fallbacks };
}
