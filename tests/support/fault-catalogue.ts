import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Finding } from "../../src/model/report.js";

/** The example repositories and their fault catalogues (one folder per fault, same format). */
export const EXAMPLES = {
  stack: { dir: path.resolve(import.meta.dirname, "../../examples/stack"), faults: path.resolve(import.meta.dirname, "../faults") },
  agency: { dir: path.resolve(import.meta.dirname, "../../examples/agency"), faults: path.resolve(import.meta.dirname, "../faults-agency") },
  classic: { dir: path.resolve(import.meta.dirname, "../../examples/classic"), faults: path.resolve(import.meta.dirname, "../faults-classic") },
  compose: { dir: path.resolve(import.meta.dirname, "../../examples/compose"), faults: path.resolve(import.meta.dirname, "../faults-compose") },
} as const;
/** Every example: what the bench measures. */
export type ExampleName = keyof typeof EXAMPLES;

/**
 * Fixture projects of one shape each (tests/fixtures/projects/), with catalogues of their own:
 * their faults run, and their checks are captured for the parsers, as the examples' are.
 */
export const PROJECTS = {
  "pyright-notes": { dir: path.resolve(import.meta.dirname, "../fixtures/projects/pyright-notes"), faults: path.resolve(import.meta.dirname, "../faults-pyright-notes") },
  "lint-site": { dir: path.resolve(import.meta.dirname, "../fixtures/projects/lint-site"), faults: path.resolve(import.meta.dirname, "../faults-lint-site") },
  "jest-shop": { dir: path.resolve(import.meta.dirname, "../fixtures/projects/jest-shop"), faults: path.resolve(import.meta.dirname, "../faults-jest-shop") },
} as const;

export const CATALOGUES = { ...EXAMPLES, ...PROJECTS };
/** What `freshExampleCopy` copies, the fault suite runs and `npm run capture` records. */
export type CatalogueName = keyof typeof CATALOGUES;

export const FAULTS_DIR = EXAMPLES.stack.faults;

/** tests/faults(-agency, -classic, -compose)/<slug>/fault.json: null fields of `finding` are not asserted. */
export const Fault = z
  .object({
    title: z.string(),
    failingChecks: z.array(z.string()).min(1),
    finding: z
      .object({
        check: z.string(),
        file: z.string().nullable(),
        line: z.number().int().positive().nullable(),
        rule: z.string().nullable(),
        messageIncludes: z.string().nullable().describe("Text the finding's message or rule contains"),
      })
      .strict(),
    /** A service log the failing check must carry (a verify check's services: worker, backend, neon, db). */
    serviceLog: z.object({ service: z.string(), includes: z.string() }).strict().optional(),
  })
  .strict();
export type Fault = z.infer<typeof Fault>;

export function loadFaults(example: CatalogueName = "stack"): { slug: string; fault: Fault; dir: string }[] {
  const faults = CATALOGUES[example].faults;
  return readdirSync(faults)
    .filter((slug) => existsSync(path.join(faults, slug, "fault.json")))
    .sort()
    .map((slug) => ({ slug, dir: path.join(faults, slug), fault: Fault.parse(JSON.parse(readFileSync(path.join(faults, slug, "fault.json"), "utf8"))) }));
}

export function findingMatches(expected: Fault["finding"], finding: Finding): boolean {
  return (
    (expected.file === null || finding.file === expected.file) &&
    (expected.line === null || finding.line === expected.line) &&
    (expected.rule === null || finding.rule === expected.rule) &&
    (expected.messageIncludes === null || finding.message.includes(expected.messageIncludes) || (finding.rule ?? "").includes(expected.messageIncludes))
  );
}
