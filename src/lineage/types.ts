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
}

export type LineageRecord = VersionRecord | WitnessRecord;

/** The rule that decides whether a copy is the same version, a divergent copy, or a new version. */
export interface LineageRules {
  /**
   * A copy with no substantive change and at most this share of clauses changed in minor
   * wording is another witness of the same version.
   * @default 0.1
   */
  minorShare: number;
  /**
   * A copy whose wording departs in at least this share of clauses while keeping the structure
   * (few clauses added or removed) is a divergent copy — a paraphrase — not a new version.
   * @default 0.6
   */
  divergentShare: number;
}
