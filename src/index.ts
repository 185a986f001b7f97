/**
 * predeploy: would this deploy succeed? Validates a monorepo — Django backend, TypeScript
 * Cloudflare workers, static sites, Postgres — in containers before a deploy: build,
 * quality, test and verify checks run concurrently, each as soon as what it needs has
 * passed, and one report comes back (text for people, JSON for machines and agents)
 * with an exit code. Every failure is pinned to a file and line where the tool gives one.
 */
import { argument, Changeset, check, Container, dag, Directory, File, func, generate, object, Secret } from "@dagger.io/dagger";
import { checkContainer, fixInDagger, planInDagger, runInDagger, type ModuleInputs } from "./dagger/module.js";
import { Report, type Stage } from "./model/report.js";
import { smokeRequest } from "./plan/checks-smoke.js";
import { SOURCE_EXCLUDES } from "./plan/containers.js";
import { Format } from "./report/render.js";
import { allReportFiles, REPORT_FILE_NAMES, reportOrThrow } from "./run/outcome.js";

/** How a report is rendered. */
export enum ReportFormat {
  /** For people: ✓/✗/○ lines, findings as file:line, the exit code. */
  Text = "text",
  /** For machines: schema/report.schema.json. */
  Json = "json",
  /** For GitHub job summaries. */
  Markdown = "markdown",
  /** One testcase per check, for CI test reporters. */
  Junit = "junit",
  /** GitHub annotation lines (::error file=…,line=…::). */
  Github = "github",
  /** Compact, for a coding agent's context window. */
  Agent = "agent",
  /** SARIF 2.1.0, for GitHub code scanning (one run per check). */
  Sarif = "sarif",
}

/** How a plan is rendered. */
export enum PlanFormat {
  /** One line per check. */
  Text = "text",
  /** Every check spec as data. */
  Json = "json",
}


@object()
export class Predeploy {
  // Cache policy: functions that run checks are `cache: "never"`, so every call validates
  // afresh; inside a run a passing check may come from the engine's cache (unchanged inputs),
  // a failure never does (see DaggerExecutor). `container` is per session, as its secrets are.
  source: Directory;
  config?: File;
  secretKey?: Secret;
  intakeApiKey?: Secret;
  databaseUrl?: Secret;
  pythonImage?: string;
  nodeImage?: string;
  postgresImage?: string;

  constructor(
    /** The repository to validate (default: the root of the repository the module is called from). */
    @argument({ defaultPath: "/", ignore: SOURCE_EXCLUDES })
    source: Directory,
    /** predeploy.json overriding paths, commands, images, env, timeouts and checks (default: predeploy.json at the source root, if any). */
    config?: File,
    /** Django SECRET_KEY for the checks (e.g. env://SECRET_KEY); a random per-run value when omitted. */
    secretKey?: Secret,
    /** API key the worker sends to the backend's intake API (e.g. env://INTAKE_API_KEY); a random per-run value when omitted. */
    intakeApiKey?: Secret,
    /** An external database (e.g. a Neon branch: env://DATABASE_URL) used instead of the throw-away Postgres for migrations, the backend, the workers and the end-to-end read-back. */
    databaseUrl?: Secret,
    /** Python image for the backend checks (default python:3.13-slim). */
    pythonImage?: string,
    /** Node image for workers and sites (default node:22-slim). */
    nodeImage?: string,
    /** Postgres image for the throw-away database (default postgres:17). */
    postgresImage?: string,
  ) {
    this.source = source;
    this.config = config;
    this.secretKey = secretKey;
    this.intakeApiKey = intakeApiKey;
    this.databaseUrl = databaseUrl;
    this.pythonImage = pythonImage;
    this.nodeImage = nodeImage;
    this.postgresImage = postgresImage;
  }

  /** Build stage: backend image, worker bundles, site builds. Returns the stage's report; fails when a check fails. */
  @func({ cache: "never" })
  @check()
  async build(): Promise<string> {
    return this.stage("build");
  }

  /** Quality stage: the linters, formatters and type checkers the project adopted (ruff, black, isort, flake8, mypy; tsc, prettier, eslint per package). Returns the stage's report; fails when a check fails. */
  @func({ cache: "never" })
  @check()
  async quality(): Promise<string> {
    return this.stage("quality");
  }

  /** Test stage: the project's test runner (pytest or manage.py test), Django's system check, missing migrations, worker and site tests. Returns the stage's report; fails when a check fails. */
  @func({ cache: "never" })
  @check()
  async test(): Promise<string> {
    return this.stage("test");
  }

  /** Verify stage: migrations on a fresh Postgres, backend and worker health, intake end to end. Returns the stage's report; fails when a check fails. */
  @func({ cache: "never" })
  @check()
  async verify(): Promise<string> {
    return this.stage("verify");
  }

  /**
   * Runs every check of every stage concurrently and returns the rendered report; fails
   * (non-zero exit of `dagger call`) with the report in the error unless the verdict is passed.
   */
  @func({ cache: "never" })
  async preDeploy(
    /** Report format. */
    format: ReportFormat = ReportFormat.Text,
    /** Run only these check ids (see plan). */
    only: string[] = [],
    /** Leave out these check ids; they are listed as skipped. */
    skip: string[] = [],
    /** Stop at the first check that does not pass; what did not finish is skipped. */
    failFast = false,
  ): Promise<string> {
    return reportOrThrow(await runInDagger(this.inputs(), { format: Format.parse(format), only, skip, failFast }));
  }

  /** The same run as pre-deploy, returned as a Report object that never fails: json, text, exit code, files to export. */
  @func({ cache: "never" })
  async report(
    /** Format of `rendered` and `file`. */
    format: ReportFormat = ReportFormat.Json,
    /** Run only these check ids (see plan). */
    only: string[] = [],
    /** Leave out these check ids; they are listed as skipped. */
    skip: string[] = [],
    /** Stop at the first check that does not pass. */
    failFast = false,
  ): Promise<PredeployReport> {
    const outcome = await runInDagger(this.inputs(), { format: Format.parse(format), only, skip, failFast });
    return new PredeployReport(outcome.json, outcome.text, outcome.selected, outcome.format, outcome.report.exitCode);
  }

  /**
   * Applies every safe fix the validation finds (lint autofixes, formatting) in the checks' own
   * containers, and with includeUnsafe the rest (migrations: read what they write), then
   * returns the change to the source: `dagger call fix` shows the diff and asks, `-y` applies it.
   * A generator too: `dagger generate -y` applies the safe fixes (a generator runs with its
   * defaults), and `dagger check` runs it as a check unless given `--no-generate`.
   */
  @func({ cache: "never" })
  @generate()
  async fix(
    /** Also apply fixes that write code a person or agent must read (makemigrations). */
    includeUnsafe = false,
  ): Promise<Changeset> {
    return (await fixInDagger(this.inputs(), { format: "agent", only: [], skip: [], failFast: false, includeUnsafe })).changes;
  }

  /** The report of the source as fix leaves it, validated again, with what each fixer wrote (or why it failed); never fails. */
  @func({ cache: "never" })
  async fixReport(
    /** Also apply fixes that write code a person or agent must read (makemigrations). */
    includeUnsafe = false,
    /** Report format. */
    format: ReportFormat = ReportFormat.Agent,
  ): Promise<string> {
    return (await fixInDagger(this.inputs(), { format: Format.parse(format), only: [], skip: [], failFast: false, includeUnsafe })).outcome.selected;
  }

  /**
   * After a deploy: the verify stage's probes against the deployed environment — the backend's and
   * each worker's health, every page each site's build produces, the intake form end to end — each
   * retried within the settle time. URLs come from environments.<env> in predeploy.json and these
   * arguments; the database URL (constructor's databaseUrl) lets the end-to-end check read its row
   * back. Returns the report; fails unless it passed (0 passed, 1 failed, 2 error: nothing answered).
   */
  @func({ cache: "never" })
  async smoke(
    /** The environment just deployed, e.g. staging (environments.<env> in predeploy.json). */
    env: string,
    /** The deployed backend's base URL (wins over predeploy.json). */
    backendUrl?: string,
    /** A deployed worker's base URL as NAME=URL, e.g. intake=https://intake.staging.example.com; repeatable. */
    workerUrl: string[] = [],
    /** A deployed site's base URL as NAME=URL; repeatable. */
    siteUrl: string[] = [],
    /** Seconds a just-deployed part may take to answer (default: the environment's settleSeconds, else 60). */
    settleSeconds?: number,
    /** Report format. */
    format: ReportFormat = ReportFormat.Text,
    /** Run only these smoke check ids. */
    only: string[] = [],
    /** Leave out these smoke check ids. */
    skip: string[] = [],
  ): Promise<string> {
    const smoke = smokeRequest(env, backendUrl, workerUrl, siteUrl, settleSeconds);
    return reportOrThrow(await runInDagger(this.inputs(), { format: Format.parse(format), only, skip, failFast: false, smoke }));
  }

  /** The same probes as smoke, returned as a Report object that never fails (for CI: files to export, the exit code). */
  @func({ cache: "never" })
  async smokeReport(
    /** The environment just deployed, e.g. staging (environments.<env> in predeploy.json). */
    env: string,
    /** The deployed backend's base URL (wins over predeploy.json). */
    backendUrl?: string,
    /** A deployed worker's base URL as NAME=URL; repeatable. */
    workerUrl: string[] = [],
    /** A deployed site's base URL as NAME=URL; repeatable. */
    siteUrl: string[] = [],
    /** Seconds a just-deployed part may take to answer (default: the environment's settleSeconds, else 60). */
    settleSeconds?: number,
    /** Format of `rendered` and `file`. */
    format: ReportFormat = ReportFormat.Json,
  ): Promise<PredeployReport> {
    const smoke = smokeRequest(env, backendUrl, workerUrl, siteUrl, settleSeconds);
    const outcome = await runInDagger(this.inputs(), { format: Format.parse(format), only: [], skip: [], failFast: false, smoke });
    return new PredeployReport(outcome.json, outcome.text, outcome.selected, outcome.format, outcome.report.exitCode);
  }

  /** The checks that would run — id, stage, title, image, command, dependencies — without running anything. */
  @func()
  async plan(
    /** text for people, json for tools. */
    format: PlanFormat = PlanFormat.Text,
  ): Promise<string> {
    return planInDagger(this.inputs(), format === PlanFormat.Json ? "json" : "text");
  }

  /** Runs one check by id (as every report's `reproduce` line says) and returns its report; fails unless it passed. */
  @func({ cache: "never" })
  async check(
    /** The check id, e.g. quality.mypy (see plan). */
    id: string,
    /** Report format. */
    format: ReportFormat = ReportFormat.Text,
  ): Promise<string> {
    return reportOrThrow(await runInDagger(this.inputs(), { format: Format.parse(format), only: [id], skip: [], failFast: false }));
  }

  /**
   * One check's container, prepared exactly as the check runs it (image, dependencies,
   * source, env, secrets, services) but without its command: `dagger call container --id quality.mypy terminal`.
   */
  @func({ cache: "session" })
  async container(
    /** The check id (see plan). */
    id: string,
  ): Promise<Container> {
    return checkContainer(this.inputs(), id);
  }

  private async stage(stage: Stage): Promise<string> {
    return reportOrThrow(await runInDagger(this.inputs(), { format: "text", only: [], skip: [], failFast: false, stage }));
  }

  private inputs(): ModuleInputs {
    return {
      source: this.source,
      config: this.config,
      secretKey: this.secretKey,
      intakeApiKey: this.intakeApiKey,
      databaseUrl: this.databaseUrl,
      images: { python: this.pythonImage, node: this.nodeImage, postgres: this.postgresImage },
    };
  }
}

/** A finished validation: the report in every form, and the verdict. */
@object()
export class PredeployReport {
  /** The report as JSON (schema: schema/report.schema.json). */
  @func()
  json: string;

  /** The report as text for people. */
  @func()
  text: string;

  /** The report in the format that was asked for. */
  @func()
  rendered: string;

  /** The format of `rendered`. */
  @func()
  format: string;

  /** 0 passed, 1 failed, 2 error (bad input, or a check could not run). */
  @func()
  exitCode: number;

  /** True when every check that ran passed. */
  @func()
  passed: boolean;

  constructor(json: string, text: string, rendered: string, format: string, exitCode: number) {
    this.json = json;
    this.text = text;
    this.rendered = rendered;
    this.format = format;
    this.exitCode = exitCode;
    this.passed = exitCode === 0;
  }

  /** The rendered report as a file, e.g. `report --format json file export --path report.json`. */
  @func()
  file(): File {
    const name = REPORT_FILE_NAMES[Format.parse(this.format)];
    return dag.directory().withNewFile(name, this.rendered).file(name);
  }

  /** Every format from this one run in a directory: report.json, report.txt, report.md, report.junit.xml, report.github.txt, report.agent.txt, report.sarif. */
  @func()
  files(): Directory {
    const report = Report.parse(JSON.parse(this.json));
    return allReportFiles(report).reduce((dir, [name, contents]) => dir.withNewFile(name, contents), dag.directory());
  }
}
