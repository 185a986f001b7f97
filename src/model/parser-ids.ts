/**
 * The parsers a CheckSpec can name: the vocabulary the plan and the parsers share (src/parse/index.ts
 * has one parser for each, which the type checker holds it to).
 */
export const PARSER_IDS = [
  "exit-code",
  "ruff-check",
  "ruff-format",
  "mypy",
  "pyright",
  "tsc",
  "pytest-junit",
  "django-check",
  "makemigrations",
  "site-build",
  "worker-bundle",
  "node-test",
  "http-probe",
  "black",
  "flake8",
  "isort",
  "django-test",
  "prettier",
  "eslint",
] as const;

export type ParserId = (typeof PARSER_IDS)[number];
