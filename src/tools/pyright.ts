import { CHECKS_VENV } from "../model/contracts.js";
import { configuredAt, WEB_CONTENT, type Configuration } from "./python-adoption.js";
import type { PythonProject } from "../project/python-project.js";
import { adoptedBy, notAdopted, type Adoption, type DevelopmentTool } from "./types.js";

const PYRIGHT: Configuration = { tables: ["tool.pyright"], files: ["pyrightconfig.json"] };

/**
 * pyright runs where the project declares it: it resolves imports through the project's own
 * environment. A `[tool.pyright]` table or pyrightconfig.json alone often configures editors
 * (Pylance embeds pyright), not a check the project runs.
 */
function adoption(project: PythonProject): Adoption {
  const declared = project.declared.get("pyright");
  if (declared !== undefined) return adoptedBy(`pyright is declared in ${declared}`);
  const configured = configuredAt(project, PYRIGHT);
  if (configured !== null) {
    return notAdopted(`pyright is configured in ${configured} but is no declared dependency (editors read that configuration too); declare pyright[nodejs] in a dev group or extra to run it`);
  }
  return notAdopted("not adopted by this project: pyright is neither a declared dependency nor configured");
}

export const pyright: DevelopmentTool = {
  ecosystem: "python",
  program: "pyright",
  role: "type-checker",
  check: { id: "quality.pyright", stage: "quality", title: "pyright" },
  proves: "pyright findings with file:line:col and rule, on what its configuration includes, resolved against the project's installed dependencies",
  parser: "pyright",
  adoption,
  // Its own configuration names what to check; the interpreter is the checks' environment, not a
  // `venv` the configuration names on a developer's machine.
  command: () => ["pyright", "--outputjson", "--pythonpath", `${CHECKS_VENV}/bin/python`],
  caches: [],
  ignores: WEB_CONTENT,
  importsSettings: false,
};
