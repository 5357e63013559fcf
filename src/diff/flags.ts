import { foldTypography, wordTokens } from "../clauses/normalize.js";
import type { Flag } from "./schema.js";
import { STOPWORDS, stem } from "./words.js";

const SCALES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
};

const NUMBER =
  /([$€£¥₽₴]\s?)?(\d{1,3}(?:[ ,.'’\u00A0\u202F]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)(\s?(?:%|percent\b|per cent\b))?(?:\s?(thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?(?:\s+([\p{L}-]+))?/giu;
const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
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
};
/** "five members", "twenty-five days": spelled-out figures ("one" is left out: it is mostly a pronoun). */
const WORD_NUMBER = new RegExp(
  `\\b(${Object.keys(NUMBER_WORDS).join("|")})(?:[\\s-](two|three|four|five|six|seven|eight|nine))?\\b(?:\\s+([\\p{L}-]+))?`,
  "giu",
);
const UNITS_AS_CONTEXT = /^(?:[$€£¥₽₴]|dollars?|euros?|pounds?|percent)$/i;

interface Figure {
  printed: string;
  canonical: string;
  context: string | undefined;
}

/** Figures with their scale and currency, so "600 000" and "600,000" agree and "$100bn" equals "$100 billion". */
export function figures(display: string): Figure[] {
  const out: Figure[] = [];
  for (const match of display.matchAll(NUMBER)) {
    const [whole, currency = "", digits = "", percent = "", scaleWord = "", next] = match;
    const grouped = /^\d{1,3}(?:[ ,.'’\u00A0\u202F]\d{3})+$/.test(digits);
    const plain = grouped ? digits.replace(/[ ,.'’\u00A0\u202F]/g, "") : digits.replace(",", ".");
    const value = Number(plain) * (scaleWord ? (SCALES[scaleWord.toLowerCase()] ?? 1) : 1);
    if (!Number.isFinite(value)) continue;
    const canonical = `${currency.trim()}${value}${percent ? "%" : ""}`;
    const printed = whole.slice(0, whole.length - (next ? next.length : 0)).trim();
    const context =
      next && !STOPWORDS.has(next.toLowerCase()) && !UNITS_AS_CONTEXT.test(next) ? next : undefined;
    out.push({ printed, canonical, context });
  }
  for (const match of display.matchAll(WORD_NUMBER)) {
    const [whole, tens = "", units, next] = match;
    const value =
      (NUMBER_WORDS[tens.toLowerCase()] ?? 0) + (units ? (NUMBER_WORDS[units.toLowerCase()] ?? 0) : 0);
    const printed = whole.slice(0, whole.length - (next ? next.length : 0)).trim();
    const context = next && !STOPWORDS.has(next.toLowerCase()) ? next : undefined;
    out.push({ printed, canonical: String(value), context });
  }
  return out;
}

function multisetDifference<T>(left: T[], right: T[], key: (item: T) => string): T[] {
  const counts = new Map<string, number>();
  for (const item of right) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  const out: T[] = [];
  for (const item of left) {
    const k = key(item);
    const count = counts.get(k) ?? 0;
    if (count > 0) counts.set(k, count - 1);
    else out.push(item);
  }
  return out;
}

function numberFlags(oldText: string, newText: string): Flag[] {
  const before = figures(oldText);
  const after = figures(newText);
  const removed = multisetDifference(before, after, (f) => f.canonical);
  const added = multisetDifference(after, before, (f) => f.canonical);
  const flags: Flag[] = [];
  const count = Math.max(removed.length, added.length);
  for (let i = 0; i < count; i++) {
    const was = removed[i];
    const now = added[i];
    const context = now?.context ?? was?.context;
    flags.push({
      type: "number",
      ...(was ? { old: was.printed } : {}),
      ...(now ? { new: now.printed } : {}),
      ...(context ? { context } : {}),
    });
  }
  return flags;
}

const CONNECTORS = new Set(["of", "on", "the", "for", "de", "du", "von", "al"]);

/**
 * Named parties, places and bodies: runs of capitalized words. A capitalized word that only
 * opens a sentence counts when the documents use it capitalized elsewhere too (`knownNames`).
 */
export function entities(folded: string, knownNames: Set<string>): Set<string> {
  const out = new Set<string>();
  const tokens = [...folded.matchAll(/[\p{L}\p{N}]+(?:['.-][\p{L}\p{N}]+)*\.?|[^\s\p{L}\p{N}]/gu)].map(
    (m) => m[0],
  );
  let run: string[] = [];
  let sentenceStart = true;
  let runStartedSentence = false;
  const flush = () => {
    while (run.length > 0 && CONNECTORS.has((run[run.length - 1] as string).toLowerCase())) run.pop();
    const last = run[run.length - 1];
    // A sentence-final dot ends the run; an abbreviation's dot ("St. Petersburg") stays inside it.
    if (last !== undefined) run[run.length - 1] = last.replace(/\.$/, "");
    if (run.length > 0) {
      const phrase = run.join(" ").replace(/\.$/, "");
      const lower = phrase.toLowerCase();
      const single = run.length === 1;
      const acronym = /^\p{Lu}[\p{Lu}\p{N}]+$/u.test(phrase);
      if (acronym || !single || !runStartedSentence || knownNames.has(lower)) {
        if (!(single && STOPWORDS.has(lower))) out.add(phrase);
      }
    }
    run = [];
  };
  for (const token of tokens) {
    const isWord = /^[\p{L}\p{N}]/u.test(token);
    if (!isWord) {
      flush();
      if (/[.!?;:|—-]/.test(token)) sentenceStart = true;
      continue;
    }
    const possessive = /'s?$/.test(token);
    const bare = token.replace(/'s?$/, "");
    const capitalized = /^\p{Lu}/u.test(bare);
    if (capitalized) {
      if (run.length === 0) runStartedSentence = sentenceStart;
      run.push(bare);
      if (possessive) flush();
    } else if (
      run.length > 0 &&
      !/\.$/.test(run[run.length - 1] as string) &&
      CONNECTORS.has(bare.toLowerCase())
    ) {
      run.push(bare);
    } else {
      flush();
    }
    sentenceStart = token.endsWith(".") && !/^\p{Lu}\.?$/u.test(token) && bare.length > 3;
  }
  flush();
  return out;
}

/** Capitalized words used mid-sentence anywhere: these are names even when they open a sentence. */
export function knownNamesOf(displays: string[]): Set<string> {
  const known = new Set<string>();
  for (const display of displays) {
    for (const match of display.matchAll(/(?<=[\p{L}\p{N},] )(\p{Lu}[\p{L}-]+)/gu)) {
      known.add((match[1] as string).toLowerCase());
    }
  }
  return known;
}

function entityFlags(oldText: string, newText: string, knownNames: () => Set<string>): Flag[] {
  const before = entities(oldText, knownNames());
  const after = entities(newText, knownNames());
  const tokensOf = (set: Set<string>) =>
    new Set([...set].flatMap((phrase) => phrase.toLowerCase().split(" ")));
  const afterTokens = tokensOf(after);
  const beforeTokens = tokensOf(before);
  const covered = (phrase: string, tokens: Set<string>) =>
    phrase
      .toLowerCase()
      .split(" ")
      .every((token) => tokens.has(token) || CONNECTORS.has(token));
  const removed = [...before].filter((phrase) => !covered(phrase, afterTokens));
  const added = [...after].filter((phrase) => !covered(phrase, beforeTokens));
  return removed.length + added.length === 0 ? [] : [{ type: "entity", removed, added }];
}

const NEGATION =
  /\b(not|no|never|without|nor|neither|none|nothing|nobody|cannot|except|unless|n't)\b|n't\b/gi;

function negationCues(folded: string): string[] {
  return [...folded.matchAll(NEGATION)].map((m) => m[0].toLowerCase().replace(/^.*n't$/, "n't"));
}

function negationFlags(oldText: string, newText: string): Flag[] {
  const before = negationCues(oldText);
  const after = negationCues(newText);
  const removed = multisetDifference(before, after, (cue) => cue);
  const added = multisetDifference(after, before, (cue) => cue);
  return removed.length + added.length === 0 ? [] : [{ type: "negation", removed, added }];
}

type ModalClass = "prohibition" | "obligation" | "permission" | "expectation";
const MODALS: Array<[RegExp, ModalClass]> = [
  [
    /\b(?:shall|must|may|will|can|should)\s+not\b|\bcannot\b|\bwon't\b|\bmustn't\b|\bshan't\b|\bis (?:prohibited|forbidden) from\b/gi,
    "prohibition",
  ],
  [
    /\b(?:shall|must|will|agrees? to|undertakes? to|commits? to|(?:is|are) required to|(?:is|are) obliged to|(?:is|are) bound to)\b/gi,
    "obligation",
  ],
  [/\b(?:may|can|could|might|(?:is|are) (?:allowed|permitted|entitled|free) to)\b/gi, "permission"],
  [
    /\b(?:should|would|(?:is|are) expected to|expects?|(?:is|are) to|intends? to|aims? to|seeks? to|hopes? to)\b/gi,
    "expectation",
  ],
];

function modalities(folded: string): Array<{ word: string; modal: ModalClass }> {
  let rest = folded;
  const found: Array<{ word: string; modal: ModalClass; at: number }> = [];
  for (const [pattern, modal] of MODALS) {
    rest = rest.replace(pattern, (match, offset: number) => {
      found.push({ word: match.toLowerCase(), modal, at: offset });
      return " ".repeat(match.length);
    });
  }
  return found.sort((x, y) => x.at - y.at);
}

function modalityFlags(oldText: string, newText: string): Flag[] {
  const before = modalities(oldText);
  const after = modalities(newText);
  const removed = multisetDifference(before, after, (m) => m.modal);
  const added = multisetDifference(after, before, (m) => m.modal);
  if (removed.length + added.length === 0) return [];
  return [{ type: "modality", old: removed.map((m) => m.word), new: added.map((m) => m.word) }];
}

function contentTerms(folded: string): Set<string> {
  const out = new Set<string>();
  for (const raw of wordTokens(folded.toLowerCase())) {
    const token = raw.replace(/'s?$/, "");
    if (token.length < 3 || STOPWORDS.has(token) || /\d/.test(token)) continue;
    out.add(stem(token));
  }
  return out;
}

export interface TermChange {
  removed: string[];
  added: string[];
  /** Share of content terms (of both sides) that appear on one side only. */
  ratio: number;
}

/** Content terms on one side only; both texts already folded. */
export function termChange(
  oldFolded: string,
  newFolded: string,
  weight: (term: string) => number,
): TermChange {
  const before = contentTerms(oldFolded);
  const after = contentTerms(newFolded);
  const byWeight = (x: string, y: string) => weight(y) - weight(x) || x.localeCompare(y);
  const removed = [...before].filter((term) => !after.has(term)).sort(byWeight);
  const added = [...after].filter((term) => !before.has(term)).sort(byWeight);
  const all = new Set([...before, ...after]).size;
  return { removed, added, ratio: all === 0 ? 0 : (removed.length + added.length) / all };
}

const MAX_TERMS = 6;

export interface FlagContext {
  /** Names used mid-sentence anywhere in either version; computed once, on first need. */
  knownNames: () => Set<string>;
  weight: (term: string) => number;
  similarity: number;
  /** Paired by slot rather than by wording. */
  byPosition: boolean;
}

/** Below this similarity an aligned pair is a replaced meaning, not an edit. */
export const REWRITE_BELOW = 0.3;

export function flagsFor(
  oldText: string,
  newText: string,
  context: FlagContext,
): { flags: Flag[]; terms: TermChange } {
  // Fold each side once; figures are read from the printed text so flags quote them as printed.
  const oldFolded = foldTypography(oldText);
  const newFolded = foldTypography(newText);
  const terms = termChange(oldFolded, newFolded, context.weight);
  const flags: Flag[] = [
    ...numberFlags(oldText, newText),
    ...entityFlags(oldFolded, newFolded, context.knownNames),
    ...negationFlags(oldFolded, newFolded),
    ...modalityFlags(oldFolded, newFolded),
  ];
  if (context.similarity < REWRITE_BELOW) flags.push({ type: "rewrite" });
  if (terms.removed.length + terms.added.length > 0) {
    flags.push({
      type: "terms",
      removed: terms.removed.slice(0, MAX_TERMS),
      added: terms.added.slice(0, MAX_TERMS),
    });
  }
  return { flags, terms };
}
