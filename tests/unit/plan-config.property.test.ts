import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Config, parseConfig } from "../../src/model/config.js";

const MAX_ERRORS_PER_BYTE = 1;

test("parseConfig never throws and always returns a usable config on arbitrary text", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 2000 }), (text) => {
      const result = parseConfig(text);
      assert.ok(Config.safeParse(result.config).success);
      if (!result.ok) {
        assert.ok(result.errors.length > 0);
        assert.ok(result.errors.length <= text.length * MAX_ERRORS_PER_BYTE + 1);
        for (const error of result.errors) assert.match(error, /^predeploy\.json: /);
      }
    }),
    { numRuns: 500 },
  );
});

test("parseConfig on arbitrary JSON values: valid or named errors, never a throw", () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      const result = parseConfig(JSON.stringify(value));
      assert.ok(Config.safeParse(result.config).success);
      if (!result.ok) {
        assert.ok(result.errors.every((e) => typeof e === "string" && e.length > "predeploy.json: ".length));
      }
    }),
    { numRuns: 500 },
  );
});

test("config-shaped objects with random fields keep every error pointing at a path", () => {
  const section = fc.constantFrom("paths", "images", "env", "timeouts", "checks", "e2e", "limits");
  fc.assert(
    fc.property(section, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })), (key, body) => {
      const result = parseConfig(JSON.stringify({ [key]: body }));
      if (!result.ok) for (const error of result.errors) assert.match(error, /^predeploy\.json: (\(root\)|[\w$]+)(\.[\w.$-]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*: |^predeploy\.json: unknown field/, error);
    }),
    { numRuns: 500 },
  );
});

test("a secret-looking env value is refused and never echoed back", () => {
  fc.assert(
    fc.property(fc.constantFrom("API_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "CLIENT_SECRET"), fc.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim().length >= 6), (name, value) => {
      const result = parseConfig(JSON.stringify({ env: { [name]: value } }));
      assert.equal(result.ok, false);
      // Never echoed: the errors are the same whatever the value (a plain substring test would
      // trip over values that happen to be words of the fixed message).
      const reference = parseConfig(JSON.stringify({ env: { [name]: "reference-value" } }));
      assert.deepEqual(!result.ok && result.errors, !reference.ok && reference.errors);
    }),
    { numRuns: 200 },
  );
});
