import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { smokeRequest, type SmokeRequest } from "../../src/plan/checks-smoke.js";
import { planChecks, type PlanOptions } from "../../src/plan/index.js";
import type { CheckSpec } from "../../src/model/spec.js";
import { HostSourceTree } from "../support/host-tree.js";

/** The smoke stage planned for tests/fixtures/projects/smoke-target (backend, intake worker, brochure site). */
const FIXTURE = resolve(import.meta.dirname, "../fixtures/projects/smoke-target");
const CONFIG = readFileSync(resolve(FIXTURE, "predeploy.json"), "utf8");

function plan(smoke: SmokeRequest, config: string | null = CONFIG, options: PlanOptions = {}) {
  return planChecks(new HostSourceTree(FIXTURE), config, { smoke, runId: "0123456789abcdef", ...options });
}

function probeSpec(check: CheckSpec | undefined): Record<string, unknown> {
  const json = check?.command.at(-1);
  assert.ok(json !== undefined, "a probe command");
  return JSON.parse(json) as Record<string, unknown>;
}

const byId = (checks: readonly CheckSpec[], id: string) => checks.find((c) => c.id === id);

describe("the smoke plan", () => {
  test("probes every part the environment names a URL for, in the smoke stage, never from a cache", async () => {
    const config = JSON.stringify({ ...JSON.parse(CONFIG), environments: { staging: { backend: "https://api.example.com/", workers: { intake: "https://intake.example.com" }, sites: { brochure: "https://www.example.com" }, settleSeconds: 45 } } });
    const planned = await plan(smokeRequest("staging", undefined, [], [], undefined), config);
    assert.deepEqual(planned.errors, []);
    assert.equal(planned.runnable, true);
    assert.deepEqual(planned.checks.map((c) => [c.id, c.stage]).sort(), [
      ["smoke.backend-health", "smoke"],
      ["smoke.intake-e2e", "smoke"],
      ["smoke.site-pages.brochure", "smoke"],
      ["smoke.worker-health.intake", "smoke"],
    ]);
    for (const check of planned.checks) {
      assert.deepEqual(check.command.slice(0, 2), ["env", "PREDEPLOY_FRESH=0123456789abcdef"], `${check.id} is a new input each run`);
      assert.deepEqual(check.container.services, [], `${check.id} starts nothing of its own`);
    }
    const backend = probeSpec(byId(planned.checks, "smoke.backend-health"));
    assert.equal(backend.base, "https://api.example.com");
    assert.equal(backend.expectText, "ok", "backend.health applies to the deployed backend too");
    assert.equal(backend.settleSeconds, 45);
    assert.equal(backend.headers, undefined, "no proxy headers: the deployed proxy adds its own");
    const intake = probeSpec(byId(planned.checks, "smoke.intake-e2e"));
    assert.equal(intake.url, "https://intake.example.com/intake/form");
    assert.equal(intake.marker, "predeploy-smoke-01234567");
    assert.equal(intake.readBack, false);
    assert.match(String(intake.noReadBack), /no database URL/);
    const site = byId(planned.checks, "smoke.site-pages.brochure");
    assert.match(site?.command.at(-1) ?? "", /npm run --silent build .*node \/opt\/predeploy\/pages-probe\.mjs dist .*"base":"https:\/\/www\.example\.com"/);
  });

  test("the caller's URLs win over predeploy.json's, and a part without one is skipped with the reason", async () => {
    const config = JSON.stringify({ ...JSON.parse(CONFIG), environments: { staging: { backend: "https://old.example.com" } } });
    const planned = await plan(smokeRequest("staging", "https://api.example.com", ["intake=https://intake.example.com"], [], 3), config);
    assert.equal(probeSpec(byId(planned.checks, "smoke.backend-health")).base, "https://api.example.com");
    assert.equal(probeSpec(byId(planned.checks, "smoke.worker-health.intake")).settleSeconds, 3);
    assert.deepEqual(
      planned.excluded.map(({ spec, reason }) => [spec.id, reason]),
      [["smoke.site-pages.brochure", "environments.staging names no URL for the site brochure (add sites.brochure, or pass --site-url brochure=URL)"]],
    );
  });

  test("the end-to-end check reads its row back only with the environment's database, in the backend's environment", async () => {
    const planned = await plan(smokeRequest("staging", undefined, ["intake=https://intake.example.com"], [], undefined), CONFIG, { externalDatabase: true });
    const intake = byId(planned.checks, "smoke.intake-e2e");
    assert.equal(probeSpec(intake).readBack, true);
    assert.equal(intake?.container.secretEnv.DATABASE_URL, "databaseUrl");
    assert.ok(intake?.container.layers.some((layer) => layer.kind === "file" && layer.path === "/opt/predeploy/probe.py"));
  });

  test("bad input names the input and the fix, and nothing runs", async () => {
    const unknown = await plan(smokeRequest("prod", undefined, [], [], undefined));
    assert.equal(unknown.runnable, false);
    assert.match(unknown.errors.join("\n"), /smoke --env prod: predeploy.json has no environments\.prod \(it has staging\); add it with the deployed URLs, or pass --backend-url/);
    const bad = await plan(smokeRequest("staging", "ftp://api.example.com", ["intake"], ["shop=https://shop.example.com"], undefined));
    assert.equal(bad.runnable, false);
    const errors = bad.errors.join("\n");
    assert.match(errors, /--worker-url "intake": must be NAME=URL/);
    assert.match(errors, /backend: must be an http\(s\) URL/);
    const names = await plan(smokeRequest("staging", undefined, ["mailer=https://m.example.com"], ["shop=https://shop.example.com"], undefined));
    assert.match(names.errors.join("\n"), /workers mailer are not workers of this repository \(it has intake\)/);
    assert.match(names.errors.join("\n"), /sites shop are not sites of this repository \(it has brochure\)/);
  });

  test("a URL with credentials is refused, never echoed", async () => {
    const planned = await plan(smokeRequest("staging", "https://admin:hunter22@api.example.com", [], [], undefined));
    assert.equal(planned.runnable, false);
    assert.doesNotMatch(planned.errors.join("\n"), /hunter22/);
    assert.match(planned.errors.join("\n"), /looks like a secret value/);
  });

  test("overrides of the validation's checks are not the smoke plan's to judge; a smoke override applies", async () => {
    const config = JSON.stringify({ ...JSON.parse(CONFIG), checks: { "quality.nothing-here": { enabled: false }, "smoke.backend-health": { timeoutSeconds: 30 } } });
    const planned = await plan(smokeRequest("staging", "https://api.example.com", [], [], undefined), config);
    assert.deepEqual(planned.errors, []);
    assert.equal(byId(planned.checks, "smoke.backend-health")?.timeoutMs, 30_000);
  });
});
