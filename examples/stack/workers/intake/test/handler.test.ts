import assert from "node:assert/strict";
import { test } from "node:test";

import { handleRequest, type Deps, type IntakeConfig } from "../src/handler.ts";

const config: IntakeConfig = {
  backendUrl: "http://backend:8000",
  intakeApiKey: "test-key",
  allowedOrigins: ["https://coffee.example"],
};

interface Call {
  url: string;
  init: RequestInit;
}

function backend(answer: () => Response | Promise<Response>): { deps: Deps; calls: Call[] } {
  const calls: Call[] = [];
  const deps: Deps = {
    fetch: async (url, init) => {
      calls.push({ url, init });
      return answer();
    },
    log: () => {},
  };
  return { deps, calls };
}

function formPost(path: string, fields: Record<string, string>, origin?: string): Request {
  return new Request(`http://worker${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(origin ? { Origin: origin } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

const fields = { name: "Ada", email: "ada@example.com", message: "Decaf?" };

test("health answers ok without calling the backend", async () => {
  const { deps, calls } = backend(() => new Response(null, { status: 500 }));

  const response = await handleRequest(new Request("http://worker/health"), config, deps);

  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: "ok" });
  assert.equal(calls.length, 0);
});

test("a valid form is forwarded as JSON with the API key and the backend id returned", async () => {
  const { deps, calls } = backend(() => Response.json({ id: 42 }, { status: 201 }));

  const response = await handleRequest(
    formPost("/intake/coffee-shop/form", { ...fields, newsletter: "yes" }),
    config,
    deps,
  );

  assert.equal(response.status, 201);
  assert.deepEqual(await response.json(), { id: 42 });
  assert.equal(calls.length, 1);
  const [call] = calls;
  assert.equal(call?.url, "http://backend:8000/api/intake/");
  assert.equal(new Headers(call?.init.headers).get("X-Intake-Key"), "test-key");
  assert.deepEqual(JSON.parse(String(call?.init.body)), {
    client: "coffee-shop",
    channel: "form",
    ...fields,
    payload: { ...fields, newsletter: "yes" },
  });
});

test("multipart forms are accepted too", async () => {
  const { deps } = backend(() => Response.json({ id: 7 }, { status: 201 }));
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);

  const response = await handleRequest(
    new Request("http://worker/intake/coffee-shop/form", { method: "POST", body }),
    config,
    deps,
  );

  assert.equal(response.status, 201);
});

test("invalid input is a 400 with field errors and never reaches the backend", async () => {
  const { deps, calls } = backend(() => Response.json({ id: 1 }, { status: 201 }));

  const response = await handleRequest(
    formPost("/intake/coffee-shop/form", { ...fields, email: "nope" }),
    config,
    deps,
  );

  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), {
    error: "invalid form",
    fields: { email: "Enter a valid email address." },
  });
  assert.equal(calls.length, 0);
});

test("a backend error becomes a 502", async () => {
  const { deps } = backend(() => Response.json({ error: "boom" }, { status: 500 }));

  const response = await handleRequest(formPost("/intake/coffee-shop/form", fields), config, deps);

  assert.equal(response.status, 502);
});

test("an unreachable backend becomes a 502", async () => {
  const { deps } = backend(() => Promise.reject(new TypeError("fetch failed")));

  const response = await handleRequest(formPost("/intake/coffee-shop/form", fields), config, deps);

  assert.equal(response.status, 502);
});

test("CORS headers are sent to allowed origins only", async () => {
  const { deps } = backend(() => Response.json({ id: 3 }, { status: 201 }));

  const allowed = await handleRequest(
    new Request("http://worker/intake/coffee-shop/form", {
      method: "OPTIONS",
      headers: { Origin: "https://coffee.example" },
    }),
    config,
    deps,
  );
  const other = await handleRequest(
    formPost("/intake/coffee-shop/form", fields, "https://evil.example"),
    config,
    deps,
  );

  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get("Access-Control-Allow-Origin"), "https://coffee.example");
  assert.equal(other.headers.get("Access-Control-Allow-Origin"), null);
});

test("unknown paths and client slugs that are not slugs are 404", async () => {
  const { deps } = backend(() => Response.json({ id: 3 }, { status: 201 }));

  const unknown = await handleRequest(new Request("http://worker/nope"), config, deps);
  const badSlug = await handleRequest(formPost("/intake/Coffee_Shop/form", fields), config, deps);

  assert.equal(unknown.status, 404);
  assert.equal(badSlug.status, 404);
});
