/**
 * The unit tier in one process (`npm run test:unit`): every tests/unit/*.test.ts imported here,
 * so node:test starts Node and tsx once instead of once per file (most of the tier's time on
 * two cores). Unit tests are pure — no process, no clock, no Docker — so nothing they share
 * leaks between files; what spawns programs, waits on time or runs the SDK's introspector is
 * in tests/integration.
 */
import { readdirSync } from "node:fs";

const dir = new URL("./unit/", import.meta.url);
for (const file of readdirSync(dir).filter((name) => name.endsWith(".test.ts")).sort()) await import(new URL(file, dir).href);
