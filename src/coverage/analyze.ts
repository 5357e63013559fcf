import { foldTypography, wordTokens } from "../clauses/normalize.js";
import { figures } from "../diff/flags.js";
import { clauseDisplay } from "../diff/redline.js";
import { STOPWORDS, stem } from "../diff/words.js";
import { excerpt } from "../errors.js";
import type { Clause, ClauseSet } from "../types.js";
import type { MentionRecord, MentionVia, MismatchRecord, VariantRecord } from "./types.js";

/** A version of the plan to link coverage to, newest first. */
export interface VersionText {
  id: string;
  clauseSet: ClauseSet;
}

export interface CoverageInput {
  planId: string;
  sourceId: string;
  snapshotId: string;
  at: string;
  /** The article's passages (paragraphs) in order. */
  passages: string[];
  /** The plan's versions, newest first. */
  versions: VersionText[];
}

export interface CoverageAnalysis {
  mentions: MentionRecord[];
  variants: VariantRecord[];
  mismatches: MismatchRecord[];
}

/** A wording link needs this share of the clause's distinctive weight, and at least this many shared terms. */
const WORDING_SCORE = 0.3;
const WORDING_TERMS = 3;
/** Terms found in more than this share of a version's clauses say nothing about which clause is meant. */
const GENERIC_SHARE = 0.25;

function terms(text: string): string[] {
  const out: string[] = [];
  for (const raw of wordTokens(foldTypography(text).toLowerCase())) {
    const token = raw.replace(/'s?$/, "");
    if (token.length < 3 || STOPWORDS.has(token) || /\d/.test(token)) continue;
    out.push(stem(token));
  }
  return out;
}

interface IndexedClause {
  clause: Clause;
  version: string;
  text: string;
  terms: Set<string>;
  weight: number;
  figures: ReturnType<typeof figures>;
}

interface VersionIndex {
  id: string;
  clauses: IndexedClause[];
  idf: (term: string) => number;
  byKey: Map<string, IndexedClause>;
}

function indexVersion(version: VersionText): VersionIndex {
  // Coverage speaks of the document's own clauses, not of the page text around it.
  const own = version.clauseSet.clauses.filter((clause) => !clause.context && clause.kind !== "title");
  const texts = own.map((clause) => clauseDisplay(clause));
  const termSets = texts.map((text) => new Set(terms(text)));
  const df = new Map<string, number>();
  for (const set of termSets) for (const term of set) df.set(term, (df.get(term) ?? 0) + 1);
  const n = termSets.length || 1;
  const idf = (term: string) => {
    const count = df.get(term) ?? 0;
    if (count / n > GENERIC_SHARE && n >= 4) return 0;
    return Math.log((1 + n) / (1 + count)) + 0.1;
  };
  const clauses = own.map((clause, i) => {
    const set = termSets[i] as Set<string>;
    let weight = 0;
    for (const term of set) weight += idf(term);
    return {
      clause,
      version: version.id,
      text: texts[i] as string,
      terms: set,
      weight,
      figures: figures(texts[i] as string),
    };
  });
  return { id: version.id, clauses, idf, byKey: new Map(clauses.map((entry) => [entry.clause.key, entry])) };
}

const REFERENCE =
  /\b(?:point|item|clause|article|paragraph|provision|section)s?\s+(?:no\.?\s*|number\s+)?(\d{1,3})\b|\bthe\s+(\d{1,3})(?:st|nd|rd|th)\s+(?:point|item|clause|article|provision|paragraph)\b/gi;
const QUOTE = /["“„«]([^"“”„«»]{12,400})["”»]/g;

function references(passage: string): string[] {
  return [...passage.matchAll(REFERENCE)].map((match) => (match[1] ?? match[2]) as string);
}

function quotes(passage: string): Array<{ text: string; at: number }> {
  return [...foldTypography(passage).matchAll(QUOTE)].map((match) => ({
    text: (match[1] as string).trim(),
    at: match.index ?? 0,
  }));
}

/** How much of a clause's distinctive vocabulary a text carries (0–1), and how many terms it shares. */
function wordingScore(
  index: VersionIndex,
  entry: IndexedClause,
  text: string,
): { score: number; shared: number } {
  if (entry.weight === 0) return { score: 0, shared: 0 };
  let found = 0;
  let shared = 0;
  for (const term of new Set(terms(text))) {
    if (!entry.terms.has(term)) continue;
    const weight = index.idf(term);
    if (weight === 0) continue;
    found += weight;
    shared++;
  }
  return { score: found / entry.weight, shared };
}

/**
 * What a figure counts: a named class (troops and people are one), money, a share, or the word
 * that follows it ("observers", "km") as its own unit; "other" for a bare number.
 */
type UnitClass = "personnel" | "days" | "months" | "money" | "percent" | `per:${string}` | "other";

const UNIT_CLASSES: Array<[RegExp, UnitClass]> = [
  [/^(troops?|soldiers?|personnel|servicemen|servicemembers|people|men|strong|fighters)$/i, "personnel"],
  [/^days?$/i, "days"],
  [/^(months?|years?)$/i, "months"],
];

function unitClass(figure: { printed: string; context: string | undefined; canonical: string }): UnitClass {
  if (/[$€£¥₽₴]/.test(figure.canonical) || /billion|million|trillion|bn\b/i.test(figure.printed))
    return "money";
  if (figure.canonical.endsWith("%")) return "percent";
  for (const [pattern, unit] of UNIT_CLASSES) if (figure.context && pattern.test(figure.context)) return unit;
  if (figure.context && /^[a-z]+$/i.test(figure.context)) return `per:${stem(figure.context.toLowerCase())}`;
  return "other";
}

/** A figure worth comparing with a clause's: it says what it counts. */
function comparable(figure: { printed: string; context: string | undefined; canonical: string }): boolean {
  const unit = unitClass(figure);
  return unit === "money" || unit === "percent" || (unit !== "other" && figure.context !== undefined);
}

/**
 * The passage with every earlier wording it reports blanked out ("an earlier draft had called for
 * elections within 120 days"): figures there describe a previous text, not the tracked one.
 */
function withoutEarlierWordings(passage: string): string {
  const cues = new RegExp(EARLIER_CUES.source, "gi");
  let out = passage;
  for (const match of passage.matchAll(cues)) {
    const start = match.index ?? 0;
    const rest = passage.slice(start);
    const end = start + (/[.;!?](?:\s|$)/.exec(rest)?.index ?? rest.length);
    out = `${out.slice(0, start)}${" ".repeat(end - start)}${out.slice(end)}`;
  }
  return out;
}

/** Bare small numbers and years are too common to tie a passage to a clause by themselves. */
function telling(figure: { canonical: string }): boolean {
  const value = Number(figure.canonical.replace(/[^\d.]/g, ""));
  if (/[$€£%]/.test(figure.canonical)) return true;
  return value >= 10 && !(value >= 1900 && value <= 2100);
}

interface Link {
  entry: IndexedClause;
  via: MentionVia[];
  score: number;
}

function linksIn(passage: string, index: VersionIndex): Link[] {
  const links = new Map<string, Link>();
  const add = (entry: IndexedClause, via: MentionVia, score: number) => {
    const link = links.get(entry.clause.key) ?? { entry, via: [], score: 0 };
    if (!link.via.includes(via)) link.via.push(via);
    link.score = Math.max(link.score, score);
    links.set(entry.clause.key, link);
  };
  for (const key of references(passage)) {
    const entry = index.byKey.get(key);
    if (entry) add(entry, "reference", 1);
  }
  const passageFigures = figures(passage).filter(telling);
  for (const entry of index.clauses) {
    const wording = wordingScore(index, entry, passage);
    if (wording.shared >= WORDING_TERMS && wording.score >= WORDING_SCORE)
      add(entry, "wording", Math.min(1, wording.score));
    for (const quote of quotes(passage)) {
      const quoted = wordingScore(index, entry, quote.text);
      const quoteTerms = new Set(terms(quote.text)).size;
      if (quoted.shared >= 2 && quoteTerms > 0 && quoted.shared / quoteTerms >= 0.5)
        add(entry, "quote", Math.min(1, 0.5 + quoted.score));
    }
    const sameFigure = passageFigures.some((figure) =>
      entry.figures.some((own) => own.canonical === figure.canonical && unitClass(own) === unitClass(figure)),
    );
    if (sameFigure) add(entry, "figure", 0.6 + Math.min(0.3, wording.score));
    // A figure of the same kind (a troop number, a number of days) about the same subject, even
    // when the value differs: that difference is what a figure mismatch reports.
    const sameKind = passageFigures.some((figure) => {
      const unit = unitClass(figure);
      return (
        unit !== "other" &&
        unit !== "money" &&
        entry.figures.some((own) => unitClass(own) === unit && own.context)
      );
    });
    if (!sameFigure && sameKind && wording.shared >= 2)
      add(entry, "figure", 0.5 + Math.min(0.3, wording.score));
  }
  return [...links.values()].sort((x, y) => y.score - x.score);
}

const EARLIER_CUES =
  /\b(had (?:previously |originally |initially )?(?:called for|stated|said|proposed|required|included|envisaged|provided for)|previously (?:stated|said|called for|required)|originally (?:called for|said|stated|proposed)|an earlier (?:draft|version)|the (?:original|earlier|previous|initial) (?:draft|version|text|wording|plan))\b/i;
const LATER_CUES =
  /\b(was changed to|were changed to|has been changed to|changed (?:it |the language |the wording )?to|was replaced (?:with|by)|replaced (?:it )?with|now (?:says|reads|calls for|states|offers|grants)|instead(?: of)?|amended to|no longer|was dropped|were dropped|dropped|was removed|struck)\b/i;
const NOW_CUE =
  /\b(?:changed (?:it |the language |the wording )?to(?: say)?|replaced (?:it )?(?:with|by)|now (?:says|reads|calls for|states|offers|grants)|amended to(?: say)?|to say)\b/i;

/** The wording a passage attributes to the earlier text: a quote after an earlier-cue, else the phrase after "called for". */
function describedWordings(passage: string): { cue: string; earlier?: string; later?: string } | undefined {
  const folded = foldTypography(passage);
  const earlierCue = EARLIER_CUES.exec(folded);
  const laterCue = LATER_CUES.exec(folded);
  if (!earlierCue && !laterCue) return undefined;
  const cue = (earlierCue ?? laterCue)?.[0] as string;
  let earlier: string | undefined;
  let later: string | undefined;
  for (const quote of quotes(folded)) {
    const before = folded.slice(Math.max(0, quote.at - 80), quote.at);
    if (NOW_CUE.test(before)) later ??= quote.text;
    else if (EARLIER_CUES.test(before)) earlier ??= quote.text;
  }
  if (!earlier && earlierCue) {
    const after = folded.slice((earlierCue.index ?? 0) + earlierCue[0].length);
    const phrase = /^\s*(?:that\s+)?([^.;"“]{12,240})/.exec(after)?.[1]?.trim();
    if (phrase && !/^[,]/.test(phrase))
      earlier = phrase.replace(/\s*,\s*(?:the|a|one|an)\s+\w+\s+(?:said|says)\.?$/i, "");
  }
  return { cue, ...(earlier ? { earlier } : {}), ...(later ? { later } : {}) };
}

const PASSAGE_LIMIT = 600;
const CONTEXT_PASSAGES = 2;

function trimPassage(passage: string): string {
  return excerpt(passage, PASSAGE_LIMIT);
}

/**
 * Links an article's passages to the plan's clauses (explicit references, quotes, wording,
 * matching figures), records change language as reported variants of the clause it concerns,
 * and flags figures the coverage attributes to a clause that the tracked version states otherwise.
 */
export function analyzeCoverage(input: CoverageInput): CoverageAnalysis {
  const latest = input.versions[0];
  const result: CoverageAnalysis = { mentions: [], variants: [], mismatches: [] };
  if (!latest) return result;
  const indexes = input.versions.map(indexVersion);
  const latestIndex = indexes[0] as VersionIndex;
  const base = { planId: input.planId, at: input.at, sourceId: input.sourceId, snapshotId: input.snapshotId };
  const linksPerPassage = input.passages.map((passage) => {
    for (const index of indexes) {
      const links = linksIn(passage, index).slice(0, 3);
      if (links.length > 0) return links;
    }
    return [];
  });

  input.passages.forEach((passage, position) => {
    const links = linksPerPassage[position] ?? [];
    for (const link of links) {
      result.mentions.push({
        type: "mention",
        ...base,
        version: link.entry.version,
        clauseKey: link.entry.clause.key,
        passage: trimPassage(passage),
        via: link.via,
        score: Math.round(link.score * 100) / 100,
      });
      const tracked = figures(link.entry.text).filter(comparable);
      const shown = (figure: { printed: string; context: string | undefined }) =>
        figure.context && !figure.printed.endsWith(figure.context)
          ? `${figure.printed} ${figure.context}`
          : figure.printed;
      const reportedHere = figures(withoutEarlierWordings(passage)).filter(
        (figure) => telling(figure) && comparable(figure),
      );
      for (const reported of reportedHere) {
        const unit = unitClass(reported);
        const same = tracked.filter((figure) => unitClass(figure) === unit);
        // One value of that kind in the clause (however often it is repeated), and not this one.
        const values = new Set(same.map((figure) => figure.canonical));
        if (values.size !== 1 || values.has(reported.canonical)) continue;
        const own = same[0] as (typeof same)[number];
        if (
          result.mismatches.some(
            (m) => m.clauseKey === link.entry.clause.key && m.reported === shown(reported),
          )
        )
          continue;
        result.mismatches.push({
          type: "mismatch",
          ...base,
          version: link.entry.version,
          clauseKey: link.entry.clause.key,
          reported: shown(reported),
          tracked: shown(own),
          passage: trimPassage(passage),
        });
      }
    }

    const described = describedWordings(passage);
    if (!described || (!described.earlier && !described.later)) return;
    // The clause a change report concerns: this passage's own link, else one of the passages just before.
    let concerned: Link | undefined = links[0];
    if (!concerned && described.later) concerned = linksIn(`"${described.later}"`, latestIndex)[0];
    for (let back = 1; !concerned && back <= CONTEXT_PASSAGES; back++)
      concerned = linksPerPassage[position - back]?.[0];
    if (!concerned) return;
    result.variants.push({
      type: "variant",
      ...base,
      version: concerned.entry.version,
      clauseKey: concerned.entry.clause.key,
      ...(described.earlier ? { earlier: described.earlier } : {}),
      ...(described.later ? { later: described.later } : {}),
      cue: described.cue,
      passage: trimPassage(passage),
    });
  });
  return result;
}
