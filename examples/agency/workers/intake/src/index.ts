import { neon } from "@neondatabase/serverless";
import { handle } from "./handler.ts";

export interface Env {
  NEON_DATABASE_URL?: string;
  ALLOWED_ORIGINS?: string;
}

export default {
  async fetch(request, env): Promise<Response> {
    return handle(request, {
      sql: env.NEON_DATABASE_URL ? neon(env.NEON_DATABASE_URL) : null,
      allowedOrigins: (env.ALLOWED_ORIGINS ?? "")
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
      log: (message, error) => console.error(message, error ?? ""),
    });
  },
} satisfies ExportedHandler<Env>;
