import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { describe, it } from "node:test";
import { afterServicesListen, entrypointTargets, NOT_READY_EXIT } from "../../src/run/readiness.js";
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

describe("entrypoint services are waited for inside the binding command", () => {
  it("only services running their image's entrypoint are waited for, on every port", () => {
    const services = [
      { alias: "db", service: { container: containerSpec("postgres:17"), args: [], ports: [5432] } },
      { alias: "worker", service: { container: containerSpec("node:22-slim"), args: ["wrangler", "dev"], ports: [8787] } },
    ];
    assert.deepEqual(entrypointTargets(services), ["db:5432"]);
    const contained = containedSpec(checkSpec("test.x", { container: containerSpec("python:3.13-slim", { services }) }));
    assert.ok(contained.command.includes("db:5432") && !contained.command.includes("worker:8787"));
    assert.deepEqual(afterServicesListen(["pytest"], []), ["pytest"]);
  });

  it("runs the command once the port accepts connections", async () => {
    const { server, port } = await listening();
    try {
      const result = run(withSeconds(afterServicesListen(["echo", "ran"], [`127.0.0.1:${port}`]), 5));
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), "ran");
    } finally {
      server.close();
    }
  });

  it("fails, naming the service and the likely cause, when the port never opens", async () => {
    const { server, port } = await listening();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = run(withSeconds(afterServicesListen(["echo", "ran"], [`127.0.0.1:${port}`]), 1));
    assert.equal(result.status, NOT_READY_EXIT);
    assert.match(result.stderr, new RegExp(`service 127\\.0\\.0\\.1 did not accept connections on port ${port}.*0\\.0\\.0\\.0`));
    assert.equal(result.stdout, "");
  });
});
