/**
 * The Neon bridge in real containers, spoken to by the real `@neondatabase/serverless` driver
 * (the pinned dev dependency, copied into the check's container): Postgres, the bridge and the
 * driver on one network, the driver given only the connection string a worker gets and the run's CA.
 * Run: node --import tsx --test tests/container/neon-bridge.test.ts
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { DEFAULT_IMAGES, POSTGRES, SECRET_NAMES } from "../../src/plan/constants.js";
import { NEON_BRIDGE, neonBridgeService } from "../../src/plan/neon-bridge.js";
import { executeContained } from "../../src/run/contained.js";
import { resolveRunSecrets } from "../../src/run/secrets.js";
import { DockerExecutor } from "../harness/docker-executor.js";
import { checkSpec } from "../support/check-spec.js";
import { harnessObjects, leftovers } from "./docker-state.js";
import { skipWithoutEngine } from "./engine.js";
import { postgresService } from "../../src/plan/stack.js";

/** The run's throw-away Postgres, as a project that names nothing gets it. */
const POSTGRES_SERVICE = postgresService(DEFAULT_IMAGES.postgres, null);

const repo = fileURLToPath(new URL("../..", import.meta.url));

interface Failure {
  name: string;
  message: string;
  code: string | null;
  position: string | null;
  cause: string | null;
}

describe("Neon bridge with the real @neondatabase/serverless driver", () => {
  let source: string;
  const secrets = resolveRunSecrets({});

  before(async () => {
    if (skipWithoutEngine) return;
    source = await mkdtemp(join(tmpdir(), "predeploy-neon-bridge-"));
    await cp(join(repo, "node_modules/@neondatabase/serverless"), join(source, "node_modules/@neondatabase/serverless"), { recursive: true });
    await cp(join(repo, "tests/container/neon-bridge-driver.mjs"), join(source, "driver.mjs"));
  });

  after(async () => {
    if (skipWithoutEngine) return;
    await rm(source, { recursive: true, force: true });
  });

  test("CREATE, INSERT … RETURNING, typed SELECT, Postgres errors and transactions over HTTPS to https://neon/sql", { skip: skipWithoutEngine }, async () => {
    const existing = await harnessObjects();
    const bridge = neonBridgeService(DEFAULT_IMAGES, POSTGRES_SERVICE);
    // The driver runs in the bridge's own image (node + node-postgres for the direct read-back).
    const check = checkSpec("verify.neon-bridge", {
      container: {
        ...bridge.container,
        workdir: "/test",
        secretEnv: { NEON_URL: SECRET_NAMES.neonDatabaseUrl, DATABASE_URL: SECRET_NAMES.databaseUrl, RUN_CA: SECRET_NAMES.neonBridgeCa },
        layers: [...bridge.container.layers, { kind: "copy", copy: { from: ".", to: "/test" } }],
        services: [
          { alias: NEON_BRIDGE.alias, service: bridge },
          { alias: POSTGRES.alias, service: POSTGRES_SERVICE },
        ],
      },
      command: [
        "sh",
        "-c",
        'printf "%s\\n" "$RUN_CA" > /tmp/run-ca.pem && NODE_EXTRA_CA_CERTS=/tmp/run-ca.pem node driver.mjs trusted && env -u NODE_EXTRA_CA_CERTS node driver.mjs untrusted',
      ],
      timeoutMs: 300_000,
    });
    const ran = await executeContained(check, new DockerExecutor(source, secrets));
    assert.equal(ran.phase, "command", `${ran.stdout}\n${ran.stderr}\n${JSON.stringify(ran.serviceLogs)}`);
    assert.equal(ran.exitCode, 0, `${ran.stdout}\n${ran.stderr}`);
    const lines = ran.stdout.trim().split("\n").map((line) => JSON.parse(line) as { mode: string; observed: Record<string, unknown> });
    const trusted = lines.find((l) => l.mode === "trusted")?.observed;
    const untrusted = lines.find((l) => l.mode === "untrusted")?.observed;
    assert.ok(trusted && untrusted, ran.stdout);

    assert.equal(trusted.insertedId, 1);
    assert.deepEqual({ ...(trusted.row as object), createdAgeMs: undefined }, {
      id: 1,
      name: "Ada",
      createdAtIsDate: true,
      createdAgeMs: undefined,
      payload: { source: "form", tags: ["a", "b"] },
      ok: true,
      note: null,
      big: "9007199254740993",
      ints: [1, 2],
    });
    const age = (trusted.row as { createdAgeMs: number }).createdAgeMs;
    assert.ok(age >= -60_000 && age < 300_000, `created_at is ${age} ms old: the timestamptz was parsed as the insert time`);

    const missing = trusted.missingColumn as Failure;
    assert.equal(missing.name, "NeonDbError");
    assert.equal(missing.message, 'column "no_such_column" of relation "submission" does not exist');
    assert.equal(missing.code, "42703");
    assert.equal(missing.position, "31");
    assert.equal((trusted.multiStatement as Failure).message, "cannot insert multiple commands into a prepared statement");

    assert.deepEqual(trusted.full, { command: "SELECT", rowCount: 1, rows: [[1, "x"]], fields: [["one", 23], ["two", 25]], rowAsArray: true });
    assert.deepEqual(trusted.transaction, { insertedId: 2, count: 2 });
    assert.equal((trusted.rolledBack as Failure).message, 'column "nope" of relation "submission" does not exist');
    const wrong = trusted.wrongPassword as Failure;
    assert.equal(wrong.code, "28P01");
    assert.match(wrong.message, /password authentication failed for user "predeploy"/);
    assert.deepEqual(trusted.raw, {
      objects: {
        status: 200,
        body: {
          command: "SELECT",
          rowCount: 1,
          rowAsArray: false,
          fields: [
            { name: "n", dataTypeID: 23, tableID: 0, columnID: 0, dataTypeSize: 4, dataTypeModifier: -1, format: "text" },
            { name: "t", dataTypeID: 25, tableID: 0, columnID: 0, dataTypeSize: -1, dataTypeModifier: -1, format: "text" },
          ],
          rows: [{ n: "7", t: null }],
        },
      },
      perQueryArrayMode: { status: 200, body: { command: "SELECT", rowCount: 1, rowAsArray: true, fields: [{ name: "one", dataTypeID: 23, tableID: 0, columnID: 0, dataTypeSize: 4, dataTypeModifier: -1, format: "text" }], rows: [["1"]] } },
      notRawText: { status: 400, body: { message: "predeploy neon bridge: only Neon-Raw-Text-Output: true is supported (every @neondatabase/serverless neon() sends it)", code: null } },
      wrongPath: { status: 404, body: { message: "predeploy neon bridge serves POST /sql only", code: null } },
      badIsolation: { status: 400, body: { message: "invalid isolation level", code: null } },
    });
    assert.deepEqual(trusted.direct, [
      { name: "Ada", payload: '{"source":"form","tags":["a","b"]}' },
      { name: "Tx", payload: null },
    ], "the rows are in Postgres; the failed transaction left nothing behind");

    const refused = untrusted.plainQuery as Failure;
    assert.match(refused.message, /^Error connecting to database: TypeError: fetch failed/);
    assert.equal(refused.cause, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "without the run's CA the driver refuses the bridge's certificate");
    assert.deepEqual(await leftovers(existing, 10_000), []);
  });
});
