/**
 * src/programs/site-links.mjs run by itself (as the link check runs it after linkinator) on a
 * build output of forms: which form actions it judges, and which it leaves to others.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";

const PROGRAMS = resolve(import.meta.dirname, "../../src/programs");

function findings(forms: string[], routes: string[]): { rule: string; message: string; line: number }[] {
  const dir = mkdtempSync(join(tmpdir(), "predeploy-links-"));
  try {
    for (const name of ["site-links.mjs", "site-pages.mjs"]) cpSync(join(PROGRAMS, name), join(dir, name));
    mkdirSync(join(dir, "dist/thanks"), { recursive: true });
    writeFileSync(join(dir, "dist/thanks/index.html"), "<p>Thanks</p>\n");
    writeFileSync(join(dir, "dist/index.html"), `<!doctype html>\n${forms.map((action) => `<form method="post" action="${action}"></form>`).join("\n")}\n`);
    writeFileSync(join(dir, "links.json"), JSON.stringify({ links: [] }));
    const run = spawnSync("node", ["site-links.mjs", "dist", "links.json", JSON.stringify(routes)], { cwd: dir, encoding: "utf8" });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    return run.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { finding?: { rule: string; message: string; line: number } })
      .flatMap((line) => (line.finding ? [line.finding] : []));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a form action on the workers' domain must be a declared route; a page of the output passes", () => {
  const found = findings(
    ["https://intake.example.com/submit/a", "https://forms.example.com/submit/a", "/thanks/", "/api/contact", "/api/contakt", "/missing/"],
    ["intake.example.com/*", "example.com/api/contact*"],
  );
  assert.deepEqual(
    found.map((f) => [f.line, f.rule]),
    [
      [3, "unknown-form-action"],
      [6, "unknown-form-action"],
      [7, "unknown-form-action"],
    ],
  );
  assert.match(found[0]?.message ?? "", /https:\/\/forms\.example\.com\/submit\/a/);
});

test("an action on another domain (a form service) is external: neither fetched nor judged", () => {
  assert.deepEqual(findings(["https://formspree.io/f/abcd", "https://example.org/form"], ["intake.example.com/*"]), []);
});

test("a worker on workers.dev answers for its own name only", () => {
  const found = findings(["https://intake.acme.workers.dev/form", "https://mailer.acme.workers.dev/form"], ["intake.*.workers.dev/*"]);
  assert.deepEqual(
    found.map((f) => f.line),
    [3],
  );
});
