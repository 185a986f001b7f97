import { describeSeverities, findingsResult } from "./findings.js";
import { systemCheckFindings } from "./django-system-check.js";
import { tracebackFinding } from "./python-traceback.js";
import { toLines } from "../model/text.js";
import type { Parser } from "./types.js";

/**
 * `python apps/web/manage.py check`: the system-check report on stderr (ERRORS:/WARNINGS:
 * blocks), or a traceback when the project does not even import (ImproperlyConfigured,
 * ImportError in settings).
 */
export const parseDjangoCheck: Parser = (output, context) => {
  const lines = [...toLines(output.stderr), ...toLines(output.stdout)];
  const findings = systemCheckFindings(lines, context);
  if (findings.length === 0 && output.exitCode !== 0) {
    const crash = tracebackFinding(lines, context);
    if (crash) return findingsResult(output, context, [crash], crash.message.split("\n")[0]);
  }
  return findingsResult(output, context, findings, describeSeverities(findings));
};
