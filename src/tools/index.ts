import { black } from "./black.js";
import { eslint } from "./eslint.js";
import { djangoCheck, djangoTests, migrationsCheck, pytest } from "./django.js";
import { deployChecklist } from "./django-deploy.js";
import { flake8 } from "./flake8.js";
import { isort } from "./isort.js";
import { mypy } from "./mypy.js";
import { packageTests, siteBuild, tsc, workerBundle } from "./node-tools.js";
import { prettier } from "./prettier.js";
import { pyright } from "./pyright.js";
import { ruffCheck, ruffFormat } from "./ruff.js";
import { siteLinks } from "./site-links.js";
import type { NodeTool, PythonTool, Tool } from "./types.js";

/**
 * The tool registry: every tool predeploy can run, each defined once (adding one: an entry
 * here, its parser in src/parse/, a fixture). Order is the plan's order.
 */
export const PYTHON_TOOLS: readonly PythonTool[] = [ruffCheck, ruffFormat, black, isort, flake8, mypy, pyright, pytest, djangoTests, djangoCheck, migrationsCheck, deployChecklist];

export const NODE_TOOLS: readonly NodeTool[] = [workerBundle, siteBuild, tsc, prettier, eslint, packageTests, siteLinks];

export const TOOLS: readonly Tool[] = [...PYTHON_TOOLS, ...NODE_TOOLS];

export { STACK_CHECKS } from "./stack-checks.js";
export type { DevelopmentTool, ImageTool, NodeRole, NodeTool, PythonTool, StackCheck, Tool } from "./types.js";
