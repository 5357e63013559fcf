/**
 * Ways of writing the same thing that a copy editor changes without changing what a clause says:
 * "40 per cent" and "40%", "&" and "and", "€5 million" and "EUR 5,000,000", "30 June 2026" and
 * "2026-06-30", "thirty" and "30", "Monday–Sunday" and "Monday to Sunday". Two clauses whose words
 * agree once these are settled differ in typography only.
 */
import { datesIn } from "./dates.js";
import { CITATION_ABBREVIATIONS, NUMBER_WORDS } from "./quantities.js";

const WORDS = Object.entries(NUMBER_WORDS).filter(([, value]) => Number.isInteger(value));
/** "one" … "nineteen". */
const UNITS = Object.fromEntries(WORDS.filter(([, value]) => value < 20)) as Record<string, number>;
/** "twenty" … "ninety". */
const TENS = Object.fromEntries(
  WORDS.filter(([, value]) => value >= 20 && value < 100 && value % 10 === 0),
) as Record<string, number>;
const UNIT_WORDS = Object.keys(UNITS).join("|");
const TEN_WORDS = Object.keys(TENS).join("|");
/** "seven", "forty", "forty-two", "forty two", "a hundred", "one hundred". */
const SPELLED_NUMBER = new RegExp(
  `\\b(?:(?:a|one) (hundred)|(${TEN_WORDS})(?:[- ](${UNIT_WORDS}))?|(${UNIT_WORDS}))\\b`,
  "g",
);

const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const SCALED = /\b(\d+(?:\.\d+)?) (thousand|million|billion|trillion)\b/g;

/** Currency symbols and words as their codes, written before the amount. */
const CURRENCY_SYMBOLS: Record<string, string> = { "€": "eur", "£": "gbp", $: "usd", us$: "usd", "¥": "jpy" };
const SYMBOL_AMOUNT = /(us\$|[€£$¥]) ?(?=\d)/g;
const CODE_AFTER = /\b(\d+(?:\.\d+)?) (eur|euros?|usd|us dollars|gbp|pounds sterling|jpy)\b/g;
const CODE_WORDS: Record<string, string> = {
  euro: "eur",
  euros: "eur",
  "us dollars": "usd",
  "pounds sterling": "gbp",
};

const WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december";
/** A range set with a dash between two figures, weekdays or months: "3-5", "monday - friday". */
const DASHED_RANGE = new RegExp(
  `\\b(\\d+|${WEEKDAYS}|${MONTHS}) ?- ?(?=(?:\\d+|${WEEKDAYS}|${MONTHS})\\b)`,
  "g",
);

function spelledNumber(
  whole: string,
  hundred: string | undefined,
  tens: string | undefined,
  unitAfterTens: string | undefined,
  unit: string | undefined,
): string {
  if (hundred) return "100";
  if (tens) return String((TENS[tens] ?? 0) + (unitAfterTens ? (UNITS[unitAfterTens] ?? 0) : 0));
  return unit === undefined ? whole : String(UNITS[unit]);
}

/**
 * Normalized clause text (lower-cased, typography folded: see normalizeForCompare) with each of
 * these forms written one way. Only for comparing: never shown.
 */
const BOUND_PHRASE = /\b(?:no|not) (less|fewer|more) than\b/g;

/** A citation's word abbreviated before its number: "Art. 5" is "Article 5", "Arts. 4" "Articles 4". */
const ABBREVIATED_CITATION = new RegExp(
  `\\b(${Object.keys(CITATION_ABBREVIATIONS).join("|")})(s?)\\. ?(?=[\\d(]|[ivxlcdm]+\\b)`,
  "g",
);

export function settleEquivalents(norm: string): string {
  let out = norm;
  if (/[a-z]/.test(out)) out = out.replace(SPELLED_NUMBER, spelledNumber);
  if (out.includes("&")) out = out.replace(/ ?& ?/g, " and ");
  // "no less than 30 days" is "at least 30 days"; "not more than" is "at most".
  if (out.includes(" than "))
    out = out.replace(BOUND_PHRASE, (_, side: string) =>
      side === "less" || side === "fewer" ? "at least" : "at most",
    );
  if (/\d/.test(out)) {
    out = settleDates(out)
      .replace(
        ABBREVIATED_CITATION,
        (_, word: string, plural: string) => `${CITATION_ABBREVIATIONS[word] ?? word}${plural} `,
      )
      .replace(/(\d) ?(?:%|per ?cent\b|pct\b)/g, "$1 percent")
      .replace(SYMBOL_AMOUNT, (symbol) => `${CURRENCY_SYMBOLS[symbol.trim()] ?? symbol} `)
      .replace(CODE_AFTER, (_, amount: string, code: string) => `${CODE_WORDS[code] ?? code} ${amount}`)
      .replace(SCALED, (_, amount: string, scale: string) =>
        String(Math.round(Number(amount) * (SCALE[scale] ?? 1))),
      );
  }
  // After the dates, so an ISO date is no range.
  return out.includes("-") ? out.replace(DASHED_RANGE, "$1 to ") : out;
}

/** Each date where it stood, in one form ("d2026.06.30"). */
function settleDates(text: string): string {
  const { dates, rest } = datesIn(text, true);
  if (dates.length === 0) return text;
  // datesIn blanks each date with as many spaces, and normalized text has no other run of two.
  let at = 0;
  return rest.replace(/ {2,}/g, (blank) => {
    const date = dates[at++];
    return date ? ` ${date.canonical.replace("date ", "d").replace(/-/g, ".")} ` : blank;
  });
}
