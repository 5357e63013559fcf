/**
 * Quantities and references in clause text. A quantity is a figure that carries meaning — a count,
 * money, a share, a date, a duration, a distance — printed in digits or spelled out ("600,000",
 * "$100 billion", "20 km", "fifty observers", "one hundred days"). A reference points at another
 * text ("Article 5", "point 3", "Resolution 2202", "§ 4") and is compared as a name, never as a
 * number.
 */
import { dualPattern, isPlainAscii } from "../clauses/ascii.js";
import { westernDigits } from "../clauses/labels.js";
import { datesIn } from "./dates.js";

const SCALES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  mln: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
};

const CURRENCY_SYMBOLS: Record<string, string> = {
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₽": "RUB",
  "₴": "UAH",
};
const CURRENCY_WORDS: Record<string, string> = {
  dollar: "USD",
  usd: "USD",
  euro: "EUR",
  eur: "EUR",
  pound: "GBP",
  gbp: "GBP",
  ruble: "RUB",
  rouble: "RUB",
  rub: "RUB",
  hryvnia: "UAH",
  hryvnias: "UAH",
  uah: "UAH",
  yen: "JPY",
};
/** Units whose change changes the quantity (100 days ≠ 100 months); counted nouns (troops, personnel) are context. */
const UNITS: Record<string, string> = {
  second: "s",
  minute: "min",
  hour: "h",
  day: "day",
  week: "week",
  month: "month",
  year: "year",
  decade: "decade",
  century: "century",
  km: "km",
  kilometre: "km",
  kilometer: "km",
  mile: "mile",
  metre: "m",
  meter: "m",
  kg: "kg",
  kilogram: "kg",
  tonne: "t",
  ton: "t",
  percent: "%",
  "per cent": "%",
  pct: "%",
  gw: "GW",
  mw: "MW",
};

/** Number words as figures ("thirty" is 30); the equivalents of a clause's wording use them too. */
export const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  dozen: 12,
  half: 0.5,
};
const MULTIPLIERS: Record<string, number> = {
  hundred: 100,
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
};

/** Words that make the number after them a reference. */
export const REFERENCE_WORDS =
  "articles?|art\\.|(?:sub-?)?sections?|sec\\.|(?:sub-?)?paragraphs?|letters?|§§?|points?|para\\.|clauses?|items?|chapters?|parts?|annex(?:es)?|schedules?|appendix|appendices|exhibits?|rules?|regulations?|resolutions?|directives?|protocols?|decrees?|orders?|acts?|laws?|no\\.|nos\\.|number|nr\\.|step";
const REFERENCE = dualPattern(
  new RegExp(
    `\\b(${REFERENCE_WORDS})\\s*((?:\\d{1,5}(?:[./]\\d{1,4})*[a-z]?|[IVXLCDM]{1,7}|\\([a-z0-9]{1,4}\\))(?:\\([a-z0-9]{1,4}\\))*(?:\\s*(?:,|and|or|–|-|to)\\s*(?:\\d{1,5}(?:\\.\\d{1,4})*[a-z]?|[IVXLCDM]{1,7}))*)(?![\\p{L}\\p{N}])`,
    "giu",
  ),
);

export interface Quantity {
  /** As printed ("600,000", "$100 billion", "fifty"). */
  printed: string;
  /** Comparison form: value with currency, percent and unit. */
  canonical: string;
  /** The noun counted or measured ("personnel", "days"), for headlines. */
  context: string | undefined;
  /** Words that make the figure a floor or a cap ("no more than"), as printed. */
  bound?: string;
}

export interface Reference {
  /** Where in the text it starts (references read from a text). */
  at?: number;
  printed: string;
  canonical: string;
}

/** Clock times ("14:00", "9.30 pm", "11 a.m.", "18h30"): one figure each, never an hour and a stray minute. */
const CLOCK = dualPattern(
  /(?<![\p{N}.,:])(\d{1,2})(?:([:h.])([0-5]\d))?(?:\s*([ap])\.?m\b\.?)?(?![\p{N}])/giu,
);

function clockTimes(text: string, ascii: boolean): { times: Quantity[]; rest: string } {
  const times: Quantity[] = [];
  const rest = text.replace(
    ascii ? CLOCK.ascii : CLOCK.unicode,
    (
      whole,
      hours: string,
      separator: string | undefined,
      minutes: string | undefined,
      half: string | undefined,
    ) => {
      // "9.30" alone is a decimal and "11" alone a count; "9.30 pm", "14:00" and "11 pm" are times.
      if (!half && (minutes === undefined || separator === ".")) return whole;
      let hour = Number(hours);
      if (half) {
        if (hour < 1 || hour > 12) return whole;
        hour = (hour % 12) + (half.toLowerCase() === "p" ? 12 : 0);
      } else if (hour > 23) return whole;
      times.push({ printed: whole.trim(), canonical: `time ${hour}:${minutes ?? "00"}`, context: undefined });
      return " ".repeat(whole.length);
    },
  );
  return { times, rest };
}

/** References in a text, and the text with them blanked out so their numbers are not read as quantities. */
export function references(text: string): { references: Reference[]; rest: string } {
  const found: Reference[] = [];
  const rest = text.replace(REFERENCE.for(text), (whole, word: string, numbers: string, at: number) => {
    found.push({
      at,
      printed: whole,
      canonical: `${referenceBase(word)} ${numbers.replace(/\s+/g, "").toLowerCase()}`,
    });
    return " ".repeat(whole.length);
  });
  return { references: found, rest };
}

/** A reference's kind word as its canonical form names it: "Articles" → "article", "No." → "no". */
/** Citation words abbreviated before a number ("Art. 5", "Sec. 4(a)"), and the words they stand for. */
export const CITATION_ABBREVIATIONS: Record<string, string> = {
  art: "article",
  sec: "section",
  para: "paragraph",
  subpara: "subparagraph",
  ch: "chapter",
  sch: "schedule",
};
const ABBREVIATED: Record<string, string> = { ...CITATION_ABBREVIATIONS, nr: "no" };

function referenceBase(word: string): string {
  const base = word
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/-/, "")
    .replace(/(ch|sh|x|ss)es$/, "$1")
    .replace(/s$/, "");
  return ABBREVIATED[base] ?? base;
}

/** One cited number ("4.2", "IV", "3(2)(b)"), not a list or a range of them. */
const SINGLE_NUMBER = /^[\p{L}\p{N}.()/]+$/u;

/**
 * A text with each cross-reference to a single clause renumbered (`renumbered` maps a number as
 * cited, lower-cased, to the one it now has), and which references were: the old text as the new
 * numbering would print it.
 */
export function renumberReferences(
  text: string,
  renumbered: (number: string) => string | undefined,
): { text: string; carried: Reference[] } {
  const carried: Reference[] = [];
  const out = text.replace(REFERENCE.for(text), (whole, word: string, numbers: string) => {
    const cited = numbers.trim();
    if (!SINGLE_NUMBER.test(cited)) return whole;
    const now = renumbered(cited.toLowerCase());
    if (now === undefined) return whole;
    carried.push({ printed: whole, canonical: `${referenceBase(word)} ${now}` });
    const printed = cited === cited.toUpperCase() && /^[IVXLCDM]+$/i.test(cited) ? now.toUpperCase() : now;
    return `${whole.slice(0, whole.length - numbers.length)}${printed}`;
  });
  return { text: out, carried };
}

const DIGITS = dualPattern(
  /(?<![\p{L}\p{N}.,])(?:([$€£¥₽₴])\s?|\b(USD|EUR|GBP|UAH|RUB)\s?)?(\d{1,3}(?:[ ,.'’\u00A0\u202F]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)(?:(%)|\s?(percent|per cent|pct)\b)?(?:\s?(thousand|million|billion|trillion|bn|mn|mln|tn|k|m|b)\b)?(?![\p{L}\p{N}])(?:[\s-]+((?:[\p{L}]+[\s-]){0,1}[\p{L}]+))?/giu,
);

/** Letters of scripts written without spaces between words. */
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
const UNSPACED_ALL = new RegExp(UNSPACED.source, "gu");

const WORD_NUMBER = dualPattern(
  new RegExp(
    `\\b((?:(?:${Object.keys(NUMBER_WORDS).join("|")}|a)(?:[\\s-]+(?:and[\\s-]+)?(?:${[...Object.keys(NUMBER_WORDS), ...Object.keys(MULTIPLIERS)].join("|")}))*))\\b(?:[\\s-]+([\\p{L}]+))?`,
    "giu",
  ),
);

/** A letter right before a figure: the last code point of the two code units before it. */
const LETTER_END = /[\p{L}]$/u;

/** Nouns after a figure that say what it counts rather than what it is ("troops", "people"). */
function contextWord(words: string | undefined, stopwords: Set<string>): string | undefined {
  if (!words) return undefined;
  const first = words.split(/[\s-]+/)[0] as string;
  if (stopwords.has(first.toLowerCase())) return undefined;
  return first;
}

/** Words before a figure that make it a floor or a cap ("no fewer than 600,000", "up to 30 days"). */
const BOUND = dualPattern(
  /\b(at least|no (?:fewer|less) than|not (?:fewer|less) than|(?:a )?minimum of|(?:a )?floor of|more than|over|above|exceeding|at most|no more than|not more than|not exceeding|not to exceed|up to|(?:a )?maximum of|(?:a )?(?:cap|ceiling|limit) of|(?:capped|limited|restricted|confined) (?:at|to)|(?:cap|caps|capping|limit|limits|limiting|restrict|restricts|restricting)(?: [\p{L}'’-]+){1,4} (?:at|to)|fewer than|less than|under|below)\s*$/iu,
);
const FLOORS = /^(?:at least|no (?:fewer|less) than|not (?:fewer|less) than|(?:a )?minimum of|floor of)$/i;
const ABOVE = /^(?:more than|over|above|exceeding)$/i;
const CEILINGS =
  /^(?:at most|no more than|not more than|not exceeding|not to exceed|up to|(?:a )?maximum of|(?:a )?(?:cap|ceiling|limit) of|(?:capped|limited|restricted|confined) (?:at|to)|(?:cap|caps|capping|limit|limits|limiting|restrict|restricts|restricting) .*)$/iu;

/** The bound a figure is printed with, as a comparison prefix (≥, >, ≤, <), and its words. */
export function boundBefore(text: string, at: number): { sign: string; words: string } | undefined {
  const before = text.slice(Math.max(0, at - 48), at);
  const words = BOUND.for(before).exec(before)?.[1]?.replace(/^an? /i, "");
  if (!words) return undefined;
  const sign = FLOORS.test(words) ? "≥" : ABOVE.test(words) ? ">" : CEILINGS.test(words) ? "≤" : "<";
  return { sign, words };
}

/** Durations in one measure each, so "three decades" and "30 years", "two weeks" and "14 days" agree. */
const CONVERSIONS: Record<string, [unit: string, factor: number]> = {
  week: ["day", 7],
  year: ["month", 12],
  decade: ["month", 120],
  century: ["month", 1200],
  min: ["s", 60],
  h: ["s", 3600],
};

function canonicalOf(currency: string | undefined, value: number, unit: string | undefined): string {
  const [measure, factor] = unit ? (CONVERSIONS[unit] ?? [unit, 1]) : [undefined, 1];
  return `${currency ?? ""}${Math.round(value * factor * 1e6) / 1e6}${measure ? ` ${measure}` : ""}`;
}

function unitOf(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const lower = word.toLowerCase();
  return UNITS[lower] ?? UNITS[lower.replace(/s$/, "")] ?? UNITS[lower.replace(/ies$/, "y")];
}

function currencyOf(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const lower = word.toLowerCase();
  return CURRENCY_WORDS[lower] ?? CURRENCY_WORDS[lower.replace(/s$/, "")];
}

function digitsValue(digits: string): number {
  const grouped = /^\d{1,3}(?:[ ,.'’\u00A0\u202F]\d{3})+$/.test(digits);
  return Number(grouped ? digits.replace(/[ ,.'’\u00A0\u202F]/g, "") : digits.replace(",", "."));
}

function spelledValue(phrase: string): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const raw of phrase.toLowerCase().split(/[\s-]+/)) {
    if (raw === "and") continue;
    if (raw === "a") {
      current = Math.max(current, 1);
      continue;
    }
    const multiplier = MULTIPLIERS[raw];
    if (multiplier !== undefined) {
      current = Math.max(current, 1) * multiplier;
      if (multiplier >= 1000) {
        total += current;
        current = 0;
      }
      seen = true;
      continue;
    }
    const value = NUMBER_WORDS[raw];
    if (value === undefined) return undefined;
    current += value;
    seen = true;
  }
  return seen ? total + current : undefined;
}

/**
 * Quantities of a text (references excluded), with their scale, currency and unit, so "600 000"
 * and "600,000" agree, "$100bn" equals "$100 billion" and "100 days" differs from "100 months".
 */
export function quantities(
  text: string,
  stopwords: Set<string>,
): { quantities: Quantity[]; references: Reference[] } {
  // Digits of other scripts are read as numbers; figures are quoted as printed.
  const western = westernDigits(text);
  const ascii = isPlainAscii(western);
  const { references: refs, rest: unreferenced } = references(western);
  const { dates, rest: undated } = datesIn(unreferenced, ascii);
  const { times, rest } = clockTimes(undated, ascii);
  const out: Quantity[] = [...dates, ...times];
  // Every figure has a digit; spelled numbers are read below.
  // Scripts written without spaces set figures against their words (`月額980円`): those words are
  // read as spaces here, so the figure stands apart as it would in a spaced script.
  const spaced = UNSPACED.test(rest) ? rest.replace(UNSPACED_ALL, (ch) => " ".repeat(ch.length)) : rest;
  const digits = /\d/.test(spaced) ? spaced.matchAll(ascii ? DIGITS.ascii : DIGITS.unicode) : [];
  for (const match of digits) {
    const [whole, symbol, code, digits = "", percentSign, percentWord, scaleWord, after] = match;
    // Alphanumeric names ("G8", "START I", "COVID-19") are not figures.
    if (LETTER_END.test(spaced.slice(Math.max(0, match.index - 2), match.index)) && !symbol && !code)
      continue;
    const value = digitsValue(digits) * (scaleWord ? (SCALES[scaleWord.toLowerCase()] ?? 1) : 1);
    if (!Number.isFinite(value)) continue;
    const [nextWord, secondWord] = after?.split(/[\s-]+/) ?? [];
    const currency =
      (symbol ? CURRENCY_SYMBOLS[symbol] : undefined) ??
      (code ? code.toUpperCase() : undefined) ??
      currencyOf(nextWord);
    // "10 working days", "30 calendar days": the unit may follow one qualifying word.
    const qualified = !unitOf(nextWord) && unitOf(secondWord) ? secondWord : undefined;
    const unit = percentSign || percentWord ? "%" : (unitOf(nextWord) ?? unitOf(qualified));
    const bound = boundBefore(rest, match.index);
    const canonical = `${bound?.sign ?? ""}${canonicalOf(currency, value, unit)}`;
    const printedEnd = whole.length - (after ? after.length : 0);
    const printed = text.slice(match.index, match.index + printedEnd).replace(/[\s-]+$/, "");
    // "6 euros": the currency word is what the figure counts, and headlines say it ("6 → 8 euros").
    const context =
      currency && !symbol && !code
        ? nextWord
        : qualified
          ? `${nextWord} ${qualified}`
          : contextWord(after, stopwords);
    out.push({
      printed,
      canonical,
      context: unit === "%" && !percentSign ? undefined : context,
      ...(bound ? { bound: bound.words } : {}),
    });
  }
  for (const match of rest.matchAll(ascii ? WORD_NUMBER.ascii : WORD_NUMBER.unicode)) {
    const [, phrase = "", next] = match;
    if (/^(?:a|half)$/i.test(phrase)) continue;
    const value = spelledValue(phrase);
    if (value === undefined) continue;
    const unit = unitOf(next);
    // "one" and "a" are mostly pronouns and articles: a figure only before a unit ("one year").
    if (/^(?:one|a)$/i.test(phrase.split(/[\s-]+/)[0] as string) && !/[\s-]/.test(phrase.trim()) && !unit)
      continue;
    const currency = currencyOf(next);
    const bound = boundBefore(rest, match.index);
    const canonical = `${bound?.sign ?? ""}${canonicalOf(currency, value, unit)}`;
    out.push({
      printed: phrase,
      canonical,
      context: contextWord(next, stopwords),
      ...(bound ? { bound: bound.words } : {}),
    });
  }
  return { quantities: out, references: refs };
}
