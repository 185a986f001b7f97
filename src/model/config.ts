import { z } from "zod";

/**
 * `predeploy.json`: everything the defaults assume can be overridden here. Secrets never
 * belong in it: values that look like credentials are refused with the fix.
 */

const RelativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), {
    message: "must be a path inside the source directory (relative, without '..')",
  });

const Argv = z.array(z.string()).min(1).describe("Command as an argument list, e.g. [\"mypy\", \"--strict\", \".\"]");

const SECRET_NAME = /(secret|token|passw(or)?d|api[_-]?key|private[_-]?key|credential)/i;
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

const SECRET_MESSAGE = "looks like a secret value; pass it as a Dagger secret argument (e.g. --secret-key env:SECRET_KEY) instead of writing it in predeploy.json";

/** A value predeploy never writes down: a credential-like name with a value, or a URL with a password. */
export function looksSecret(name: string, value: string): boolean {
  return (SECRET_NAME.test(name) && value.length > 0) || CREDENTIAL_URL.test(value);
}

/** `ALLOWED_HOSTS`, `NEON_DATABASE_URL`: names of environment variables and worker bindings. */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name");

/** Plain env values: refuse what looks like a credential, so secrets go through Dagger `Secret`s. */
const EnvMap = z.record(EnvName, z.string()).superRefine((env, ctx) => {
  for (const [name, value] of Object.entries(env)) {
    if (looksSecret(name, value)) ctx.addIssue({ code: "custom", path: [name], message: SECRET_MESSAGE });
  }
});

const Health = z
  .object({
    path: z.string().startsWith("/").describe("Path requested (default /health)"),
    expectStatus: z.number().int().min(100).max(599).describe("Status that passes; when set, only this status passes and nothing else is tried"),
    expectText: z.string().min(1).describe("Text the answer's body must contain (default: any body)"),
  })
  .partial()
  .strict();

/** An http(s) URL without credentials: where a deployed part of the stack answers. */
const DeployedUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "must be an http(s) URL such as https://api.staging.example.com")
  .refine((url) => !CREDENTIAL_URL.test(url), { message: SECRET_MESSAGE });

const ComponentName = z.string().regex(/^[\w.-]+$/, "must be a worker or site directory name");

/** A deployed environment `smoke` probes: the URL of each part; a part without one is left out. */
export const Environment = z
  .object({
    backend: DeployedUrl.describe("Base URL of the deployed backend; its health route (backend.health) is probed there"),
    workers: z.record(ComponentName, DeployedUrl).describe("Worker directory name → its deployed base URL; its health route (workers.<name>.health) is probed there, and the end-to-end form is posted to the e2e worker's"),
    sites: z.record(ComponentName, DeployedUrl).describe("Site directory name → its deployed base URL; every page its build produces is fetched there"),
    settleSeconds: z.number().int().min(0).max(1800).describe("How long a just-deployed part may take to answer: unreachable hosts and 5xx answers are retried until then (default 60)"),
  })
  .partial()
  .strict();
export type Environment = z.infer<typeof Environment>;

/** The run's values a worker binding can take; secrets stay Dagger secrets. */
export const RUN_VALUES = ["databaseUrl", "backendUrl", "intakeApiKey"] as const;
export type RunValue = (typeof RUN_VALUES)[number];

const Binding = z.union([z.enum(RUN_VALUES), z.object({ value: z.string() }).strict()]);

const Bindings = z.record(EnvName, Binding).superRefine((bindings, ctx) => {
  for (const [name, binding] of Object.entries(bindings)) {
    if (typeof binding === "object" && looksSecret(name, binding.value)) {
      ctx.addIssue({ code: "custom", path: [name, "value"], message: SECRET_MESSAGE });
    }
  }
});

const Names = z.array(z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "must be an extra or group name"));

/** Django's system-check levels, lowest first; `check --fail-level` fails at the named one and above. */
export const FAIL_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
export type FailLevel = (typeof FAIL_LEVELS)[number];

const CheckOverride = z
  .object({
    enabled: z.boolean().describe("false: the check is listed as skipped and not run"),
    command: Argv.describe("Replaces the check's command; the parser stays the same"),
    timeoutSeconds: z.number().int().positive().max(7200).describe("This check's timeout"),
    env: EnvMap.describe("Extra environment for this check"),
  })
  .partial()
  .strict();

export const Config = z
  .object({
    $schema: z.string().optional().describe("JSON Schema for editors"),
    paths: z
      .object({
        django: RelativePath.describe("Directory holding manage.py (default: apps/web, the root, else the first directory one or two levels down that holds one)"),
        settingsModule: z.string().regex(/^[A-Za-z_][\w.]*$/, "must be a dotted Python module path").describe("Exported to every check and the image when set (default: none; manage.py chooses, and tools that need one outside manage.py take it from their own configuration, else from manage.py's non-test default)"),
        pythonProject: RelativePath.describe("Directory holding pyproject.toml and uv.lock or poetry.lock, or requirements files (default: the source root, else the Django directory when they are there)"),
        dockerfile: RelativePath.describe("Backend Dockerfile (default: the Django directory's Dockerfile, apps/web/Dockerfile or docker/django.Dockerfile when present)"),
        dockerContext: RelativePath.describe("Build context of the backend Dockerfile (default: the source root, or the Dockerfile's directory when its COPY sources are there)"),
        workers: RelativePath.describe("Directory whose sub-directories with a wrangler.toml, wrangler.json or wrangler.jsonc are workers (default workers)"),
        sites: RelativePath.describe("Directory whose sub-directories with a package.json build script are sites (default sites)"),
        siteOutput: z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, "must be a plain relative directory such as dist").describe("Build output directory inside each site (default dist)"),
      })
      .partial()
      .strict()
      .default({})
      .describe("Where the parts of the stack are"),
    images: z
      .object({
        python: z.string().min(1).describe("Image for the backend checks (default python:3.13-slim)"),
        node: z.string().min(1).describe("Image for workers and sites (default node:22-slim)"),
        postgres: z.string().min(1).describe("Image of the throw-away database (default postgres:17)"),
      })
      .partial()
      .strict()
      .default({})
      .describe("Base images; the module's image arguments win over these"),
    python: z
      .object({
        extras: z.union([z.literal("all"), Names]).describe('Optional-dependency extras installed for the quality and test checks: "all" (default) or a list of names'),
        groups: z.union([z.literal("all"), Names]).describe('Dependency groups installed for the quality and test checks: "all" (default) or a list of names ([] installs none)'),
        requirements: z.array(RelativePath).min(1).describe("Requirements files for the quality and test checks, relative to paths.pythonProject (default: every requirements*.txt and requirements/*.txt)"),
        productionRequirements: z
          .array(RelativePath)
          .min(1)
          .describe("Requirements files the backend runs with, for the verify stage when there is no Dockerfile (default: requirements.txt, else the first of requirements/production.txt, prod.txt, base.txt)"),
        systemPackages: z
          .array(z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/, "must be a Debian package name such as libmagic1"))
          .describe("Debian packages installed before the Python dependencies of the quality and test checks, for the system libraries they load (default: what the backend Dockerfile's apt-get install lines name)"),
      })
      .partial()
      .strict()
      .default({})
      .describe("How the backend's Python dependencies are installed (uv.lock: uv sync with these extras and groups; poetry.lock: poetry install with them; else uv pip install of requirements files)"),
    backend: z
      .object({
        python: Argv.describe(
          'How to run Python inside the backend image, e.g. ["uv", "run", "--no-sync", "python"] (default: the first of $VIRTUAL_ENV/bin/python, $UV_PROJECT_ENVIRONMENT/bin/python, .venv/bin/python in the image workdir or above, uv run --no-sync python, the environment Poetry made for the project (poetry env info --path), python3, python that imports django; stderr says which)',
        ),
        command: Argv.describe("The backend service's command (default: the image's own entrypoint and CMD; without a Dockerfile, manage.py runserver)"),
        target: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "must be a stage name of the Dockerfile").describe("The Dockerfile stage that is deployed (default: its final stage, as docker build builds it)"),
        port: z.number().int().min(1).max(65535).describe("Port the backend listens on (default 8000; also passed to it as PORT)"),
        deployCheckFailLevel: z
          .enum(FAIL_LEVELS)
          .describe("Level at which Django's deployment checklist (manage.py check --deploy, build.deploy-checklist) fails (default: the level the project's own check --deploy runs at in its CI, Makefile or scripts, else Django's ERROR: warnings are reported and do not fail)"),
        health: Health.describe(
          "Backend health probe (default: GET /health answering 2xx or 3xx; when /health answers 404 (no health route), /admin/login/ answering below 500 but not 400 or 404, else / answering below 500 but not 400, passes, and the summary says which)",
        ),
      })
      .partial()
      .strict()
      .default({})
      .describe("The backend as the verify stage runs it: the built image when there is a Dockerfile"),
    workers: z
      .record(
        z.string().regex(/^[\w.-]+$/, "must be a worker directory name"),
        z
          .object({
            bindings: Bindings.describe(
              'Binding name → a value of the run: databaseUrl (a secret; a worker on @neondatabase/serverless gets the throw-away database through a local Neon SQL-over-HTTP bridge), intakeApiKey (a secret), backendUrl (the backend service), or a literal { "value": … } (default: BACKEND_URL → backendUrl, INTAKE_API_KEY → intakeApiKey)',
            ),
            health: Health.describe("Worker health probe (default: GET /health answering 2xx or 3xx; when /health answers 404, any non-5xx answer from / passes, and the summary says so)"),
          })
          .partial()
          .strict(),
      )
      .default({})
      .describe("Per-worker settings, by directory name under paths.workers"),
    env: EnvMap.default({}).describe("Extra environment for every check"),
    timeouts: z
      .object({ defaultSeconds: z.number().int().positive().max(7200).describe("Per-check timeout (default 600)") })
      .partial()
      .strict()
      .default({})
      .describe("Time limits; a check over its limit is reported as timeout and its dependants skipped"),
    checks: z
      .record(z.string().regex(/^(build|quality|test|verify|smoke)\.[a-z0-9._-]+$/, "must be a check id such as quality.mypy"), CheckOverride)
      .default({})
      .describe("Per-check overrides, by check id (see `plan`)"),
    e2e: z
      .object({
        worker: z.string().min(1).describe("Worker the form is posted to (default intake, else the first worker)"),
        path: z.string().startsWith("/").describe("Path on the worker (default /intake/predeploy-e2e/form)"),
        form: z.record(z.string(), z.string()).describe("Form fields posted"),
        expectStatus: z.number().int().min(100).max(599).describe("Expected HTTP status of the form post (default: any 2xx)"),
        idField: z
          .string()
          .regex(/^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/, "must be a dotted path such as submission_id or data.id")
          .describe("Field of the JSON answer holding the new row's id, a dotted path (default: id, else the answer's single *_id field); a query without %(id)s needs none"),
        sql: z.string().min(1).describe("Query run on the test database; %(id)s is the id the worker returned, %(field)s any form field. Must return at least one row"),
      })
      .partial()
      .strict()
      .default({})
      .describe("The intake end-to-end check"),
    environments: z
      .record(z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "must be an environment name such as staging"), Environment)
      .default({})
      .describe("Deployed environments by name, for `smoke --env <name>` after a deploy"),
    limits: z
      .object({
        logTailBytes: z.number().int().min(256).max(1_048_576).describe("Bytes of output kept per check (default 16384)"),
        maxFindings: z.number().int().min(1).max(10_000).describe("Findings kept per check (default 200); the report says how many were cut"),
        concurrency: z.number().int().min(1).max(64).describe("Checks running at once (default 8; the longest dependency chains start first)"),
      })
      .partial()
      .strict()
      .default({})
      .describe("Bounds on output and parallelism"),
  })
  .strict();
export type Config = z.infer<typeof Config>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; config: Config; errors: string[] };

/** Parses raw JSON text (or nothing). On any problem the defaults are used and each problem is named by its JSON path. */
export function parseConfig(text: string | null, origin = "predeploy.json"): ConfigResult {
  const defaults = Config.parse({});
  if (text === null) return { ok: true, config: defaults };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, config: defaults, errors: [`${origin}: not valid JSON (${(error as Error).message}); fix the syntax or delete the file to use the defaults`] };
  }
  const parsed = Config.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, config: defaults, errors: parsed.error.issues.map((issue) => `${origin}: ${describeIssue(issue)}`) };
}

/** `checks.quality.mypy.enabled`; keys that are not plain words are quoted: `env[" "]`. */
function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((key, index) => {
      if (typeof key === "number") return `[${key}]`;
      const name = String(key);
      if (/^[\w.$-]+$/.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join("");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = jsonPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.length === 0 ? "" : ` in ${path}`;
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}${where}; remove it or check the spelling against the predeploy.json reference`;
  }
  if (issue.code === "invalid_key") {
    return `${path}: key ${issue.issues.map((inner) => inner.message).join("; ")}`;
  }
  return `${path}: ${issue.message}`;
}
