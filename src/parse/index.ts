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
import { parseSiteLinks } from "./site-links.js";
import { parseTsc } from "./tsc.js";
import type { ParseContext, ParseResult, Parser, ToolOutput } from "./types.js";
import { parseWorkerBundle } from "./worker-bundle.js";
/** Every parser a CheckSpec can name, by its id: adding a parser is one line here. */
export const parsers = {
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
  "site-links": parseSiteLinks,
} satisfies Record<string, Parser>;

/** The id of a registered parser: what a registry entry names. */
export type ParserId = keyof typeof parsers;

export function isParserId(id: string): id is ParserId {
  return Object.hasOwn(parsers, id);
}

/** Reads a check's output with the parser its spec names; throws for an id no parser has. */
export function parseOutput(id: string, output: ToolOutput, context: ParseContext): ParseResult {
  if (!isParserId(id)) throw new Error(`no parser is registered as "${id}"`);
  return parsers[id](output, context);
}
