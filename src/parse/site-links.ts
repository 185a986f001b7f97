import { z } from "zod";
import { describeFindings, findingsResult, makeFinding } from "./findings.js";
import { jsonLines } from "./json.js";
import { plural, toLines } from "../model/text.js";
import { parseSiteBuild } from "./site-build.js";
import type { Parser } from "./types.js";

const Finding = z.object({
  finding: z.object({ page: z.string(), line: z.number().nullable(), column: z.number().nullable(), rule: z.string(), message: z.string() }),
});
const Totals = z.object({ pages: z.number(), links: z.number() });

/**
 * A site's links (src/programs/site-links.mjs over linkinator's report, after the site's build):
 * one finding per broken link, missing asset or form action no worker route takes, at its page,
 * line and column. Without the helper's totals line the build itself failed in this container, and
 * the site-build parser reads it.
 */
export const parseSiteLinks: Parser = (output, context) => {
  const values = jsonLines(toLines(output.stdout));
  const totals = values.flatMap((value) => {
    const parsed = Totals.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  })[0];
  if (totals === undefined) return parseSiteBuild(output, context);
  const findings = values.flatMap((value) => {
    const parsed = Finding.safeParse(value);
    if (!parsed.success) return [];
    const { page, line, column, rule, message } = parsed.data.finding;
    return [makeFinding({ file: page, line, column, rule, message }, context)];
  });
  const checked = `${plural(totals.links, "link")} on ${plural(totals.pages, "page")}`;
  return findingsResult(output, context, findings, findings.length === 0 ? `${checked}, all in the build output or a worker's route` : `${describeFindings(findings)} (${checked})`);
};
