import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { argumentForKey, cliFlag, envAssignments, type ModuleArguments } from "../support/dagger-local-defaults.js";
import { scanModule } from "../support/dagger-runtime-layout.js";

/**
 * `.env.example` is what makes `doppler run -- dagger call pre-deploy` (and `just deploy-validate ENV`)
 * hand the module its secrets. Its keys are checked with the engine's own matching rule against the
 * constructor as the SDK's introspector reads it (as module-api.test.ts does), so renaming an argument
 * fails here instead of silently running with random secrets.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

interface ScannedArg {
  name: string;
  type?: { kind?: string; name?: string };
}
interface Scanned {
  objects: Record<string, { methods: Record<string, { arguments: Record<string, ScannedArg> }>; constructor?: { arguments: Record<string, ScannedArg> } }>;
}

let introspected: { api: ModuleArguments; secretArgs: Set<string> } | undefined;

function moduleArguments(): { api: ModuleArguments; secretArgs: Set<string> } {
  if (introspected) return introspected;
  const { objects } = scanModule(ROOT) as Scanned;
  const main = objects.Predeploy;
  assert.ok(main?.constructor, "the introspector finds the Predeploy constructor");
  const ctorArgs = Object.values(main.constructor.arguments);
  const api: ModuleArguments = {
    module: (JSON.parse(read("dagger.json")) as { name: string }).name,
    constructorArgs: ctorArgs.map((arg) => arg.name),
    functionArgs: Object.fromEntries(Object.entries(main.methods).map(([fn, method]) => [fn, Object.values(method.arguments).map((arg) => arg.name)])),
  };
  const secretArgs = new Set(ctorArgs.filter((arg) => arg.type?.kind === "OBJECT_KIND" && arg.type.name === "Secret").map((arg) => arg.name));
  introspected = { api, secretArgs };
  return introspected;
}

test("the engine's name rule: the argument's API name in any case, the module prefix required above the module", () => {
  const { api } = moduleArguments();
  // The engine looks arguments up by API name; for the camelCase names the SDK reports, that is the name itself.
  for (const arg of api.constructorArgs) assert.match(arg, /^[a-z][A-Za-z0-9]*$/, arg);
  const secretKey = { fn: null, argument: "secretKey" };
  assert.deepEqual(argumentForKey("PREDEPLOY_SECRETKEY", api, "parent-directory"), secretKey);
  assert.deepEqual(argumentForKey("predeploy_secretKey", api, "parent-directory"), secretKey);
  assert.deepEqual(argumentForKey("PREDEPLOY_SECRETKEY", api, "module-directory"), secretKey);
  assert.deepEqual(argumentForKey("SECRETKEY", api, "module-directory"), secretKey);
  assert.equal(argumentForKey("SECRETKEY", api, "parent-directory"), undefined, "no prefix above the module");
  assert.equal(argumentForKey("PREDEPLOY_SECRET_KEY", api, "parent-directory"), undefined, "an underscore is not dropped");
  assert.equal(argumentForKey("SECRET_KEY", api, "module-directory"), undefined);
  assert.equal(argumentForKey("OTHER_SECRETKEY", api, "parent-directory"), undefined, "another module's key");
  assert.deepEqual(argumentForKey("PREDEPLOY_PREDEPLOY_FORMAT", api, "parent-directory"), { fn: "preDeploy", argument: "format" });
  const renamed = { ...api, constructorArgs: api.constructorArgs.map((arg) => (arg === "secretKey" ? "djangoSecretKey" : arg)) };
  assert.equal(argumentForKey("PREDEPLOY_SECRETKEY", renamed, "parent-directory"), undefined, "a renamed argument is not matched");
});

test("every key in .env.example, set or commented, sets a constructor argument from beside dagger.json and from above it", () => {
  const { api } = moduleArguments();
  const assignments = envAssignments(read(".env.example"));
  assert.ok(assignments.some((a) => !a.commented), "at least one key is set");
  for (const { key, line } of assignments) {
    const where = `.env.example:${line} ${key}`;
    const target = argumentForKey(key, api, "parent-directory");
    assert.ok(target, `${where} matches no argument of ${api.module}: keys are ${api.module.toUpperCase()}_ + one of ${api.constructorArgs.join(", ")} (any case)`);
    assert.equal(target.fn, null, `${where} sets ${target.fn}(${cliFlag(target.argument)}), not a constructor argument`);
    assert.deepEqual(argumentForKey(key, api, "module-directory"), target, where);
  }
});

test(".env.example gives every secret argument as an env:// reference, one variable each, and nothing else", () => {
  const { api, secretArgs } = moduleArguments();
  assert.ok(secretArgs.has("secretKey") && secretArgs.has("intakeApiKey"), `secret arguments: ${[...secretArgs].join(", ")}`);
  const assignments = envAssignments(read(".env.example"));
  const covered = new Set<string>();
  const variables = new Set<string>();
  for (const { key, value, line } of assignments) {
    const argument = argumentForKey(key, api, "parent-directory")?.argument;
    assert.ok(argument !== undefined && secretArgs.has(argument), `.env.example:${line} ${key} sets no Secret argument`);
    const variable = /^env:\/\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(value)?.[1];
    assert.ok(variable, `.env.example:${line} ${key}: a secret is given as env://NAME, not ${JSON.stringify(value)}`);
    assert.ok(!variables.has(variable), `.env.example:${line}: ${variable} is already used`);
    variables.add(variable);
    covered.add(argument);
  }
  assert.deepEqual([...covered].sort(), [...secretArgs].sort(), "every Secret argument of the constructor has a line");
});

test(".env is git-ignored and .env.example is not", () => {
  const ignored = read(".gitignore").split("\n").map((line) => line.trim());
  assert.ok(ignored.includes(".env"));
  assert.ok(!ignored.some((pattern) => pattern.startsWith(".env.") || pattern === "*.example" || pattern === ".env*"));
});

/** The justfile's recipes: name, parameters, doc comment and body lines. */
function recipes(justfile: string): { name: string; params: string; doc: string | undefined; body: string[] }[] {
  const found: { name: string; params: string; doc: string | undefined; body: string[] }[] = [];
  const lines = justfile.split("\n");
  lines.forEach((line, index) => {
    const header = /^([A-Za-z][\w-]*)([^:=]*(?:="[^"]*")?[^:]*):\s*$/.exec(line);
    if (header) {
      const previous = lines[index - 1] ?? "";
      found.push({ name: header[1] ?? "", params: (header[2] ?? "").trim(), doc: previous.startsWith("# ") ? previous.slice(2) : undefined, body: [] });
    } else if (/^\s+\S/.test(line) && found.length > 0) {
      found[found.length - 1]?.body.push(line.trim());
    }
  });
  return found;
}

test("`just deploy-validate ENV` is the documented Doppler recipe, and the only one", () => {
  const all = recipes(read("justfile"));
  assert.ok(all.length > 5, `recipes found: ${all.map((r) => r.name).join(", ")}`);
  const recipe = all.find((r) => r.name === "deploy-validate");
  assert.ok(recipe, "a deploy-validate recipe");
  assert.equal(recipe.params, 'ENV="dev"');
  assert.ok((recipe.doc ?? "").length > 20, "a doc comment for `just --list`");
  assert.deepEqual(recipe.body, ["doppler run --config {{ENV}} -- dagger call pre-deploy"]);
  for (const other of all.filter((r) => r !== recipe)) {
    assert.ok(!other.body.some((line) => /\bdoppler\b|--secret-key|--intake-api-key/.test(line)), `${other.name} passes secrets its own way`);
  }
});
