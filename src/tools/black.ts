import { declaredOrConfigured, launch } from "./python-adoption.js";
import type { PythonTool } from "./types.js";

export const black: PythonTool = {
  ecosystem: "python",
  program: "black",
  check: { id: "quality.black", stage: "quality", title: "black --check" },
  parser: "black",
  adoption: (project) => declaredOrConfigured(project, "black", { tables: ["tool.black"] }),
  // black reads its excludes (and .gitignore) itself when given the root.
  command: (project) => [...launch(project, "black", "black"), "--check", "."],
  fix: (project) => ({ argv: [...launch(project, "black", "black"), "{file}"], safe: true }),
  caches: [],
  importsSettings: false,
};
