import { LINTER_INPUTS, declaredOrConfigured, installSpec } from "./python-adoption.js";
import type { DevelopmentTool } from "./types.js";

/** flake8's plugins: flake8-*, and the few older ones named otherwise. */
const FLAKE8_PLUGIN = /^(flake8-.+|pep8-naming|pyflakes-.+|darglint|dlint)$/;

export const flake8: DevelopmentTool = {
  ecosystem: "python",
  program: "flake8",
  role: "linter",
  check: { id: "quality.flake8", stage: "quality", title: "flake8" },
  proves: "flake8 findings (with its declared plugins) with file:line:col and code",
  parser: "flake8",
  adoption: (project) => declaredOrConfigured(project, "flake8", { files: [".flake8"], sections: [{ files: ["setup.cfg", "tox.ini", ".flake8"], section: "flake8" }] }),
  command: (project) => ["flake8", "."],
  caches: [],
  importsSettings: false,
  // Its plugins are declared beside it; installed with it, as the project installs them.
  inputs: LINTER_INPUTS,
  standalone: (project) => [installSpec(project, "flake8"), ...[...project.declared.keys()].filter((name) => FLAKE8_PLUGIN.test(name)).map((name) => installSpec(project, name))],
};
