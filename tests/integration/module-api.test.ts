import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { SOURCE_EXCLUDES } from "../../src/plan/containers.js";
import { Format } from "../../src/report/render.js";
import { scanModule as scanInRuntimeLayout } from "../support/dagger-runtime-layout.js";

/**
 * Runs the Dagger TypeScript SDK's own module introspector — the code the Dagger runtime
 * uses to load a module — on src/, and checks the API it would register.
 */
let scanned: unknown;

interface Arg {
  name: string;
  description?: string;
  defaultValue?: unknown;
  defaultPath?: string;
  ignore?: string[];
  isOptional?: boolean;
  type?: { kind?: string };
}
interface Fn {
  name: string;
  description?: string;
  arguments: Record<string, Arg & { type?: { kind?: string; name?: string } }>;
  isCheck?: boolean;
  isGenerator?: boolean;
  cache?: string;
  returnType?: { kind?: string; name?: string };
}
interface Obj {
  name: string;
  description?: string;
  methods: Record<string, Fn>;
  properties: Record<string, { name: string; description?: string }>;
  constructor?: { arguments: Record<string, Arg> };
}

interface Enum {
  values: Record<string, { name: string; value: string }>;
}

async function scanModule(): Promise<{ description?: string; objects: Record<string, Obj>; enums: Record<string, Enum> }> {
  scanned ??= scanInRuntimeLayout(path.resolve(import.meta.dirname, "../.."));
  return scanned as { description?: string; objects: Record<string, Obj>; enums: Record<string, Enum> };
}

test("the Dagger introspector loads src/ and finds the documented API", async () => {
  const module = await scanModule();
  assert.match(module.description ?? "", /would this deploy succeed/);
  const predeploy = module.objects.Predeploy;
  assert.ok(predeploy, `objects: ${Object.keys(module.objects).join(", ")}`);
  assert.deepEqual(Object.keys(predeploy.methods).sort(), ["build", "check", "container", "fix", "fixReport", "plan", "preDeploy", "quality", "report", "smoke", "smokeReport", "test", "verify"]);
  for (const fn of Object.values(predeploy.methods)) {
    assert.ok((fn.description ?? "").length > 20, `${fn.name} has a description`);
    for (const arg of Object.values(fn.arguments)) assert.ok((arg.description ?? "").length > 3, `${fn.name}(${arg.name}) has a description`);
  }
  for (const stage of ["build", "quality", "test", "verify"]) {
    assert.equal(predeploy.methods[stage]?.isCheck, true, `${stage} is a check`);
  }
  // smoke asks a deployed environment: not a check of the source.
  for (const notCheck of ["preDeploy", "report", "plan", "check", "container", "fix", "fixReport", "smoke", "smokeReport"]) assert.notEqual(predeploy.methods[notCheck]?.isCheck, true);
  // `dagger generate -y` applies the safe fixes; nothing else is a generator (each would be a check of `dagger check`).
  for (const [name, fn] of Object.entries(predeploy.methods)) assert.equal(fn.isGenerator === true, name === "fix", `${name} is ${fn.isGenerator === true ? "" : "not "}a generator`);
  assert.deepEqual(predeploy.methods.fix?.returnType, { kind: "OBJECT_KIND", name: "Changeset" }, "fix returns a Changeset: the CLI shows it and -y applies it");
});

test("functions that run checks are never cached as functions; the container is cached per session", async () => {
  const methods = (await scanModule()).objects.Predeploy?.methods ?? {};
  const policy = Object.fromEntries(Object.values(methods).map((fn) => [fn.name, fn.cache ?? "engine default"]));
  assert.deepEqual(policy, {
    build: "never",
    quality: "never",
    test: "never",
    verify: "never",
    preDeploy: "never",
    report: "never",
    check: "never",
    fix: "never",
    fixReport: "never",
    smoke: "never",
    smokeReport: "never",
    container: "session",
    plan: "engine default",
  });
});

test("formats are enums, so the CLI validates and completes them", async () => {
  const { objects, enums } = await scanModule();
  const methods = objects.Predeploy?.methods ?? {};
  for (const fn of ["preDeploy", "report", "check", "smoke", "smokeReport"]) assert.equal(methods[fn]?.arguments.format?.type?.name, "ReportFormat", `${fn}(format)`);
  assert.equal(methods.plan?.arguments.format?.type?.name, "PlanFormat");
  assert.deepEqual(Object.values(enums.ReportFormat?.values ?? {}).map((v) => v.value), Format.options, "one enum value per report format");
});

test("function arguments have the documented names and defaults", async () => {
  const { objects } = await scanModule();
  const methods = objects.Predeploy?.methods ?? {};
  const args = (fn: string) => Object.fromEntries(Object.values(methods[fn]?.arguments ?? {}).map((a) => [a.name, a.defaultValue]));
  assert.deepEqual(args("preDeploy"), { format: "text", only: [], skip: [], failFast: false });
  assert.deepEqual(args("report"), { format: "json", only: [], skip: [], failFast: false });
  assert.deepEqual(args("plan"), { format: "text" });
  assert.deepEqual(Object.keys(args("check")), ["id", "format"]);
  assert.deepEqual(args("smoke"), { env: undefined, backendUrl: undefined, workerUrl: [], siteUrl: [], settleSeconds: undefined, format: "text", only: [], skip: [] });
  assert.deepEqual(args("smokeReport"), { env: undefined, backendUrl: undefined, workerUrl: [], siteUrl: [], settleSeconds: undefined, format: "json" });
  assert.equal(methods.smoke?.arguments.env?.isOptional, false);
  assert.equal(methods.check?.arguments.id?.isOptional, false);
});

test("the constructor takes the source once, with a default path and ignores, and secrets as Secrets", async () => {
  const { objects } = await scanModule();
  const ctor = objects.Predeploy?.constructor?.arguments ?? {};
  assert.deepEqual(Object.keys(ctor), ["source", "config", "secretKey", "intakeApiKey", "databaseUrl", "pythonImage", "nodeImage", "postgresImage"]);
  assert.equal(ctor.source?.defaultPath, "/");
  assert.deepEqual(ctor.source?.ignore, SOURCE_EXCLUDES, "the module ignores what every check's copy excludes");
  for (const never of ["**/.env", "**/.env.*", "**/.dev.vars", "**/node_modules", "**/dist", "**/.astro"]) assert.ok(ctor.source?.ignore?.includes(never), `${never} is never uploaded to the engine`);
  assert.equal(ctor.secretKey?.isOptional, true);
  assert.match(JSON.stringify(ctor.secretKey?.type), /Secret/);
  assert.match(JSON.stringify(ctor.intakeApiKey?.type), /Secret/);
  assert.match(JSON.stringify(ctor.databaseUrl?.type), /Secret/);
});

test("the Report object exposes the verdict and files to export", async () => {
  const { objects } = await scanModule();
  const report = objects.PredeployReport;
  assert.ok(report);
  assert.deepEqual(Object.keys(report.properties).sort(), ["exitCode", "format", "json", "passed", "rendered", "text"]);
  assert.deepEqual(Object.keys(report.methods).sort(), ["file", "files"]);
});
