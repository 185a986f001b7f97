import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { formatViolation, lintProject, type Violation } from "../../scripts/lint.js";

type Tree = Record<string, string>;

/** A project that follows every house rule, with the near misses a naive check would flag. */
const CLEAN: Tree = {
  "package.json": JSON.stringify(
    {
      name: "fixture",
      type: "module",
      dependencies: { zod: "^4.1.12" },
      devDependencies: { "@dagger.io/dagger": "0.21.9" },
    },
    null,
    2,
  ),
  "src/index.ts": 'import { dag, object, func } from "@dagger.io/dagger";\nexport { dag, object, func };\n',
  "src/dagger/executor.ts": 'import type { Container } from "@dagger.io/dagger";\nexport type C = Container;\n',
  "src/run/scheduler.ts": '// a comment naming "@dagger.io/dagger" is not an import\nexport const s = 1;\n',
  "src/run/result.ts": 'export const blocked = (id: string) => ({ id, skippedBecause: "a prerequisite failed" });\n',
  "src/model/report.ts": 'import { z } from "zod";\nexport const CheckResult = z.object({ skippedBecause: z.string().nullable() });\n',
  "src/plan/plan.ts":
    '/** Never calls console.log or process.exit; "@dagger.io/dagger" only in prose. */\n' +
    'export const note = "console.log(process.exit)";\n',
  "src/programs/index.ts": 'import { readFileSync } from "node:fs";\nexport const program = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");\n',
  "src/programs/hello.py": 'import sys\n\nprint("hello", sys.argv[1:])\n',
  "src/programs/hello.sh": 'set -u\necho "hello $*"\n',
  "src/programs/hello.mjs": 'console.log("hello");\nprocess.exit(0);\n',
  "src/plan/uses-model.ts": 'import { CheckResult } from "../model/report.js";\nexport const r = CheckResult;\n',
  "src/report/render.ts": "export function render(lines: string[]): string {\n  return lines.join(\"\\n\");\n}\n",
  "tests/unit/a.test.ts":
    'import { test } from "node:test";\ntest("a", () => {});\ntest.skip("b", () => {});\n' +
    'test("c", { only: false }, () => {});\n',
  "tests/helpers/pick.ts": "export const pick = (o: { only: boolean }) => o.only;\n",
  ".github/workflows/ci.yml":
    "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v6\n" +
    "      - run: npm test\n",
};

const roots: string[] = [];
after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function lintTree(changes: Tree): Promise<Violation[]> {
  const root = await mkdtemp(join(tmpdir(), "predeploy-lint-"));
  roots.push(root);
  for (const [file, text] of Object.entries({ ...CLEAN, ...changes })) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return lintProject(root);
}

test("a tree that follows every rule has no violations", async () => {
  assert.deepEqual(await lintTree({}), []);
});

const cases: { name: string; changes: Tree; rule: string; file: string; line: number }[] = [
  {
    name: "a CheckResult is built outside the result builder",
    changes: { "src/run/schedule.ts": 'export const skipped = (id: string) => ({\n  id,\n  status: "skipped",\n  skippedBecause: "x",\n});\n' },
    rule: "one-result-builder",
    file: "src/run/schedule.ts",
    line: 1,
  },
  {
    name: "a report is validated twice",
    changes: { "src/report/render.ts": 'import { validateReport } from "./aggregate.js";\nexport const r = (x: unknown) => validateReport(x);\n' },
    rule: "validate-once",
    file: "src/report/render.ts",
    line: 2,
  },
  {
    name: "a pure module imports the SDK",
    changes: { "src/parse/ruff.ts": 'export const a = 1;\nimport { dag } from "@dagger.io/dagger";\n' },
    rule: "pure-no-dagger",
    file: "src/parse/ruff.ts",
    line: 2,
  },
  {
    name: "a pure module imports the SDK dynamically",
    changes: { "src/report/late.ts": 'export async function f() {\n  return import("@dagger.io/dagger");\n}\n' },
    rule: "pure-no-dagger",
    file: "src/report/late.ts",
    line: 2,
  },
  {
    name: "a folder imports one above it (tools from plan)",
    changes: { "src/tools/ruff.ts": 'import { note } from "../plan/plan.js";\nexport const n = note;\n' },
    rule: "folder-direction",
    file: "src/tools/ruff.ts",
    line: 1,
  },
  {
    name: "a pure module re-exports an SDK subpath",
    changes: { "src/plan/tele.ts": 'export * from "@dagger.io/dagger/telemetry";\n' },
    rule: "pure-no-dagger",
    file: "src/plan/tele.ts",
    line: 1,
  },
  {
    name: "another src file imports the SDK",
    changes: { "src/run/scheduler.ts": 'import { dag } from "@dagger.io/dagger";\nexport const d = dag;\n' },
    rule: "dagger-import-location",
    file: "src/run/scheduler.ts",
    line: 1,
  },
  {
    name: "a test file under src",
    changes: { "src/plan/plan.test.ts": "export {};\n" },
    rule: "no-tests-in-src",
    file: "src/plan/plan.test.ts",
    line: 1,
  },
  {
    name: "a spec file under src",
    changes: { "src/util.spec.ts": "export {};\n" },
    rule: "no-tests-in-src",
    file: "src/util.spec.ts",
    line: 1,
  },
  {
    name: "console in a pure module",
    changes: { "src/report/render.ts": 'export function render(): string {\n  const s = "x";\n  console.log(s);\n  return s;\n}\n' },
    rule: "pure-no-console",
    file: "src/report/render.ts",
    line: 3,
  },
  {
    name: "process.exit in a pure module",
    changes: { "src/parse/exit.ts": "export function stop(): never {\n  return process.exit(1);\n}\n" },
    rule: "pure-no-process-exit",
    file: "src/parse/exit.ts",
    line: 2,
  },
  {
    name: "a pure module other than the programs' loader reads files",
    changes: { "src/plan/read.ts": 'export const a = 1;\nimport { readFile } from "node:fs/promises";\nexport const r = readFile;\n' },
    rule: "pure-no-fs",
    file: "src/plan/read.ts",
    line: 2,
  },
  {
    name: "console in the programs' loader",
    changes: { "src/programs/index.ts": 'export const program = (name: string) => name;\nconsole.log("loaded");\n' },
    rule: "pure-no-console",
    file: "src/programs/index.ts",
    line: 2,
  },
  {
    name: "the SDK as a production dependency",
    changes: {
      "package.json": JSON.stringify(
        { name: "fixture", dependencies: { zod: "^4.1.12", "@dagger.io/dagger": "0.21.9" } },
        null,
        2,
      ),
    },
    rule: "dagger-dev-dependency",
    file: "package.json",
    line: 5,
  },
  {
    name: "a focused test (.only)",
    changes: { "tests/unit/b.test.ts": 'import { test } from "node:test";\ntest.only("b", () => {});\n' },
    rule: "no-only",
    file: "tests/unit/b.test.ts",
    line: 2,
  },
  {
    name: "a focused test (only: true)",
    changes: {
      "tests/unit/c.test.ts": 'import { describe } from "node:test";\ndescribe("c", {\n  only: true,\n}, () => {});\n',
    },
    rule: "no-only",
    file: "tests/unit/c.test.ts",
    line: 3,
  },
  {
    name: "a unit test that starts a program",
    changes: { "tests/unit/d.test.ts": 'import { test } from "node:test";\nimport { execFileSync } from "node:child_process";\ntest("d", () => execFileSync("true"));\n' },
    rule: "unit-pure",
    file: "tests/unit/d.test.ts",
    line: 2,
  },
  {
    name: "a workflow actionlint rejects",
    changes: {
      ".github/workflows/ci.yml":
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_field }}\n",
    },
    rule: "actionlint/expression",
    file: ".github/workflows/ci.yml",
    line: 6,
  },
  {
    name: "an in-container shell program that does not parse",
    changes: { "src/programs/broken.sh": "echo start\nif [ -n x ]; then\n  echo never closed\n" },
    rule: "program-syntax",
    file: "src/programs/broken.sh",
    line: 4,
  },
  {
    name: "an in-container Python program that does not parse",
    changes: { "src/programs/broken.py": "import os\n\ndef f(:\n    pass\n" },
    rule: "program-syntax",
    file: "src/programs/broken.py",
    line: 3,
  },
  {
    name: "an in-container Python program that parses but does not compile",
    changes: { "src/programs/broken.py": "import os\nreturn os.getcwd()\n" },
    rule: "program-syntax",
    file: "src/programs/broken.py",
    line: 2,
  },
  {
    name: "an in-container Node program that does not parse",
    changes: { "src/programs/broken.mjs": "const a = 1;\nconst = 2;\n" },
    rule: "program-syntax",
    file: "src/programs/broken.mjs",
    line: 2,
  },
];

for (const { name, changes, rule, file, line } of cases) {
  test(`fires on ${name}`, async () => {
    const violations = await lintTree(changes);
    assert.deepEqual(
      violations.map(({ file, line, rule }) => ({ file, line, rule })),
      [{ file, line, rule }],
    );
    assert.ok(violations[0]?.message, "a violation explains itself");
  });
}

const shellcheckInstalled = spawnSync("shellcheck", ["--version"]).status === 0;

test("where shellcheck is installed, it lints the shell programs", { skip: !shellcheckInstalled && "shellcheck is not installed" }, async () => {
  const violations = await lintTree({ "src/programs/unquoted.sh": 'set -u\nrm -rf $1\n' });
  assert.deepEqual(
    violations.map(({ file, line, rule }) => ({ file, line, rule })),
    [{ file: "src/programs/unquoted.sh", line: 2, rule: "shellcheck/SC2086" }],
  );
  assert.match(violations[0]?.message ?? "", /Double quote/);
});

test("violations print as file:line: rule: message", () => {
  const line = formatViolation({ file: "src/plan/a.ts", line: 3, rule: "pure-no-console", message: "no printing" });
  assert.equal(line, "src/plan/a.ts:3: pure-no-console: no printing");
});

test("node_modules is never linted", async () => {
  const violations = await lintTree({ "src/node_modules/x/x.test.ts": "export {};\n" });
  assert.deepEqual(violations, []);
});
