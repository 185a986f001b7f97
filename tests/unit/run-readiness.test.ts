import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { describe, it } from "node:test";
import { afterServicesListen, serviceTargets, NOT_READY_EXIT } from "../../src/run/readiness.js";
import { serviceLogFile } from "../../src/run/service-logs.js";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { containedSpec } from "../../src/run/time-limit.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";

/** The wait run for real by the host's /bin/sh, against ports on loopback. */

function withSeconds(argv: string[], seconds: number): string[] {
  return argv.map((arg, i) => (i === 4 ? String(seconds) : arg));
}

function run(argv: string[]) {
  const [program, ...args] = argv;
  return spawnSync(program as string, args, { encoding: "utf8", timeout: 20_000 });
}

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === "object");
  return { server, port: address.port };
}

describe("services are waited for inside the binding command", () => {
  it("every directly bound service is waited for, on every port, with its log file", () => {
    const db = { container: containerSpec("postgres:17"), args: [], ports: [5432] };
    const worker = { container: containerSpec("node:22-slim"), args: ["wrangler", "dev"], ports: [8787, 9229] };
    const services = [
      { alias: "db", service: db },
      { alias: "worker", service: worker },
    ];
    assert.deepEqual(serviceTargets(services), [`db:5432:${serviceLogFile(db)}`, `worker:8787:${serviceLogFile(worker)}`, `worker:9229:${serviceLogFile(worker)}`]);
    const contained = containedSpec(checkSpec("test.x", { container: containerSpec("python:3.13-slim", { services }) }));
    const contents = contained.container.services.map((b) => b.service);
    assert.ok(serviceTargets(contained.container.services).every((target) => contained.command.includes(target)), "the targets name the services as the executor runs them");
    assert.equal(contents[1]?.args.includes("wrangler"), true);
    assert.deepEqual(afterServicesListen(["pytest"], []), ["pytest"]);
  });

  it("fails at once, with the exit code, when the service has exited since the wait began", async () => {
    const { server, port } = await listening();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const dir = mkdtempSync(join(tmpdir(), "predeploy-readiness-"));
    try {
      const log = join(dir, "worker.log");
      const started = Date.now();
      // The service exits a second after the wait began.
      const wait = afterServicesListen(["echo", "ran"], [`127.0.0.1:${port}:${log}`]);
      const result = run(["sh", "-c", '(sleep 1; echo 3 > "$0.exit") & exec "$@"', log, ...withSeconds(wait, 30)]);
      assert.equal(result.status, NOT_READY_EXIT, result.stderr);
      assert.match(result.stderr, /service 127\.0\.0\.1 exited with code 3 before it accepted connections/);
      assert.ok(Date.now() - started < 10_000, "it does not wait for the deadline");
      const old = join(dir, "old.log");
      writeFileSync(`${old}.exit`, "3\n");
      utimesSync(`${old}.exit`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      const stale = run(withSeconds(afterServicesListen(["echo", "ran"], [`127.0.0.1:${port}:${old}`]), 1));
      assert.match(stale.stderr, /did not accept connections/, "an exit older than the wait is an earlier run's: the deadline decides");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs the command once the port accepts connections", async () => {
    const { server, port } = await listening();
    try {
      const result = run(withSeconds(afterServicesListen(["echo", "ran"], [`127.0.0.1:${port}:/nonexistent/x.log`]), 5));
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), "ran");
    } finally {
      server.close();
    }
  });

  it("fails, naming the service and the likely cause, when the port never opens", async () => {
    const { server, port } = await listening();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = run(withSeconds(afterServicesListen(["echo", "ran"], [`127.0.0.1:${port}:/nonexistent/x.log`]), 1));
    assert.equal(result.status, NOT_READY_EXIT);
    assert.match(result.stderr, new RegExp(`service 127\\.0\\.0\\.1 did not accept connections on port ${port}.*0\\.0\\.0\\.0`));
    assert.equal(result.stdout, "");
  });
});
