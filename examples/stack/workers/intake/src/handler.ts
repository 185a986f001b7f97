import { validateForm } from "./form.ts";

export interface IntakeConfig {
  /** Base URL of the Django backend, e.g. http://backend:8000. */
  backendUrl: string;
  /** Shared secret sent to the backend in the X-Intake-Key header. */
  intakeApiKey: string;
  /** Origins allowed to post from a browser; ["*"] allows any. */
  allowedOrigins: string[];
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** What the handler needs from the runtime, injected so tests can stand in for the backend. */
export interface Deps {
  fetch: Fetch;
  log: (message: string) => void;
}

const FORM_ROUTE = /^\/intake\/([a-z0-9][a-z0-9-]{0,63})\/form\/?$/;
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const BACKEND_TIMEOUT_MS = 10_000;

function corsHeaders(request: Request, config: IntakeConfig): Record<string, string> {
  const origin = request.headers.get("Origin");
  const allowAny = config.allowedOrigins.includes("*");
  if (!allowAny && (origin === null || !config.allowedOrigins.includes(origin))) return {};
  return {
    "Access-Control-Allow-Origin": allowAny ? "*" : (origin ?? ""),
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
    Vary: "Origin",
  };
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

async function forwardToBackend(
  client: string,
  request: Request,
  config: IntakeConfig,
  deps: Deps,
): Promise<Response> {
  const cors = corsHeaders(request, config);
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!FORM_TYPES.some((type) => contentType.startsWith(type))) {
    return json({ error: `expected one of: ${FORM_TYPES.join(", ")}` }, 415, cors);
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json({ error: "malformed form body" }, 400, cors);
  }
  const result = validateForm(form);
  if (!result.ok) return json({ error: "invalid form", fields: result.errors }, 400, cors);

  if (config.intakeApiKey === "") {
    deps.log("intake: INTAKE_API_KEY is not set");
    return json({ error: "intake is not configured" }, 503, cors);
  }

  const response = await deps
    .fetch(new URL("/api/intake/", config.backendUrl).toString(), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Intake-Key": config.intakeApiKey },
      body: JSON.stringify({ client, channel: "form", ...result.fields, payload: result.payload }),
      signal: AbortSignal.timeout(BACKEND_TIMEOUT_MS),
    })
    .catch((error: unknown) => {
      deps.log(`intake: backend unreachable: ${String(error)}`);
      return null;
    });
  if (response === null) return json({ error: "backend unavailable" }, 502, cors);
  const answer: unknown = await response.json().catch(() => null);
  const id = typeof answer === "object" && answer !== null && "id" in answer ? answer.id : null;
  if (response.status !== 201 || typeof id !== "number" || !Number.isInteger(id)) {
    deps.log(`intake: backend answered ${response.status}: ${JSON.stringify(answer)}`);
    return json({ error: "backend rejected the submission" }, 502, cors);
  }
  return json({ id }, 201, cors);
}

export async function handleRequest(
  request: Request,
  config: IntakeConfig,
  deps: Deps,
): Promise<Response> {
  const { pathname } = new URL(request.url);

  if (pathname === "/health") {
    return request.method === "GET" || request.method === "HEAD"
      ? json({ status: "ok" }, 200)
      : json({ error: "method not allowed" }, 405, { Allow: "GET, HEAD" });
  }

  const route = FORM_ROUTE.exec(pathname);
  if (!route?.[1]) return json({ error: "not found" }, 404);
  if (request.method === "OPTIONS") {
    return new Response(null, { status: 204, headers: corsHeaders(request, config) });
  }
  if (request.method !== "POST") {
    return json({ error: "method not allowed" }, 405, { Allow: "POST, OPTIONS" });
  }
  return forwardToBackend(route[1], request, config, deps);
}
