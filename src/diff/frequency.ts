/**
 * How often something recurs: "monthly", "each week", "twice a year", "quarterly". WordNet counts
 * "monthly" and "weekly" as kin (both "periodic"), so without this a report due weekly instead of
 * monthly reads as a reworded clause. Figures with a period ("every 3 months", "€500 per month")
 * and "3 times a year" are the quantities' business; this reads the periods written without one.
 */

import { boundBefore } from "./quantities.js";

/** Length of each period in days, for the comparison form ("annually" and "every year" are one). */
const PERIOD_DAYS: Record<string, number> = {
  hour: 1 / 24,
  day: 1,
  night: 1,
  week: 7,
  fortnight: 14,
  month: 30,
  quarter: 91,
  year: 365,
};

/** Adverbs and adjectives of a period, with how many times in it. */
const WORDS: Record<string, [period: string, times: number]> = {
  hourly: ["hour", 1],
  daily: ["day", 1],
  nightly: ["night", 1],
  weekly: ["week", 1],
  fortnightly: ["fortnight", 1],
  biweekly: ["fortnight", 1],
  monthly: ["month", 1],
  quarterly: ["quarter", 1],
  annual: ["year", 1],
  annually: ["year", 1],
  yearly: ["year", 1],
  semiannual: ["year", 2],
  semiannually: ["year", 2],
  "semi-annual": ["year", 2],
  "semi-annually": ["year", 2],
  "twice-yearly": ["year", 2],
};

const COUNTS: Record<string, number> = { once: 1, twice: 2, thrice: 3 };

const FREQUENCY =
  /\b(?:(hourly|daily|nightly|weekly|fortnightly|biweekly|monthly|quarterly|annual|annually|yearly|semi-?annual(?:ly)?|twice-yearly)|(?:(once|twice|thrice) (?:a|an|per|each|every) |each |every |per )(hour|day|night|week|fortnight|month|quarter|year)(?!s))\b/gi;

export interface Frequency {
  printed: string;
  /** Times per day, rounded, as text: equal for "annually" and "every year". */
  canonical: string;
}

/** The periods a text names without a figure, in order. */
export function frequencies(text: string): Frequency[] {
  if (!/ly\b|annual|each |every |per |(?:once|twice|thrice) /i.test(text)) return [];
  const out: Frequency[] = [];
  for (const match of text.matchAll(FREQUENCY)) {
    const [matched, word, count, period] = match;
    // Every word FREQUENCY matches is a key of WORDS.
    const [unit, times] = word
      ? (WORDS[word.toLowerCase()] as [string, number])
      : [(period as string).toLowerCase(), count ? (COUNTS[count.toLowerCase()] ?? 1) : 1];
    const perDay = times / (PERIOD_DAYS[unit] ?? 1);
    // "at least twice a year" is a floor, not the figure "twice a year": read as a figure's bound is.
    const bound = boundBefore(text, match.index);
    out.push({
      printed: bound ? `${bound.words} ${matched}` : matched,
      canonical: `${bound?.sign ?? ""}${perDay.toPrecision(3)}`,
    });
  }
  return out;
}
