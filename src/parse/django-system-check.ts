import type { Finding, Severity } from "../model/report.js";
import { makeFinding } from "./findings.js";
import type { ParseContext } from "./types.js";

const SECTIONS: Record<string, Severity> = {
  CRITICALS: "error",
  ERRORS: "error",
  WARNINGS: "warning",
  INFOS: "info",
  DEBUGS: "info",
};
const SECTION = /^(CRITICALS|ERRORS|WARNINGS|INFOS|DEBUGS):\s*$/;
// `<label>: (<check id>) <message>`; the label is "?" for messages not tied to an object.
const MESSAGE = /^(\S(?:.*?\S)?): \(([^()\s]+)\) (.*)$/;
const HINT = /^\s+HINT: (.*)$/;
const END = /^System check identified \d+ issues?|^System check identified some issues:/;

/**
 * Findings from Django's system-check report (`manage.py check`, and the same block that other
 * management commands print before failing): one per message, rule = the check id, severity by
 * the section it is listed under, message = "label: message (hint: …)".
 */
export function systemCheckFindings(lines: string[], context: ParseContext): Finding[] {
  const found: { label: string; id: string; severity: Severity; message: string[]; hint: string[] }[] = [];
  let severity: Severity | null = null;
  for (const line of lines) {
    const section = SECTION.exec(line);
    if (section) {
      severity = SECTIONS[section[1] ?? ""] ?? null;
      continue;
    }
    if (severity === null) continue;
    if (END.test(line)) {
      severity = null;
      continue;
    }
    const message = MESSAGE.exec(line);
    if (message) {
      found.push({ label: message[1] ?? "?", id: message[2] ?? "", severity, message: [message[3] ?? ""], hint: [] });
      continue;
    }
    const current = found[found.length - 1];
    if (!current || line.trim() === "") continue;
    const hint = HINT.exec(line);
    if (hint) current.hint.push(hint[1] ?? "");
    else if (current.hint.length > 0) current.hint.push(line.trim());
    else current.message.push(line.trim());
  }
  return found.map((entry) => {
    const text = entry.message.join(" ");
    const hint = entry.hint.length > 0 ? ` (hint: ${entry.hint.join(" ")})` : "";
    return makeFinding(
      {
        rule: entry.id,
        severity: entry.severity,
        message: `${entry.label === "?" ? "" : `${entry.label}: `}${text}${hint}`,
      },
      context,
    );
  });
}
