/** Writes schema/report.schema.json from the zod report schema. Run: npx tsx scripts/gen-schema.ts */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { reportJsonSchema } from "../src/report/json-schema.js";

export const SCHEMA_FILE = fileURLToPath(new URL("../schema/report.schema.json", import.meta.url));

export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, reportJsonSchemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
