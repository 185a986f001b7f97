import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Format, renderReport } from "../../src/report/render.js";
import { validateSource, type SourcePorts } from "../../src/run/validate.js";
import { FakeExecutor } from "../support/fake-executor.js";
import { MemoryTree } from "../support/host-tree.js";

const SECRET = "passed-secret-value-123";

function ports(overrides: Partial<SourcePorts> = {}): SourcePorts {
  return {
    tree: new MemoryTree({ "workers/intake/wrangler.toml": "name = 'intake'\n", "workers/intake/package.json": '{"scripts":{}}', "workers/intake/package-lock.json": "{}" }),
    readConfig: async () => ({ text: null, origin: "predeploy.json" }),
    callerSecrets: async () => ({ secretKey: SECRET }),
    executor: () => new FakeExecutor({}),
    reproduce: (id) => `check ${id}`,
    ...overrides,
  };
}

const request = { planOptions: {}, failFast: false };

describe("validateSource: every input problem is a report, never a throw", () => {
  it("a secret that cannot be read (an unset env: secret) is an error report (exit 2) naming the fix", async () => {
    const { report } = await validateSource(ports({ callerSecrets: async () => Promise.reject(new Error("secret env var not found: \"SECRET_KEY\"")) }), request);
    assert.deepEqual([report.status, report.exitCode], ["error", 2]);
    assert.match(report.errors.join("\n"), /a secret argument could not be read .*SECRET_KEY.*pass it as env:NAME/);
  });

  it("a config file that cannot be read is an error report (exit 2)", async () => {
    const { report } = await validateSource(ports({ readConfig: async () => Promise.reject(new Error("file not found")) }), request);
    assert.deepEqual([report.status, report.exitCode], ["error", 2]);
    assert.match(report.errors.join("\n"), /the config file could not be read \(file not found\)/);
  });

  it("the report says where each secret came from, never its value", async () => {
    const { report, secretValues } = await validateSource(ports(), request);
    assert.deepEqual(report.secrets, [
      { name: "secretKey", origin: "passed" },
      { name: "intakeApiKey", origin: "random per run" },
      { name: "databaseUrl", origin: "random per run" },
    ]);
    assert.ok(secretValues.includes(SECRET));
    assert.ok(!JSON.stringify(report).includes(SECRET));
  });
});

describe("secret origins in the renderings", () => {
  it("text and agent formats show each secret's origin and no value", async () => {
    const { report } = await validateSource(ports(), request);
    const text = renderReport(report, "text", { colourLevel: 0 });
    assert.match(text, /^Secrets: secretKey passed, intakeApiKey random per run, databaseUrl random per run$/m);
    assert.match(renderReport(report, "agent", { colourLevel: 0 }), /^secrets: secretKey=passed intakeApiKey=random-per-run databaseUrl=random-per-run$/m);
    for (const format of Format.options) assert.ok(!renderReport(report, format, { colourLevel: 0 }).includes(SECRET), format);
  });
});

describe("the executor's own helper containers", () => {
  it("use the Node image predeploy.json names, not the default", async () => {
    let seen = "";
    await validateSource(
      ports({
        readConfig: async () => ({ text: JSON.stringify({ images: { node: "registry.example/node:22-custom" } }), origin: "predeploy.json" }),
        executor: (_values, images) => {
          seen = images.node;
          return new FakeExecutor({});
        },
      }),
      request,
    );
    assert.equal(seen, "registry.example/node:22-custom");
  });
});
