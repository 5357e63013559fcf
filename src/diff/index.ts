import type { Clause, ClauseSet } from "../types.js";
import { type Alignment, alignClauses, type Group, type Pair } from "./align.js";
import { type FlagContext, flagsFor, knownNamesOf, type TermChange } from "./flags.js";
import { clauseDisplay, redline } from "./redline.js";
import type { DiffEntry, DiffResult, DiffSummary, Flag, Severity } from "./schema.js";

export type { DiffEntry, DiffResult, DiffSummary, EntryKind, Flag, RedlineOp, Severity } from "./schema.js";
export { DiffResult as DiffResultSchema, diffJsonSchema, severities } from "./schema.js";

const SEVERITY_RANK: Record<Severity, number> = { none: 0, cosmetic: 1, minor: 2, substantive: 3 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

function maxSeverity(...values: Severity[]): Severity {
  return values.reduce((top, value) => (SEVERITY_RANK[value] > SEVERITY_RANK[top] ? value : top), "none");
}

const MEANING_FLAGS = new Set<Flag["type"]>(["number", "entity", "negation", "modality", "rewrite"]);

/**
 * Substantive when a figure, name, negation or modality moved, or many content words did. Pairs
 * reaching here differ in their words (equal words are settled earlier), so never below minor.
 */
function textualSeverity(flags: Flag[], terms: TermChange): Severity {
  if (flags.some((flag) => MEANING_FLAGS.has(flag.type))) return "substantive";
  const changedTerms = terms.removed.length + terms.added.length;
  if (changedTerms >= 4 || terms.ratio >= 0.25) return "substantive";
  return "minor";
}

interface Context {
  oldSet: ClauseSet;
  newSet: ClauseSet;
  alignment: Alignment;
  flagContext: Omit<FlagContext, "similarity" | "byPosition">;
}

function joinedDisplay(clauses: Clause[]): string {
  return clauses.map(clauseDisplay).join("\n");
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
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
  const { flags, terms } = flagsFor(oldText, newText, { ...context.flagContext, similarity, byPosition });
  // A replaced meaning reads best as the old text struck and the new one inserted, not as
  // fragments interleaved around the few function words the two happen to share.
  const rewritten = flags.some((flag) => flag.type === "rewrite");
  return {
    severity: textualSeverity(flags, terms),
    similarity: round(similarity),
    flags,
    redline: rewritten
      ? [
          { op: "delete", text: oldText },
          { op: "insert", text: newText },
        ]
      : redline(oldText, newText),
  };
}

function pairEntry(context: Context, pair: Pair): DiffEntry {
  const oldClause = context.oldSet.clauses[pair.a] as Clause;
  const newClause = context.newSet.clauses[pair.b] as Clause;
  const keys = { old: [oldClause.key], new: [newClause.key] };
  const sameText = pair.via === "exact" || pair.via === "words";
  if (sameText && !pair.moved) {
    const kind = oldClause.key === newClause.key ? "unchanged" : "renumbered";
    if (pair.via === "exact") return { kind, ...keys, severity: "none" };
    const display = redline(clauseDisplay(oldClause), clauseDisplay(newClause));
    return { kind, ...keys, severity: "cosmetic", similarity: 1, redline: display };
  }
  if (sameText) return { kind: "moved", ...keys, severity: "minor", similarity: 1 };
  const compared = compareEntry(context, [oldClause], [newClause], pair.similarity, pair.via === "position");
  if (pair.moved)
    return { kind: "moved", ...keys, ...compared, severity: maxSeverity("minor", compared.severity) };
  return { kind: "modified", ...keys, ...compared };
}

function groupEntry(context: Context, group: Group, kind: "split" | "merged"): DiffEntry {
  const olds = group.old.map((i) => context.oldSet.clauses[i] as Clause);
  const news = group.new.map((i) => context.newSet.clauses[i] as Clause);
  const compared = compareEntry(context, olds, news, group.similarity, false);
  return {
    kind,
    old: olds.map((c) => c.key),
    new: news.map((c) => c.key),
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
    severity: "substantive",
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

/**
 * Compares two clause sets clause by clause (the `clausewatch.diff/1` contract): every clause of
 * both versions appears in exactly one entry, in new-version order, removed clauses where they stood.
 */
export function diffClauses(oldSet: ClauseSet, newSet: ClauseSet): DiffResult {
  const alignment = alignClauses(oldSet.clauses, newSet.clauses);
  let names: Set<string> | undefined;
  const knownNames = () => {
    names ??= knownNamesOf([...oldSet.clauses, ...newSet.clauses].map(clauseDisplay));
    return names;
  };
  const context: Context = {
    oldSet,
    newSet,
    alignment,
    flagContext: { knownNames, weight: alignment.corpus.idf },
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
  const entries = orderEntries(placed, removed);
  const side = (set: ClauseSet) => ({
    source: set.source,
    clauses: set.clauses.length,
    ...(set.title ? { title: set.title } : {}),
  });
  return {
    schema: "clausewatch.diff/1",
    old: side(oldSet),
    new: side(newSet),
    summary: summarize(entries),
    severity: maxSeverity(...entries.map((entry) => entry.severity)),
    entries,
  };
}
