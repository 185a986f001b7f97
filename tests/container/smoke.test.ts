/**
 * `smoke` against real HTTP servers on this machine: the module's smoke plan for
 * tests/fixtures/projects/smoke-target, run through the harness (probe containers on Docker's
 * bridge reach the servers at its gateway), with the deployed parts played by servers that
 * answer as a healthy deploy does, with 500, with other content, with a redirect loop, after a
 * slow start within and past the settle time, and not at all (a closed port); and the passing case
 * against the harness's own running stack: examples/stack's verify-stage services (Postgres, the
 * migrated backend image, the intake worker under wrangler dev) answering the smoke probes.
 * Run: node --import tsx --test tests/container/smoke.test.ts
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import type { Report } from "../../src/model/report.js";
import { smokeRequest } from "../../src/plan/checks-smoke.js";
import { planChecks } from "../../src/plan/index.js";
import type { CheckSpec, ServiceBinding } from "../../src/model/spec.js";
import { containedSpec } from "../../src/run/contained.js";
import { HostSourceTree } from "../support/host-tree.js";
import { docker } from "../harness/docker-cli.js";
import { runDirectory } from "../harness/run-directory.js";
import { skipWithoutEngine } from "./engine.js";
import { checkById, describeProblems } from "./report-checks.js";
import { EXAMPLE_STACK, REPO_ROOT } from "./stack-copy.js";

const FIXTURE = resolve(REPO_ROOT, "tests/fixtures/projects/smoke-target");

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A healthy deploy: the backend's and worker's health, the intake form, and the site's own build output. */
function healthy(site: string): Handler {
  return (request, response, body) => {
    const path = new URL(request.url ?? "/", "http://host").pathname;
    if (path === "/health") return void response.end("ok");
    if (request.method === "POST" && path === "/intake/form") {
      const marked = body.includes("predeploy-smoke-") && request.headers["x-predeploy-smoke"] !== undefined;
      response.writeHead(marked ? 201 : 400, { "content-type": "application/json" });
      return void response.end(JSON.stringify(marked ? { id: 7 } : { error: "no marker" }));
    }
    const file = join(site, path.endsWith("/") ? `${path}index.html` : path);
    readFile(file, "utf8").then(
      (html) => response.end(html),
      () => {
        response.writeHead(404);
        response.end("not found");
      },
    );
  };
}

const servers: Server[] = [];

/** A server on every interface (containers reach it through the bridge's gateway); its port. */
async function serve(handler: Handler): Promise<number> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => handler(request, response, body));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "0.0.0.0", done));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "0.0.0.0", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let gateway = "";
let site = "";
let built = "";

async function smoke(urls: { backend?: number; worker?: number; site?: number }, settleSeconds: number, only: string[] = []): Promise<Report> {
  const at = (port: number | undefined) => (port === undefined ? undefined : `http://${gateway}:${port}`);
  const request = smokeRequest(
    "staging",
    at(urls.backend),
    urls.worker !== undefined ? [`intake=${at(urls.worker)}`] : [],
    urls.site !== undefined ? [`brochure=${at(urls.site)}`] : [],
    settleSeconds,
  );
  const { report } = await runDirectory(FIXTURE, { planOptions: { smoke: request, only }, reuseResults: false });
  return report;
}

describe("smoke against deployed servers", { skip: skipWithoutEngine, concurrency: 1 }, () => {
  before(async () => {
    if (skipWithoutEngine !== false) return;
    const inspected = await docker(["network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}"]);
    gateway = inspected.stdout.trim();
    assert.match(gateway, /^\d+\.\d+\.\d+\.\d+$/, inspected.stderr);
    // The site as its build writes it, served as the deployed site.
    built = await mkdtemp(join(tmpdir(), "predeploy-smoke-site-"));
    await cp(join(FIXTURE, "sites/brochure"), built, { recursive: true });
    await promisify(execFile)("node", ["build.mjs"], { cwd: built });
    site = join(built, "dist");
  });
  after(async () => {
    for (const server of servers) server.close();
    if (built !== "") await rm(built, { recursive: true, force: true });
  });

  test("a healthy deploy: every probe passes, the form carries the marker, and the read-back is said not done", async () => {
    const port = await serve(healthy(site));
    const report = await smoke({ backend: port, worker: port, site: port }, 5);
    assert.equal(report.exitCode, 0, describeProblems(report));
    assert.deepEqual(report.checks.map((c) => [c.id, c.stage, c.status]).sort(), [
      ["smoke.backend-health", "smoke", "passed"],
      ["smoke.intake-e2e", "smoke", "passed"],
      ["smoke.site-pages.brochure", "smoke", "passed"],
      ["smoke.worker-health.intake", "smoke", "passed"],
    ]);
    assert.match(checkById(report, "smoke.site-pages.brochure").summary, /^2 page\(s\) answered 200/);
    assert.match(checkById(report, "smoke.intake-e2e").summary, /marker predeploy-smoke-\w+\); the read-back was not done: no database URL/);
  });

  test("a part the environment names no URL for is skipped with the reason", async () => {
    const port = await serve(healthy(site));
    const report = await smoke({ backend: port }, 5);
    assert.equal(report.exitCode, 0, describeProblems(report));
    const site_ = checkById(report, "smoke.site-pages.brochure");
    assert.equal(site_.status, "skipped");
    assert.match(site_.summary, /environments\.staging names no URL for the site brochure/);
  });

  test("a backend answering 500 fails", async () => {
    const port = await serve((_request, response) => {
      response.writeHead(500);
      response.end("Server Error");
    });
    const report = await smoke({ backend: port }, 2, ["smoke.backend-health"]);
    assert.equal(report.exitCode, 1, describeProblems(report));
    assert.match(checkById(report, "smoke.backend-health").findings[0]?.message ?? "", /answered 500/);
  });

  test("a health route answering 200 without its expected text (backend.health.expectText) fails", async () => {
    const port = await serve((_request, response) => response.end("Welcome to nginx!"));
    const report = await smoke({ backend: port }, 2, ["smoke.backend-health"]);
    assert.equal(report.exitCode, 1, describeProblems(report));
    assert.equal(checkById(report, "smoke.backend-health").findings[0]?.rule, "content");
  });

  test("pages with other content than the build's fail, naming the page", async () => {
    const port = await serve((_request, response) => response.end("<html><head><title>Parked domain</title></head></html>"));
    const report = await smoke({ site: port }, 2, ["smoke.site-pages.brochure"]);
    assert.equal(report.exitCode, 1, describeProblems(report));
    const check = checkById(report, "smoke.site-pages.brochure");
    assert.equal(check.status, "failed");
    assert.ok(check.findings.some((f) => f.rule === "content" && f.message.includes("/about/") && f.message.includes("Parked domain")), JSON.stringify(check.findings));
  });

  test("a health route that redirects to itself fails as a redirect loop", async () => {
    const port = await serve((_request, response) => {
      response.writeHead(302, { location: "/health" });
      response.end();
    });
    const report = await smoke({ backend: port }, 2, ["smoke.backend-health"]);
    assert.equal(report.exitCode, 1, describeProblems(report));
    assert.match(checkById(report, "smoke.backend-health").summary, /does not stop redirecting/);
  });

  test("a slow start within the settle time passes; past it, the last answer (503) fails", async () => {
    const startedAt = Date.now();
    const slow = (seconds: number): Handler => {
      const ready = healthy(site);
      return (request, response, body) => {
        if (Date.now() - startedAt < seconds * 1000) {
          response.writeHead(503);
          return void response.end("starting");
        }
        ready(request, response, body);
      };
    };
    const port = await serve(slow(4));
    const within = await smoke({ backend: port }, 30, ["smoke.backend-health"]);
    assert.equal(within.exitCode, 0, describeProblems(within));
    const later = await serve(slow(600));
    const past = await smoke({ backend: later }, 1, ["smoke.backend-health"]);
    assert.equal(past.exitCode, 1, describeProblems(past));
    assert.match(checkById(past, "smoke.backend-health").summary, /answered 503/);
  });

  test("a closed port is an error (nothing answered), not a failure", async () => {
    const port = await closedPort();
    const report = await smoke({ backend: port, worker: port }, 2, ["smoke.backend-health", "smoke.worker-health.intake"]);
    assert.equal(report.exitCode, 2, describeProblems(report));
    for (const id of ["smoke.backend-health", "smoke.worker-health.intake"]) {
      const check = checkById(report, id);
      assert.equal(check.status, "error");
      assert.match(check.findings[0]?.message ?? "", /unreachable for 2s .*Connection refused/);
    }
  });
});

test("smoke against the harness's own running stack: examples/stack's backend and worker pass every probe", { skip: skipWithoutEngine }, async () => {
  // The services the verify stage runs, bound to the smoke checks under their aliases: the probes
  // reach a running stack over HTTP as they would reach the deployed one.
  const validation = await planChecks(new HostSourceTree(EXAMPLE_STACK), null);
  const servicesOf = (id: string): ServiceBinding[] => validation.checks.find((c) => c.id === id)?.container.services ?? [];
  const stack: Record<string, ServiceBinding[]> = {
    "smoke.backend-health": servicesOf("verify.backend-health"),
    "smoke.worker-health.intake": servicesOf("verify.worker-health.intake"),
    // The worker that forwards to the backend (which binds its migrated Postgres).
    "smoke.intake-e2e": servicesOf("verify.intake-e2e").filter((binding) => binding.alias === "worker"),
  };
  for (const [id, services] of Object.entries(stack)) assert.ok(services.length > 0, `${id}: the verify stage's services`);
  const port = validation.stack?.django?.deployment.port.port;
  const request = smokeRequest("staging", `http://backend:${port}`, ["intake=http://worker:8787"], [], 120);
  // The executor receives checks as the scheduler contained them; the services are contained the same
  // way (the service runtime in each). The probe's command does not wait for them: it retries within
  // the settle time, as against a deployment that is still starting.
  const contained = (spec: CheckSpec, services: ServiceBinding[]) => containedSpec({ ...spec, container: { ...spec.container, services } }).container.services;
  const { report } = await runDirectory(EXAMPLE_STACK, {
    planOptions: { smoke: request },
    reuseResults: false,
    wrap: (executor) => ({
      run: (spec, signal, started, ready) => executor.run({ ...spec, container: { ...spec.container, services: contained(spec, stack[spec.id] ?? []) } }, signal, started, ready),
    }),
  });
  assert.equal(report.exitCode, 0, describeProblems(report));
  assert.deepEqual(report.checks.map((c) => [c.id, c.status]).sort(), [
    ["smoke.backend-health", "passed"],
    ["smoke.intake-e2e", "passed"],
    ["smoke.site-pages.coffee-shop", "skipped"],
    ["smoke.worker-health.intake", "passed"],
  ]);
  assert.match(checkById(report, "smoke.intake-e2e").summary, /answered 201, marker predeploy-smoke-/);
});
