import type { OpeningHours } from "./types.ts";

/** "+15125550142" → "(512) 555-0142"; numbers outside the US/Canada plan are returned as given. */
export function formatPhone(e164: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164.replace(/[\s().-]/g, ""));
  if (!match) return e164;
  const [, area, exchange, line] = match;
  return `(${area}) ${exchange}-${line}`;
}

/** A tel: link that works on every phone: only "+" and digits. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}

/** "07:00" → "7 am", "15:30" → "3:30 pm". */
export function formatTime(hhmm: string): string {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new RangeError(`not a 24-hour time: ${hhmm}`);
  const hours = Number(match[1]);
  const minutes = match[2];
  const suffix = hours < 12 ? "am" : "pm";
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return minutes === "00" ? `${hour12} ${suffix}` : `${hour12}:${minutes} ${suffix}`;
}

/** One line per entry: "Mon–Fri: 7 am – 3 pm", "Sun: closed". */
export function formatHours(hours: readonly OpeningHours[]): string[] {
  return hours.map(({ days, opens, closes }) =>
    opens && closes ? `${days}: ${formatTime(opens)} – ${formatTime(closes)}` : `${days}: closed`,
  );
}

/** "from $120", or nothing when no price is shown. */
export function formatFromPrice(dollars: number | undefined): string {
  if (dollars === undefined) return "";
  return `from ${new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(dollars)}`;
}
