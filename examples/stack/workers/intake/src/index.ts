import { handleRequest, type Deps } from "./handler.ts";

export interface Env {
  BACKEND_URL: string;
  ALLOWED_ORIGINS: string;
  /** Secret: `wrangler secret put INTAKE_API_KEY`; see wrangler.toml for local runs. */
  INTAKE_API_KEY?: string;
}

// workerd's fetch must be called with the global `this`: calling it as `deps.fetch(...)` on a
// plain object throws "Illegal invocation", so it is wrapped rather than passed as is.
const deps: Deps = {
  fetch: (input, init) => fetch(input, init),
  log: (message) => console.error(message),
};

export default {
  fetch(request, env) {
    const config = {
      backendUrl: env.BACKEND_URL,
      intakeApiKey: env.INTAKE_API_KEY ?? "",
      allowedOrigins: env.ALLOWED_ORIGINS.split(",").map((origin) => origin.trim()),
    };
    return handleRequest(request, config, deps);
  },
} satisfies ExportedHandler<Env>;
