// predeploy: a worker's bindings for `wrangler dev`, written to .dev.vars when its service starts.
//
//   node dev-vars.mjs FILE NAME...
//
// Writes each NAME from the environment to FILE in the dotenv form every wrangler reads
// (2, 3 and 4: `.dev.vars` beside the configuration overrides its `[vars]`), readable by
// the owner only. Secrets reach this process as environment variables and are written
// only here, at run time: never into a layer or the image.
import { writeFileSync } from "node:fs";

const [file, ...names] = process.argv.slice(2);
if (file === undefined || names.length === 0) {
  console.error("usage: node dev-vars.mjs FILE NAME...");
  process.exit(2);
}

/** dotenv's quotes: single quotes are literal; double quotes expand \n; backticks are literal. */
function quoted(name, value) {
  if (!value.includes("'") && !value.includes("\n")) return `'${value}'`;
  if (!value.includes('"')) return `"${value.replaceAll("\n", "\\n")}"`;
  if (!value.includes("`")) return `\`${value}\``;
  console.error(`predeploy: the value of ${name} holds every kind of quote; .dev.vars cannot carry it`);
  process.exit(2);
}

const lines = [];
for (const name of names) {
  const value = process.env[name];
  if (value === undefined) {
    console.error(`predeploy: binding ${name} has no value in the service's environment`);
    process.exit(2);
  }
  lines.push(`${name}=${quoted(name, value)}`);
}
writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
console.error(`predeploy: ${file}: ${names.join(", ")}`);
