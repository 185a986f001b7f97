import type { DeclaredHealthcheck } from "./declared.js";

/**
 * The HTTP route a healthcheck command requests on its own service: curl, wget, or Python's
 * urllib/requests/httpx against localhost, 127.0.0.1, 0.0.0.0 or [::1] (on a port it names, or
 * one a variable holds: then no port is known). The route is what
 * predeploy probes from outside; the command itself is the project's readiness test.
 */
const LOCAL_URL = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+)|:\$\{[^}]*\}|:\$\w+)?(\/[^\s'"`)\\|;&]*)?/;

export function healthcheckOf(command: string): DeclaredHealthcheck {
  const url = LOCAL_URL.exec(command);
  if (url === null) return { command, path: null, port: null };
  return { command, path: url[2] ?? "/", port: url[1] !== undefined ? Number(url[1]) : null };
}
