/**
 * The Neon SQL-over-HTTP bridge, written into its service container as a file. It answers
 * `@neondatabase/serverless`'s HTTP query function (`neon()`) the way Neon's proxy does
 * (neondatabase/neon proxy/src/serverless/sql_over_http.rs), against the run's Postgres:
 *
 * - `POST /sql`, body `{query, params, arrayMode?}` or `{queries: [...]}` (a transaction,
 *   with the `Neon-Batch-Isolation-Level`/`-Read-Only`/`-Deferrable` headers);
 * - each result is `{command, rowCount, fields, rows, rowAsArray}`: values in Postgres's text
 *   form (`Neon-Raw-Text-Output: true`, which every driver version with `neon()` sends; the
 *   driver parses them by `fields[].dataTypeID`), rows as arrays when `Neon-Array-Mode: true`;
 * - a Postgres error is HTTP 400 with its message and fields (`code`, `detail`, `position`, …),
 *   which the driver raises as a NeonDbError; anything else it cannot serve is 4xx/5xx with
 *   a message naming the bridge.
 *
 * The connection string in `Neon-Connection-String` must carry DATABASE_URL's user, password
 * and database, as Neon checks them; the bridge then runs the statements with node-postgres
 * (extended protocol, as Neon does: one statement per query). TLS key and certificate come
 * from the environment. Node, not Python: node-postgres's field descriptions and error
 * fields are what Neon's JSON mirrors, name for name.
 */
// predeploy neon bridge: Neon's SQL-over-HTTP protocol in front of DATABASE_URL.
import { createServer } from "node:https";
import pg from "pg";

const PORT = Number(process.env.NEON_BRIDGE_PORT || 443);
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const ISOLATION = { Serializable: "SERIALIZABLE", ReadUncommitted: "READ UNCOMMITTED", ReadCommitted: "READ COMMITTED", RepeatableRead: "REPEATABLE READ" };
const ERROR_FIELDS = ["code", "detail", "hint", "position", "internalPosition", "internalQuery", "severity", "where", "table", "column", "schema", "dataType", "constraint", "file", "line", "routine"];
const RAW_TEXT = { getTypeParser: () => (value) => value };

class BridgeError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** user, password and database of a postgres:// URL, parsed like the driver does (as http:). */
function credentials(connectionString) {
  const scheme = /^[a-z]+:/i.exec(connectionString);
  const url = scheme ? new URL("http:" + connectionString.slice(scheme[0].length)) : null;
  if (!url || !url.username || url.pathname.length < 2) return null;
  return { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: decodeURIComponent(url.pathname.slice(1)) };
}

const expected = credentials(process.env.DATABASE_URL || "");
if (!expected) throw new Error("neon bridge: DATABASE_URL is missing or has no user and database");
if (!process.env.NEON_BRIDGE_TLS_KEY || !process.env.NEON_BRIDGE_TLS_CERT) throw new Error("neon bridge: NEON_BRIDGE_TLS_KEY and NEON_BRIDGE_TLS_CERT are required");
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
pool.on("error", (error) => console.error("neon bridge: idle connection failed: " + error.message));

function authorize(header) {
  if (!header) throw new BridgeError(400, "missing Neon-Connection-String header");
  let given = null;
  try {
    given = credentials(header);
  } catch {}
  if (!given) throw new BridgeError(400, "Neon-Connection-String is not a valid postgres:// URL with a user and a database");
  if (given.user !== expected.user || given.password !== expected.password || given.database !== expected.database) {
    throw new BridgeError(400, "password authentication failed for user \"" + given.user + "\" (predeploy neon bridge: the connection string must carry the run database's user, password and database)", "28P01");
  }
}

/** A JSON parameter as Postgres text, as Neon's proxy converts it (json_to_pg_text). */
function pgText(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return pgArray(value);
  return JSON.stringify(value);
}

function pgArray(value) {
  if (value === null) return "NULL";
  if (Array.isArray(value)) return "{" + value.map(pgArray).join(",") + "}";
  if (typeof value === "object") return JSON.stringify(JSON.stringify(value));
  return JSON.stringify(value);
}

async function runQuery(client, data, defaultArrayMode) {
  if (typeof data !== "object" || data === null || typeof data.query !== "string") throw new BridgeError(400, "each query must be an object with a string query");
  const params = Array.isArray(data.params) ? data.params.map(pgText) : [];
  const result = await client.query({ text: data.query, values: params, rowMode: "array", types: RAW_TEXT, queryMode: "extended" });
  const arrayMode = typeof data.arrayMode === "boolean" ? data.arrayMode : defaultArrayMode;
  const fields = result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID, tableID: f.tableID, columnID: f.columnID, dataTypeSize: f.dataTypeSize, dataTypeModifier: f.dataTypeModifier, format: "text" }));
  const rows = arrayMode ? result.rows : result.rows.map((row) => Object.fromEntries(row.map((value, i) => [fields[i].name, value])));
  return { command: result.command || "", rowCount: result.rowCount, rowAsArray: arrayMode, fields, rows };
}

function beginStatement(headers) {
  let sql = "BEGIN";
  const level = headers["neon-batch-isolation-level"];
  if (level !== undefined) {
    if (!ISOLATION[level]) throw new BridgeError(400, "invalid isolation level");
    sql += " ISOLATION LEVEL " + ISOLATION[level];
  }
  if (headers["neon-batch-read-only"] === "true") sql += " READ ONLY";
  if (headers["neon-batch-deferrable"] === "true") sql += " DEFERRABLE";
  return sql;
}

async function execute(headers, payload) {
  authorize(headers["neon-connection-string"]);
  if (headers["neon-raw-text-output"] !== "true") throw new BridgeError(400, "predeploy neon bridge: only Neon-Raw-Text-Output: true is supported (every @neondatabase/serverless neon() sends it)");
  const arrayMode = headers["neon-array-mode"] === "true";
  const batch = Array.isArray(payload && payload.queries) ? payload.queries : null;
  const begin = batch ? beginStatement(headers) : null;
  const client = await pool.connect();
  let broken = null;
  try {
    if (!batch) return await runQuery(client, payload, arrayMode);
    await client.query(begin);
    try {
      const results = [];
      for (const data of batch) results.push(await runQuery(client, data, arrayMode));
      await client.query("COMMIT");
      return { results };
    } catch (error) {
      await client.query("ROLLBACK").catch((rollback) => {
        broken = rollback;
      });
      throw error;
    }
  } finally {
    client.release(broken || undefined);
  }
}

function errorBody(error) {
  const body = { message: error.message };
  for (const field of ERROR_FIELDS) body[field] = error[field] === undefined ? null : String(error[field]);
  return body;
}

/** Postgres's own errors (they carry a SQLSTATE and a severity) are the client's: 400, as Neon answers. */
function failure(error) {
  if (error instanceof BridgeError) return { status: error.status, body: { message: error.message, code: error.code || null } };
  if (typeof error.code === "string" && error.severity) return { status: 400, body: errorBody(error) };
  return { status: 500, body: { message: "predeploy neon bridge: " + error.message } };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new BridgeError(413, "request body is larger than " + MAX_BODY_BYTES + " bytes"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
  res.end(JSON.stringify(body));
}

async function handle(req, res) {
  const started = Date.now();
  let status = 200;
  let note = "";
  try {
    if (new URL(req.url, "https://bridge").pathname !== "/sql") throw new BridgeError(404, "predeploy neon bridge serves POST /sql only");
    if (req.method !== "POST") throw new BridgeError(405, "predeploy neon bridge serves POST /sql only");
    const text = await readBody(req);
    let payload;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      throw new BridgeError(400, "request body is not JSON: " + error.message);
    }
    const result = await execute(req.headers, payload);
    note = result.results ? "transaction of " + result.results.length : result.command;
    send(res, 200, result);
  } catch (error) {
    const answer = failure(error);
    status = answer.status;
    note = answer.body.message;
    send(res, status, answer.body);
  }
  console.log(req.method + " " + req.url + " " + status + " " + (Date.now() - started) + "ms " + note);
}

/** Postgres may still be starting: the bridge listens (and so reports ready) only once it answers. */
async function waitForDatabase() {
  const deadline = Date.now() + 120000;
  for (;;) {
    try {
      await pool.query("SELECT 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error("neon bridge: the database did not answer within 120s: " + error.message);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

await waitForDatabase();
createServer({ key: process.env.NEON_BRIDGE_TLS_KEY, cert: process.env.NEON_BRIDGE_TLS_CERT }, (req, res) => {
  handle(req, res);
}).listen(PORT, () => console.log("neon bridge: listening on https port " + PORT));
