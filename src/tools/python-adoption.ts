import { adoptedBy, notAdopted, type Adoption } from "./types.js";
import { iniSection, pyprojectTable, type PythonProject } from "../project/python-project.js";

/**
 * How a Python tool shows it was adopted: declared as a dependency (any group, extra or
 * requirements file), or configured (its `[tool.x]` table, its own file, an INI section).
 * A tool that never imports the project is installed on its own (`installSpec`), at the
 * version the project pins it to (or `.pre-commit-config.yaml` does).
 */
export interface Configuration {
  /** Dotted pyproject.toml tables, e.g. `tool.ruff`. */
  tables?: string[];
  /** Files of its own in the project directory, e.g. `ruff.toml`. */
  files?: string[];
  /** INI sections, e.g. `[flake8]` of setup.cfg or tox.ini. */
  sections?: { files: string[]; section: string }[];
}

export function configuredAt(project: PythonProject, configuration: Configuration): string | null {
  for (const dotted of configuration.tables ?? []) if (pyprojectTable(project, dotted) !== null) return `pyproject.toml [${dotted}]`;
  for (const file of configuration.files ?? []) if (project.entries.includes(file)) return file;
  for (const { files, section } of configuration.sections ?? []) {
    const found = iniSection(project, files, section);
    if (found !== null) return found.where;
  }
  return null;
}

/**
 * What a Python linter or formatter reads: Python code (stubs, notebooks) and the configuration files
 * it may find anywhere in the tree (pyproject.toml, ruff.toml and the files they extend, setup.cfg,
 * tox.ini, .flake8, .editorconfig), and the .gitignore files ruff and black honour.
 */
export const LINTER_INPUTS: readonly string[] = ["**/*.py", "**/*.pyi", "**/*.ipynb", "**/*.toml", "**/*.cfg", "**/*.ini", "**/.flake8", "**/.editorconfig", "**/.gitignore"];

/**
 * The web content a type checker never reads: templates, stylesheets, scripts, images and fonts. Not
 * the data files settings may read at import (JSON, YAML, text), which django-stubs' plugin imports.
 */
export const WEB_CONTENT: readonly string[] = ["**/*.html", "**/*.htm", "**/*.css", "**/*.scss", "**/*.sass", "**/*.less", "**/*.js", "**/*.mjs", "**/*.map", "**/*.svg", "**/*.png", "**/*.jpg", "**/*.jpeg", "**/*.gif", "**/*.webp", "**/*.ico", "**/*.woff", "**/*.woff2", "**/*.ttf"];

/** Adopted when `distribution` is declared or the tool is configured; the reason names which, and at which version it is installed. */
export function declaredOrConfigured(project: PythonProject, distribution: string, configuration: Configuration): Adoption {
  const declared = project.declared.get(distribution);
  if (declared !== undefined) return adoptedBy(`${distribution} is declared in ${declared} (installed on its own as ${installSpec(project, distribution)})`);
  const configured = configuredAt(project, configuration);
  if (configured !== null) {
    const pin = preCommitRev(project, distribution);
    const how = pin === null ? `${distribution}, its latest release` : `${distribution}==${pin}, the version .pre-commit-config.yaml pins`;
    return adoptedBy(`${distribution} is configured in ${configured}; it is no declared dependency, so it is installed on its own as ${how}`);
  }
  return notAdopted(`not adopted by this project: ${distribution} is neither a declared dependency nor configured`);
}

/**
 * The requirement that installs a tool at the project's version: its lockfile's or its declared
 * pin, else the version `.pre-commit-config.yaml` pins, else its name (the latest release).
 */
export function installSpec(project: PythonProject, distribution: string): string {
  const pin = preCommitRev(project, distribution);
  return project.pins.get(distribution) ?? (pin === null ? distribution : `${distribution}==${pin}`);
}

/** The `rev:` of the pre-commit repository whose hooks include `id: <hook>`, without its leading `v`. */
function preCommitRev(project: PythonProject, hook: string): string | null {
  if (project.preCommit === null) return null;
  for (const block of project.preCommit.split(/^\s*-\s+repo:/m).slice(1)) {
    if (!new RegExp(`^\\s*-?\\s*id:\\s*["']?${hook}["']?\\s*$`, "m").test(block)) continue;
    const rev = /^\s*rev:\s*["']?v?([\w.+-]+)["']?\s*$/m.exec(block);
    return rev ? (rev[1] as string) : null;
  }
  return null;
}
