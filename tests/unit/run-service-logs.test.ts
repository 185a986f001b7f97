import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Chalk } from "chalk";
import fc from "fast-check";
import { loggedServiceArgs, SERVICE_LOG_LINES, serviceLogBlock, serviceLogFile, showingServiceLogs, splitServiceLogs } from "../../src/run/service-logs.js";
import { validateReport } from "../../src/report/aggregate.js";
import { renderAgent } from "../../src/report/render-agent.js";
import { renderJson } from "../../src/report/render-json.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderText } from "../../src/report/render-text.js";
import { buildResult } from "../../src/run/result.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";
import { reportOf } from "./report-fixtures.js";

/** The service-log wrappers run for real by the host's /bin/sh. */

const dir = mkdtempSync(join(tmpdir(), "predeploy-service-logs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]) {
  const [program, ...args] = argv;
  return spawnSync(program as string, args, { encoding: "utf8", timeout: 20_000 });
}

test("a service's output goes to its log file and its own output; its exit code is kept, and written beside the log", () => {
  const log = join(dir, "worker.log");
  writeFileSync(`${log}.exit`, "0\n");
  const result = run(loggedServiceArgs(log, ["sh", "-c", "echo ready; echo 'boom' >&2; exit 3"]));
  assert.equal(result.status, 3);
  assert.equal(result.stdout, "ready\nboom\n");
  assert.equal(readFileSync(log, "utf8"), "ready\nboom\n");
  assert.equal(readFileSync(`${log}.exit`, "utf8").trim(), "3", "the earlier run's exit file is replaced");
});

test("a failing command prints the end of each service's log between markers; a passing one prints none", () => {
  const worker = { container: containerSpec("node:22-slim"), args: ["wrangler", "dev"], ports: [8787] };
  const db = { container: containerSpec("postgres:17"), args: [], ports: [5432] };
  const services = [{ alias: "worker", service: { ...worker, container: { ...worker.container, services: [{ alias: "db", service: db }] } } }];
  const files = [serviceLogFile(services[0]!.service), serviceLogFile(db)];
  const argv = (command: string[]) => showingServiceLogs(command, services).map((arg) => files.reduce((text, file, i) => text.replace(file, join(dir, `s${i}.log`)), arg));
  writeFileSync(join(dir, "s0.log"), `${Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n")}\n✘ [ERROR] column "phone_number" does not exist`);
  writeFileSync(join(dir, "s1.log"), "LOG:  database system is ready to accept connections\n");
  const failed = run(argv(["sh", "-c", "echo tool-output >&2; exit 1"]));
  assert.equal(failed.status, 1);
  const { logs, rest } = splitServiceLogs(failed.stderr);
  assert.equal(rest, "tool-output\n", "the tool's own stderr is left as it was");
  assert.deepEqual(logs.map((l) => l.service), ["worker", "db"], "nested services too, by the alias they were bound as");
  assert.equal(logs[0]?.text.split("\n").filter(Boolean).length, SERVICE_LOG_LINES);
  assert.match(logs[0]?.text ?? "", /column "phone_number" does not exist\n$/);
  const passed = run(argv(["true"]));
  assert.equal(passed.status, 0);
  assert.equal(passed.stderr, "");
  assert.deepEqual(showingServiceLogs(["pytest"], []), ["pytest"]);
});

test("splitServiceLogs reads back the blocks serviceLogBlock writes, and survives any text", () => {
  const block = serviceLogBlock("backend", "Traceback (most recent call last):\n  boom\n");
  assert.deepEqual(splitServiceLogs(`before\n${block}after\n`), { logs: [{ service: "backend", text: "Traceback (most recent call last):\n  boom\n" }], rest: "before\nafter\n" });
  fc.assert(
    fc.property(fc.string(), (text) => {
      const split = splitServiceLogs(text);
      assert.ok(split.rest.length <= text.length);
    }),
  );
});

test("a failing verify check's result carries each service's log, redacted and bounded, apart from its own log tail; the renderings show them", () => {
  const secret = "s3cr3t-database-password";
  const stderr = `probe: POST answered 500\n${serviceLogBlock("worker", `✘ [ERROR] storing a submission failed: password ${secret} rejected\n`)}${serviceLogBlock("db", "FATAL: relation does not exist\n")}`;
  const verify = checkSpec("verify.intake-e2e", { stage: "verify", parser: "http-probe" });
  const ran = (exitCode: number) =>
    buildResult({ spec: verify, outcome: { kind: "ran", execution: { phase: "command", exitCode, stdout: "", stderr, files: {} } }, durationMs: 1_000 }, { secrets: [secret], limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 10 }, reproduce: (id) => id });
  const failed = ran(1);
  assert.equal(failed.status, "failed");
  assert.deepEqual(failed.serviceLogs?.map((log) => log.service), ["worker", "db"]);
  assert.match(failed.serviceLogs?.[0]?.tail ?? "", /storing a submission failed/);
  assert.ok(!JSON.stringify(failed).includes(secret), "no secret in the result");
  assert.ok(!failed.logTail.includes("storing a submission"), "the services' logs are not the check's own output");
  const report = reportOf([failed]);
  assert.doesNotThrow(() => validateReport(JSON.parse(renderJson(report))));
  for (const rendered of [renderText(report, { chalk: new Chalk({ level: 0 }) }), renderAgent(report)]) {
    assert.match(rendered, /worker log:\n.*storing a submission failed/);
    assert.match(rendered, /db log:\n.*FATAL: relation does not exist/);
  }
  assert.match(renderMarkdown(report), /<summary>worker log<\/summary>/);
});
