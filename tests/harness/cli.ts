/**
 * The harness command: plans a directory with the module's own planner and runs the
 * checks on the local Docker engine through the module's own scheduler and renderers.
 *
 *   npm run harness -- <dir> [--format text|json|markdown|junit|github|agent|sarif]
 *                            [--only id,...] [--skip id,...] [--fail-fast] [--plan]
 *                            [--fix [--include-unsafe]] [--concurrency N] [--quiet]
 *   npm run harness -- <dir> --smoke <env> [--backend-url URL] [--worker-url NAME=URL,...]
 *                            [--site-url NAME=URL,...] [--settle-seconds N] [--format …] [--only …]
 *
 * Prints the rendered report on stdout (progress on stderr unless --quiet) and exits
 * with the report's exit code: 0 passed, 1 failed, 2 error. With --fix it applies every
 * safe fix (and with --include-unsafe the rest) to <dir> in place, validates again, and
 * prints and exits with that validation. With --smoke it probes the deployed environment
 * <env> (environments.<env> in <dir>/predeploy.json, the URL flags over it; DATABASE_URL from the
 * environment for the end-to-end read-back) instead of validating.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { smokeRequest } from "../../src/plan/checks-smoke.js";
import { planChecks } from "../../src/plan/index.js";
import { renderPlan } from "../../src/plan/render-plan.js";
import { colourLevel } from "../../src/report/colour-level.js";
import { Format, renderReport } from "../../src/report/render.js";
import { HostSourceTree } from "../support/host-tree.js";
import { cleanUpOnInterrupt } from "./docker-scope.js";
import { fixDirectory } from "./fix-directory.js";
import { runDirectory, type RunDirectoryOptions } from "./run-directory.js";

const USAGE = [
  "usage: npm run harness -- <dir> [--format text|json|markdown|junit|github|agent|sarif] [--only id,...] [--skip id,...] [--fail-fast] [--plan] [--fix [--include-unsafe]] [--concurrency N] [--quiet]",
  "       npm run harness -- <dir> --smoke <env> [--backend-url URL] [--worker-url NAME=URL,...] [--site-url NAME=URL,...] [--settle-seconds N] [--format …] [--only id,...] [--plan]",
].join("\n");

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "text" },
      only: { type: "string" },
      skip: { type: "string" },
      "fail-fast": { type: "boolean", default: false },
      plan: { type: "boolean", default: false },
      fix: { type: "boolean", default: false },
      "include-unsafe": { type: "boolean", default: false },
      concurrency: { type: "string" },
      quiet: { type: "boolean", default: false },
      smoke: { type: "string" },
      "backend-url": { type: "string" },
      "worker-url": { type: "string" },
      "site-url": { type: "string" },
      "settle-seconds": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const format = Format.safeParse(values.format);
  if (!format.success) {
    process.stderr.write(`--format: "${values.format}" is not one of ${Format.options.join(", ")}\n${USAGE}\n`);
    return 2;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number.parseInt(values.concurrency, 10);
  if (concurrency !== undefined && !(concurrency > 0)) {
    process.stderr.write(`--concurrency: "${values.concurrency}" is not a positive integer\n`);
    return 2;
  }
  const dir = resolve(positionals[0] as string);
  const settle = values["settle-seconds"] === undefined ? undefined : Number(values["settle-seconds"]);
  if (settle !== undefined && !(Number.isInteger(settle) && settle >= 0)) {
    process.stderr.write(`--settle-seconds: "${values["settle-seconds"]}" is not a whole number of seconds\n`);
    return 2;
  }
  if (values.smoke === undefined && [values["backend-url"], values["worker-url"], values["site-url"], settle].some((v) => v !== undefined)) {
    process.stderr.write("--backend-url, --worker-url, --site-url and --settle-seconds go with --smoke <env>\n");
    return 2;
  }
  if (values.smoke !== undefined && values.fix) {
    process.stderr.write("--smoke probes a deployed environment; it does not go with --fix\n");
    return 2;
  }
  const smoke = values.smoke === undefined ? undefined : smokeRequest(values.smoke, values["backend-url"], list(values["worker-url"]), list(values["site-url"]), settle);
  const planOptions = { only: list(values.only), skip: list(values.skip), ...(smoke ? { smoke } : {}) };

  if (values.plan) {
    if (format.data !== "text" && format.data !== "json") {
      process.stderr.write("--plan prints text or json\n");
      return 2;
    }
    const configText = await readFile(resolve(dir, "predeploy.json"), "utf8").catch(() => null);
    const plan = await planChecks(new HostSourceTree(dir), configText, { ...planOptions, configOrigin: "predeploy.json" });
    process.stdout.write(renderPlan(plan, format.data));
    return plan.errors.length > 0 ? 2 : 0;
  }

  if (values["include-unsafe"] && !values.fix) {
    process.stderr.write("--include-unsafe goes with --fix\n");
    return 2;
  }
  const options: RunDirectoryOptions = {
    planOptions,
    failFast: values["fail-fast"],
    ...(concurrency !== undefined ? { concurrency } : {}),
    passedSecrets: {
      ...(process.env.SECRET_KEY ? { secretKey: process.env.SECRET_KEY } : {}),
      ...(process.env.INTAKE_API_KEY ? { intakeApiKey: process.env.INTAKE_API_KEY } : {}),
      ...(smoke && process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    },
    ...(values.quiet ? {} : { progress: (line: string) => process.stderr.write(`${line}\n`) }),
    displayDir: positionals[0] as string,
  };
  // --fix: the exit code is the re-validation's.
  const { report, secretValues } = values.fix ? await fixDirectory(dir, options, values["include-unsafe"]) : await runDirectory(dir, options);
  const level = format.data === "text" ? colourLevel(process.env, process.stdout.isTTY === true) : 0;
  process.stdout.write(renderReport(report, format.data, { colourLevel: level, secretValues }));
  return report.exitCode;
}

cleanUpOnInterrupt("harness");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`harness: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
