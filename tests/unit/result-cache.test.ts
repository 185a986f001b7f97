/**
 * The key that decides whether a check's earlier passing execution may be reused, and the
 * store that keeps those executions. No Docker: base images resolve to fixed ids.
 * Run: node --import tsx --test tests/unit/result-cache.test.ts
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CheckSpec, ContainerSpec, ServiceSpec } from "../../src/model/spec.js";
import { resolveLayers } from "../harness/image-builder.js";
import { executionKey, ResultStore, type ContainerKey } from "../harness/result-cache.js";
import { FileHasher } from "../harness/source-selection.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";

let source: string;

/** Keys as the executor computes them, with every image resolving to a fixed id and a fresh hasher (no memo across edits). */
function keyOf(spec: CheckSpec, imageIds: Record<string, string> = {}): Promise<string> {
  const hasher = new FileHasher();
  const containerKey: ContainerKey = async (container) => {
    const base = container.base.kind === "image" ? (imageIds[container.base.image] ?? `sha256:${container.base.image}`) : "sha256:built";
    return (await resolveLayers(container, base, { sourceDir: source, sourceExclude: ["**/node_modules"] }, hasher)).key;
  };
  return executionKey(spec, containerKey);
}

function appContainer(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return containerSpec("python:3.13-slim", {
    workdir: "/src/app",
    env: { MODE: "test" },
    secretEnv: { TOKEN: "token" },
    caches: [{ path: "/cache", volume: "pip" }],
    layers: [
      { kind: "copy", copy: { from: "app", to: "/src/app", include: ["deps.lock"] } },
      { kind: "exec", args: ["pip", "install", "-r", "deps.lock"] },
      { kind: "copy", copy: { from: "app", to: "/src/app" } },
    ],
    ...overrides,
  });
}

function appCheck(overrides: Partial<CheckSpec> = {}): CheckSpec {
  return checkSpec("quality.app", { container: appContainer(), command: ["lint", "."], outputFiles: ["/tmp/out.xml"], timeoutMs: 60_000, ...overrides });
}

function databaseService(overrides: Partial<ContainerSpec> = {}): ServiceSpec {
  return { name: "db", container: containerSpec("postgres:17", { secretEnv: { POSTGRES_PASSWORD: "postgresPassword" }, ...overrides }), args: [], ports: [5432] };
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(source, path, ".."), { recursive: true });
  await writeFile(join(source, path), text);
}

describe("executionKey", () => {
  before(async () => {
    source = await mkdtemp(join(tmpdir(), "predeploy-result-key-"));
    await write("app/deps.lock", "requests==2\n");
    await write("app/main.py", "print('v1')\n");
    await write("app/node_modules/junk.js", "1\n");
    await write("db/seed.sql", "select 1;\n");
    await write("site/index.html", "<p>v1</p>\n");
  });
  after(() => rm(source, { recursive: true, force: true }));

  test("is the same for the same inputs, whatever the secret values of the run", async () => {
    // The key function is never given secret values: two runs with different random secrets compute the same key.
    assert.equal(await keyOf(appCheck()), await keyOf(appCheck()));
  });

  test("secret names are part of the key: a secret bound to another variable, or another secret, is another input", async () => {
    const base = await keyOf(appCheck());
    assert.notEqual(await keyOf(appCheck({ container: appContainer({ secretEnv: { API_TOKEN: "token" } }) })), base);
    assert.notEqual(await keyOf(appCheck({ container: appContainer({ secretEnv: { TOKEN: "otherToken" } }) })), base);
    assert.notEqual(await keyOf(appCheck({ container: appContainer({ secretEnv: {} }) })), base);
  });

  test("a changed file in a copy layer changes the key; a file outside the check's copies, or excluded from them, does not", async () => {
    const before = await keyOf(appCheck());
    await write("site/index.html", "<p>v2</p>\n");
    assert.equal(await keyOf(appCheck()), before, "site/ is not copied into the check");
    await write("app/node_modules/junk.js", "2\n");
    assert.equal(await keyOf(appCheck()), before, "node_modules is excluded from the source");
    await write("app/main.py", "print('v2')\n");
    const edited = await keyOf(appCheck());
    assert.notEqual(edited, before, "app/main.py is copied by the last layer");
    await write("app/main.py", "print('v1')\n");
    assert.equal(await keyOf(appCheck()), before, "the key follows contents, not modification times");
  });

  test("a file only the dependency layer copies changes the key too", async () => {
    const before = await keyOf(appCheck());
    await write("app/deps.lock", "requests==3\n");
    try {
      assert.notEqual(await keyOf(appCheck()), before);
    } finally {
      await write("app/deps.lock", "requests==2\n");
    }
  });

  test("the base image id, env, workdir, caches, layers, command, output files and time limit are all inputs", async () => {
    const base = await keyOf(appCheck());
    const variants: [string, CheckSpec, Record<string, string>?][] = [
      ["image id", appCheck(), { "python:3.13-slim": "sha256:rebuilt" }],
      ["env", appCheck({ container: appContainer({ env: { MODE: "prod" } }) })],
      ["workdir", appCheck({ container: appContainer({ workdir: "/src" }) })],
      ["caches", appCheck({ container: appContainer({ caches: [{ path: "/cache", volume: "pip-2" }] }) })],
      ["layers", appCheck({ container: appContainer({ layers: [{ kind: "copy", copy: { from: "app", to: "/src/app" } }] }) })],
      ["command", appCheck({ command: ["lint", "--strict", "."] })],
      ["output files", appCheck({ outputFiles: [] })],
      ["time limit", appCheck({ timeoutMs: 30_000 })],
    ];
    for (const [what, spec, images] of variants) assert.notEqual(await keyOf(spec, images), base, what);
  });

  test("services are keyed the same way, recursively: their files, secret names, args and aliases", async () => {
    const seeded: ContainerSpec = { ...databaseService().container, layers: [{ kind: "copy", copy: { from: "db", to: "/docker-entrypoint-initdb.d" } }] };
    const backend: ServiceSpec = {
      name: "backend",
      container: appContainer({ services: [{ alias: "db", service: { ...databaseService(), container: seeded } }] }),
      args: ["serve"],
      ports: [8000],
    };
    const withBackend = (service: ServiceSpec, alias = "backend") => appCheck({ container: appContainer({ services: [{ alias, service }] }) });
    const base = await keyOf(withBackend(backend));
    assert.equal(await keyOf(withBackend(backend)), base);
    assert.notEqual(await keyOf(withBackend(backend, "api")), base, "alias");
    assert.notEqual(await keyOf(withBackend({ ...backend, args: ["serve", "--debug"] })), base, "service args");
    const renamedSecret = { ...seeded, secretEnv: { PGPASSWORD: "postgresPassword" } };
    const nested = { ...backend, container: appContainer({ services: [{ alias: "db", service: { ...databaseService(), container: renamedSecret } }] }) };
    assert.notEqual(await keyOf(withBackend(nested)), base, "a nested service's secret names");
    await write("db/seed.sql", "select 2;\n");
    try {
      assert.notEqual(await keyOf(withBackend(backend)), base, "a file copied into a nested service");
    } finally {
      await write("db/seed.sql", "select 1;\n");
    }
  });
});

describe("ResultStore", () => {
  let dir: string;
  const key = "a".repeat(64);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "predeploy-results-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("returns a stored passing execution marked cached; an unknown key is a miss", async () => {
    const store = new ResultStore(dir);
    assert.equal(await store.get(key), null);
    await store.put(key, { phase: "command", exitCode: 0, stdout: "ok\n", stderr: "", files: { "/tmp/out.xml": "<x/>" }, outputBytesDropped: 3 });
    assert.deepEqual(await store.get(key), { phase: "command", exitCode: 0, stdout: "ok\n", stderr: "", files: { "/tmp/out.xml": "<x/>" }, outputBytesDropped: 3, cached: true });
    assert.equal(await new ResultStore(dir).get(key).then((e) => e?.stdout), "ok\n", "another process (store) sees it");
  });

  test("refuses a failure or a prepare failure; a malformed entry is a miss", async () => {
    const store = new ResultStore(dir);
    await assert.rejects(store.put("b".repeat(64), { phase: "command", exitCode: 1, stdout: "", stderr: "", files: {} }));
    await assert.rejects(store.put("b".repeat(64), { phase: "prepare", exitCode: 0, stdout: "", stderr: "", files: {} }));
    await writeFile(join(dir, `${"c".repeat(64)}.json`), '{"version":1,"exitCode":1,"stdout":"","stderr":"","files":{},"outputBytesDropped":0}');
    assert.equal(await store.get("c".repeat(64)), null);
    await writeFile(join(dir, `${"d".repeat(64)}.json`), "{not json");
    assert.equal(await store.get("d".repeat(64)), null);
    assert.ok(!(await readdir(dir)).some((name) => name.endsWith(".tmp")), "no temporary file is left behind");
  });

  test("prune keeps the most recent entries; clear removes them all", async () => {
    const own = join(dir, "prune");
    const store = new ResultStore(own);
    for (const [index, digit] of ["1", "2", "3"].entries()) {
      await store.put(digit.repeat(64), { phase: "command", exitCode: 0, stdout: digit, stderr: "", files: {} });
      // Explicit ages, oldest first (seconds since the epoch), instead of waiting between writes.
      const stored = (await readdir(own)).find((name) => name.startsWith(digit.repeat(64)));
      assert.ok(stored);
      await utimes(join(own, stored), 1_000_000 + index, 1_000_000 + index);
    }
    await store.get("1".repeat(64));
    const before = (await readdir(own)).length;
    assert.equal(await store.prune(2), before - 2);
    assert.equal((await store.get("1".repeat(64)))?.stdout, "1", "a reused entry counts as recent");
    assert.equal((await store.get("3".repeat(64)))?.stdout, "3");
    await store.clear();
    assert.equal(await store.get("3".repeat(64)), null);
  });
});
