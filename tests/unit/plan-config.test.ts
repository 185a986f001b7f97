import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "../../src/model/config.js";

test("no predeploy.json means the defaults", () => {
  const result = parseConfig(null);
  assert.equal(result.ok, true);
  assert.deepEqual(result.config.checks, {});
});

test("a valid config is kept", () => {
  const result = parseConfig(JSON.stringify({ paths: { django: "backend" }, checks: { "quality.mypy": { enabled: false, timeoutSeconds: 30 } } }));
  assert.ok(result.ok);
  assert.equal(result.config.paths.django, "backend");
  assert.deepEqual(result.config.checks["quality.mypy"], { enabled: false, timeoutSeconds: 30 });
});

test("each bad field is named by its JSON path with what is expected", () => {
  const result = parseConfig(JSON.stringify({ timeouts: { defaultSeconds: "5" }, paths: { django: "../elsewhere" }, surprise: 1, checks: { "quality.mypy": { enabeld: false } } }));
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  const text = result.errors.join("\n");
  assert.match(text, /timeouts\.defaultSeconds: .*expected number/);
  assert.match(text, /paths\.django: must be a path inside the source directory/);
  assert.match(text, /unknown field "surprise"/);
  assert.match(text, /unknown field "enabeld" in checks\.quality\.mypy/);
});

test("invalid JSON names the file and the fix", () => {
  const result = parseConfig("{ nope", "predeploy.json");
  assert.ok(!result.ok);
  assert.match(result.errors[0] ?? "", /^predeploy\.json: not valid JSON .*fix the syntax/);
});

test("values that look like secrets are refused", () => {
  const result = parseConfig(JSON.stringify({ env: { STRIPE_API_KEY: "sk_live_abc", DATABASE: "postgres://user:hunter2@db/x", LOG_LEVEL: "debug" } }));
  assert.ok(!result.ok);
  assert.equal(result.errors.length, 2);
  for (const error of result.errors) assert.match(error, /looks like a secret value; pass it as a Dagger secret argument/);
  assert.ok(result.errors.every((e) => !e.includes("hunter2") && !e.includes("sk_live_abc")));
});

test("check ids in config must look like check ids", () => {
  const result = parseConfig(JSON.stringify({ checks: { mypy: { enabled: false } } }));
  assert.ok(!result.ok);
  assert.match(result.errors[0] ?? "", /checks\.mypy: key must be a check id such as quality\.mypy/);
});
