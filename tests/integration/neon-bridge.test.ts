import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { neon, neonConfig } from "@neondatabase/serverless";
import { DEFAULT_IMAGES, POSTGRES, SECRET_NAMES } from "../../src/plan/constants.js";
import {
  NEON_BRIDGE,
  NEON_BRIDGE_CA_ENV,
  NEON_BRIDGE_CA_FILE,
  NEON_BRIDGE_PG_VERSION,
  NEON_BRIDGE_SCRIPT_PATH,
  neonBridgeConnectionString,
  neonBridgeService,
  withNeonBridge,
} from "../../src/plan/neon-bridge.js";
import { program } from "../../src/programs/index.js";
import type { ServiceSpec } from "../../src/model/spec.js";
import { resolveRunSecrets } from "../../src/run/secrets.js";
import { postgresService } from "../../src/plan/stack.js";

/** The run's throw-away Postgres, as a project that names nothing gets it. */
const POSTGRES_SERVICE = postgresService(DEFAULT_IMAGES.postgres, null);

const NEON_BRIDGE_SCRIPT = program("neon-bridge.mjs");

const run = promisify(execFile);

interface Captured {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** What the real driver sends for `query`, answered with an empty SELECT result (nothing leaves the process). */
async function capture(query: (sql: ReturnType<typeof neon>) => Promise<unknown>, connectionString: string): Promise<Captured> {
  let seen: Captured | null = null;
  neonConfig.fetchFunction = async (url: string, init: { headers: Record<string, string>; body: string }) => {
    seen = { url, headers: init.headers, body: JSON.parse(init.body) };
    const result = { command: "SELECT", rowCount: 0, rowAsArray: true, fields: [], rows: [] };
    const batch = Array.isArray((seen.body as { queries?: unknown }).queries);
    return new Response(JSON.stringify(batch ? { results: [result, result] } : result), { status: 200 });
  };
  try {
    await query(neon(connectionString));
  } finally {
    neonConfig.fetchFunction = undefined;
  }
  assert.ok(seen, "the driver sent no request");
  return seen;
}

test("the real driver sends the bridge's connection string to https://neon/sql (port 443), with raw text and array mode", async () => {
  const { databaseUrl, neonDatabaseUrl } = resolveRunSecrets({});
  assert.equal(neonDatabaseUrl, databaseUrl.replace(/^postgres:/, "postgresql:").replace(`@${POSTGRES.alias}:${POSTGRES.port}/`, `@${NEON_BRIDGE.alias}/`));
  const single = await capture((sql) => sql`SELECT ${42} AS n, ${null} AS nothing`, neonDatabaseUrl);
  assert.equal(single.url, `https://${NEON_BRIDGE.alias}/sql`);
  assert.equal(NEON_BRIDGE.port, 443, "an https:// URL without a port");
  assert.ok(single.headers["Neon-Connection-String"]?.startsWith(`${neonDatabaseUrl}?application_name=`), "the connection string as given, plus the driver's application_name");
  assert.equal(single.headers["Neon-Raw-Text-Output"], "true");
  assert.equal(single.headers["Neon-Array-Mode"], "true");
  assert.deepEqual(single.body, { query: "SELECT $1 AS n, $2 AS nothing", params: ["42", null] });

  const batch = await capture((sql) => sql.transaction([sql`SELECT 1`, sql`SELECT ${"two"}`], { isolationLevel: "Serializable", readOnly: true }), neonDatabaseUrl);
  assert.equal(batch.url, `https://${NEON_BRIDGE.alias}/sql`);
  assert.equal(batch.headers["Neon-Batch-Isolation-Level"], "Serializable");
  assert.equal(batch.headers["Neon-Batch-Read-Only"], "true");
  assert.deepEqual(batch.body, { queries: [{ query: "SELECT 1", params: [] }, { query: "SELECT $1", params: ["two"] }] });
});

test("a host with a dot would be rewritten by the driver (api.<rest>): the bridge's alias has none", async () => {
  const dotted = await capture((sql) => sql`SELECT 1`, "postgresql://u:p@ep-cool-name-123.us-east-2.aws.neon.tech/db");
  assert.equal(dotted.url, "https://api.us-east-2.aws.neon.tech/sql");
  assert.ok(!NEON_BRIDGE.alias.includes("."));
});

test("the bridge's connection string keeps the credentials and database, encoded as given; drops port and query", () => {
  assert.equal(neonBridgeConnectionString("postgres://app:p%40ss%2Fw0rd@db:5432/shop?sslmode=disable"), "postgresql://app:p%40ss%2Fw0rd@neon/shop");
  assert.equal(neonBridgeConnectionString("postgresql://app:secret@10.0.0.5/shop"), "postgresql://app:secret@neon/shop");
});

test("the bridge service: pinned node-postgres, the script as a file, Postgres bound as db, per-run values only as secrets", () => {
  const service = neonBridgeService(DEFAULT_IMAGES, POSTGRES_SERVICE);
  assert.deepEqual(service.ports, [443]);
  assert.deepEqual(service.args, ["node", NEON_BRIDGE_SCRIPT_PATH]);
  assert.match(NEON_BRIDGE_PG_VERSION, /^\d+\.\d+\.\d+$/, "an exact version");
  assert.deepEqual(service.container.base, { kind: "image", image: DEFAULT_IMAGES.node });
  assert.ok(service.container.layers.some((l) => l.kind === "exec" && l.args.includes(`pg@${NEON_BRIDGE_PG_VERSION}`)));
  assert.deepEqual(service.container.layers.at(-1), { kind: "file", path: NEON_BRIDGE_SCRIPT_PATH, contents: NEON_BRIDGE_SCRIPT });
  assert.deepEqual(service.container.services, [{ alias: POSTGRES.alias, service: POSTGRES_SERVICE }]);
  assert.deepEqual(service.container.secretEnv, {
    DATABASE_URL: SECRET_NAMES.databaseUrl,
    NEON_BRIDGE_TLS_KEY: SECRET_NAMES.neonBridgeTlsKey,
    NEON_BRIDGE_TLS_CERT: SECRET_NAMES.neonBridgeTlsCert,
  });
  // Everything but secretEnv is the same for every run, so its layers stay cached.
  const secrets = Object.values(resolveRunSecrets({}));
  const nonSecret = JSON.stringify({ ...service, container: { ...service.container, secretEnv: {} } });
  for (const value of secrets) assert.ok(!nonSecret.includes(value));
  assert.deepEqual(neonBridgeService(DEFAULT_IMAGES, POSTGRES_SERVICE), service);
});

test("the bridge script parses as an ES module", async () => {
  const dir = await mkdtemp(join(tmpdir(), "predeploy-neon-script-"));
  try {
    await writeFile(join(dir, "bridge.mjs"), NEON_BRIDGE_SCRIPT);
    await run(process.execPath, ["--check", join(dir, "bridge.mjs")]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const worker: ServiceSpec = {
  name: "worker",
  container: {
    base: { kind: "image", image: DEFAULT_IMAGES.node },
    workdir: "/src/workers/intake",
    env: { CI: "true" },
    secretEnv: { INTAKE_API_KEY: SECRET_NAMES.intakeApiKey },
    caches: [],
    layers: [],
    services: [{ alias: "backend", service: POSTGRES_SERVICE }],
  },
  args: ["npx", "--no", "wrangler", "dev", "--local"],
  ports: [8787],
};

test("withNeonBridge binds the bridge as neon, gives the named variables its connection string, and wraps the command", () => {
  const wired = withNeonBridge(worker, DEFAULT_IMAGES, POSTGRES_SERVICE, ["DATABASE_URL", "NEON_DATABASE_URL"]);
  assert.deepEqual(wired.container.secretEnv, {
    INTAKE_API_KEY: SECRET_NAMES.intakeApiKey,
    DATABASE_URL: SECRET_NAMES.neonDatabaseUrl,
    NEON_DATABASE_URL: SECRET_NAMES.neonDatabaseUrl,
    [NEON_BRIDGE_CA_ENV]: SECRET_NAMES.neonBridgeCa,
  });
  assert.deepEqual(wired.container.services, [...worker.container.services, { alias: NEON_BRIDGE.alias, service: neonBridgeService(DEFAULT_IMAGES, POSTGRES_SERVICE) }]);
  assert.deepEqual(wired.container.env, worker.container.env, "no per-run value outside secretEnv");
  assert.deepEqual(wired.ports, worker.ports);
  assert.deepEqual(wired.args.slice(0, 2), ["sh", "-c"]);
  assert.deepEqual(wired.args.slice(3), ["sh", ...worker.args]);
});

after(() => rm(NEON_BRIDGE_CA_FILE, { force: true }));

/** Runs the wrapped command with `sh` here, the worker's command replaced by a report of what it would see. */
async function startWrapped(env: Record<string, string>): Promise<{ extra: string; caEnv: string; bundle: string }> {
  const [shell, flag, script] = withNeonBridge(worker, DEFAULT_IMAGES, POSTGRES_SERVICE, []).args;
  const report = 'printf "%s\\n" "$NODE_EXTRA_CA_CERTS" "${PREDEPLOY_NEON_BRIDGE_CA:-unset}"; cat "$NODE_EXTRA_CA_CERTS"';
  const { stdout } = await run(shell as string, [flag as string, script as string, "sh", "sh", "-c", report], { env: { PATH: process.env.PATH ?? "", ...env } });
  const [extra = "", caEnv = "", ...bundle] = stdout.split("\n");
  return { extra, caEnv, bundle: bundle.join("\n") };
}

function certificates(bundle: string): X509Certificate[] {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem));
}

test("the wrapper trusts the run's CA on top of the image's own NODE_EXTRA_CA_CERTS, or alone", async () => {
  const { neonBridgeCa } = resolveRunSecrets({});
  const dir = await mkdtemp(join(tmpdir(), "predeploy-neon-trust-"));
  try {
    const imageBundle = join(dir, "host.pem");
    const imageCa = resolveRunSecrets({}).neonBridgeCa;
    await writeFile(imageBundle, imageCa.trimEnd());

    const stacked = await startWrapped({ [NEON_BRIDGE_CA_ENV]: neonBridgeCa, NODE_EXTRA_CA_CERTS: imageBundle });
    assert.equal(stacked.extra, NEON_BRIDGE_CA_FILE);
    assert.equal(stacked.caEnv, "unset", "the PEM is not left in the worker's environment");
    assert.deepEqual(
      certificates(stacked.bundle).map((c) => c.fingerprint256),
      [new X509Certificate(imageCa).fingerprint256, new X509Certificate(neonBridgeCa).fingerprint256],
    );

    const alone = await startWrapped({ [NEON_BRIDGE_CA_ENV]: neonBridgeCa });
    assert.deepEqual(certificates(alone.bundle).map((c) => c.fingerprint256), [new X509Certificate(neonBridgeCa).fingerprint256]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
