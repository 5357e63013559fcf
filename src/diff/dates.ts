/**
 * Calendar dates as one figure each ("2 January 2026", "March 5, 2026", "15. November", "2026-03-05"),
 * so a date moved reads "2 January 2026 → 14 May 2026", never a day and a stray month.
 */
import { type DualPattern, dualPattern } from "../clauses/ascii.js";
import { MONTH_NAMES, MONTH_NUMBER } from "../clauses/months.js";
import type { Quantity } from "./quantities.js";

/** Day before the month ("2 January 2026", "15. November"), month before the day ("March 5, 2026"), ISO ("2026-03-05"). */
const DATE: DualPattern = dualPattern(
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?:(\\d{1,2})(?:st|nd|rd|th|er|º)?\\.?\\s+(?:de\\s+)?(${MONTH_NAMES})\\.?(?:,?\\s+(?:de\\s+)?(\\d{4}))?|(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?|(\\d{4})-(\\d{2})-(\\d{2}))(?![\\p{L}\\p{N}])`,
    "giu",
  ),
);

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** The dates of a text as figures, and the text with them blanked out (the same length, so offsets hold). */
export function datesIn(text: string, ascii: boolean): { dates: Quantity[]; rest: string } {
  const dates: Quantity[] = [];
  if (!/\d/.test(text)) return { dates, rest: text };
  const rest = text.replace(
    ascii ? DATE.ascii : DATE.unicode,
    (
      whole,
      day1?: string,
      month1?: string,
      year1?: string,
      month2?: string,
      day2?: string,
      year2?: string,
      isoYear?: string,
      isoMonth?: string,
      isoDay?: string,
    ) => {
      const month = isoMonth ? Number(isoMonth) : MONTH_NUMBER.get((month1 ?? month2 ?? "").toLowerCase());
      const day = Number(day1 ?? day2 ?? isoDay);
      const year = year1 ?? year2 ?? isoYear;
      if (month === undefined || month < 1 || month > 12 || day < 1 || day > 31) return whole;
      // "May 5" is a date; "may 5" in running text is a modal before a figure.
      const name = month1 ?? month2;
      if (name?.toLowerCase() === "may" && name[0] !== "M") return whole;
      dates.push({
        printed: whole,
        canonical: `date ${year ?? ""}-${pad(month)}-${pad(day)}`,
        context: undefined,
      });
      return " ".repeat(whole.length);
    },
  );
  return { dates, rest };
}
