import { normalizeForCompare } from "../clauses/normalize.js";
import { countWords } from "../clauses/tree.js";
import type { Clause, ClauseSet, OutlineWarning } from "../types.js";
import { type Alignment, alignClauses, type Group, type Pair, wordsKey } from "./align.js";
import { compareTexts, type FlagContext, knownNamesOf } from "./flags.js";
import { entryHeadline, headlineNoun } from "./headline.js";
import { references, renumberReferences } from "./quantities.js";
import { clauseDisplay, redline } from "./redline.js";
import type { DiffEntry, DiffResult, DiffSummary, Flag, RedlineOp, Severity } from "./schema.js";
import { maxSeverity, SEVERITY_RANK } from "./severity.js";

export { headlineNoun } from "./headline.js";
export type { DiffEntry, DiffResult, DiffSummary, EntryKind, Flag, RedlineOp, Severity } from "./schema.js";
export { maxSeverity, severities, severityAtLeast } from "./severity.js";

function capSeverity(severity: Severity, cap: Severity): Severity {
  return SEVERITY_RANK[severity] > SEVERITY_RANK[cap] ? cap : severity;
}

interface Context {
  oldSet: ClauseSet;
  newSet: ClauseSet;
  alignment: Alignment;
  flagContext: Omit<FlagContext, "similarity" | "byPosition">;
  redlines: boolean;
}

export interface DiffOptions {
  /** Word-level redlines for changed entries; lineage leaves them out when it only compares candidates. @default true */
  redlines?: boolean;
}

function joinedDisplay(clauses: Clause[]): string {
  return clauses.map(clauseDisplay).join("\n");
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Where an entry stands in the outline, from the clause it is about (the new one, else the old
 * one). A numbered clause one copy reads as the document's keeps the entry out of context, though
 * the other copy read its surroundings differently and took it for context; unnumbered text
 * (page prose, a dateline) read as context on either side stays context.
 */
function place(clause: Clause, counterparts: Clause[] = []): Pick<DiffEntry, "parent" | "depth" | "context"> {
  const context =
    clause.context === true && counterparts.every((other) => other.context === true || other.label === null);
  return {
    ...(clause.parent === undefined ? {} : { parent: clause.parent }),
    depth: clause.depth,
    ...(context ? { context: true as const } : {}),
  };
}

function pages(olds: Clause[], news: Clause[]): Pick<DiffEntry, "pages"> {
  const old = olds.find((clause) => clause.page !== undefined)?.page;
  const now = news.find((clause) => clause.page !== undefined)?.page;
  if (old === undefined && now === undefined) return {};
  return { pages: { ...(old === undefined ? {} : { old }), ...(now === undefined ? {} : { new: now }) } };
}

/** A compared entry's word-level redline, from its joined texts and the flags their comparison gave. */
function comparedRedline(oldText: string, newText: string, flags: Flag[]): RedlineOp[] {
  // A replaced meaning reads best as the old text struck and the new one inserted, not as
  // fragments interleaved around the few function words the two happen to share.
  if (flags.some((flag) => flag.type === "rewrite"))
    return [
      { op: "delete", text: oldText },
      { op: "insert", text: newText },
    ];
  return redline(oldText, newText);
}

function compareEntry(
  context: Context,
  olds: Clause[],
  news: Clause[],
  similarity: number,
  byPosition: boolean,
): Pick<DiffEntry, "severity" | "flags" | "redline" | "similarity"> {
  const oldText = joinedDisplay(olds);
  const newText = joinedDisplay(news);
  const { flags, severity } = compareTexts(oldText, newText, {
    ...context.flagContext,
    similarity,
    byPosition,
  });
  if (!context.redlines) return { severity, similarity: round(similarity), flags };
  return {
    severity,
    similarity: round(similarity),
    flags,
    redline: comparedRedline(oldText, newText, flags),
  };
}

/**
 * The one difference of a pair is cross-references that follow the clauses they cite to their new
 * numbers ("see point 4" → "see point 5" after a point was inserted before it): the clause still
 * says the same, and the flag says which references moved with the numbering.
 */
function followsRenumbering(context: Context, oldClause: Clause, newClause: Clause): Flag | undefined {
  const renumbered = context.flagContext.renumbered;
  if (!renumbered) return undefined;
  const carried = renumberReferences(clauseDisplay(oldClause), renumbered);
  if (carried.carried.length === 0) return undefined;
  const now = clauseDisplay(newClause);
  if (wordsKey(normalizeForCompare(carried.text)) !== wordsKey(normalizeForCompare(now))) return undefined;
  const printedNow = new Map(references(now).references.map((r) => [r.canonical, r.printed]));
  return {
    type: "reference",
    removed: carried.carried.map((r) => r.printed),
    added: carried.carried.map((r) => printedNow.get(r.canonical) ?? r.canonical),
    renumbered: true,
  };
}

function pairEntry(context: Context, pair: Pair): DiffEntry {
  const oldClause = context.oldSet.clauses[pair.a] as Clause;
  const newClause = context.newSet.clauses[pair.b] as Clause;
  const keys = {
    old: [oldClause.key],
    new: [newClause.key],
    ...place(newClause, [oldClause]),
    ...pages([oldClause], [newClause]),
  };
  const sameText = pair.via === "exact" || pair.via === "words";
  if (sameText && !pair.moved) {
    const kind = oldClause.key === newClause.key ? "unchanged" : "renumbered";
    if (pair.via === "exact") return { kind, ...keys, severity: "none" };
    const display = redline(clauseDisplay(oldClause), clauseDisplay(newClause));
    return { kind, ...keys, severity: "cosmetic", similarity: 1, redline: display };
  }
  if (sameText) return { kind: "moved", ...keys, severity: "minor", similarity: 1 };
  const followed = pair.moved ? undefined : followsRenumbering(context, oldClause, newClause);
  if (followed) {
    const kind = oldClause.key === newClause.key ? "unchanged" : "renumbered";
    const display = context.redlines
      ? { redline: redline(clauseDisplay(oldClause), clauseDisplay(newClause)) }
      : {};
    return {
      kind,
      ...keys,
      severity: "cosmetic",
      similarity: round(pair.similarity),
      flags: [followed],
      ...display,
    };
  }
  const compared = compareEntry(context, [oldClause], [newClause], pair.similarity, pair.via === "position");
  if (pair.moved)
    return { kind: "moved", ...keys, ...compared, severity: maxSeverity("minor", compared.severity) };
  return { kind: "modified", ...keys, ...compared };
}

function groupEntry(context: Context, group: Group, kind: "split" | "merged"): DiffEntry {
  const olds = group.old.map((i) => context.oldSet.clauses[i] as Clause);
  const news = group.new.map((i) => context.newSet.clauses[i] as Clause);
  // The same words, cut into clauses differently: a layout change — unless numbered points were
  // joined or divided, which a reader of the numbering notices.
  if (wordsKey(olds.map((c) => c.norm).join(" ")) === wordsKey(news.map((c) => c.norm).join(" "))) {
    const numbered = (clauses: Clause[]) => clauses.filter((clause) => clause.label !== null).length;
    const points = Math.max(numbered(olds), numbered(news)) >= 2;
    return {
      kind,
      old: olds.map((c) => c.key),
      new: news.map((c) => c.key),
      ...place(news[0] as Clause, [...olds, ...news.slice(1)]),
      ...pages(olds, news),
      severity: points ? "minor" : "cosmetic",
      similarity: 1,
    };
  }
  const compared = compareEntry(context, olds, news, group.similarity, false);
  return {
    kind,
    old: olds.map((c) => c.key),
    new: news.map((c) => c.key),
    ...place(news[0] as Clause, [...olds, ...news.slice(1)]),
    ...pages(olds, news),
    ...compared,
    severity: maxSeverity("minor", compared.severity),
  };
}

function soloEntry(clause: Clause, kind: "added" | "removed"): DiffEntry {
  const text = clauseDisplay(clause);
  return {
    kind,
    old: kind === "removed" ? [clause.key] : [],
    new: kind === "added" ? [clause.key] : [],
    ...place(clause),
    ...(clause.page === undefined
      ? {}
      : { pages: kind === "added" ? { new: clause.page } : { old: clause.page } }),
    severity: text.trim() === "" ? "cosmetic" : "substantive",
    redline: [{ op: kind === "added" ? "insert" : "delete", text }],
  };
}

interface Placed {
  entry: DiffEntry;
  newAt: number;
  oldAt: number[];
}

/** Entries in new-version order; a removed clause sits right after the entry holding its old predecessor. */
function orderEntries(placed: Placed[], removed: Array<{ oldAt: number; entry: DiffEntry }>): DiffEntry[] {
  const ordered = [...placed].sort((x, y) => x.newAt - y.newAt);
  const afterEntry = new Map<number, DiffEntry[]>();
  const leading: DiffEntry[] = [];
  const oldToEntry = new Map<number, number>();
  ordered.forEach((item, position) => {
    for (const a of item.oldAt) oldToEntry.set(a, position);
  });
  for (const { oldAt, entry } of removed) {
    let anchor: number | undefined;
    for (let a = oldAt - 1; a >= 0 && anchor === undefined; a--) anchor = oldToEntry.get(a);
    if (anchor === undefined) leading.push(entry);
    else afterEntry.set(anchor, [...(afterEntry.get(anchor) ?? []), entry]);
  }
  const out = [...leading];
  ordered.forEach((item, position) => {
    out.push(item.entry, ...(afterEntry.get(position) ?? []));
  });
  return out;
}

function summarize(entries: DiffEntry[]): DiffSummary {
  const summary: DiffSummary = {
    unchanged: 0,
    modified: 0,
    removed: 0,
    added: 0,
    split: 0,
    merged: 0,
    moved: 0,
    renumbered: 0,
  };
  for (const entry of entries) summary[entry.kind]++;
  return summary;
}

function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

/** Text around the document (page prose, navigation) changes at most minor: it is not the document. */
/** Flags that change what a numbered clause says, wherever the outline put it. */
const MEANINGFUL = new Set<Flag["type"]>(["number", "negation", "modality", "obligation", "condition"]);

/**
 * A change in text read as context that still carries its full weight: a figure, a duty, a
 * permission or a negation changed in a numbered clause (an annex's item, a second list, a
 * numbered note, a quoted new clause). Unnumbered prose around a list — an outlet's introduction
 * or a quotation, a dateline — stays at most minor: it is about the document, not of it.
 */
function weighty(
  entry: DiffEntry,
  oldClauses: Map<string, Clause>,
  newClauses: Map<string, Clause>,
): boolean {
  const flags = entry.flags ?? [];
  if (!flags.some((flag) => MEANINGFUL.has(flag.type)) || flags.some((flag) => flag.type === "rewrite"))
    return false;
  return [
    ...entry.old.map((key) => oldClauses.get(key)),
    ...entry.new.map((key) => newClauses.get(key)),
  ].every((clause) => clause !== undefined && clause.label !== null);
}

function settle(
  entry: DiffEntry,
  newSet: ClauseSet,
  oldClauses: Map<string, Clause>,
  newClauses: Map<string, Clause>,
): DiffEntry {
  const noun = headlineNoun(newSet);
  const title = [...entry.old, ...entry.new].includes("Title");
  // Page furniture that comes or goes (a table's header row, a "Most read" label) is layout.
  const furniture =
    entry.context &&
    (entry.kind === "added" || entry.kind === "removed") &&
    wordCount(entry.redline?.[0]?.text ?? "") <= 4;
  const cap: Severity = furniture ? "cosmetic" : "minor";
  const capped =
    title || (entry.context && !weighty(entry, oldClauses, newClauses))
      ? { ...entry, severity: capSeverity(entry.severity, cap) }
      : entry;
  if (capped.severity === "none") return capped;
  return { ...capped, headline: entryHeadline(capped, noun) };
}

function side(set: ClauseSet, extra: OutlineWarning[] = []) {
  return {
    source: set.source,
    clauses: set.clauses.length,
    ...(set.title ? { title: set.title } : {}),
    coverage: set.coverage,
    warnings: [...set.warnings, ...extra],
  };
}

/** Removed clauses at the old copy's end that say a copy may be cut off: at least this many, or this share of its words. */
const CUT_OFF_CLAUSES = 3;
const CUT_OFF_SHARE = 0.2;

/**
 * Everything after some clause of the old copy gone from the new one, and much of it: a copy cut
 * off by a paywall, a page limit or a failed load looks like this, so the new side says so.
 */
function cutOffWarnings(oldSet: ClauseSet, newSet: ClauseSet, alignment: Alignment): OutlineWarning[] {
  const words = (clauses: Clause[]) =>
    clauses.reduce((sum, clause) => sum + countWords(`${clause.heading ?? ""} ${clause.text}`), 0);
  const trailing = (count: number, gone: Set<number>) => {
    let start = count;
    while (start > 0 && gone.has(start - 1)) start--;
    return start;
  };
  const start = trailing(oldSet.clauses.length, new Set(alignment.removed));
  const tail = oldSet.clauses.slice(start).filter((clause) => !clause.context);
  if (start === 0 || tail.length === 0) return [];
  const tailWords = words(tail);
  if (tail.length < CUT_OFF_CLAUSES && tailWords < CUT_OFF_SHARE * oldSet.coverage.words) return [];
  // A copy cut off ends where the old text stops (a "subscribe to read on" line at most); a rewritten ending does not.
  const ending = newSet.clauses.slice(trailing(newSet.clauses.length, new Set(alignment.added)));
  if (words(ending) > CUT_OFF_SHARE * tailWords) return [];
  const last = oldSet.clauses[start - 1] as Clause;
  return [
    {
      code: "shorter-copy",
      message: `this copy ends after ${last.key}: ${tail.length === 1 ? "the clause" : `the ${tail.length} clauses`} after it (${tailWords} words) ${tail.length === 1 ? "is" : "are"} missing. A cut-off copy (a paywall, a page limit)?`,
      at: last.key,
    },
  ];
}

/** A clause's number as a cross-reference cites it: `4.2.3`, `Section 5` → `5`, `Article IV` → `iv`, `3(2)(b)`. */
function citedNumber(key: string): string | undefined {
  return /^(?:\p{L}+\.?\s+)?(\d[\w.()]*|[IVXLCDM]+(?:\(\w+\))*)$/u.exec(key)?.[1]?.toLowerCase();
}

/** Old number → new number of every paired clause whose number changed, where one old number names one clause. */
function renumbering(oldSet: ClauseSet, newSet: ClauseSet, alignment: Alignment): Map<string, string> {
  const out = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const pair of alignment.pairs) {
    const was = citedNumber((oldSet.clauses[pair.a] as Clause).key);
    const now = citedNumber((newSet.clauses[pair.b] as Clause).key);
    if (was === undefined || now === undefined || conflicting.has(was)) continue;
    if (out.has(was) && out.get(was) !== now) {
      out.delete(was);
      conflicting.add(was);
    } else out.set(was, now);
  }
  for (const [was, now] of out) if (was === now) out.delete(was);
  return out;
}

/** Words a plain numbered list's own clauses go by in cross-references ("see paragraph 4"). */
const OWN_REFERENCE_WORDS = new Set(["point", "paragraph", "clause", "item", "section"]);

/** "Article 5 of the Charter": a reference into another document. */
const OF_ANOTHER = /^\s*(?:of|in|under)\s+(?:the\s+)?\p{Lu}/u;

/**
 * Cross-references the new copy left as they were though the clause they cited was renumbered
 * ("see point 4" kept after the old point 4 became point 5): the reference now points at another
 * clause, or at none. References into other documents ("Article 5 of the Charter"), and those in
 * a word other than the one this document numbers its clauses by, are left alone.
 */
function staleReferenceWarnings(
  oldSet: ClauseSet,
  newSet: ClauseSet,
  alignment: Alignment,
  renumbered: Map<string, string>,
): OutlineWarning[] {
  if (renumbered.size === 0) return [];
  const noun = headlineNoun(newSet).toLowerCase();
  const own = (base: string) => base === noun || (noun === "point" && OWN_REFERENCE_WORDS.has(base));
  const numbersNow = new Set(newSet.clauses.map((clause) => citedNumber(clause.key)));
  const warnings: OutlineWarning[] = [];
  for (const pair of alignment.pairs) {
    const oldClause = oldSet.clauses[pair.a] as Clause;
    const newClause = newSet.clauses[pair.b] as Clause;
    const text = clauseDisplay(newClause);
    const before = new Set(references(clauseDisplay(oldClause)).references.map((r) => r.canonical));
    const stale = references(text).references.filter((reference) => {
      const space = reference.canonical.lastIndexOf(" ");
      const cited = reference.canonical.slice(space + 1);
      const now = renumbered.get(cited);
      const after = text.slice((reference.at ?? 0) + reference.printed.length);
      return (
        now !== undefined &&
        before.has(reference.canonical) &&
        own(reference.canonical.slice(0, space)) &&
        !OF_ANOTHER.test(after)
      );
    });
    if (stale.length === 0) continue;
    const described = stale.map((reference) => {
      const cited = reference.canonical.slice(reference.canonical.lastIndexOf(" ") + 1);
      const now = renumbered.get(cited) as string;
      const there = numbersNow.has(cited)
        ? "another clause has that number now"
        : "no clause has that number now";
      return `${reference.printed} (the old ${cited} is now ${now}; ${there})`;
    });
    warnings.push({
      code: "stale-reference",
      message: `${newClause.key} still cites ${described.join(", ")}: a cross-reference not updated after renumbering?`,
      at: newClause.key,
    });
  }
  return warnings;
}

/**
 * Compares two outlines clause by clause (the `clausewatch.diff/2` contract): every clause of both
 * versions appears in exactly one entry, in new-version order, removed clauses where they stood.
 */
export function diffClauses(oldSet: ClauseSet, newSet: ClauseSet, options: DiffOptions = {}): DiffResult {
  const alignment = alignClauses(oldSet.clauses, newSet.clauses);
  let names: Set<string> | undefined;
  const knownNames = () => {
    names ??= knownNamesOf([...oldSet.clauses, ...newSet.clauses].map(clauseDisplay));
    return names;
  };
  const renumbered = renumbering(oldSet, newSet, alignment);
  const context: Context = {
    oldSet,
    newSet,
    alignment,
    flagContext: {
      knownNames,
      weight: (word) => alignment.corpus.idf(word),
      ...(renumbered.size > 0 ? { renumbered: (number: string) => renumbered.get(number) } : {}),
    },
    redlines: options.redlines ?? true,
  };

  const placed: Placed[] = [
    ...alignment.pairs.map((pair) => ({ entry: pairEntry(context, pair), newAt: pair.b, oldAt: [pair.a] })),
    ...alignment.splits.map((group) => ({
      entry: groupEntry(context, group, "split"),
      newAt: Math.min(...group.new),
      oldAt: group.old,
    })),
    ...alignment.merges.map((group) => ({
      entry: groupEntry(context, group, "merged"),
      newAt: Math.min(...group.new),
      oldAt: group.old,
    })),
    ...alignment.added.map((b) => ({
      entry: soloEntry(newSet.clauses[b] as Clause, "added"),
      newAt: b,
      oldAt: [] as number[],
    })),
  ];
  const removed = alignment.removed.map((a) => ({
    oldAt: a,
    entry: soloEntry(oldSet.clauses[a] as Clause, "removed"),
  }));
  const byKey = (set: ClauseSet) => new Map(set.clauses.map((clause) => [clause.key, clause]));
  const oldClauses = byKey(oldSet);
  const newClauses = byKey(newSet);
  const entries = orderEntries(placed, removed).map((entry) => settle(entry, newSet, oldClauses, newClauses));
  return {
    schema: "clausewatch.diff/2",
    old: side(oldSet),
    new: side(newSet, [
      ...cutOffWarnings(oldSet, newSet, alignment),
      ...staleReferenceWarnings(oldSet, newSet, alignment, renumbered),
    ]),
    summary: summarize(entries),
    severity: maxSeverity(...entries.map((entry) => entry.severity)),
    entries,
  };
}

/**
 * The full diff from one made without redlines (`{ redlines: false }`) of the same two sets: the
 * redlines of the compared entries added, everything else as it was. Lineage compares a copy with
 * several candidate versions without redlines and keeps one; this completes the kept one without
 * aligning and comparing the pair a second time. Equal to `diffClauses(oldSet, newSet)`.
 */
export function withRedlines(result: DiffResult, oldSet: ClauseSet, newSet: ClauseSet): DiffResult {
  const byKey = (set: ClauseSet) => new Map(set.clauses.map((clause) => [clause.key, clause]));
  const olds = byKey(oldSet);
  const news = byKey(newSet);
  const texts = (keys: string[], clauses: Map<string, Clause>) =>
    joinedDisplay(keys.map((key) => clauses.get(key) as Clause));
  const entries = result.entries.map((entry) => {
    if (entry.flags === undefined || entry.redline !== undefined) return entry;
    const { headline, ...rest } = entry;
    const ops = comparedRedline(texts(entry.old, olds), texts(entry.new, news), entry.flags);
    // The key order of a diff made with redlines: the redline before the headline.
    return { ...rest, redline: ops, ...(headline === undefined ? {} : { headline }) };
  });
  return { ...result, entries };
}
