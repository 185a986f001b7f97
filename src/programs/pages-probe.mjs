// predeploy smoke: every page a site's build produced, fetched from the deployed site.
// Usage: node pages-probe.mjs <build output dir> '{"base": "https://…", "settleSeconds": 60}'
// Prints JSON lines; the last is the verdict the http-probe parser reads:
// {"ok", "summary", "failures": [{"step", "message"}], "unreachable"?}.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { htmlPages, pagePath } from "./site-pages.mjs";

const MAX_PAGES = 200;
const AT_ONCE = 6;
// Error pages are served with their error status wherever they are asked for.
const ERROR_PAGES = new Set(["404.html", "500.html"]);

const emit = (fields) => process.stdout.write(`${JSON.stringify(fields)}\n`);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function titleOf(html) {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return match ? match[1].trim() : "";
}

/** Unreachable hosts and 5xx answers are asked again until the settle time has passed. */
async function fetchSettled(url, deadline) {
  for (;;) {
    try {
      const response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(15_000) });
      const body = await response.text();
      if (response.status < 500 || Date.now() >= deadline) return { status: response.status, body };
    } catch (error) {
      if (Date.now() >= deadline) return { unreachable: `${error.cause?.code ?? error.cause?.message ?? error.message}` };
    }
    await sleep(1000);
  }
}

async function probePage(spec, outDir, file, deadline) {
  // Under the base URL's own path, if it has one (a site deployed at https://example.org/docs/).
  const url = new URL(pagePath(file).slice(1), spec.base.endsWith("/") ? spec.base : `${spec.base}/`).href;
  const answer = await fetchSettled(url, deadline);
  if (answer.unreachable !== undefined) return { unreachable: true, step: "connect", message: `GET ${url}: unreachable for ${spec.settleSeconds}s (${answer.unreachable})` };
  emit({ step: "page", url, status: answer.status });
  if (answer.status !== 200) return { step: "page", message: `GET ${url} (${file} of the build) answered ${answer.status}: ${answer.body.slice(0, 200)}` };
  const built = titleOf(await readFile(join(outDir, file), "utf8"));
  if (built !== "" && titleOf(answer.body) !== built) {
    return { step: "content", message: `GET ${url} answered 200 with the title ${JSON.stringify(titleOf(answer.body))}, not the build's ${JSON.stringify(built)} (${file}): an older deploy, or another site` };
  }
  return null;
}

async function main([outDir, specText]) {
  const spec = JSON.parse(specText);
  const files = htmlPages(outDir).filter((file) => !ERROR_PAGES.has(file.split("/").at(-1) ?? ""));
  if (files.length === 0) {
    emit({ ok: false, summary: "the build produced no HTML page", failures: [{ step: "build", message: `no .html file in ${outDir}` }] });
    return 1;
  }
  const pages = files.slice(0, MAX_PAGES);
  const deadline = Date.now() + spec.settleSeconds * 1000;
  const problems = [];
  for (let start = 0; start < pages.length; start += AT_ONCE) {
    const batch = await Promise.all(pages.slice(start, start + AT_ONCE).map((file) => probePage(spec, outDir, file, deadline)));
    problems.push(...batch.filter((problem) => problem !== null));
  }
  const cut = files.length > pages.length ? ` (the first ${pages.length} of ${files.length})` : "";
  const failures = problems.map(({ step, message }) => ({ step, message }));
  const unreachable = problems.length > 0 && problems.every((problem) => problem.unreachable === true);
  const summary = failures.length === 0 ? `${pages.length} page(s)${cut} answered 200 with the build's content` : `${failures.length} of ${pages.length} page(s)${cut} ${unreachable ? "unreachable" : "wrong"}`;
  emit({ ok: failures.length === 0, summary, failures, ...(unreachable ? { unreachable: true } : {}) });
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
