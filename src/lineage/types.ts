import type { DiffSummary } from "../diff/index.js";

/** How a copy relates to the plan's known versions. */
export type Relation = "new-version" | "witness" | "divergent";

/** A version of a plan: the first copy with this text, and where it came from. */
export interface VersionRecord {
  type: "version";
  planId: string;
  /** Stable label in order of first sight: v1, v2, … */
  id: string;
  /** Hash of the clause keys and fingerprints: equal for typographically equal copies. */
  fingerprint: string;
  firstSeen: string;
  sourceId: string;
  snapshotId: string;
  clauses: number;
  /** The closest earlier version, when there is one. */
  parent?: string;
  /** Diff summary from the parent. */
  summary?: DiffSummary;
  headline?: string;
  /** Why this copy is a new version ("new version: 3 figures changed, 1 point removed"). */
  explanation?: string;
  /**
   * The document's clause fingerprints, kept so later copies are ranked against this version
   * without loading its clause set. Records written before they were kept have none.
   */
  clauseFingerprints?: VersionFingerprints;
}

/**
 * A version's clause fingerprints (page text and title aside) as the change from its parent's,
 * or in full for a first version: a few fingerprints per version after the first.
 */
export interface VersionFingerprints {
  /** The reading (`ClauseSet.outline`) they were taken under: another reading fingerprints differently. */
  outline: number;
  /** The version they are relative to (the parent). Absent: `added` is the whole set. */
  base?: string;
  /** Space-separated fingerprints this version has and its base lacks. */
  added: string;
  /** Space-separated fingerprints its base has and this version lacks. */
  dropped?: string;
}

/** One copy seen by one source, and what it was judged to be. */
export interface WitnessRecord {
  type: "witness";
  planId: string;
  version: string;
  sourceId: string;
  snapshotId: string;
  fingerprint: string;
  at: string;
  relation: Relation;
  /** For divergent copies: why, and the clauses where the copy departs. */
  reason?: "paraphrase" | "truncated";
  departures?: string[];
  /** The decision in words ("same version: 11 points reworded, no figures changed"). */
  explanation?: string;
}

export type LineageRecord = VersionRecord | WitnessRecord;

/** The rule that decides whether a copy is the same version, a divergent copy, or a new version. */
export interface LineageRules {
  /**
   * A copy reworded in at least this share of its clauses, with every figure kept (and at most a
   * tenth of its items cut or joined), is a divergent copy — a paraphrase or a translation — not a
   * new version, whatever its wording changes.
   * @default 0.6
   */
  divergentShare: number;
}
