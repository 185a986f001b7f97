import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Finding } from "../../src/model/report.js";
import type { CheckResult } from "../../src/model/report.js";
import { buildResult } from "../../src/run/result.js";
import { checkSpec, containerSpec } from "../support/check-spec.js";
import { CATALOGUES, findingMatches, loadFaults, type CatalogueName } from "../support/fault-catalogue.js";
import { CAPTURES, type Capture } from "../support/captures.js";

/**
 * The parsers, through the one result builder, on what each check's tool printed in its
 * container on the examples (`npm run capture`): every green check passes with no finding,
 * and each fault's check fails with the finding its fault.json names. Each capture names its
 * own parser.
 */

const LIMITS = { logTailBytes: 16_384, logTailLines: 200, maxFindings: 200 };

function judgeCapture(id: string, file: string): CheckResult {
  const capture = JSON.parse(readFileSync(file, "utf8")) as Capture;
  const container = capture.dockerfile === null ? containerSpec("image") : { ...containerSpec("image"), base: { kind: "dockerfile" as const, context: ".", dockerfile: capture.dockerfile } };
  const spec = checkSpec(id, { parser: capture.parser, pathBase: capture.pathBase, container, timeoutMs: 600_000 });
  const { dockerfile: _dockerfile, parser: _parser, pathBase: _pathBase, ...execution } = capture;
  const result = buildResult({ spec, outcome: { kind: "ran", execution }, durationMs: 1_000 }, { secrets: [], limits: LIMITS, reproduce: (check) => check });
  for (const finding of result.findings) Finding.parse(finding);
  return result;
}

const captures = (example: string, slug: string) => {
  const dir = join(CAPTURES, example, slug);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => ({ id: f.slice(0, -5), file: join(dir, f) })) : [];
};

for (const example of Object.keys(CATALOGUES) as CatalogueName[]) {
  describe(`parsers on ${example}'s captured check output`, () => {
    test("green: every captured check passes with no findings (the deployment checklist's warnings aside)", () => {
      const green = captures(example, "green");
      assert.ok(green.length > 0, `no capture of ${example}/green: run npm run capture -- ${example}`);
      for (const { id, file } of green) {
        const result = judgeCapture(id, file);
        assert.equal(result.status, "passed", `${id}: ${result.summary}`);
        // Django's checklist warns about what a deployment may set elsewhere (HSTS at the proxy): those pass at its default level.
        const findings = id === "build.deploy-checklist" ? result.findings.filter((f) => f.severity !== "warning") : result.findings;
        assert.deepEqual(findings, [], id);
      }
    });
    for (const { slug, fault } of loadFaults(example)) {
      test(`${slug}: ${fault.finding.check} fails with the expected finding`, () => {
        const found = captures(example, slug).find((c) => c.id === fault.finding.check);
        assert.ok(found, `no capture of ${fault.finding.check} for ${example}/${slug}: run npm run capture -- ${example}`);
        const result = judgeCapture(found.id, found.file);
        assert.equal(result.status, "failed", result.summary);
        assert.ok(
          result.findings.some((f) => findingMatches(fault.finding, f)),
          `expected ${JSON.stringify(fault.finding)}; got ${JSON.stringify(result.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`))}`,
        );
      });
    }
  });
}
