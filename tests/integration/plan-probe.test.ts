import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseHttpProbe } from "../../src/parse/http-probe.js";
import { BACKEND_FALLBACKS, healthProbe, PROBE_SCRIPT, WORKER_FALLBACKS, type HealthProbe } from "../../src/plan/probe.js";

/**
 * The verify stage's probe, run by the host's python3 against a local HTTP server whose
 * answers per path each test sets, and read back by the http-probe parser.
 */

let server: Server;
let base = "";
let answers: Record<string, { status: number; location?: string; body?: string }> = {};
const dir = mkdtempSync(join(tmpdir(), "predeploy-probe-"));
const script = join(dir, "probe.py");

before(async () => {
  writeFileSync(script, PROBE_SCRIPT);
  server = createServer((req, res) => {
    const answer = answers[req.url ?? ""] ?? { status: 404 };
    res.writeHead(answer.status, answer.location ? { Location: answer.location } : {});
    res.end(answer.body ?? `answer for ${req.url}`);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function probe(spec: HealthProbe | Record<string, unknown>, mode = "health"): Promise<ReturnType<typeof parseHttpProbe>> {
  return new Promise((done) => {
    execFile("python3", [script, mode, JSON.stringify(spec)], { encoding: "utf8" }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      done(parseHttpProbe({ exitCode, stdout, stderr, files: {} }, { pathBase: "." }));
    });
  });
}

const backend = (configured?: { path?: string; expectStatus?: number }) => healthProbe(base, "backend", "backend.health", configured, BACKEND_FALLBACKS);
const worker = () => healthProbe(base, "worker", "workers.intake.health", undefined, WORKER_FALLBACKS);

test("a /health route answering 200 passes", async () => {
  answers = { "/health": { status: 200 } };
  const result = await probe(backend());
  assert.equal(result.status, "passed");
  assert.equal(result.summary, "GET /health answered 200");
});

test("a Django without /health passes on its admin login page, and says so", async () => {
  answers = { "/admin/login/": { status: 200 } };
  const result = await probe(backend());
  assert.equal(result.status, "passed");
  assert.equal(result.summary, "GET /health answered 404 (no health route); GET /admin/login/ answered 200: the backend serves requests");
});

test("without the admin, Django's own 404 for / shows it serves requests", async () => {
  answers = {};
  const result = await probe(backend());
  assert.equal(result.status, "passed");
  assert.equal(result.summary, "GET /health answered 404 (no health route); GET / answered 404: the backend serves requests");
});

test("a 400 (a Host Django refuses) fails with the ALLOWED_HOSTS hint", async () => {
  answers = { "/admin/login/": { status: 400 }, "/": { status: 400 } };
  const result = await probe(backend());
  assert.equal(result.status, "failed");
  assert.equal(result.summary, "GET /health answered 404; GET /admin/login/ answered 400, GET / answered 400");
  assert.match(result.findings[0]?.message ?? "", /not in ALLOWED_HOSTS/);
  assert.match(result.findings[0]?.message ?? "", /set backend\.health in predeploy\.json/);
});

test("a server error on a fallback fails at once, without suggesting configuration", async () => {
  answers = { "/admin/login/": { status: 500 }, "/": { status: 200 } };
  const result = await probe(backend());
  assert.equal(result.status, "failed");
  assert.equal(result.summary, "GET /health answered 404; GET /admin/login/ answered 500");
  assert.doesNotMatch(result.findings[0]?.message ?? "", /predeploy\.json/);
});

test("a failing /health is not papered over by the fallbacks", async () => {
  answers = { "/health": { status: 503 }, "/admin/login/": { status: 200 } };
  const result = await probe(backend());
  assert.equal(result.status, "failed");
  assert.equal(result.summary, "GET /health answered 503");
});

test("a configured path and status are exact, with no fallback", async () => {
  answers = { "/healthz": { status: 200 }, "/admin/login/": { status: 200 } };
  const wrong = await probe(backend({ path: "/healthz", expectStatus: 204 }));
  assert.equal(wrong.status, "failed");
  assert.equal(wrong.summary, "GET /healthz answered 200, expected 204");
  const missing = await probe(backend({ path: "/ping" }));
  assert.equal(missing.status, "failed");
  assert.equal(missing.summary, "GET /ping answered 404");
  assert.equal((await probe(backend({ path: "/healthz" }))).status, "passed");
});

test("a redirect is the answer, not a connection error; a redirect of the same route to https, as a proxy's request, is a loop", async () => {
  answers = { "/health": { status: 302, location: "/health/" } , "/health/": { status: 301, location: "https://backend/login/" } };
  const elsewhere = await probe(backend());
  assert.equal(elsewhere.status, "passed");
  assert.equal(elsewhere.summary, "GET /health answered 301");
  answers = { "/health": { status: 301, location: "https://backend/health" } };
  const loop = await probe({ ...backend(), headers: { "X-Forwarded-Proto": "https" } });
  assert.equal(loop.status, "failed");
  assert.equal(loop.summary, "GET /health redirects to https even from the proxy");
  assert.match(loop.findings[0]?.message ?? "", /\(X-Forwarded-Proto: https\) answered 301 to https: .*set SECURE_PROXY_SSL_HEADER/);
});

test("a worker without /health passes on any answer below 500 from /", async () => {
  answers = { "/": { status: 405 } };
  const result = await probe(worker());
  assert.equal(result.status, "passed");
  assert.equal(result.summary, "GET /health answered 404 (no health route); GET / answered 405: the worker serves requests");
  answers = { "/": { status: 500 } };
  assert.equal((await probe(worker())).status, "failed");
});

test("an end-to-end post the worker has no route for says how to point the check at the worker's form", async () => {
  answers = {};
  const spec = (pathConfigured: boolean) => ({ url: `${base}/intake/predeploy-e2e/form`, pathConfigured, form: { name: "n" }, expectStatus: null, sql: "SELECT 1" });
  const unconfigured = await probe(spec(false), "intake");
  assert.equal(unconfigured.status, "failed");
  assert.equal(unconfigured.summary, "form post answered 404");
  assert.match(unconfigured.findings[0]?.message ?? "", /set e2e\.path, e2e\.form and e2e\.sql in predeploy\.json/);
  const configured = await probe(spec(true), "intake");
  assert.doesNotMatch(configured.findings[0]?.message ?? "", /predeploy\.json/);
});

test("the end-to-end id: e2e.idField's dotted path, else id, else the single *_id field; a query without %(id)s needs none", async () => {
  const post = (body: string, extra: Record<string, unknown> = {}) => {
    answers = { "/contact": { status: 202, body } };
    return probe({ url: `${base}/contact`, pathConfigured: true, form: { name: "n" }, expectStatus: 202, sql: "SELECT id FROM t WHERE id = %(id)s", ...extra }, "intake");
  };
  // Past the id, the read-back runs (and fails here, with no database): the id was found.
  assert.equal((await post('{"submission_id": "7"}')).summary, "read-back query failed");
  assert.equal((await post('{"data": {"id": 3}}', { idField: "data.id" })).summary, "read-back query failed");
  const twoIds = await post('{"a_id": 1, "b_id": 2}');
  assert.equal(twoIds.summary, "form post answered without an id");
  assert.match(twoIds.findings[0]?.message ?? "", /a_id, b_id.*e2e\.idField/);
  const missing = await post('{"data": {}}', { idField: "data.id" });
  assert.match(missing.findings[0]?.message ?? "", /no data\.id \(e2e\.idField\)/);
  assert.equal((await post("accepted", { sql: "SELECT 1 FROM t WHERE email = %(email)s" })).summary, "read-back query failed", "no id needed");
});
