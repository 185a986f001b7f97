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

/** Plain env values: refuse what looks like a credential, so secrets go through Dagger `Secret`s. */
const EnvMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name"), z.string()).superRefine((env, ctx) => {
  for (const [name, value] of Object.entries(env)) {
    if ((SECRET_NAME.test(name) && value.length > 0) || CREDENTIAL_URL.test(value)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "looks like a secret value; pass it as a Dagger secret argument (e.g. --secret-key env:SECRET_KEY) instead of writing it in predeploy.json",
      });
    }
  }
});

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
        django: RelativePath.describe("Directory holding manage.py (default apps/web)"),
        settingsModule: z.string().regex(/^[A-Za-z_][\w.]*$/, "must be a dotted Python module path").describe("Default apps.web.config.settings"),
        pythonProject: RelativePath.describe("Directory holding pyproject.toml and uv.lock (default: the source root)"),
        dockerfile: RelativePath.describe("Backend Dockerfile (default: apps/web/Dockerfile or docker/django.Dockerfile when present)"),
        workers: RelativePath.describe("Directory whose sub-directories with a wrangler.toml are workers (default workers)"),
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
    env: EnvMap.default({}).describe("Extra environment for every check"),
    timeouts: z
      .object({ defaultSeconds: z.number().int().positive().max(7200).describe("Per-check timeout (default 600)") })
      .partial()
      .strict()
      .default({})
      .describe("Time limits; a check over its limit is reported as timeout and its dependants skipped"),
    checks: z
      .record(z.string().regex(/^(build|quality|test|verify)\.[a-z0-9._-]+$/, "must be a check id such as quality.mypy"), CheckOverride)
      .default({})
      .describe("Per-check overrides, by check id (see `plan`)"),
    e2e: z
      .object({
        worker: z.string().min(1).describe("Worker the form is posted to (default intake, else the first worker)"),
        path: z.string().startsWith("/").describe("Path on the worker (default /intake/predeploy-e2e/form)"),
        form: z.record(z.string(), z.string()).describe("Form fields posted"),
        expectStatus: z.number().int().min(100).max(599).describe("Expected HTTP status of the form post (default: any 2xx)"),
        sql: z.string().min(1).describe("Query run on the test database; %(id)s is the id the worker returned, %(field)s any form field. Must return at least one row"),
      })
      .partial()
      .strict()
      .default({})
      .describe("The intake end-to-end check"),
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
