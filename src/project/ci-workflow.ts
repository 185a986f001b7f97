import { readYaml, type YamlLine } from "./yaml-file.js";
import type { Declared, DeclaredService, Origin } from "./declared.js";
import { healthcheckOf } from "./health-url.js";
import { join, type SourceTree } from "./source-tree.js";
import { list, table } from "./parsed-data.js";

/**
 * A GitHub Actions job that runs the project's tests beside services: the environment the tests
 * pass in is evidence of what the settings need (a DATABASE_URL, POSTGRES_* variables) and of
 * which backing services, reached how, make them pass.
 */
export interface CiTestJob {
  /** The workflow file and the job's key. */
  file: string;
  job: string;
  /** The services the job gives its steps (image, env, container ports, a healthcheck from options' --health-cmd); a service's `name` is its key. */
  services: DeclaredService[];
  /** The literal environment of the test step: workflow env < job env < step env; values holding `${{ … }}` expressions or secrets are left out (say which in `omitted`). */
  env: Record<string, string>;
  /** The names left out of `env`; a service's left-out image or variable as `services.<name>.image` or `services.<name>.env.<NAME>` (that service is then dropped or lacks the variable). */
  omitted: string[];
  /** The job runs in a `container:`: its services are reached by their names, not localhost. */
  inContainer: boolean;
  /** The Python `actions/setup-python` gives the job before its test step (a literal `python-version`; a matrix's first literal), or null. */
  pythonVersion: Declared<string> | null;
  /** The test step's command line. */
  run: string;
  /** The test step's `run:`. */
  from: Origin;
}

const WORKFLOWS = ".github/workflows";
/** What may come before the test command in one simple command: assignments, a runner, `python -m`. */
const LAUNCHER = /^(?:[({]\s*|(?:then|do|time|exec)\s+|[A-Za-z_]\w*=\S*\s+)*(?:(?:uv|poetry|pipenv|pdm|hatch|rye)\s+run\s+(?:-\S+\s+)*)?(?:python[\d.]*\s+-m\s+)?/;
const TEST_COMMAND = /^(?:py\.?test|coverage\s+run|tox|nox|make\s+test|(?:python[\d.]*\s+)?(?:\S*\/)?manage\.py\s+test)(?:\s|$)/;
const HEALTH_CMD = /--health-cmd(?:=|\s+)(?:"([^"]*)"|'([^']*)'|(\S+))/;

/**
 * Jobs of .github/workflows/*.yml (and .yaml) whose steps run the tests: a `run:` invoking
 * pytest, `python -m pytest`, `manage.py test`, `coverage run`, tox, nox or `make test` (directly,
 * or through uv/poetry/pipenv/pdm/hatch/rye run); the first such step is the test step.
 */
export async function readCiTestJobs(tree: SourceTree): Promise<{ jobs: CiTestJob[]; problems: string[] }> {
  const problems: string[] = [];
  const jobs: CiTestJob[] = [];
  const files = (await tree.list(WORKFLOWS)).filter((e) => /\.ya?ml$/.test(e)).sort();
  for (const name of files) {
    const file = join(WORKFLOWS, name);
    const text = await tree.readText(file);
    const workflow = text === null ? null : readYaml(file, text, problems, "fix it so GitHub Actions can run the workflow");
    if (workflow === null) continue;
    const root = table(workflow.data);
    for (const [job, body] of Object.entries(table(root.jobs))) {
      const found = testJob(file, job, table(body), root.env, workflow.line);
      if (found !== null) jobs.push(found);
    }
  }
  // The main test job first: one that runs the test runner itself, then one through make, tox or nox
  // (which may test something else: `make test` of lint rules); a job for a narrow suite (end-to-end,
  // a migration or load test) is what the tests run beside, not how.
  const rank = (job: CiTestJob) => (narrowSuite(job) ? 2 : INDIRECT.test(job.run.replace(LAUNCHER, "")) ? 1 : 0);
  return { jobs: jobs.map((job, order) => ({ job, order })).sort((a, b) => rank(a.job) - rank(b.job) || a.order - b.order).map(({ job }) => job), problems };
}

const INDIRECT = /^(?:tox|nox|make)\b/;

const NARROW = /\be2e\b|end[-_ ]?to[-_ ]?end|playwright|selenium|cypress|\bperf\b|performance|benchmark|\bload[-_ ]test|migrations?[-_]/i;

/** A job for one narrow suite: its workflow file or job key says so, or its test step selects it (`-m "e2e"`, `tests/e2e`). */
function narrowSuite(job: CiTestJob): boolean {
  return NARROW.test(job.file.split("/").pop() ?? "") || NARROW.test(job.job) || /-m\s+["']?e2e\b|\be2e\//.test(job.run);
}

function testJob(file: string, job: string, body: Record<string, unknown>, workflowEnv: unknown, line: YamlLine): CiTestJob | null {
  const steps = list(body.steps).map(table);
  const index = steps.findIndex((s) => typeof s.run === "string" && runsTests(s.run));
  const step = steps[index];
  if (step === undefined) return null;
  const omitted = new Set<string>();
  const env = new Map<string, string>();
  for (const level of [workflowEnv, body.env, step.env]) {
    for (const [key, value] of Object.entries(table(level))) {
      const literal = literalText(value);
      if (literal === null) {
        env.delete(key);
        omitted.add(key);
      } else {
        env.set(key, literal);
        omitted.delete(key);
      }
    }
  }
  const services = Object.entries(table(body.services)).flatMap(([name, service]) => {
    const declared = ciService(name, service, omitted, { file, line: line(["jobs", job, "services", name]) });
    return declared === null ? [] : [declared];
  });
  return {
    file,
    job,
    services,
    env: Object.fromEntries(env),
    omitted: [...omitted],
    inContainer: body.container !== undefined && body.container !== null && body.container !== "",
    pythonVersion: setupPython(steps.slice(0, index), body.strategy, (at) => ({ file, line: line(["jobs", job, ...at]) })),
    run: (step.run as string).trim(),
    from: { file, line: line(["jobs", job, "steps", index, "run"]) },
  };
}

/** `python-version` of the last setup-python step before the test step: a literal, or `${{ matrix.<key> }}` read from the job's matrix (its first value). */
function setupPython(steps: Record<string, unknown>[], strategy: unknown, at: (path: (string | number)[]) => Origin): Declared<string> | null {
  const setups = steps.flatMap((step, i) => (/^actions\/setup-python@/.test(String(step.uses ?? "")) ? [i] : []));
  const index = setups[setups.length - 1];
  if (index === undefined) return null;
  const raw = table(steps[index]?.with)["python-version"];
  const literal = literalText(raw);
  if (literal !== null && literal !== "") return { value: literal, from: at(["steps", index, "with", "python-version"]) };
  const key = typeof raw === "string" ? /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(raw.trim())?.[1] : undefined;
  const first = key === undefined ? undefined : list(table(table(strategy).matrix)[key])[0];
  return key === undefined || first === undefined || first === null ? null : { value: String(first), from: at(["strategy", "matrix", key]) };
}

/** Whether a `run:` script starts one of the test commands in any of its simple commands. */
function runsTests(script: string): boolean {
  return script.split(/\r?\n|&&|[;|]/).some((command) => TEST_COMMAND.test(command.trim().replace(LAUNCHER, "")));
}

/** A job's service, or null when its image is no literal (an expression is noted in `omitted`). */
function ciService(name: string, value: unknown, omitted: Set<string>, from: Origin): DeclaredService | null {
  const service = typeof value === "string" ? { image: value } : table(value);
  const image = literalText(service.image);
  if (image === null || image === "") {
    if (typeof service.image === "string" && service.image !== "") omitted.add(`services.${name}.image`);
    return null;
  }
  const environment = new Map<string, string>();
  for (const [key, raw] of Object.entries(table(service.env))) {
    const literal = literalText(raw);
    if (literal === null) omitted.add(`services.${name}.env.${key}`);
    else environment.set(key, literal);
  }
  const ports = [...new Set(list(service.ports).flatMap((p) => containerPort(p)))];
  const health = typeof service.options === "string" ? HEALTH_CMD.exec(service.options) : null;
  const healthCommand = health === null ? null : (health[1] ?? health[2] ?? health[3] ?? null);
  return {
    name,
    image,
    build: null,
    environment: Object.fromEntries(environment),
    ports,
    command: null,
    entrypoint: null,
    healthcheck: healthCommand === null ? null : healthcheckOf(healthCommand),
    dependsOn: [],
    from,
  };
}

/** The container side of a `ports:` entry: `5432:5432`, `5432`, `5432/tcp`, `127.0.0.1:5432:5432`. */
function containerPort(entry: unknown): number[] {
  const text = typeof entry === "number" ? String(entry) : typeof entry === "string" ? entry : "";
  const match = /(?:^|:)(\d+)(?:\/(?:tcp|udp))?$/.exec(text.trim());
  const port = match ? Number(match[1]) : 0;
  return port > 0 && port < 65536 ? [port] : [];
}

/** A value as the environment receives it, or null when it is an expression (`${{ … }}`) or no scalar. */
export function literalText(value: unknown): string | null {
  if (value === null) return "";
  if (typeof value === "string") return value.includes("${{") ? null : value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}

