/**
 * Search over a plan's history: every clause of every version and every coverage passage, for
 * words and quoted phrases, whole words, case- and diacritics-insensitive (`zaporizhzhia` finds
 * "Zaporížžia"). Matching runs on a folded copy of each text that remembers where each folded
 * character came from, so highlights land on the text as printed.
 */
import type { ClauseSet } from "../types.js";
import { clauseAnchor } from "./anchors.js";
import type { ClauseHit, CoverageHit, FoundText, SearchResults } from "./types.js";

export const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 10;
export const MAX_CLAUSE_HITS = 200;
export const MAX_COVERAGE_HITS = 200;

/** One word or quoted phrase of a query: its folded words, matched whole and in order. */
export interface SearchTerm {
  words: string[];
}

const TYPOGRAPHY: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u2032": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u201f": '"',
  "\u2033": '"',
  "\u00a0": " ",
  "\u2009": " ",
  "\u202f": " ",
};

function foldChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
  const typographic = TYPOGRAPHY[char];
  if (typographic !== undefined) return typographic;
  if (/[\u2010-\u2015\u2212]/.test(char)) return "-";
  return char.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** A text folded for matching, and for each folded character the offset it came from in the original. */
export interface Folded {
  folded: string;
  /** `origin[i]`: offset in the original of folded character `i`; one more entry for the end. */
  origin: number[];
}

/** Lower case, accents and compatibility forms folded (`ﬁ` → `fi`, `é` → `e`), curly quotes straightened. */
export function foldText(text: string): Folded {
  let folded = "";
  const origin: number[] = [];
  let offset = 0;
  for (const char of text) {
    const piece = foldChar(char);
    for (let i = 0; i < piece.length; i++) origin.push(offset);
    folded += piece;
    offset += char.length;
  }
  origin.push(offset);
  return { folded, origin };
}

function foldedWords(text: string): string[] {
  return foldText(text)
    .folded.split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}

/**
 * Words and "quoted phrases", each folded; a token holding punctuation (`600,000`, `don't`) is a
 * phrase of its words, so it matches however the figure is printed (`600 000`, `600.000`).
 */
export function parseQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  for (const match of query.slice(0, MAX_QUERY_LENGTH).matchAll(/"([^"]*)"?|(\S+)/g)) {
    const words = foldedWords(match[1] ?? match[2] ?? "");
    const id = words.join(" ");
    if (words.length === 0 || seen.has(id)) continue;
    seen.add(id);
    terms.push({ words });
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/** How a term reads back: `amnesty`, `"full amnesty"`. */
export function termLabel(term: SearchTerm): string {
  const text = term.words.join(" ");
  return term.words.length > 1 ? `"${text}"` : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compiled once per search: one expression per term, whole words only. */
export interface Matcher {
  terms: SearchTerm[];
  patterns: RegExp[];
}

export function compileMatcher(terms: SearchTerm[]): Matcher {
  return {
    terms,
    patterns: terms.map(
      (term) =>
        new RegExp(
          `(?<![\\p{L}\\p{N}])${term.words.map(escapeRegExp).join("[^\\p{L}\\p{N}]+")}(?![\\p{L}\\p{N}])`,
          "gu",
        ),
    ),
  };
}

/** Whether every term occurs in the folded text. */
export function matchesAll(matcher: Matcher, folded: string): boolean {
  if (matcher.patterns.length === 0) return false;
  return matcher.patterns.every((pattern) => {
    pattern.lastIndex = 0;
    return pattern.test(folded);
  });
}

/** Where any term occurs in `text`, as offsets into the text as printed, in order and merged where they touch. */
export function highlight(matcher: Matcher, text: string, folded: Folded = foldText(text)): FoundText {
  const ranges: Array<[number, number]> = [];
  for (const pattern of matcher.patterns) {
    pattern.lastIndex = 0;
    for (const match of folded.folded.matchAll(pattern)) {
      const start = folded.origin[match.index] ?? 0;
      let end = folded.origin[match.index + match[0].length] ?? text.length;
      // A match ending inside one printed character's expansion (`ﬁ`) still covers that character.
      if (end <= start) end = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
      ranges.push([start, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return { text, matches: merged };
}

/** A coverage passage to search, with the clauses the coverage analysis tied it to. */
export interface PassageInput {
  sourceId: string;
  title?: string;
  url?: string;
  snapshotId?: string;
  at: string;
  passage: string;
  clause?: CoverageHit["clauses"][number];
}

export interface SearchInput {
  planId: string;
  planTitle: string;
  noun: string;
  query: string;
  /** Oldest first. */
  versions: Array<{ id: string; set: ClauseSet }>;
  passages: PassageInput[];
}

export function searchPlan(input: SearchInput): SearchResults {
  const terms = parseQuery(input.query);
  const matcher = compileMatcher(terms);
  const foldedOf = new Map<string, Folded>();
  const fold = (text: string) => {
    let found = foldedOf.get(text);
    if (!found) {
      found = foldText(text);
      foldedOf.set(text, found);
    }
    return found;
  };

  // One hit per wording (fingerprint), with every version and path it stands at.
  const groups = new Map<string, ClauseHit>();
  let clauseOverflow = 0;
  const matchedVersions: string[] = [];
  for (const { id, set } of terms.length > 0 ? input.versions : []) {
    let matched = false;
    for (const clause of set.clauses) {
      const whole = clause.heading ? `${clause.heading}\n${clause.text}` : clause.text;
      if (!matchesAll(matcher, fold(whole).folded)) continue;
      matched = true;
      const at = { version: id, key: clause.key, anchor: clauseAnchor(clause.key) };
      const group = groups.get(clause.fingerprint);
      if (group) {
        group.at.push(at);
        continue;
      }
      if (groups.size >= MAX_CLAUSE_HITS) {
        clauseOverflow += 1;
        groups.set(clause.fingerprint, { key: clause.key, text: { text: "", matches: [] }, at: [at] });
        continue;
      }
      groups.set(clause.fingerprint, {
        key: clause.key,
        ...(clause.heading ? { heading: highlight(matcher, clause.heading, fold(clause.heading)) } : {}),
        text: highlight(matcher, clause.text, fold(clause.text)),
        at: [at],
      });
    }
    if (matched) matchedVersions.push(id);
  }

  // One hit per passage of an article, however many records quote it.
  const passages = new Map<string, CoverageHit>();
  let coverageOverflow = 0;
  for (const passage of terms.length > 0 ? input.passages : []) {
    const folded = fold(passage.passage);
    if (!matchesAll(matcher, folded.folded)) continue;
    const id = `${passage.sourceId}\u0000${folded.folded}`;
    const found = passages.get(id);
    if (found) {
      if (
        passage.clause &&
        !found.clauses.some(
          (clause) =>
            clause.version === passage.clause?.version &&
            clause.key === passage.clause.key &&
            clause.via === passage.clause.via,
        )
      )
        found.clauses.push(passage.clause);
      if (passage.at < found.at) found.at = passage.at;
      continue;
    }
    if (passages.size >= MAX_COVERAGE_HITS) coverageOverflow += 1;
    passages.set(id, {
      sourceId: passage.sourceId,
      ...(passage.title ? { title: passage.title } : {}),
      ...(passage.url ? { url: passage.url } : {}),
      ...(passage.snapshotId ? { snapshotId: passage.snapshotId } : {}),
      at: passage.at,
      passage: highlight(matcher, passage.passage, folded),
      clauses: passage.clause ? [passage.clause] : [],
    });
  }

  return {
    planId: input.planId,
    planTitle: input.planTitle,
    noun: input.noun,
    query: input.query.slice(0, MAX_QUERY_LENGTH),
    terms: terms.map(termLabel),
    versions: matchedVersions,
    clauses: [...groups.values()].slice(0, MAX_CLAUSE_HITS),
    coverage: [...passages.values()].slice(0, MAX_COVERAGE_HITS),
    more: { clauses: clauseOverflow, coverage: coverageOverflow },
  };
}
