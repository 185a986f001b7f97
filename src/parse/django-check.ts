import { describeSeverities, findingsResult, makeFinding } from "./findings.js";
import { systemCheckFindings } from "./django-system-check.js";
import { tracebackFinding } from "./python-traceback.js";
import { boundedBlock, oneLine, toLines } from "../model/text.js";
import type { Finding } from "../model/report.js";
import type { ParseContext, Parser } from "./types.js";

/** django.sh's last word on a failed set-up in the backend image (src/programs/django.sh). */
const DIAGNOSIS = /^predeploy: diagnosis: (\S.*)$/;

/** The last diagnosis line django.sh printed, or null. */
export function djangoDiagnosis(stderr: string): string | null {
  let found: string | null = null;
  for (const line of toLines(stderr)) {
    const match = DIAGNOSIS.exec(line.trim());
    if (match?.[1] !== undefined) found = oneLine(match[1]);
  }
  return found;
}

/** The crash, explained: its traceback's place and exception, followed by the diagnosis; or the diagnosis alone. */
function diagnosedFinding(crash: Finding | null, diagnosis: string, context: ParseContext): Finding {
  if (crash === null) return makeFinding({ rule: "django-setup", message: diagnosis }, context);
  return { ...crash, message: boundedBlock([crash.message.split("\n")[0] ?? "", diagnosis]) };
}

/**
 * `python apps/web/manage.py check`: the system-check report on stderr (ERRORS:/WARNINGS:
 * blocks), or a traceback when the project does not even import (ImproperlyConfigured,
 * ImportError in settings). In the backend image, django.sh explains a failed set-up in its
 * last line (which Python, how the image starts, what to change): that is the summary.
 */
export const parseDjangoCheck: Parser = (output, context) => {
  const lines = [...toLines(output.stderr), ...toLines(output.stdout)];
  const findings = systemCheckFindings(lines, context);
  if (findings.length === 0 && output.exitCode !== 0) {
    const crash = tracebackFinding(lines, context);
    const diagnosis = djangoDiagnosis(output.stderr);
    if (diagnosis !== null) return findingsResult(output, context, [diagnosedFinding(crash, diagnosis, context)], diagnosis);
    if (crash) return findingsResult(output, context, [crash], crash.message.split("\n")[0]);
  }
  return findingsResult(output, context, findings, describeSeverities(findings));
};
