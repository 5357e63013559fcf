/**
 * Calendar dates as one figure each ("2 January 2026", "March 5, 2026", "15. November", "2026-03-05"),
 * so a date moved reads "2 January 2026 → 14 May 2026", never a day and a stray month.
 */
import { type DualPattern, dualPattern } from "../clauses/ascii.js";
import { MONTH_NAMES, MONTH_NUMBER } from "../clauses/months.js";
import type { Quantity } from "./quantities.js";

/**
 * Day before the month ("2 January 2026", "15. November"), month before the day ("March 5, 2026"),
 * ISO ("2026-03-05"), and numbers with slashes or dots ("30/06/2026", "30.06.2026"), read as a day
 * and a month where only one order can be meant ("03/04/2026" may be either: one figure all the same).
 */
const DATE: DualPattern = dualPattern(
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?:(\\d{1,2})(?:st|nd|rd|th|er|º)?\\.?\\s+(?:de\\s+)?(${MONTH_NAMES})\\.?(?:,?\\s+(?:de\\s+)?(\\d{4}))?|(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?|(\\d{4})-(\\d{2})-(\\d{2})|(\\d{1,2})([/.])(\\d{1,2})\\11(\\d{4}))(?![\\p{L}\\p{N}])`,
    "giu",
  ),
);

/** Day and month of "30/06" or "06/30": undefined when both orders are possible dates and differ. */
function numericDayMonth(
  first: string | undefined,
  second: string | undefined,
): { day: number; month: number } | undefined {
  if (first === undefined || second === undefined) return undefined;
  const a = Number(first);
  const b = Number(second);
  if (a === b || b > 12) return a <= 12 ? { day: b, month: a } : undefined;
  if (a > 12) return { day: a, month: b };
  return undefined;
}

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
      first?: string,
      _separator?: string,
      second?: string,
      numericYear?: string,
    ) => {
      const numeric = numericDayMonth(first, second);
      if (first !== undefined && numeric === undefined) {
        // Day and month either way round: one figure still, equal only to itself.
        dates.push({ printed: whole, canonical: `date ${whole.replace(/\./g, "/")}`, context: undefined });
        return " ".repeat(whole.length);
      }
      const month = numeric
        ? numeric.month
        : isoMonth
          ? Number(isoMonth)
          : MONTH_NUMBER.get((month1 ?? month2 ?? "").toLowerCase());
      const day = numeric ? numeric.day : Number(day1 ?? day2 ?? isoDay);
      const year = year1 ?? year2 ?? isoYear ?? numericYear;
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
