import { OUTPUT_DIR } from "../model/contracts.js";
import { packageDirFromWorkdir } from "../project/node-commands.js";
import { shellQuote } from "../project/shell-quote.js";
import { program } from "../programs/index.js";
import { siteBuild, siteBuildScript } from "./node-tools.js";
import type { Layer } from "../model/spec.js";
import { adoptedBy, type NodeTool } from "./types.js";

/** linkinator, a maintained link checker; pinned so a release never changes a verdict. */
export const LINKINATOR_VERSION = "8.1.0";
const HELPER = "/opt/predeploy/site-links.mjs";
/** The module both site programs (site-links.mjs, pages-probe.mjs) import, written beside them. */
export const SITE_PAGES_LAYER: Layer = { kind: "file", path: "/opt/predeploy/site-pages.mjs", contents: program("site-pages.mjs") };
const REPORT = `${OUTPUT_DIR}/links.json`;
// linkinator serves the folder on 127.0.0.1 itself; everything else (other hosts, external links) is skipped, never fetched.
const ONLY_LOCAL = "^(?!http://127\\.0\\.0\\.1[:/])";

/**
 * Every built page's links, offline: the site is built in this check's own container, linkinator
 * crawls the output folder through its own local server, and src/programs/site-links.mjs pins each
 * broken link to its page and line and checks the form actions (which linkinator does not follow)
 * against the output and the workers' declared routes.
 */
export const siteLinks: NodeTool = {
  ecosystem: "node",
  program: "linkinator",
  packages: ["site"],
  role: "link-checker",
  check: (name) => ({ id: `verify.site-links.${name}`, stage: "verify", title: `${name} site links` }),
  proves:
    "offline, after the site's build: every internal link and asset of every built page (linkinator over the output folder; external links are not fetched) is in the build output or a path the host answers without a file (a `_redirects` rule, a Cloudflare Pages Function under the site's `functions/`; for a site built for a sub-path, vite's or Astro's `base`, the output without it), and every form action is one of those or a route a worker's wrangler configuration declares (`route`/`routes` patterns, a custom domain's every path, `<name>.*.workers.dev` while `workers_dev` is on; a relative action, a route on a path of a host such as `example.com/api/*`; an action on another domain, a form service, is external and not judged); each broken target with its page, line and column",
  parser: "site-links",
  adoption: (pkg) => adoptedBy(`it is a built site: its build script ${pkg.scripts.build ?? ""}`),
  command: (pkg, siteOutput, workerRoutes) => {
    const check = [
      `cd ${shellQuote([packageDirFromWorkdir(pkg)])}`,
      `{ linkinator ${shellQuote([siteOutput, "--recurse", "--format", "json", "--skip", ONLY_LOCAL])} > ${REPORT}; node ${shellQuote([HELPER, siteOutput, REPORT, JSON.stringify(workerRoutes)])}; }`,
    ].join(" && ");
    return ["sh", "-c", `${siteBuildScript(pkg, siteOutput).script} && ${check}`];
  },
  dependsOn: (name, role) => [siteBuild.check(name, role).id],
  layers: () => [
    { kind: "exec", args: ["npm", "install", "--global", "--no-audit", "--no-fund", `linkinator@${LINKINATOR_VERSION}`] },
    SITE_PAGES_LAYER,
    { kind: "file", path: HELPER, contents: program("site-links.mjs") },
  ],
  caches: [],
};
