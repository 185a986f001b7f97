import { z } from "zod";
import { findingsResult, makeFinding } from "./findings.js";
import { printedJsonArray } from "./json.js";
import { ruffFailureFinding } from "./ruff-failure.js";
import type { Parser } from "./types.js";

const Position = z.object({ row: z.unknown(), column: z.unknown() }).partial();
const RuffDiagnostic = z.object({
  filename: z.string().nullish(),
  code: z.string().nullish(),
  name: z.string().nullish(),
  message: z.string(),
  location: Position.nullish(),
  url: z.string().nullish(),
  fix: z.object({ applicability: z.string().nullish() }).passthrough().nullish(),
});


/**
 * `ruff check --output-format=json .`: one finding per diagnostic (rule = code, 1-based
 * location as printed). Exit 2 means ruff itself failed (configuration): that message instead.
 */
export const parseRuffCheck: Parser = (output, context) => {
  const entries = printedJsonArray(output.stdout) ?? [];
  // `ruff check --fix` applies only fixes ruff itself calls safe.
  const fixable: boolean[] = [];
  const findings = entries.flatMap((entry) => {
    const parsed = RuffDiagnostic.safeParse(entry);
    if (!parsed.success) return [];
    const d = parsed.data;
    fixable.push(d.fix?.applicability === "safe");
    return [
      makeFinding(
        {
          file: d.filename ?? null,
          line: d.location?.row,
          column: d.location?.column,
          rule: d.code ?? d.name ?? null,
          message: d.message,
        },
        context,
      ),
    ];
  });
  if (findings.length === 0 && output.exitCode !== 0) {
    const failure = ruffFailureFinding(output, context);
    if (failure) return findingsResult(output, context, [failure], failure.message);
  }
  return { ...findingsResult(output, context, findings), fixable };
};
