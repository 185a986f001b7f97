import { z } from "zod";
import { fallbackFinding, makeFinding } from "./findings.js";
import { jsonLines } from "./json.js";
import { oneLine, toLines } from "../model/text.js";
import type { Parser } from "./types.js";

const ProbeResult = z.object({
  ok: z.boolean(),
  summary: z.string(),
  failures: z.array(z.object({ step: z.string(), message: z.string() })),
  /** Against a deployed environment: nothing answered within the settle time, so the probe could not judge. */
  unreachable: z.boolean().optional(),
});

/**
 * The verify stage's probe script: it prints JSON lines, the last of them
 * `{"ok", "summary", "failures": [{"step", "message"}]}`. Each failure becomes a finding
 * (rule = step); `"unreachable": true` (a deployed host that never answered) makes it an error, not a
 * failure. Without that line the check failed, with the output's tail as the message.
 */
export const parseHttpProbe: Parser = (output, context) => {
  const results = jsonLines(toLines(output.stdout)).flatMap((value) => {
    const parsed = ProbeResult.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
  const result = results[results.length - 1];
  if (!result) {
    const finding = fallbackFinding(output, context);
    return { status: "failed", summary: `no probe result: ${finding.message}`, findings: [finding], counts: null };
  }
  const findings = result.failures.map((failure) => makeFinding({ rule: failure.step, message: failure.message }, context));
  const failed = !result.ok || output.exitCode !== 0 || findings.length > 0;
  if (failed && findings.length === 0) findings.push(fallbackFinding(output, context));
  const summary = oneLine(result.summary) || (failed ? "probe failed" : "probe passed");
  const status = !failed ? "passed" : result.unreachable === true ? "error" : "failed";
  return { status, summary, findings, counts: null };
};
