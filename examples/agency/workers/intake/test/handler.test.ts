import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { handle, type Deps } from "../src/handler.ts";
import type { Sql } from "../src/store.ts";

interface Call {
  text: string;
  params: unknown[];
}

/** Stands in for neon(): records each query and answers with the given rows (or throws). */
function fakeSql(answer: Record<string, unknown>[] | Error): { sql: Sql; calls: Call[] } {
  const calls: Call[] = [];
  const sql: Sql = async (strings, ...params) => {
    calls.push({ text: strings.join("$?"), params });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { sql, calls };
}

function deps(sql: Sql | null, logged: string[] = []): Deps {
  return { sql, allowedOrigins: ["https://rosemarybakery.example"], log: (message) => logged.push(message) };
}

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`https://intake.example.dev${path}`, { method: "POST", body: new URLSearchParams(fields), headers });
}

const fields = { name: "Ada Lovelace", email: "ada@example.com", phone: "", message: "Two dozen croissants for Saturday?", website: "" };

describe("POST /submit/<site>", () => {
  it("stores a valid submission and answers 202 with its id", async () => {
    const { sql, calls } = fakeSql([{ id: "42" }]);
    const response = await handle(post("/submit/rosemary-bakery", fields), deps(sql));
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { submission_id: 42 });
    assert.equal(calls.length, 1);
    assert.match(calls[0]?.text ?? "", /^\s*INSERT INTO leads_submission\b/);
    assert.deepEqual(calls[0]?.params, ["rosemary-bakery", "Ada Lovelace", "ada@example.com", "", "Two dozen croissants for Saturday?"]);
  });

  it("accepts multipart form data as browsers send it", async () => {
    const { sql } = fakeSql([{ id: 7 }]);
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    const request = new Request("https://intake.example.dev/submit/rosemary-bakery", { method: "POST", body });
    const response = await handle(request, deps(sql));
    assert.equal(response.status, 202);
  });

  it("answers 422 naming the invalid fields and stores nothing", async () => {
    const { sql, calls } = fakeSql([{ id: 1 }]);
    const response = await handle(post("/submit/rosemary-bakery", { ...fields, email: "ada" }), deps(sql));
    assert.equal(response.status, 422);
    assert.deepEqual(Object.keys(((await response.json()) as { fields: object }).fields), ["email"]);
    assert.equal(calls.length, 0);
  });

  it("answers bots 202 without storing anything", async () => {
    const { sql, calls } = fakeSql([{ id: 1 }]);
    const response = await handle(post("/submit/rosemary-bakery", { ...fields, website: "http://spam.example" }), deps(sql));
    assert.equal(response.status, 202);
    assert.equal(calls.length, 0);
  });

  it("answers 500 and logs when the database refuses the row", async () => {
    const { sql } = fakeSql(new Error('relation "leads_submission" does not exist'));
    const logged: string[] = [];
    const response = await handle(post("/submit/rosemary-bakery", fields), deps(sql, logged));
    assert.equal(response.status, 500);
    assert.deepEqual(logged, ["storing a submission for rosemary-bakery failed"]);
  });

  it("answers 503 when no database is configured", async () => {
    const response = await handle(post("/submit/rosemary-bakery", fields), deps(null));
    assert.equal(response.status, 503);
  });

  it("allows CORS for the configured origins only", async () => {
    const { sql } = fakeSql([{ id: 3 }]);
    const allowed = await handle(post("/submit/rosemary-bakery", fields, { Origin: "https://rosemarybakery.example" }), deps(sql));
    assert.equal(allowed.headers.get("Access-Control-Allow-Origin"), "https://rosemarybakery.example");
    const other = await handle(post("/submit/rosemary-bakery", fields, { Origin: "https://elsewhere.example" }), deps(sql));
    assert.equal(other.headers.get("Access-Control-Allow-Origin"), null);
  });
});

describe("other requests", () => {
  it("answers the CORS preflight", async () => {
    const request = new Request("https://intake.example.dev/submit/rosemary-bakery", { method: "OPTIONS", headers: { Origin: "https://rosemarybakery.example" } });
    const response = await handle(request, deps(null));
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("Access-Control-Allow-Methods"), "POST, OPTIONS");
  });

  it("answers 405 to a GET on the form path and 404 elsewhere", async () => {
    const get = await handle(new Request("https://intake.example.dev/submit/rosemary-bakery"), deps(null));
    assert.equal(get.status, 405);
    const other = await handle(new Request("https://intake.example.dev/"), deps(null));
    assert.equal(other.status, 404);
  });
});
