// Runs the real @neondatabase/serverless `neon()` against the Neon bridge, inside a container on
// the check's network, and prints what it observed as one JSON line for neon-bridge.test.ts.
// `node neon-bridge-driver.mjs trusted` (NODE_EXTRA_CA_CERTS names the run's CA) | `untrusted`.
import { createRequire } from "node:module";
import { neon } from "@neondatabase/serverless";

const sql = neon(process.env.NEON_URL);

/** A rejection as plain data: what a worker would see. */
async function failure(promise) {
  try {
    await promise;
    return null;
  } catch (error) {
    return { name: error.name, message: error.message, code: error.code ?? null, position: error.position ?? null, cause: error.sourceError?.cause?.code ?? null };
  }
}

/** A request by hand, for what the driver never sends. */
async function post(body, headers, path = "/sql") {
  const response = await fetch("https://neon" + path, { method: "POST", body: JSON.stringify(body), headers: { "Neon-Connection-String": process.env.NEON_URL, ...headers } });
  return { status: response.status, body: await response.json() };
}

async function trusted() {
  const observed = {};
  await sql.query("CREATE TABLE submission (id serial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), payload json, ok boolean, note text)");
  const [inserted] = await sql`INSERT INTO submission (name, payload, ok, note) VALUES (${"Ada"}, ${{ source: "form", tags: ["a", "b"] }}, ${true}, ${null}) RETURNING id`;
  observed.insertedId = inserted.id;
  const [row] = await sql`SELECT id, name, created_at, payload, ok, note, 9007199254740993::int8 AS big, ARRAY[1, 2] AS ints FROM submission WHERE id = ${inserted.id}`;
  observed.row = {
    id: row.id,
    name: row.name,
    createdAtIsDate: row.created_at instanceof Date,
    createdAgeMs: Date.now() - row.created_at.getTime(),
    payload: row.payload,
    ok: row.ok,
    note: row.note,
    big: row.big,
    ints: row.ints,
  };
  observed.missingColumn = await failure(sql`INSERT INTO submission (name, no_such_column) VALUES (${"Bob"}, ${"x"})`);
  observed.multiStatement = await failure(sql.query("SELECT 1; SELECT 2"));
  const full = await sql.query("SELECT 1 AS one, 'x' AS two", [], { fullResults: true, arrayMode: true });
  observed.full = { command: full.command, rowCount: full.rowCount, rows: full.rows, fields: full.fields.map((f) => [f.name, f.dataTypeID]), rowAsArray: full.rowAsArray };
  const [added, counted] = await sql.transaction((tx) => [tx`INSERT INTO submission (name) VALUES (${"Tx"}) RETURNING id`, tx`SELECT count(*)::int AS n FROM submission`], { isolationLevel: "Serializable" });
  observed.transaction = { insertedId: added[0].id, count: counted[0].n };
  observed.rolledBack = await failure(sql.transaction([sql`INSERT INTO submission (name) VALUES (${"Lost"})`, sql`INSERT INTO submission (nope) VALUES (${1})`]));
  const wrongPassword = new URL(process.env.NEON_URL.replace(/^postgresql:/, "http:"));
  wrongPassword.password = "not-the-password";
  observed.wrongPassword = await failure(neon(wrongPassword.href.replace(/^http:/, "postgresql:"))`SELECT 1`);
  observed.raw = {
    objects: await post({ query: "SELECT $1::int AS n, $2::text AS t", params: [7, null] }, { "Neon-Raw-Text-Output": "true" }),
    perQueryArrayMode: await post({ query: "SELECT 1 AS one", arrayMode: true }, { "Neon-Raw-Text-Output": "true" }),
    notRawText: await post({ query: "SELECT 1" }, {}),
    wrongPath: await post({ query: "SELECT 1" }, { "Neon-Raw-Text-Output": "true" }, "/v2/sql"),
    badIsolation: await post({ queries: [{ query: "SELECT 1" }] }, { "Neon-Raw-Text-Output": "true", "Neon-Batch-Isolation-Level": "Chaos" }),
  };
  // Read back past the bridge, straight from Postgres, with the bridge's own node-postgres.
  const pg = createRequire("/opt/predeploy/neon-bridge/")("pg");
  const direct = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await direct.connect();
  observed.direct = (await direct.query("SELECT name, payload::text AS payload FROM submission ORDER BY id")).rows;
  await direct.end();
  return observed;
}

async function untrusted() {
  return { plainQuery: await failure(sql`SELECT 1`) };
}

const mode = process.argv[2];
const observed = mode === "trusted" ? await trusted() : await untrusted();
console.log(JSON.stringify({ mode, observed }));
