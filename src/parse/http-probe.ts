import { z } from "zod";
import { fallbackFinding, makeFinding } from "./findings.js";
import { jsonLines } from "./json.js";
import { oneLine, toLines } from "../model/text.js";
import type { Parser } from "./types.js";

const ProbeResult = z.object({
  ok: z.boolean(),
  summary: z.string(),
  failures: z.array(z.object({ step: z.string(), message: z.string() })),
});

/**
 * The verify stage's probe script: it prints JSON lines, the last of them
 * `{"ok", "summary", "failures": [{"step", "message"}]}`. Each failure becomes a finding
 * (rule = step). Without that line the check failed, with the output's tail as the message.
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
  return { status: failed ? "failed" : "passed", summary, findings, counts: null };
};
