import { parse as parseToml } from "smol-toml";
import type { CiTestJob } from "./ci-workflow.js";
import { describeOrigin, type Declared } from "./declared.js";
import type { DockerfileFacts } from "./dockerfile-facts.js";
import { join, type SourceTree } from "./source-tree.js";

/** The Python the checks run on when the project names none: the default image's. */
export const DEFAULT_PYTHON = "3.13";

/** The minor versions predeploy knows an official `python:<minor>-slim` image of. */
const KNOWN = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"];

export interface PythonVersion {
  /** `major.minor`, e.g. "3.12". */
  version: string;
  /** What says so, for `plan`. */
  why: string;
}

/** `3.12`, `3.12.4`, `python-3.12.4`, `cpython-3.12`, `python3.12` → "3.12". */
function minorOf(text: string): string | null {
  const match = /(?<![\d.])3\.(\d{1,2})(?:\.\d+)?(?!\d)/.exec(text.trim());
  return match === null ? null : `3.${match[1]}`;
}

/** The version a Python image's tag names: `python:3.12-slim`, `docker.io/library/python:3.12.4`, `ghcr.io/astral-sh/uv:python3.12-bookworm-slim`. */
function imageVersion(image: string): string | null {
  const match = /(?:^|\/)python:(3\.\d{1,2})|:python(3\.\d{1,2})/i.exec(image);
  return match === null ? null : (match[1] ?? match[2] ?? null);
}

/**
 * The Python the project runs on, so the checks run on it too: the one the deployed image is built
 * FROM, else `.python-version` (the project's directory, then the root), `runtime.txt` (Heroku's
 * `python-3.12.4`), the CI test job's setup-python, and last `requires-python` (or Poetry's
 * `python`) when the default does not satisfy it. Null: nothing names one (the default stands).
 */
export async function declaredPythonVersion(tree: SourceTree, dirs: readonly string[], facts: DockerfileFacts | null, ci: CiTestJob | undefined): Promise<PythonVersion | null> {
  const base = facts?.deployedBase;
  const fromImage = base ? imageVersion(base.value) : null;
  if (base && fromImage !== null) return { version: fromImage, why: `${describeOrigin(base.from)}: the deployed image is built FROM ${base.value}` };
  for (const dir of [...new Set([...dirs, "."])]) {
    for (const file of [".python-version", "runtime.txt"]) {
      const path = join(dir, file);
      const text = await tree.readText(path);
      const first = text?.split(/\r?\n/).find((line) => line.trim() !== "" && !line.trim().startsWith("#"));
      const version = first === undefined ? null : minorOf(first);
      if (version !== null) return { version, why: `${path}: ${first?.trim()}` };
    }
  }
  const ciVersion = ci?.pythonVersion ? minorOf(ci.pythonVersion.value) : null;
  if (ci?.pythonVersion && ciVersion !== null) return { version: ciVersion, why: `${describeOrigin(ci.pythonVersion.from)}: the CI test job's setup-python` };
  for (const dir of [...new Set([...dirs, "."])]) {
    const required = requiredPython((await tree.readText(join(dir, "pyproject.toml"))) ?? "");
    if (required === null || allows(required.spec, DEFAULT_PYTHON)) continue;
    // The nearest to the default: the first newer one it admits, else the newest older one.
    const at = KNOWN.indexOf(DEFAULT_PYTHON);
    const version = [...KNOWN.slice(at + 1), ...KNOWN.slice(0, at).reverse()].find((candidate) => allows(required.spec, candidate));
    if (version !== undefined) return { version, why: `${join(dir, "pyproject.toml")}: ${required.field} = "${required.spec}" (the default ${DEFAULT_PYTHON} does not satisfy it)` };
  }
  return null;
}

function requiredPython(pyproject: string): { spec: string; field: string } | null {
  try {
    const toml = parseToml(pyproject) as { project?: { "requires-python"?: unknown }; tool?: { poetry?: { dependencies?: { python?: unknown } } } };
    const pep621 = toml.project?.["requires-python"];
    if (typeof pep621 === "string") return { spec: pep621, field: "requires-python" };
    const poetry = toml.tool?.poetry?.dependencies?.python;
    return typeof poetry === "string" ? { spec: poetry, field: "[tool.poetry.dependencies] python" } : null;
  } catch {
    return null;
  }
}

/** Whether a version specifier (PEP 440, or Poetry's `^` and `~`) admits Python `minor` (e.g. "3.12"), judged on minor versions. */
function allows(spec: string, minor: string): boolean {
  const [major, sub] = minor.split(".").map(Number) as [number, number];
  const key = (m: number, n: number) => m * 100 + n;
  const have = key(major, sub);
  return spec.split(",").every((clause) => {
    const match = /^\s*(\^|~=|~|==|!=|>=|<=|>|<)?\s*(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?/.exec(clause);
    if (match === null) return true;
    const [, op = "==", a, b, c] = match;
    const want = key(Number(a), b === undefined || b === "*" ? 0 : Number(b));
    const wildcardMinor = b === undefined || b === "*";
    switch (op) {
      case ">=":
        return have >= want;
      case ">":
        // `>3.12` admits 3.12.1: on minors, only a patch-less bound excludes its own minor.
        return c === undefined ? have > want : have >= want;
      case "<=":
        return have <= want;
      case "<":
        return c === undefined || c === "0" ? have < want : have <= want;
      case "!=":
        return c !== undefined || have !== want;
      case "^":
        return have >= want && major === Number(a);
      case "~":
        // Poetry's `~3.11`: that minor; `~3`: that major.
        return wildcardMinor ? major === Number(a) : have === want;
      case "~=":
        // `~=3.11`: 3.11 and above within the major; `~=3.11.2`: that minor.
        return c === undefined ? have >= want && major === Number(a) : have === want;
      default:
        return wildcardMinor ? major === Number(a) : have === want;
    }
  });
}
