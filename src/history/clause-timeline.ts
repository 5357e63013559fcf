/**
 * One clause through every version of a plan, followed through renumbering along each version's
 * comparison with the version it derives from (its lineage parent, else the one before).
 */
import type { CoverageRecord, MentionRecord, MismatchRecord, VariantRecord } from "../coverage/types.js";
import type { DiffResult } from "../diff/index.js";
import type { VersionRecord } from "../lineage/index.js";
import { clauseNoun } from "../report/headline.js";
import type { ClauseSet } from "../types.js";
import { changeAnchor } from "./anchors.js";
import type { Edge } from "./edges.js";
import type { ClauseAtVersion, ClauseTimeline } from "./types.js";

export interface ClauseTimelineInput {
  planId: string;
  key: string;
  /** The version `key` is read in; by default the first version that has a clause with that key. */
  version?: string;
  /** The plan's versions in lineage order. */
  versions: VersionRecord[];
  /** Clause sets by version id (versions whose snapshot is missing are left out). */
  texts: Map<string, ClauseSet>;
  /** The comparison of two versions without redlines (cheap, cached by the caller). */
  edge(from: VersionRecord, to: VersionRecord): Edge;
  /** The full comparison, asked for only where the clause changed. */
  diff(from: VersionRecord, to: VersionRecord): DiffResult;
  coverage: CoverageRecord[];
}

export function buildClauseTimeline(input: ClauseTimelineInput): ClauseTimeline | undefined {
  const { versions, texts, key, planId } = input;
  const has = (versionId: string, clauseKey: string) =>
    texts.get(versionId)?.clauses.some((clause) => clause.key === clauseKey) ?? false;
  const anchor = input.version
    ? versions.find((version) => version.id === input.version && has(version.id, key))
    : versions.find((version) => has(version.id, key));
  if (input.version && !anchor) return undefined;

  const previousOf = new Map<string, VersionRecord>();
  for (const [index, version] of versions.entries()) {
    const previous = version.parent
      ? versions.find((candidate) => candidate.id === version.parent)
      : versions[index - 1];
    if (previous && texts.has(previous.id) && texts.has(version.id)) previousOf.set(version.id, previous);
  }
  const edgeInto = (version: VersionRecord): Edge | undefined => {
    const previous = previousOf.get(version.id);
    return previous ? input.edge(previous, version) : undefined;
  };

  // Follow the clause through renumbering, forwards and backwards along the comparisons.
  const keyIn = new Map<string, string>();
  if (anchor) keyIn.set(anchor.id, key);
  for (let grew = anchor !== undefined; grew; ) {
    grew = false;
    for (const version of versions) {
      const previous = previousOf.get(version.id);
      if (!previous) continue;
      const oldKey = keyIn.get(previous.id);
      const newKey = keyIn.get(version.id);
      if ((oldKey === undefined) === (newKey === undefined)) continue;
      const edge = edgeInto(version);
      if (!edge) continue;
      if (oldKey !== undefined) {
        const next = edge.byOld.get(oldKey)?.new[0];
        if (next !== undefined) {
          keyIn.set(version.id, next);
          grew = true;
        }
      } else if (newKey !== undefined) {
        const before = edge.byNew.get(newKey)?.old[0];
        if (before !== undefined) {
          keyIn.set(previous.id, before);
          grew = true;
        }
      }
    }
  }

  const rows = versions.map((version): ClauseAtVersion => {
    const ownKey = keyIn.get(version.id);
    const previous = previousOf.get(version.id);
    const previousKey = previous ? keyIn.get(previous.id) : undefined;
    const edge = edgeInto(version);
    const entry =
      ownKey !== undefined
        ? edge?.byNew.get(ownKey)
        : previousKey !== undefined
          ? edge?.byOld.get(previousKey)
          : undefined;
    // Redlines only where the clause changed: the full comparison costs the most.
    const redline =
      previous && entry && entry.kind !== "unchanged"
        ? input.diff(previous, version).entries.find((candidate) => changeAnchor(candidate) === entry.anchor)
            ?.redline
        : undefined;
    const clause =
      ownKey === undefined ? undefined : texts.get(version.id)?.clauses.find((c) => c.key === ownKey);
    return {
      version: version.id,
      firstSeen: version.firstSeen,
      snapshotId: version.snapshotId,
      ...(clause
        ? {
            key: clause.key,
            printed: clause.printed,
            text: clause.text,
            ...(clause.heading ? { heading: clause.heading } : {}),
            ...(clause.page === undefined ? {} : { page: clause.page }),
          }
        : {}),
      ...(previous && entry ? { against: previous.id } : {}),
      ...(entry
        ? {
            kind: entry.kind,
            severity: entry.severity,
            ...(entry.flags ? { flags: entry.flags } : {}),
            ...(redline ? { redline } : {}),
          }
        : {}),
    };
  });
  const related = input.coverage.filter((record) =>
    keyIn.has(record.version)
      ? keyIn.get(record.version) === record.clauseKey
      : !anchor && record.clauseKey === key,
  );
  if (!anchor && related.length === 0) return undefined;
  const anchorSet = anchor ? texts.get(anchor.id) : undefined;
  return {
    planId,
    key,
    ...(anchor ? { anchor: anchor.id } : {}),
    noun: anchorSet ? clauseNoun(anchorSet) : "Point",
    versions: rows,
    mentions: related.filter((record): record is MentionRecord => record.type === "mention"),
    reported: related
      .filter((record): record is VariantRecord => record.type === "variant")
      .map((record) => ({ ...record, reported: true as const })),
    mismatches: related.filter((record): record is MismatchRecord => record.type === "mismatch"),
  };
}
