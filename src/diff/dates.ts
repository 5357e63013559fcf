/**
 * Calendar dates as one figure each ("2 January 2026", "March 5, 2026", "15. November", "2026-03-05"),
 * so a date moved reads "2 January 2026 → 14 May 2026", never a day and a stray month.
 */
import { type DualPattern, dualPattern } from "../clauses/ascii.js";
import type { Quantity } from "./quantities.js";

/** The twelve months in order, per language: names and the forms a date prints them in (genitives, abbreviations). */
const MONTHS: string[][] = [
  [
    "january jan",
    "february feb",
    "march mar",
    "april apr",
    "may",
    "june jun",
    "july jul",
    "august aug",
    "september sep sept",
    "october oct",
    "november nov",
    "december dec",
  ],
  ["januar jänner", "februar", "märz", "", "mai", "juni", "juli", "", "", "oktober", "", "dezember"],
  [
    "janvier",
    "février",
    "mars",
    "avril",
    "",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
  ],
  [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre setiembre",
    "octubre",
    "noviembre",
    "diciembre",
  ],
  [
    "gennaio",
    "febbraio",
    "",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "",
    "settembre",
    "ottobre",
    "",
    "dicembre",
  ],
  ["janeiro", "fevereiro", "março", "", "maio", "junho", "julho", "", "setembro", "outubro", "", "dezembro"],
  [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
  ],
  ["januari", "februari", "maart", "", "mei", "", "", "augustus", "", "", "", ""],
  [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
  ],
  [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
  ],
];

const MONTH_NUMBER = new Map<string, number>();
for (const language of MONTHS)
  language.forEach((names, at) => {
    for (const name of names.split(" ")) if (name !== "") MONTH_NUMBER.set(name, at + 1);
  });
const MONTH = [...MONTH_NUMBER.keys()].sort((a, b) => b.length - a.length).join("|");

/** Day before the month ("2 January 2026", "15. November"), month before the day ("March 5, 2026"), ISO ("2026-03-05"). */
const DATE: DualPattern = dualPattern(
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?:(\\d{1,2})(?:st|nd|rd|th|er|º)?\\.?\\s+(?:de\\s+)?(${MONTH})\\.?(?:,?\\s+(?:de\\s+)?(\\d{4}))?|(${MONTH})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?|(\\d{4})-(\\d{2})-(\\d{2}))(?![\\p{L}\\p{N}])`,
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
