// predeploy: pins linkinator's broken links to their page, line and column, and checks the pages'
// form actions, which linkinator does not follow.
// Usage (in the site's directory): node site-links.mjs <output dir> <linkinator JSON report> '<route patterns JSON>'
// Prints JSON lines: {"finding": {page, line, column, rule, message}} each, then {"pages", "links"}.
// Exits 1 when there is a finding, 2 when linkinator left no report.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import { htmlPages, pagePath } from "./site-pages.mjs";

const [output = "dist", reportFile = "", routesJson = "[]"] = process.argv.slice(2);
const ORIGIN = "http://site.predeploy.invalid";
const root = posix.normalize(output.split(sep).join("/")).replace(/\/$/, "");
const routes = JSON.parse(routesJson).map((pattern) => ({ pattern, test: wildcard(pattern) }));

function escapeRegExp(text) {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

function wildcard(pattern) {
  return new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "i");
}

const emit = (fields) => process.stdout.write(`${JSON.stringify(fields)}\n`);
const lineAndColumn = (text, index) => {
  const before = text.slice(0, index).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
};

/** linkinator names a local URL by the served folder: `dist/about/` is `/about/`. */
function sitePath(url) {
  if (url === root) return "/";
  return url.startsWith(`${root}/`) ? url.slice(root.length) : null;
}

/** The file a host serves at a path: `/about/` → about/index.html, `/menu` → menu.html. */
function servedFile(path) {
  const clean = safeDecode(path.split(/[?#]/)[0] ?? "/").replace(/^\/+/, "");
  const candidates = clean === "" || clean.endsWith("/") ? [`${clean}index.html`] : [clean, `${clean}.html`, `${clean}/index.html`];
  return candidates.map((file) => join(output, file)).find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

function safeDecode(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const ATTRIBUTES = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const TAGS = /<([a-zA-Z][\w-]*)\b([^>]*)>/g;

/** Every URL-valued attribute of a page: tag, attribute, value and where its value starts. */
function urlAttributes(html) {
  const found = [];
  for (const tag of html.matchAll(TAGS)) {
    for (const attribute of (tag[2] ?? "").matchAll(ATTRIBUTES)) {
      const name = attribute[1]?.toLowerCase() ?? "";
      if (!["href", "src", "srcset", "poster", "data", "action"].includes(name)) continue;
      const raw = attribute[2] ?? attribute[3] ?? attribute[4] ?? "";
      const at = (tag.index ?? 0) + 1 + (tag[1]?.length ?? 0) + (attribute.index ?? 0) + attribute[0].length - raw.length - (attribute[4] === undefined ? 1 : 0);
      const values = name === "srcset" ? raw.split(",").map((candidate) => candidate.trim().split(/\s+/)[0] ?? "") : [raw];
      for (const value of values) found.push({ tag: tag[1].toLowerCase(), name, value: value.replace(/&amp;/g, "&"), at });
    }
  }
  return found;
}

const resolve = (value, base) => {
  try {
    return new URL(value, `${ORIGIN}${base}`);
  } catch {
    return null;
  }
};

const findings = [];

// Paths the host answers without a file of the output: the rules of a `_redirects` file in it
// (Cloudflare Pages and Netlify: `*` a splat, `:name` one segment) and Cloudflare Pages Functions,
// the site's functions/ directory (`api/contact.ts` → /api/contact, `[id]` one segment, `[[path]]` any).
const hostRoutes = [...redirectRules(), ...functionRoutes("functions")];

function redirectRules() {
  const file = join(output, "_redirects");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[0] ?? "")
    .filter((from) => from.startsWith("/"))
    .map((from) => new RegExp(`^${from.split("/").map((part) => (part.startsWith(":") ? "[^/]+" : part.split("*").map(escapeRegExp).join(".*"))).join("/")}/?$`));
}

function functionRoutes(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(js|mjs|ts|mts|jsx|tsx)$/.test(entry.name) && !entry.name.startsWith("_middleware."))
    .map((entry) => {
      const parts = relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/").replace(/\.\w+$/, "").split("/");
      if (parts.at(-1) === "index") parts.pop();
      const source = parts.map((part) => (/^\[\[.+\]\]$/.test(part) ? ".*" : /^\[.+\]$/.test(part) ? "[^/]+" : escapeRegExp(part))).join("/");
      return new RegExp(`^/${source}/?$`);
    });
}

// A site built for a sub-path (vite's or Astro's `base: "/docs/"`) links under it, while linkinator
// serves the output at the root: such a link resolves when the output holds it without the base.
const BASE = siteBase();

function siteBase() {
  for (const file of readdirSync(".").filter((name) => /^(vite|astro)\.config\.[cm]?[jt]s$/.test(name))) {
    const base = /\bbase\s*:\s*["'`](\/[^"'`$]*)["'`]/.exec(readFileSync(file, "utf8"))?.[1];
    if (base !== undefined && base !== "/") return base.replace(/\/?$/, "/");
  }
  return "/";
}

const underBase = (path) => BASE !== "/" && path.startsWith(BASE) && servedFile(path.slice(BASE.length - 1)) !== null;

const answeredByHost = (path) => hostRoutes.some((route) => route.test(safeDecode(path.split(/[?#]/)[0] ?? "/")));

// Broken links and assets, from linkinator's report.
let report;
try {
  report = JSON.parse(readFileSync(reportFile, "utf8"));
} catch {
  process.stderr.write(`predeploy: linkinator left no report at ${reportFile}\n`);
  process.exit(2);
}
const links = Array.isArray(report?.links) ? report.links : [];
for (const link of links.filter((l) => l.state === "BROKEN")) {
  const target = sitePath(String(link.url));
  if (target === null || answeredByHost(target) || underBase(target)) continue;
  const parentPath = link.parent === undefined ? null : sitePath(String(link.parent));
  const page = parentPath === null ? null : servedFile(parentPath);
  if (page === null) {
    findings.push({ page: output, line: null, column: null, rule: "missing-page", message: `${target} is not in the build output (${link.status})` });
    continue;
  }
  const html = readFileSync(page, "utf8");
  const wanted = resolve(target, "/")?.pathname;
  const places = urlAttributes(html).filter((a) => a.name !== "action" && resolve(a.value, parentPath)?.pathname === wanted);
  for (const place of places.length > 0 ? places : [null]) {
    const isPage = place === null || ((place.tag === "a" || place.tag === "area") && place.name === "href");
    const where = place === null ? { line: null, column: null } : lineAndColumn(html, place.at);
    const written = place?.value ?? target;
    findings.push({
      page,
      ...where,
      rule: isPage ? "missing-page" : "missing-asset",
      message: `${isPage ? "links to" : `<${place.tag} ${place.name}> loads`} ${written}, which is not in the build output`,
    });
  }
}

// Form actions: a file of the output, a path the host answers, or a route a worker declares.
const pages = htmlPages(output);
// A relative action posts to the site's own host: a route there is a path of a host (`example.com/api/*`);
// a custom domain or a whole host (`/*`) is a host of its own, never the site's.
const onSiteHost = routes.map(({ pattern }) => pattern.slice(pattern.indexOf("/"))).filter((path) => path !== "/*").map(wildcard);
const declared = (url, local) => (local ? onSiteHost.some((test) => test.test(url.pathname)) : routes.some(({ test }) => test.test(`${url.host}${url.pathname}`)));
// An absolute action is the workers' to answer only on a domain their routes are on (`intake.example.com`
// → example.com; workers.dev); another domain is an outside service (a form backend), not fetched, not judged.
const domainOf = (host) => (host.endsWith(".workers.dev") ? "workers.dev" : host.replace(/^[*.]+/, "").split(".").slice(-2).join(".").toLowerCase());
const ownDomains = new Set(routes.map(({ pattern }) => domainOf(pattern.split("/")[0] ?? "")));
for (const file of pages) {
  const page = join(output, file);
  const html = readFileSync(page, "utf8");
  for (const form of urlAttributes(html).filter((a) => a.tag === "form" && a.name === "action")) {
    const url = resolve(form.value.trim(), pagePath(file));
    if (form.value.trim() === "" || url === null || !["http:", "https:"].includes(url.protocol)) continue;
    const local = url.origin === ORIGIN;
    if (!local && !ownDomains.has(domainOf(url.hostname))) continue;
    if ((local && (servedFile(url.pathname) !== null || answeredByHost(url.pathname) || underBase(url.pathname))) || declared(url, local)) continue;
    const known = routes.length > 0 ? `the workers declare ${routes.map((r) => r.pattern).join(", ")}` : "no worker declares a route";
    findings.push({ page, ...lineAndColumn(html, form.at), rule: "unknown-form-action", message: `the form posts to ${form.value.trim()}, which is neither in the build output nor a worker's route (${known})` });
  }
}

if (pages.length === 0) findings.push({ page: output, line: null, column: null, rule: "no-pages", message: `no HTML page in ${output}: nothing to check` });
for (const finding of findings) emit({ finding });
emit({ pages: pages.length, links: links.length });
process.exit(findings.length > 0 ? 1 : 0);
