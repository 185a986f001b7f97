#!/bin/sh
# A file that does not parse, and an empty catch the project's ESLint config only warns about:
# prettier cannot format the first; ESLint reports the parse error and the warning.
set -eu
printf 'export function total(items) {\n  let sum = 0;\n  if (items.ok {\n    sum = 1;\n  }\n  return sum;\n}\n' > sites/www/src/broken.js
printf 'export function parse(text) {\n  try {\n    return JSON.parse(text);\n  } catch {}\n  return null;\n}\n' > sites/www/src/parse.js
sed -i 's/^    languageOptions: { globals: { ...globals.browser, ...globals.node } },$/&\n    rules: { "no-empty": "warn" },/' sites/www/eslint.config.js
grep -q '"no-empty": "warn"' sites/www/eslint.config.js
