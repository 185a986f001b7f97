import type { ColorSupportLevel } from "chalk";

export type Environment = Readonly<Record<string, string | undefined>>;

/** FORCE_COLOR as chalk reads it: "", "1", "true" → 1; "2" → 2; "3" → 3; "0", "false" → 0. */
function forcedLevel(value: string): ColorSupportLevel {
  if (value === "" || value === "true") return 1;
  if (value === "false") return 0;
  const level = Number.parseInt(value, 10);
  if (Number.isNaN(level)) return 1;
  return level <= 0 ? 0 : level === 1 ? 1 : level === 2 ? 2 : 3;
}

/**
 * The colour level for text output. NO_COLOR (present and not empty, per no-color.org)
 * always wins: a user's opt-out beats a CI's FORCE_COLOR. Otherwise FORCE_COLOR decides,
 * also for pipes; without it, only a TTY gets colour, as deep as TERM/COLORTERM say.
 */
export function colourLevel(env: Environment, isTTY: boolean): ColorSupportLevel {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  if (env.FORCE_COLOR !== undefined) return forcedLevel(env.FORCE_COLOR);
  if (!isTTY || env.TERM === "dumb") return 0;
  if (env.COLORTERM === "truecolor" || env.COLORTERM === "24bit") return 3;
  if (env.TERM !== undefined && env.TERM.includes("256")) return 2;
  return 1;
}
