import { declaredOrConfigured, launch } from "./python-adoption.js";
import type { PythonTool } from "./types.js";

export const flake8: PythonTool = {
  ecosystem: "python",
  program: "flake8",
  check: { id: "quality.flake8", stage: "quality", title: "flake8" },
  parser: "flake8",
  adoption: (project) => declaredOrConfigured(project, "flake8", { files: [".flake8"], sections: [{ files: ["setup.cfg", "tox.ini", ".flake8"], section: "flake8" }] }),
  command: (project) => [...launch(project, "flake8", "flake8"), "."],
  caches: [],
  importsSettings: false,
};
