import { LINTER_INPUTS, declaredOrConfigured, installSpec } from "./python-adoption.js";
import type { DevelopmentTool } from "./types.js";

export const black: DevelopmentTool = {
  ecosystem: "python",
  program: "black",
  role: "formatter",
  check: { id: "quality.black", stage: "quality", title: "black --check" },
  proves: "each file black would reformat",
  parser: "black",
  adoption: (project) => declaredOrConfigured(project, "black", { tables: ["tool.black"] }),
  // black reads its excludes (and .gitignore) itself when given the root.
  command: (project) => ["black", "--check", "."],
  fix: (project) => ({ argv: ["black", "{file}"], safe: true }),
  caches: [],
  importsSettings: false,
  inputs: LINTER_INPUTS,
  standalone: (project) => [installSpec(project, "black")],
};
