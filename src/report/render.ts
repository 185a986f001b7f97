import { Chalk, type ColorSupportLevel } from "chalk";
import { z } from "zod";
import { validateReport } from "./aggregate.js";
import { redactDeep, redactSecrets } from "../model/redact.js";
import { renderAgent } from "./render-agent.js";
import { renderGithub } from "./render-github.js";
import { renderJson } from "./render-json.js";
import { renderJunit } from "./render-junit.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderText } from "./render-text.js";
import type { Report } from "../model/report.js";

export const Format = z.enum(["text", "json", "markdown", "junit", "github", "agent"]);
export type Format = z.infer<typeof Format>;

export interface RenderOptions {
  /** Colour depth for `text` (see `colourLevel`); every other format is plain. */
  colourLevel: ColorSupportLevel;
  /**
   * Secret values to keep out of the output. Results are redacted when they are made;
   * this second pass covers anything that slipped through, before and after escaping.
   */
  secretValues?: readonly string[];
}

/** Renders a report in one format. Never throws: an invalid report renders as an error report. */
export function renderReport(report: Report, format: Format, options: RenderOptions): string {
  const secrets = options.secretValues ?? [];
  const safe = redactDeep(validateReport(report), secrets);
  const rendered = ((): string => {
    switch (format) {
      case "text":
        return renderText(safe, { chalk: new Chalk({ level: options.colourLevel }) });
      case "json":
        return renderJson(safe);
      case "markdown":
        return renderMarkdown(safe);
      case "junit":
        return renderJunit(safe);
      case "github":
        return renderGithub(safe);
      case "agent":
        return renderAgent(safe);
    }
  })();
  return redactSecrets(rendered, secrets);
}
