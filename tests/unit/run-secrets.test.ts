import assert from "node:assert/strict";
import { test } from "node:test";
import { planChecks } from "../../src/plan/index.js";
import type { CheckSpec } from "../../src/model/spec.js";
import { Format, renderReport } from "../../src/report/render.js";
import type { Execution, Executor } from "../../src/run/executor.js";
import { runPlan } from "../../src/run/run-plan.js";
import { resolveRunSecrets } from "../../src/run/secrets.js";
import { stackTree } from "../support/trees.js";

/** Prints every secret the check was given — in its output, in a ruff finding, in an error. */
class LeakyExecutor implements Executor {
  constructor(private readonly secrets: Record<string, string>) {}

  async run(spec: CheckSpec): Promise<Execution> {
    const values = Object.entries(spec.container.secretEnv).map(([env, name]) => `${env}=${this.secrets[name]}`);
    const leak = values.join(" ") || Object.values(this.secrets).join(" ");
    if (spec.id === "verify.backend-health") throw new Error(`connection refused with ${leak}`);
    if (spec.parser === "ruff-check") {
      const finding = { filename: "/src/apps/web/settings.py", location: { row: 3, column: 1 }, code: "S105", message: `Possible hardcoded password: ${leak}` };
      return { phase: "command", exitCode: 1, stdout: JSON.stringify([finding]), stderr: "", files: {} };
    }
    return { phase: "command", exitCode: 1, stdout: `env: ${leak}\n`, stderr: `Traceback: ${encodeURIComponent(leak)} ${Buffer.from(leak).toString("base64")}\n`, files: {} };
  }
}

test("secrets a check prints appear in no field of the report and in no rendering", async () => {
  const secrets = resolveRunSecrets({ secretKey: "django-insecure-s3cr3t-key", intakeApiKey: "intake-key-0123456789" });
  const plan = await planChecks(stackTree(), null);
  const report = await runPlan(plan, new LeakyExecutor(secrets), { failFast: false, secrets: Object.values(secrets), reproduce: (id) => `check ${id}` });
  assert.equal(report.status, "failed");
  assert.ok(report.checks.some((c) => c.findings.some((f) => f.rule === "S105")), "the leaking finding is still reported");
  const outputs = [JSON.stringify(report), ...Format.options.map((format) => renderReport(report, format, { colourLevel: 3 }))];
  for (const value of Object.values(secrets)) {
    for (const output of outputs) {
      assert.ok(!output.includes(value), `a secret leaked into ${output.slice(0, 80)}`);
      assert.ok(!output.includes(encodeURIComponent(value)));
      assert.ok(!output.includes(Buffer.from(value).toString("base64")));
    }
  }
});

test("without caller secrets every run gets fresh random ones; the database URL uses the run's password", () => {
  const first = resolveRunSecrets({});
  const second = resolveRunSecrets({});
  assert.notEqual(first.secretKey, second.secretKey);
  assert.notEqual(first.postgresPassword, second.postgresPassword);
  assert.ok(first.secretKey.length >= 32);
  assert.equal(first.databaseUrl, `postgres://predeploy:${first.postgresPassword}@db:5432/predeploy`);
  assert.equal(resolveRunSecrets({ intakeApiKey: "given-key-value" }).intakeApiKey, "given-key-value");
});

test("throw-away secrets are fresh every run, one value per secret; there is no shared seed", () => {
  const throwaway = (values: Record<string, string>) => [values.secretKey, values.intakeApiKey, values.postgresPassword, values.databaseUrl];
  assert.notDeepEqual(throwaway(resolveRunSecrets({})), throwaway(resolveRunSecrets({})));
  const values = resolveRunSecrets({});
  assert.equal(new Set([values.secretKey, values.intakeApiKey, values.postgresPassword]).size, 3, "each secret its own value");
  assert.ok((values.secretKey ?? "").length >= 32);
  assert.equal(resolveRunSecrets({ secretKey: "from-doppler-123" }).secretKey, "from-doppler-123");
});
