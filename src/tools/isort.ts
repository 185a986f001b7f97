import { LINTER_INPUTS, declaredOrConfigured, installSpec } from "./python-adoption.js";
import type { DevelopmentTool } from "./types.js";

export const isort: DevelopmentTool = {
  ecosystem: "python",
  program: "isort",
  role: "linter",
  check: { id: "quality.isort", stage: "quality", title: "isort --check-only" },
  proves: "each file isort would re-sort",
  parser: "isort",
  adoption: (project) =>
    declaredOrConfigured(project, "isort", {
      tables: ["tool.isort"],
      files: [".isort.cfg"],
      sections: [
        { files: [".isort.cfg", "setup.cfg", "tox.ini"], section: "isort" },
        { files: ["setup.cfg", "tox.ini"], section: "tool:isort" },
      ],
    }),
  command: (project) => ["isort", "--check-only", "--diff", "."],
  fix: (project) => ({ argv: ["isort", "{file}"], safe: true }),
  caches: [],
  importsSettings: false,
  inputs: LINTER_INPUTS,
  standalone: (project) => [installSpec(project, "isort")],
};
