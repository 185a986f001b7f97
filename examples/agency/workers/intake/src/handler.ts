import { readSubmission } from "./form.ts";
import { insertSubmission, type Sql } from "./store.ts";

export interface Deps {
  /** null when NEON_DATABASE_URL is not configured */
  sql: Sql | null;
  allowedOrigins: string[];
  log: (message: string, error?: unknown) => void;
}

const SUBMIT = /^\/submit\/([^/]+)\/?$/;

function corsHeaders(request: Request, allowedOrigins: string[]): Record<string, string> {
  const origin = request.headers.get("Origin");
  if (origin === null || !allowedOrigins.includes(origin)) return {};
  return { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

export async function handle(request: Request, deps: Deps): Promise<Response> {
  const url = new URL(request.url);
  const match = SUBMIT.exec(url.pathname);
  if (!match) return json({ error: "not found" }, 404);
  const site = decodeURIComponent(match[1] ?? "");
  const cors = corsHeaders(request, deps.allowedOrigins);

  if (request.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: { ...cors, "Access-Control-Allow-Methods": "POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "86400" },
    });
  }
  if (request.method !== "POST") return json({ error: "method not allowed" }, 405, { ...cors, Allow: "POST, OPTIONS" });

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json({ error: "send the form as multipart/form-data or application/x-www-form-urlencoded" }, 415, cors);
  }
  const result = readSubmission(site, form);
  if (!result.ok) {
    // Bots get the same answer as people, minus the id, so they learn nothing.
    if ("spam" in result) return json({}, 202, cors);
    return json({ error: "invalid submission", fields: result.errors }, 422, cors);
  }
  if (deps.sql === null) {
    deps.log("NEON_DATABASE_URL is not set");
    return json({ error: "intake is not configured" }, 503, cors);
  }
  try {
    const id = await insertSubmission(deps.sql, result.submission);
    return json({ submission_id: id }, 202, cors);
  } catch (error) {
    deps.log(`storing a submission for ${site} failed`, error);
    return json({ error: "could not store the submission" }, 500, cors);
  }
}
