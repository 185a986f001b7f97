import { parse as parseToml } from "smol-toml";
import { relativeTo } from "./paths.js";
import type { DjangoApp } from "./discover.js";
import { join, type SourceTree } from "./source-tree.js";
import { parseIni, type IniSections } from "./ini.js";
import { list, table } from "./parsed-data.js";

/**
 * What a Python project says about its own toolchain: the dependencies it declares (in any
 * group or extra, or any requirements file) and the tool configuration it carries. The
 * registry's `adopted` rules read only this.
 */
export interface PythonProject {
  django: DjangoApp;
  /** Normalised dependency name → where it is declared, e.g. `pyproject.toml [dependency-groups] dev`. */
  declared: Map<string, string>;
  /** Normalised dependency name → the requirement that installs the version the project uses (`ruff==0.17.6` from uv.lock or a pin, else as declared). */
  pins: Map<string, string>;
  /** Entries of the project directory ("name", directories "name/"). */
  entries: string[];
  /** pyproject.toml as a table, when present and valid TOML. */
  pyproject: Record<string, unknown> | null;
  /** The INI files tools read their configuration from, by file name. */
  ini: Map<string, IniSections>;
  /** The Django project's own Python packages, relative to the project directory (mypy's default targets). */
  packages: string[];
  /** `.pre-commit-config.yaml`'s text, when present: hooks pin tool versions there. */
  preCommit: string | null;
  /** Problems worth a run-level error (a pyproject.toml that does not parse). */
  problems: string[];
}

const INI_FILES = ["setup.cfg", "tox.ini", "mypy.ini", ".mypy.ini", "pytest.ini", ".flake8", ".isort.cfg"];

/** PEP 503 normalisation: `Django_Stubs` and `django.stubs` are `django-stubs`. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The distribution a PEP 508 requirement names (`ruff>=0.11`, `django-stubs[compatible-mypy]`), or null. */
export function requirementName(requirement: string): string | null {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
  return match ? normaliseName(match[1] as string) : null;
}

export async function readPythonProject(tree: SourceTree, django: DjangoApp): Promise<PythonProject> {
  const dir = django.projectDir;
  const problems: string[] = [];
  const entries = await tree.list(dir);
  const declared = new Map<string, string>();
  const pins = new Map<string, string>();
  const declare = (requirement: unknown, where: string) => {
    const name = typeof requirement === "string" ? requirementName(requirement) : null;
    if (name === null || declared.has(name)) return;
    declared.set(name, where);
    // As pip reads it: without a trailing comment; a Poetry table key is the bare name.
    pins.set(name, (requirement as string).replace(/\s+#.*$/, "").trim());
  };
  let pyproject: Record<string, unknown> | null = null;
  const pyprojectText = entries.includes("pyproject.toml") ? await tree.readText(join(dir, "pyproject.toml")) : null;
  if (pyprojectText !== null) {
    try {
      pyproject = parseToml(pyprojectText) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${join(dir, "pyproject.toml")}: not valid TOML (${(error as Error).message.split("\n")[0]}); fix it so its dependencies and tool settings can be read`);
    }
  }
  if (pyproject !== null) pyprojectDependencies(pyproject, declare);
  const requirementFiles = django.install.kind === "requirements" ? django.install.inputs : [];
  for (const file of requirementFiles) {
    for (const line of ((await tree.readText(file)) ?? "").split(/\r?\n/)) {
      if (!/^\s*(#|-|$)/.test(line)) declare(line, file);
    }
  }
  const ini = new Map<string, IniSections>();
  for (const name of INI_FILES.filter((f) => entries.includes(f))) {
    ini.set(name, parseIni((await tree.readText(join(dir, name))) ?? ""));
  }
  const preCommit = entries.includes(".pre-commit-config.yaml") ? await tree.readText(join(dir, ".pre-commit-config.yaml")) : null;
  if (django.install.kind === "uv" || django.install.kind === "poetry") for (const [name, version] of lockedVersions((await tree.readText(django.install.lockfile)) ?? "")) pins.set(name, `${name}==${version}`);
  return { django, declared, pins, entries, pyproject, ini, packages: await djangoPackages(tree, django), preCommit, problems };
}

/** Name → version of each package the lockfile (uv.lock, poetry.lock: both `[[package]]` name and version) resolves (an unreadable one gives none: the declared requirements stand). */
function lockedVersions(lock: string): Map<string, string> {
  const versions = new Map<string, string>();
  try {
    for (const pkg of list(table(parseToml(lock)).package)) {
      const { name, version } = table(pkg);
      if (typeof name === "string" && typeof version === "string") versions.set(normaliseName(name), version);
    }
  } catch {
    return versions;
  }
  return versions;
}

type Declare = (requirement: unknown, where: string) => void;

/** PEP 621 dependencies and extras, PEP 735 groups, and the Poetry, uv and PDM dev tables. */
function pyprojectDependencies(pyproject: Record<string, unknown>, declare: Declare): void {
  const project = table(pyproject.project);
  for (const r of list(project.dependencies)) declare(r, "pyproject.toml [project] dependencies");
  for (const [extra, rs] of Object.entries(table(project["optional-dependencies"]))) {
    for (const r of list(rs)) declare(r, `pyproject.toml [project.optional-dependencies] ${extra}`);
  }
  for (const [group, rs] of Object.entries(table(pyproject["dependency-groups"]))) {
    for (const r of list(rs)) declare(r, `pyproject.toml [dependency-groups] ${group}`);
  }
  const tool = table(pyproject.tool);
  const poetry = table(tool.poetry);
  for (const key of ["dependencies", "dev-dependencies"]) {
    for (const name of Object.keys(table(poetry[key]))) declare(name, `pyproject.toml [tool.poetry.${key}]`);
  }
  for (const [group, body] of Object.entries(table(poetry.group))) {
    for (const name of Object.keys(table(table(body).dependencies))) declare(name, `pyproject.toml [tool.poetry.group.${group}.dependencies]`);
  }
  for (const r of list(table(tool.uv)["dev-dependencies"])) declare(r, "pyproject.toml [tool.uv] dev-dependencies");
  for (const [group, rs] of Object.entries(table(table(tool.pdm)["dev-dependencies"]))) {
    for (const r of list(rs)) declare(r, `pyproject.toml [tool.pdm.dev-dependencies] ${group}`);
  }
}

/** A `[tool.x]` (dotted: `tool.ruff.format`) table of pyproject.toml, or null. */
export function pyprojectTable(project: PythonProject, dotted: string): Record<string, unknown> | null {
  let node: unknown = project.pyproject;
  for (const key of dotted.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return null;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === "object" && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : null;
}

/** The first of `files`' INI sections named `section`, with where it is; null when none has it. */
export function iniSection(project: PythonProject, files: string[], section: string): { where: string; keys: Map<string, string> } | null {
  for (const file of files) {
    const keys = project.ini.get(file)?.get(section);
    if (keys !== undefined) return { where: `${file} [${section}]`, keys };
  }
  return null;
}

/**
 * The packages that hold the Django project's own code: the outermost package above
 * manage.py's directory (`apps` for `apps/web`), the directory itself when it is no
 * package, or — with manage.py at the project root — every package there.
 */
async function djangoPackages(tree: SourceTree, django: DjangoApp): Promise<string[]> {
  const relative = django.dir === django.projectDir ? "." : relativeTo(django.projectDir, django.dir);
  if (relative !== ".") {
    const parts = relative.split("/");
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const candidate = parts.slice(0, depth).join("/");
      const chain = parts.slice(0, depth).map((_, i) => join(django.projectDir, parts.slice(0, i + 1).join("/"), "__init__.py"));
      const isPackage = (await Promise.all(chain.map((f) => tree.readText(f)))).every((t) => t !== null);
      if (isPackage) return [candidate];
    }
    return [relative];
  }
  const dirs = (await tree.list(django.projectDir)).filter((e) => e.endsWith("/") && !e.startsWith(".")).map((e) => e.slice(0, -1));
  const packages = await Promise.all(dirs.map(async (d) => ((await tree.readText(join(django.projectDir, d, "__init__.py"))) !== null ? d : null)));
  return packages.filter((p): p is string => p !== null).sort();
}
