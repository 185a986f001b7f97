import assert from "node:assert/strict";
import { test } from "node:test";
import { Chalk } from "chalk";
import fc from "fast-check";
import { serviceLogBlock, splitServiceLogs } from "../../src/run/service-logs.js";
import { validateReport } from "../../src/report/aggregate.js";
import { renderAgent } from "../../src/report/render-agent.js";
import { renderJson } from "../../src/report/render-json.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderText } from "../../src/report/render-text.js";
import { buildResult } from "../../src/run/result.js";
import { checkSpec } from "../support/check-spec.js";
import { reportOf } from "../support/report-fixtures.js";

/** The service logs as the result builder and the renderings carry them (runtime.sh writes and prints them: tests/integration/runtime.test.ts). */

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
  const serviceLogs = [
    { service: "worker", text: `✘ [ERROR] storing a submission failed: password ${secret} rejected\n` },
    { service: "db", text: "FATAL: relation does not exist\n" },
  ];
  const verify = checkSpec("verify.intake-e2e", { stage: "verify", parser: "http-probe" });
  const ran = (exitCode: number) =>
    buildResult(
      { spec: verify, outcome: { kind: "ran", execution: { phase: "command", exitCode, stdout: "", stderr: "probe: POST answered 500\n", files: {}, serviceLogs } }, durationMs: 1_000 },
      { secrets: [secret], limits: { logTailBytes: 4096, logTailLines: 50, maxFindings: 10 }, reproduce: (id) => id },
    );
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
