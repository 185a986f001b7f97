import assert from "node:assert/strict";
import { test } from "node:test";
import { planChecks } from "../../src/plan/index.js";
import { isParserId } from "../../src/parse/index.js";
import { NODE_TOOLS } from "../../src/tools/index.js";
import { applyRegistryRules } from "../../src/tools/registry-rules.js";
import { adoptedBy, adoptedByDefault, notAdopted, type ToolRole } from "../../src/tools/types.js";
import { agencyTree, stackTree } from "../support/trees.js";

/** The registry's own rules: one formatter and one test runner per ecosystem, the tool on every check. */

const tool = (role: ToolRole, ecosystem: "python" | "node" = "python") => ({ role, ecosystem });

test("a tool adopted only by default yields to one of its role the project adopted, and says which", () => {
  const black = { tool: tool("formatter"), id: "quality.black", adoption: adoptedBy("black is declared in pyproject.toml") };
  const ruffFormat = { tool: tool("formatter"), id: "quality.ruff-format", adoption: adoptedByDefault("ruff is declared") };
  const [, yielded] = applyRegistryRules([black, ruffFormat]);
  assert.deepEqual(yielded?.adoption, notAdopted("not the project's formatter: black is declared in pyproject.toml (quality.black)"));
});

test("two tools the project adopted both run; other roles, other ecosystems and unadopted tools change nothing", () => {
  const candidates = [
    { tool: tool("formatter"), id: "quality.black", adoption: adoptedBy("black is declared") },
    { tool: tool("formatter"), id: "quality.ruff-format", adoption: adoptedBy("[tool.ruff.format]") },
    { tool: tool("test-runner"), id: "test.django-tests", adoption: adoptedByDefault("Django's own test runner") },
    { tool: tool("test-runner", "node"), id: "test.worker-tests.intake", adoption: adoptedBy("its test script") },
    { tool: tool("test-runner"), id: "test.pytest", adoption: notAdopted("pytest is not configured") },
    { tool: tool("linter"), id: "quality.flake8", adoption: adoptedByDefault("a default linter") },
    { tool: tool("linter"), id: "quality.ruff-check", adoption: adoptedBy("ruff is declared") },
  ];
  assert.deepEqual(applyRegistryRules(candidates), candidates);
});

test("Django's own runner yields to pytest configured for Django; ruff's guessed formatter to black", async () => {
  const plan = await planChecks(stackTree({ "pyproject.toml": "[project]\nname='x'\n[dependency-groups]\ndev = ['ruff', 'black', 'pytest-django']\n" }), null);
  const leftOut = new Map(plan.leftOut.map((l) => [l.id, l.reason]));
  assert.match(leftOut.get("test.django-tests") ?? "", /^not the project's test runner: pytest-django is declared in .* \(test\.pytest\)$/);
  assert.match(leftOut.get("quality.ruff-format") ?? "", /^not the project's formatter: black is declared in .* \(quality\.black\)$/);
  const ids = plan.checks.map((c) => c.id);
  for (const id of ["test.pytest", "quality.black", "quality.ruff-check"]) assert.ok(ids.includes(id), id);
});

/** A check a Node registry entry made (its id is the entry's, for some package), whatever its stage. */

test("every planned check carries its tool, as its entry names it: the registry's tools and the stack's checks alike", async () => {
  for (const tree of [stackTree(), agencyTree()]) {
    const plan = await planChecks(tree, null);
    for (const spec of plan.checks) {
      assert.ok(spec.tool, `${spec.id} has no tool`);
      assert.ok(isParserId(spec.parser), `${spec.id} names no registered parser: ${spec.parser}`);
    }
    const roles = Object.fromEntries(plan.checks.map((c) => [c.id, `${c.tool?.ecosystem} ${c.tool?.role} ${c.tool?.program}`]));
    assert.equal(roles["build.backend-image"], "python build python");
    assert.equal(roles["test.django-check"], "python checklist python");
    assert.equal(roles["verify.migrations"], "python release python");
  }
  const stack = await planChecks(stackTree(), null);
  assert.equal(stack.checks.find((c) => c.id === "quality.ruff-format")?.tool?.role, "formatter");
  assert.equal(stack.checks.find((c) => c.id === "quality.tsc.intake")?.tool?.role, "type-checker");
  assert.equal(stack.checks.find((c) => c.id === "verify.intake-e2e")?.tool?.role, "probe");
});

test("a command replaced in predeploy.json runs its own program, which a missing-tool message names", async () => {
  const plan = await planChecks(stackTree(), JSON.stringify({ checks: { "quality.mypy": { command: ["uv", "run", "--no-sync", "dmypy", "check", "."] } } }));
  assert.equal(plan.checks.find((c) => c.id === "quality.mypy")?.tool?.program, "dmypy");
});

test("tsc's copy holds only what its entry says it reads; the worker's other checks copy the whole package", async () => {
  const plan = await planChecks(stackTree(), null);
  const copyOf = (id: string) => plan.checks.find((c) => c.id === id)?.container.layers.filter((layer) => layer.kind === "copy").at(-1);
  const tsc = copyOf("quality.tsc.intake");
  assert.ok(tsc?.kind === "copy" && tsc.copy.from === "workers/intake");
  assert.deepEqual(tsc.copy.include, [...(NODE_TOOLS.find((tool) => tool.program === "tsc")?.inputs ?? [])]);
  assert.ok(tsc.copy.include?.includes("**/*.ts") && !tsc.copy.include.some((glob) => glob.endsWith(".toml") || glob.endsWith(".md")));
  const tests = copyOf("test.worker-tests.intake");
  assert.ok(tests?.kind === "copy" && tests.copy.include === undefined, "the tests read the whole package");
});

test("a standalone linter's container copies only what its entry says it reads; the development environment copies the whole source", async () => {
  const plan = await planChecks(stackTree(), null);
  // The source comes last, after the install layers (which copy only the lockfiles).
  const copyOf = (id: string) => plan.checks.find((c) => c.id === id)?.container.layers.filter((layer) => layer.kind === "copy").at(-1);
  for (const id of ["quality.ruff-check", "quality.ruff-format"]) {
    const copy = copyOf(id);
    assert.ok(copy?.kind === "copy" && copy.copy.include?.includes("**/*.py") && copy.copy.include.includes("**/*.toml") && !copy.copy.include.includes("**/*.html"), id);
  }
  // A type checker copies the whole source but the web content it never reads; the tests, which render templates, all of it.
  const mypy = copyOf("quality.mypy");
  assert.ok(mypy?.kind === "copy" && mypy.copy.from === "." && mypy.copy.include === undefined && mypy.copy.exclude?.includes("**/*.html"));
  const pytest = copyOf("test.pytest");
  assert.ok(pytest?.kind === "copy" && pytest.copy.from === "." && !pytest.copy.exclude?.includes("**/*.html"));
  // Only the last layer differs: mypy shares the development environment's install layers.
  const layers = (id: string) => {
    const all = plan.checks.find((c) => c.id === id)?.container.layers ?? [];
    const source = all.map((layer) => layer.kind).lastIndexOf("copy");
    return JSON.stringify(all.slice(0, source));
  };
  assert.equal(layers("quality.mypy"), layers("test.pytest"));
});
