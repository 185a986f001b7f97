import { Chalk, type ColorSupportLevel } from "chalk";
import { z } from "zod";
import { redactSecrets } from "../model/redact.js";
import { renderAgent } from "./render-agent.js";
import { renderGithub } from "./render-github.js";
import { renderJson } from "./render-json.js";
import { renderJunit } from "./render-junit.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderSarif } from "./render-sarif.js";
import { renderText } from "./render-text.js";
import type { Report } from "../model/report.js";

export const Format = z.enum(["text", "json", "markdown", "junit", "github", "agent", "sarif"]);
export type Format = z.infer<typeof Format>;

export interface RenderOptions {
  /** Colour depth for `text` (see `colourLevel`); every other format is plain. */
  colourLevel: ColorSupportLevel;
  /**
   * Secret values to keep out of the output. Results are redacted when they are made;
   * this pass over the rendered text is a belt for anything that slipped through.
   */
  secretValues?: readonly string[];
}

/** Renders a validated report (see `buildReport`) in one format. */
export function renderReport(safe: Report, format: Format, options: RenderOptions): string {
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
      case "sarif":
        return renderSarif(safe);
    }
  })();
  return redactSecrets(rendered, options.secretValues ?? []);
}
