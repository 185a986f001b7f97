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

interface Site {
  forms?: string[];
  routes?: string[];
  /** Files of the package besides the pages (path → contents), e.g. dist/_redirects, functions/…. */
  files?: Record<string, string>;
  /** Paths linkinator reported broken, linked from the home page. */
  broken?: string[];
}

function findings({ forms = [], routes = [], files = {}, broken = [] }: Site): { rule: string; message: string; line: number }[] {
  const dir = mkdtempSync(join(tmpdir(), "predeploy-links-"));
  try {
    for (const name of ["site-links.mjs", "site-pages.mjs"]) cpSync(join(PROGRAMS, name), join(dir, name));
    mkdirSync(join(dir, "dist/thanks"), { recursive: true });
    writeFileSync(join(dir, "dist/thanks/index.html"), "<p>Thanks</p>\n");
    const links = broken.map((path) => `<a href="${path}">more</a>`);
    writeFileSync(join(dir, "dist/index.html"), `<!doctype html>\n${[...forms.map((action) => `<form method="post" action="${action}"></form>`), ...links].join("\n")}\n`);
    for (const [file, contents] of Object.entries(files)) {
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), contents);
    }
    const report = { links: broken.map((path) => ({ url: `dist${path}`, parent: "dist", state: "BROKEN", status: 404 })) };
    writeFileSync(join(dir, "links.json"), JSON.stringify(report));
    const run = spawnSync("node", ["site-links.mjs", "dist", "links.json", JSON.stringify(routes)], { cwd: dir, encoding: "utf8" });
    const lines = run.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { finding?: { rule: string; message: string; line: number }; pages?: number });
    assert.ok(lines.at(-1)?.pages !== undefined, `the program ended without its totals (exit ${run.status}): ${run.stderr}`);
    const found = lines.flatMap((line) => (line.finding ? [line.finding] : []));
    assert.equal(run.status, found.length > 0 ? 1 : 0);
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a form action on the workers' domain must be a declared route; a page of the output passes", () => {
  const found = findings({
    forms: ["https://intake.example.com/submit/a", "https://forms.example.com/submit/a", "/thanks/", "/api/contact", "/api/contakt", "/missing/"],
    routes: ["intake.example.com/*", "example.com/api/contact*"],
  });
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
  assert.deepEqual(findings({ forms: ["https://formspree.io/f/abcd", "https://example.org/form"], routes: ["intake.example.com/*"] }), []);
});

test("a worker on workers.dev answers for its own name only", () => {
  const found = findings({ forms: ["https://intake.acme.workers.dev/form", "https://mailer.acme.workers.dev/form"], routes: ["intake.*.workers.dev/*"] });
  assert.deepEqual(
    found.map((f) => f.line),
    [3],
  );
});

test("paths the host answers without a file are not broken: _redirects rules and Pages Functions", () => {
  const site: Site = {
    forms: ["/api/contact", "/api/orders/42", "/api/contakt"],
    broken: ["/blog/2024/hello", "/go/shop", "/old-page"],
    files: {
      "dist/_redirects": "# moved\n/blog/* /posts/:splat 301\n/go/:name https://example.org/:name 302\n",
      "functions/api/contact.ts": "export const onRequestPost = () => new Response(null, { status: 303 });\n",
      "functions/api/orders/[id].ts": "export const onRequestPost = () => new Response(null);\n",
      "functions/_middleware.ts": "export const onRequest = (context) => context.next();\n",
    },
  };
  assert.deepEqual(
    findings(site).map((f) => [f.line, f.rule]),
    [
      [7, "missing-page"],
      [4, "unknown-form-action"],
    ],
  );
});

test("a site built for a sub-path links under its base: such links resolve to the output without it", () => {
  const site: Site = { forms: ["/docs/thanks/"], broken: ["/docs/thanks/", "/docs/missing/"], files: { "vite.config.js": 'export default { base: "/docs/" };\n' } };
  assert.deepEqual(
    findings(site).map((f) => [f.line, f.rule]),
    [[4, "missing-page"]],
  );
});
