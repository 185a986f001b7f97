import { parseBlack } from "./black.js";
import { parseDjangoCheck } from "./django-check.js";
import { parseDjangoTest } from "./django-test.js";
import { parseEslint } from "./eslint.js";
import { parseExitCode } from "./exit-code.js";
import { parseFlake8 } from "./flake8.js";
import { parseHttpProbe } from "./http-probe.js";
import { parseIsort } from "./isort.js";
import { parseMakemigrations } from "./makemigrations.js";
import { parseMypy } from "./mypy.js";
import { parseNodeTest } from "./node-test.js";
import { parsePrettier } from "./prettier.js";
import { parsePyright } from "./pyright.js";
import { parsePytestJunit } from "./pytest-junit.js";
import { parseRuffCheck } from "./ruff-check.js";
import { parseRuffFormat } from "./ruff-format.js";
import { parseSiteBuild } from "./site-build.js";
import { parseTsc } from "./tsc.js";
import type { ParseContext, ParseResult, Parser, ToolOutput } from "./types.js";
import { parseWorkerBundle } from "./worker-bundle.js";
import type { ParserId } from "../model/parser-ids.js";

export type { ParserId } from "../model/parser-ids.js";

/** Every parser a CheckSpec can name: one for each id of model/parser-ids.ts. */
export const parsers: Record<ParserId, Parser> = {
  "exit-code": parseExitCode,
  "ruff-check": parseRuffCheck,
  "ruff-format": parseRuffFormat,
  mypy: parseMypy,
  pyright: parsePyright,
  tsc: parseTsc,
  "pytest-junit": parsePytestJunit,
  "django-check": parseDjangoCheck,
  makemigrations: parseMakemigrations,
  "site-build": parseSiteBuild,
  "worker-bundle": parseWorkerBundle,
  "node-test": parseNodeTest,
  "http-probe": parseHttpProbe,
  black: parseBlack,
  flake8: parseFlake8,
  isort: parseIsort,
  "django-test": parseDjangoTest,
  prettier: parsePrettier,
  eslint: parseEslint,
};

/** Reads a check's output with the parser its spec names. */
export function parseOutput(id: ParserId, output: ToolOutput, context: ParseContext): ParseResult {
  return parsers[id](output, context);
}
