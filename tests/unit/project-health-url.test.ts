import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { healthcheckOf } from "../../src/project/health-url.js";

test("the route a healthcheck command asks its own service, and the port when it names one", () => {
  const cases: [string, string | null, number | null][] = [
    ["curl -f http://localhost:8000/health/ || exit 1", "/health/", 8000],
    ["wget -q --spider http://127.0.0.1:5000/ops/ping", "/ops/ping", 5000],
    ["python -c \"import urllib.request; urllib.request.urlopen('http://localhost:8000/api/status/')\"", "/api/status/", 8000],
    ['curl -fsS "http://localhost:${PORT:-8000}/health/" || exit 1', "/health/", null],
    ["curl -f http://localhost:$PORT/healthz", "/healthz", null],
    ["curl -fs http://localhost/", "/", null],
    ["./fetchstatus.py", null, null],
    ["pg_isready -U postgres", null, null],
    ["curl -f https://example.com/health", null, null],
  ];
  for (const [command, path, port] of cases) assert.deepEqual(healthcheckOf(command), { command, path, port }, command);
});

test("never throws, whatever the command", () => {
  fc.assert(fc.property(fc.string(), (command) => assert.equal(healthcheckOf(command).command, command)));
});
