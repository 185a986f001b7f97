import assert from "node:assert/strict";
import { test } from "node:test";
import { planChecks } from "../../src/plan/index.js";
import { wranglerRoutes } from "../../src/tools/wrangler-routes.js";
import { agencyTree } from "../support/trees.js";

// Shaped like the wrangler files of public repositories whose sites post forms to a worker: a
// custom domain (examples/agency), path routes on the site's own zone, a workers.dev URL only.

test("a custom domain takes every path of its host; a route pattern is kept as written", () => {
  assert.deepEqual(wranglerRoutes('name = "intake"\nroutes = [{ pattern = "intake.example.com", custom_domain = true }]\n', "wrangler.toml"), ["intake.example.com/*"]);
  const zone = 'name = "comms"\nroutes = [\n  { pattern = "press.example/api/*", zone_name = "press.example" },\n  { pattern = "www.press.example/api/*", zone_name = "press.example" },\n]\n';
  assert.deepEqual(wranglerRoutes(zone, "wrangler.toml"), ["press.example/api/*", "www.press.example/api/*"]);
  assert.deepEqual(wranglerRoutes('name = "w"\nroute = "forms.example/submit*"\n[env.staging]\nroutes = ["staging.forms.example/*"]\n', "wrangler.toml"), ["forms.example/submit*", "staging.forms.example/*"]);
});

test("workers.dev counts while workers_dev is on: set, or by default when no route is declared", () => {
  assert.deepEqual(wranglerRoutes('name = "contact"\nmain = "src/index.ts"\n', "wrangler.toml"), ["contact.*.workers.dev/*"]);
  assert.deepEqual(wranglerRoutes('name = "contact"\nworkers_dev = false\n', "wrangler.toml"), []);
  assert.deepEqual(wranglerRoutes('name = "c"\nworkers_dev = true\nroutes = ["c.example/*"]\n', "wrangler.toml"), ["c.example/*", "c.*.workers.dev/*"]);
});

test("wrangler.jsonc: comments and trailing commas, never a // inside a string", () => {
  const jsonc = '{\n  // the intake\n  "name": "intake", /* deployed on */\n  "routes": [{ "pattern": "https://intake.example.com", "custom_domain": true },],\n}\n';
  assert.deepEqual(wranglerRoutes(jsonc, "wrangler.jsonc"), ["intake.example.com/*"]);
  assert.deepEqual(wranglerRoutes("{ not json", "wrangler.json"), [], "an invalid file is the worker bundle's to report");
});

test("every site's link check is given the workers' routes and waits for the site's build", async () => {
  const wrangler = 'name = "agency-intake"\nroutes = [{ pattern = "intake.fieldwork.studio", custom_domain = true }]\n';
  const { checks } = await planChecks(agencyTree({ "workers/intake/wrangler.toml": wrangler }), null);
  const links = checks.find((c) => c.id === "verify.site-links.rosemary-bakery");
  assert.ok(links);
  assert.deepEqual(links.dependsOn, ["build.site.rosemary-bakery"]);
  assert.match(links.command[2] ?? "", /^pnpm --dir sites\/rosemary-bakery run --silent build && .* && cd sites\/rosemary-bakery && \{ linkinator dist .*'\["intake\.fieldwork\.studio\/\*"\]'; \}$/);
  assert.deepEqual(links.tool, { program: "linkinator", ecosystem: "node", role: "link-checker" });
});
