/**
 * The Docker harness's pure parts (no engine needed): glob matching, bounded capture,
 * shared work with abort, the service graph, the critical path.
 * Run: node --import tsx --test tests/harness/harness.test.ts
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { ServiceSpec } from "../../src/model/spec.js";
import type { CheckResult, Report } from "../../src/model/report.js";
import { BoundedOutput } from "./bounded-output.js";
import { criticalPath } from "./critical-path.js";
import { GlobSet } from "./glob.js";
import { serviceGraph } from "./services.js";
import { SharedWork } from "./shared-work.js";

describe("GlobSet", () => {
  test("* stays in a segment, ** spans segments, a matched directory matches what is beneath it", () => {
    const lockfiles = new GlobSet(["pyproject.toml", "uv.lock", "**/package.json"]);
    assert.ok(lockfiles.matches("uv.lock"));
    assert.ok(lockfiles.matches("package.json"));
    assert.ok(lockfiles.matches("workers/intake/package.json"));
    assert.ok(!lockfiles.matches("apps/uv.lock"));
    assert.ok(!lockfiles.matches("package.json.bak"));
    const excludes = new GlobSet([".git", "**/node_modules", "*.pyc"]);
    assert.ok(excludes.matches(".git/config"));
    assert.ok(excludes.matches("sites/a/node_modules/vite/index.js"));
    assert.ok(excludes.matches("x.pyc"));
    assert.ok(!excludes.matches("apps/x.pyc"));
    assert.ok(!excludes.matches("apps/git/x"));
    assert.ok(new GlobSet(["./src/"]).matches("src/a/b.ts"));
    assert.ok(new GlobSet(["a?c"]).matches("abc") && !new GlobSet(["a?c"]).matches("a/c"));
  });

  test("an empty set matches nothing; negation is refused", () => {
    assert.ok(new GlobSet([]).empty);
    assert.ok(!new GlobSet([]).matches("anything"));
    assert.throws(() => new GlobSet(["!keep"]), /not supported/);
  });
});

describe("BoundedOutput", () => {
  test("keeps everything under the limit", () => {
    const out = new BoundedOutput(100);
    out.push(Buffer.from("hello "));
    out.push(Buffer.from("world"));
    assert.equal(out.text(), "hello world");
    assert.equal(out.droppedBytes, 0);
  });

  test("keeps head and tail within the limit and counts what it dropped, whatever the chunking", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 }), fc.integer({ min: 2, max: 64 }), (chunks, limit) => {
        const out = new BoundedOutput(limit);
        const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        for (const chunk of chunks) out.push(Buffer.from(chunk));
        const half = Math.floor(limit / 2);
        assert.equal(out.droppedBytes, Math.max(0, all.length - 2 * half));
        if (out.droppedBytes === 0) {
          assert.equal(out.text(), all.toString("utf8"));
        } else {
          const head = all.subarray(0, half).toString("utf8");
          const tail = all.subarray(all.length - half).toString("utf8");
          assert.equal(out.text(), `${head}\n… [${out.droppedBytes} bytes of output dropped] …\n${tail}`);
        }
      }),
    );
  });
});

describe("SharedWork", () => {
  test("callers asking for one key at once share one run", async () => {
    const work = new SharedWork<number>();
    let runs = 0;
    const job = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 42;
    };
    const never = new AbortController().signal;
    assert.deepEqual(await Promise.all([work.run("k", never, job), work.run("k", never, job)]), [42, 42]);
    assert.equal(runs, 1);
    assert.equal(await work.run("k", never, job), 42);
    assert.equal(runs, 2, "a finished run is not reused: that is the layer cache's job");
  });

  test("the work is aborted only when every caller has aborted", async () => {
    const work = new SharedWork<string>();
    let workSignal: AbortSignal | undefined;
    const job = (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        workSignal = signal;
        signal.addEventListener("abort", () => reject(new Error("work aborted")));
        setTimeout(() => resolve("done"), 200);
      });
    const first = new AbortController();
    const second = new AbortController();
    const a = work.run("k", first.signal, job);
    const b = work.run("k", second.signal, job);
    first.abort(new Error("first gave up"));
    await assert.rejects(a, /first gave up/);
    assert.equal(workSignal?.aborted, false);
    second.abort(new Error("second gave up"));
    await assert.rejects(b, /second gave up/);
    assert.equal(workSignal?.aborted, true);
  });
});

describe("serviceGraph", () => {
  const base = { base: { kind: "image" as const, image: "postgres:17" }, workdir: "/", env: {}, secretEnv: {}, caches: [], layers: [], services: [] };
  const db: ServiceSpec = { name: "db", container: base, args: [], ports: [5432] };

  test("identical services bound at several places are one node with every alias, started after nothing", () => {
    const backend: ServiceSpec = { name: "backend", container: { ...base, services: [{ alias: "db", service: db }] }, args: ["serve"], ports: [8000] };
    const nodes = serviceGraph([
      { alias: "db", service: { ...db, container: { ...base } } },
      { alias: "backend", service: backend },
      { alias: "database", service: db },
    ]);
    assert.equal(nodes.size, 2);
    const dbNode = [...nodes.values()].find((n) => n.aliases.includes("db"));
    assert.deepEqual(dbNode?.aliases, ["db", "database"]);
    assert.deepEqual(dbNode?.needs, []);
    const backendNode = [...nodes.values()].find((n) => n.aliases.includes("backend"));
    assert.deepEqual(backendNode?.needs, [dbNode?.digest]);
  });

  test("one alias for two different services in a check is refused", () => {
    assert.throws(() => serviceGraph([{ alias: "db", service: db }, { alias: "db", service: { ...db, ports: [5433] } }]), /names two different services/);
  });
});

describe("criticalPath", () => {
  const check = (id: string, durationMs: number, dependsOn: string[]): CheckResult => ({
    id,
    stage: "test",
    title: id,
    status: "passed",
    durationMs,
    summary: "",
    command: "",
    reproduce: "",
    findings: [],
    counts: null,
    logTail: "",
    skippedBecause: null,
    dependsOn,
    truncated: { logBytesDropped: 0, findingsDropped: 0 },
  });
  const report = (checks: CheckResult[]) => ({ checks }) as Report;

  test("is the longest chain by summed durations, not by length", () => {
    const path = criticalPath(report([check("a", 10, []), check("b", 5, ["a"]), check("c", 1, ["b"]), check("slow", 30, []), check("after-slow", 1, ["slow"])]));
    assert.deepEqual(path, { ms: 31, chain: ["slow", "after-slow"] });
  });

  test("survives a cycle and an unknown prerequisite", () => {
    const path = criticalPath(report([check("a", 2, ["b"]), check("b", 3, ["a", "gone"])]));
    assert.ok(path.ms >= 3 && path.ms <= 5);
  });
});
