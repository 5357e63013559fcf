/**
 * Content words that one side has and the other lacks, once inflections, spelling variants and
 * near-synonyms (WordNet) are matched up — so "stationed"/"deployed" or "pact"/"agreement" cancel
 * out, while "audit"/"amnesty" stay a swap.
 */
import { dualPattern } from "../clauses/ascii.js";
import { memoized } from "./memo.js";
import { baseForms, namesAParty, related, relatedSamePos } from "./wordnet.js";
import { STOPWORDS, stem } from "./words.js";

export interface Term {
  /** As printed (first occurrence), for badges and headlines. */
  printed: string;
  /** As printed, lower-cased: what WordNet is asked about. */
  lower: string;
  /** Comparison key: lower-cased, inflection stripped. */
  key: string;
}

/** British and American spellings fold together ("organisation", "favour", "centre", "cancelled"). */
function spellingKey(word: string): string {
  return word
    .replace(/isation/g, "ization")
    .replace(/ise(s|d)?$/, "ize$1")
    .replace(/ising$/, "izing")
    .replace(/our(s|ed)?$/, "or$1")
    .replace(/tre(s)?$/, "ter$1")
    .replace(/ence$/, "ense")
    .replace(/ll(ed|ing)$/, "l$1")
    .replace(/yse(s|d)?$/, "yze$1");
}

const termKey = memoized((word: string) => spellingKey(stem(word.toLowerCase().replace(/['’]s?$/, ""))));

const WORD = dualPattern(/[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu);

/** A printed word's comparison key and lower-cased form; null for function words and words under three letters. */
const termOf = memoized((word: string): { key: string; lower: string } | null => {
  const bare = word.toLowerCase().replace(/['’]s?$/, "");
  if (bare.length < 3 || STOPWORDS.has(bare)) return null;
  return { key: termKey(bare), lower: word.toLowerCase() };
});

/** Content terms of a text: words of three letters or more, function words and figures left out. */
export function contentTerms(text: string): Term[] {
  const out = new Map<string, Term>();
  for (const word of text.match(WORD.for(text)) ?? []) {
    const term = termOf(word);
    if (term !== null && !out.has(term.key))
      out.set(term.key, { printed: word, lower: term.lower, key: term.key });
  }
  return [...out.values()];
}

const formSet = memoized((key: string): ReadonlySet<string> => new Set(baseForms(key)));

/**
 * Whether two differing terms are the same word in another form, or near-synonyms; `close` asks
 * for kin in the same part of speech (see `relatedSamePos`).
 */
function sameMeaning(a: Term, b: Term, close = false): boolean {
  if (a.key === b.key) return true;
  const bForms = formSet(b.key);
  if (baseForms(a.key).some((form) => bForms.has(form))) return true;
  // Derivations sharing a long stem ("confirmed" / "confirmation", "guarantee" / "guarantor").
  const shared = commonPrefix(a.key, b.key);
  if (shared >= 6 && shared >= Math.min(a.key.length, b.key.length) - 3) return true;
  return close ? relatedSamePos(a.lower, b.lower) : related(a.lower, b.lower);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export interface TermDifference {
  /** Terms only the old text has, with no counterpart of like meaning in the new. */
  removed: Term[];
  added: Term[];
  /** Terms that differ in form but were matched as synonyms or inflections. */
  matched: number;
  /** Content terms on both sides. */
  total: number;
  /** Share of all content terms that found a counterpart (same word or like meaning). */
  overlap: number;
  /** Each text's content terms, in order. */
  before: Term[];
  after: Term[];
}

/**
 * Pairs of differing terms worth asking WordNet about. Beyond this (a clause replaced by pages of
 * other text) only inflections are matched: the clause is rewritten whatever its synonyms.
 */
const PAIR_BUDGET = 20_000;

/** A term's counterpart of like meaning among `others`, for `asking` terms: pairwise when few, by base form when many. */
function matcher(
  others: Term[],
  asking: number,
  close: (term: Term) => boolean = () => false,
): (term: Term) => Term | undefined {
  if (others.length * asking <= PAIR_BUDGET) {
    return (term) => {
      const strict = close(term);
      return others.find((candidate) => sameMeaning(term, candidate, strict));
    };
  }
  const byForm = new Map<string, Term>();
  for (const other of others)
    for (const form of [other.key, ...baseForms(other.key)]) byForm.set(form, other);
  return (term) => [term.key, ...baseForms(term.key)].map((form) => byForm.get(form)).find(Boolean);
}

/** Compares the content terms of two texts, matching synonyms greedily in order of appearance. */
export function termDifference(oldText: string, newText: string): TermDifference {
  const before = contentTerms(oldText);
  const after = contentTerms(newText);
  const afterKeys = new Set(after.map((term) => term.key));
  const beforeKeys = new Set(before.map((term) => term.key));
  const onlyBefore = before.filter((term) => !afterKeys.has(term.key));
  const onlyAfter = after.filter((term) => !beforeKeys.has(term.key));
  const usedAfter = new Set<Term>();
  const removed: Term[] = [];
  let matched = 0;
  const partnerOf =
    onlyBefore.length * onlyAfter.length <= PAIR_BUDGET
      ? (term: Term) =>
          onlyAfter.find((candidate) => !usedAfter.has(candidate) && sameMeaning(term, candidate))
      : matcher(onlyAfter, onlyBefore.length);
  for (const term of onlyBefore) {
    const partner = partnerOf(term);
    if (partner && !usedAfter.has(partner)) {
      usedAfter.add(partner);
      matched++;
    } else removed.push(term);
  }
  const added = onlyAfter.filter((term) => !usedAfter.has(term));
  // A removed term may also be the synonym of a term the other side kept ("troops … forces" when
  // "forces" stayed). Every kept word is a candidate, so a party is matched only by kin of its own
  // part of speech: "the owner shall carry" → "the tenant shall carry" changed who carries,
  // though "owner" reaches "carry" through "to own" and "to have".
  const keptAfter = after.filter((term) => beforeKeys.has(term.key));
  const keptBefore = before.filter((term) => afterKeys.has(term.key));
  const party = (term: Term) => namesAParty(term.lower);
  const inKeptAfter = matcher(keptAfter, removed.length, party);
  const inKeptBefore = matcher(keptBefore, added.length, party);
  const stillRemoved = removed.filter((term) => !inKeptAfter(term));
  const stillAdded = added.filter((term) => !inKeptBefore(term));
  const total = before.length + after.length;
  const common = before.length - onlyBefore.length;
  const overlap =
    total === 0
      ? 1
      : (2 * common +
          2 * matched +
          (removed.length - stillRemoved.length) +
          (added.length - stillAdded.length)) /
        total;
  return {
    removed: stillRemoved,
    added: stillAdded,
    matched,
    total,
    overlap: Math.min(1, overlap),
    before,
    after,
  };
}
