import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { planChecks } from "../../src/plan/index.js";
import { DJANGO_SCRIPT_PATH } from "../../src/plan/backend-image.js";
import { deployCommandOf, failLevelOf } from "../../src/project/deploy-check.js";
import { parseDjangoCheck } from "../../src/parse/django-check.js";
import { resolveRunSecrets } from "../../src/run/secrets.js";
import { CAPTURES, type Capture } from "../support/captures.js";
import { stackTree } from "../support/trees.js";

/**
 * Django's deployment checklist (`manage.py check --deploy`, build.deploy-checklist): a registry
 * entry run in the built image with the deployment's environment, failing at the project's level.
 */

const checklist = async (overrides: Record<string, string | null> = {}, config?: unknown) => {
  const plan = await planChecks(stackTree(overrides), config === undefined ? null : JSON.stringify(config));
  assert.deepEqual(plan.errors, []);
  const spec = plan.checks.find((c) => c.id === "build.deploy-checklist");
  assert.ok(spec, "build.deploy-checklist is planned");
  return spec;
};

describe("the deployment checklist in the plan", () => {
  test("runs in the built image through django.sh, after the image's own set-up, at Django's default level", async () => {
    const spec = await checklist();
    assert.deepEqual(spec.command, ["sh", DJANGO_SCRIPT_PATH, "manage", "check", "--deploy", "--fail-level", "ERROR"]);
    assert.equal(spec.container.base.kind, "dockerfile");
    assert.deepEqual(spec.dependsOn, ["build.backend-image"]);
    assert.equal(spec.parser, "django-check");
    // The deployment's secrets (SECRET_KEY, the database) as the backend gets them at start.
    assert.ok(Object.keys(spec.container.secretEnv).includes("SECRET_KEY"));
    assert.match(spec.why ?? "", /fails at ERROR: Django's default/);
  });

  test("without a Dockerfile, manage.py in the production dependencies", async () => {
    const spec = await checklist({ "apps/web/Dockerfile": null });
    assert.deepEqual(spec.command, ["python", "apps/web/manage.py", "check", "--deploy", "--fail-level", "ERROR"]);
    assert.notEqual(spec.container.base.kind, "dockerfile");
    assert.match(spec.why ?? "", /no Dockerfile: the production dependencies/);
  });

  test("fails at the level the project's CI runs its own check --deploy at, and says where", async () => {
    const workflow = "jobs:\n  checks:\n    steps:\n      - run: uv run python apps/web/manage.py check --deploy --fail-level=WARNING\n";
    const spec = await checklist({ ".github/workflows/ci.yml": workflow });
    assert.deepEqual(spec.command.slice(-2), ["--fail-level", "WARNING"]);
    assert.match(spec.why ?? "", /fails at WARNING: the project runs check --deploy at WARNING \(\.github\/workflows\/ci\.yml:4\)/);
  });

  test("a Makefile target or start script counts too; predeploy.json wins over all of them", async () => {
    const makefile = { Makefile: "check-django:\n\tpython manage.py check --deploy --fail-level INFO\n" };
    assert.deepEqual((await checklist(makefile)).command.slice(-1), ["INFO"]);
    const script = { "docker/entrypoint.sh": "#!/bin/sh\npython manage.py check --deploy\nexec gunicorn config.wsgi\n" };
    const fromScript = await checklist(script);
    assert.deepEqual(fromScript.command.slice(-1), ["ERROR"]);
    assert.match(fromScript.why ?? "", /docker\/entrypoint\.sh:2/);
    const configured = await checklist(makefile, { backend: { deployCheckFailLevel: "CRITICAL" } });
    assert.deepEqual(configured.command.slice(-1), ["CRITICAL"]);
    assert.match(configured.why ?? "", /backend\.deployCheckFailLevel in predeploy\.json/);
  });

  test("the project's own line gives its settings and plain variables, never a secret, a URL or a computed value", async () => {
    const script = [
      "#!/bin/sh",
      "set -e",
      'SECRET_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(50))") \\',
      "  DEBUG=False DATABASE_URL=postgres://u:p@localhost:5432/x ALLOWED_HOSTS=example.com \\",
      "  python manage.py check --deploy --fail-level WARNING --settings=config.settings.production",
      "",
    ].join("\n");
    const spec = await checklist({ "scripts/predeploy-checks.sh": script });
    assert.deepEqual(spec.command.slice(-4), ["--fail-level", "WARNING", "--settings", "config.settings.production"]);
    assert.equal(spec.container.env.DEBUG, "False");
    assert.equal(spec.container.env.ALLOWED_HOSTS, "example.com");
    assert.ok(!("DATABASE_URL" in spec.container.env) && spec.container.secretEnv.SECRET_KEY !== undefined, "the run's database and secret key stay the run's");
    assert.match(spec.why ?? "", /scripts\/predeploy-checks\.sh:3, with DEBUG=False ALLOWED_HOSTS=example\.com --settings=config\.settings\.production/);
  });

  test("a composite action's step counts; predeploy.json's env and settings module win over the line's", async () => {
    const action = "runs:\n  using: composite\n  steps:\n    - run: DJANGO_ENV=production poetry run python manage.py check --deploy --settings config.settings.ci\n      shell: bash\n";
    const files = { ".github/workflows/shared-build/action.yml": action };
    const spec = await checklist(files);
    assert.equal(spec.container.env.DJANGO_ENV, "production");
    assert.deepEqual(spec.command.slice(-2), ["--settings", "config.settings.ci"]);
    const configured = await checklist(files, { env: { DJANGO_ENV: "staging" }, paths: { settingsModule: "config.settings.prod" } });
    assert.equal(configured.container.env.DJANGO_ENV, "staging");
    assert.ok(!configured.command.includes("--settings"), configured.command.join(" "));
  });

  test("in a workflow, the step's literal variables come too (the workflow's, the job's, the step's), never an expression or a secret", async () => {
    const workflow = [
      "env:",
      "  DEBUG: 'True'",
      "jobs:",
      "  deploy-checks:",
      "    env:",
      "      DJANGO_SETTINGS_MODULE: config.settings.production",
      "    steps:",
      "      - name: Django deploy checks",
      "        run: |",
      "          python manage.py check --deploy --fail-level WARNING",
      "        env:",
      "          DEBUG: 'False'",
      "          SECRET_KEY: ${{ secrets.SECRET_KEY }}",
      "          SENDGRID_PASSWORD: password",
      "          REDIS_URL: redis://localhost:6379/0",
      "",
    ].join("\n");
    const spec = await checklist({ ".github/workflows/deploy.yml": workflow });
    assert.equal(spec.container.env.DEBUG, "False");
    assert.equal(spec.container.env.DJANGO_SETTINGS_MODULE, "config.settings.production");
    for (const name of ["SENDGRID_PASSWORD", "REDIS_URL"]) assert.ok(spec.container.env[name] === undefined, name);
    assert.match(spec.why ?? "", /deploy\.yml:10, with DEBUG=False DJANGO_SETTINGS_MODULE=config\.settings\.production\)/);
    const configured = await checklist({ ".github/workflows/deploy.yml": workflow }, { paths: { settingsModule: "config.settings.staging" } });
    assert.equal(configured.container.env.DJANGO_SETTINGS_MODULE, "config.settings.staging");
  });

  test("a fail level predeploy.json does not know is refused with the levels it does", async () => {
    const plan = await planChecks(stackTree(), JSON.stringify({ backend: { deployCheckFailLevel: "LOUD" } }));
    assert.match(plan.errors.join("\n"), /backend\.deployCheckFailLevel/);
    assert.match(plan.errors.join("\n"), /WARNING/);
  });
});

describe("deployCommandOf reads the settings and plain variables of a command line", () => {
  test("any line: variables are names with literal values, settings a dotted module", () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        const { settings, env } = deployCommandOf(line);
        assert.ok(settings === null || /^[A-Za-z_][\w.]*$/.test(settings));
        for (const [name, value] of Object.entries(env)) assert.ok(/^[A-Za-z_]\w*$/.test(name) && !/[$`]/.test(value) && !value.includes("://"), `${name}=${value}`);
      }),
    );
  });
});

describe("failLevelOf reads a command line as Django would", () => {
  for (const [line, level] of [
    ["python manage.py check --deploy", "ERROR"],
    ["django-admin check --deploy --fail-level warning", "WARNING"],
    ["./manage.py check --tag security --deploy --fail-level=INFO", "INFO"],
    ["python manage.py check", null],
    ["python manage.py migrate --deploy", null],
    ["echo deploy", null],
  ] as const) {
    test(`${line} → ${level}`, () => assert.equal(failLevelOf(line), level));
  }

  test("any line: null or a level Django knows", () => {
    fc.assert(fc.property(fc.string(), (line) => [null, "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"].includes(failLevelOf(line))));
  });
});

describe("the checklist's verdicts", () => {
  const capture = (slug: string) => JSON.parse(readFileSync(join(CAPTURES, "stack", slug, "build.deploy-checklist.json"), "utf8")) as Capture;
  const context = { pathBase: "." };

  test("a passing checklist keeps its warnings as findings of severity warning", () => {
    const result = parseDjangoCheck(capture("green"), context);
    assert.equal(result.status, "passed");
    assert.deepEqual(result.findings.map((f) => [f.rule, f.severity]), [
      ["security.W004", "warning"],
      ["security.W008", "warning"],
      ["security.W012", "warning"],
      ["security.W016", "warning"],
    ]);
  });

  test("the run's own SECRET_KEY is as strong as the checklist asks, so security.W009 is only ever the project's", () => {
    const { secretKey } = resolveRunSecrets({});
    assert.ok(secretKey.length >= 50 && new Set(secretKey).size >= 5 && !secretKey.startsWith("django-insecure"), secretKey.length.toString());
  });
});
