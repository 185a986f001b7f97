import { LINTER_INPUTS, configuredAt, declaredOrConfigured, installSpec, type Configuration } from "./python-adoption.js";
import { adoptedBy, adoptedByDefault, type DevelopmentTool, type ToolCache } from "./types.js";
import type { PythonProject } from "../project/python-project.js";

const RUFF: Configuration = { tables: ["tool.ruff"], files: ["ruff.toml", ".ruff.toml"] };
/** ruff's cache, shared by its linter and formatter; it trusts a file by mtime and mode. */
const RUFF_CACHE: ToolCache = { name: "ruff", env: "RUFF_CACHE_DIR", byMtime: true };

export const ruffCheck: DevelopmentTool = {
  ecosystem: "python",
  program: "ruff",
  role: "linter",
  check: { id: "quality.ruff-check", stage: "quality", title: "ruff check" },
  proves: "ruff's findings with file:line:col and rule",
  parser: "ruff-check",
  adoption: (project) => declaredOrConfigured(project, "ruff", RUFF),
  command: (project) => ["ruff", "check", "--output-format=json", "."],
  // Safe fixes only: `--unsafe-fixes` is never applied for the project.
  fix: (project) => ({ argv: ["ruff", "check", "--fix", "{file}"], safe: true }),
  caches: [RUFF_CACHE],
  writes: ["**/.ruff_cache"],
  importsSettings: false,
  inputs: LINTER_INPUTS,
  standalone: (project) => [installSpec(project, "ruff")],
};

/**
 * ruff's formatter, where the project formats with it: its `[tool.ruff.format]` table or a
 * `ruff-format` pre-commit hook says so; a ruff project with no other formatter is taken to
 * (and the plan says it guessed); so taken, it yields to a formatter the project adopted (black).
 */
function formatAdoption(project: PythonProject) {
  const ruff = declaredOrConfigured(project, "ruff", RUFF);
  if (!ruff.adopted) return ruff;
  const formatTable = configuredAt(project, { tables: ["tool.ruff.format"] });
  if (formatTable !== null) return adoptedBy(`ruff's formatter is configured in ${formatTable}`);
  if (project.preCommit !== null && /^\s*-?\s*id:\s*["']?ruff-format["']?\s*$/m.test(project.preCommit)) return adoptedBy("a ruff-format hook in .pre-commit-config.yaml");
  return adoptedByDefault(`${ruff.by}, and no other formatter is: taken to format with ruff (set checks.quality.ruff-format.enabled to false if it does not)`);
}

export const ruffFormat: DevelopmentTool = {
  ecosystem: "python",
  program: "ruff",
  role: "formatter",
  check: { id: "quality.ruff-format", stage: "quality", title: "ruff format --check" },
  proves: "each file `ruff format` would reformat",
  parser: "ruff-format",
  adoption: formatAdoption,
  command: (project) => ["ruff", "format", "--check", "."],
  fix: (project) => ({ argv: ["ruff", "format", "{file}"], safe: true }),
  caches: [RUFF_CACHE],
  writes: ["**/.ruff_cache"],
  importsSettings: false,
  inputs: LINTER_INPUTS,
  standalone: (project) => [installSpec(project, "ruff")],
};
