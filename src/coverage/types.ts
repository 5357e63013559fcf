/** How a passage of coverage was tied to a clause. */
export type MentionVia = "reference" | "figure" | "wording" | "quote";

/** A passage of a coverage article linked to a clause of one of the plan's versions. */
export interface MentionRecord {
  type: "mention";
  planId: string;
  at: string;
  sourceId: string;
  snapshotId: string;
  /** The version whose clause it matched (the newest one it matches). */
  version: string;
  clauseKey: string;
  /** The passage as printed (a paragraph, at most ~600 characters). */
  passage: string;
  via: MentionVia[];
  /** 0–1: how sure the link is. */
  score: number;
}

/**
 * Coverage that pairs a clause with change language ("had called for", "was changed to"):
 * the wording it describes as earlier (or later) is a reported variant of that clause.
 */
export interface VariantRecord {
  type: "variant";
  planId: string;
  at: string;
  sourceId: string;
  snapshotId: string;
  version: string;
  clauseKey: string;
  /** The wording the coverage says the clause had before, when it says one. */
  earlier?: string;
  /** The wording the coverage says the clause has now (or will have). */
  later?: string;
  /** The change phrase that triggered it ("had previously stated"). */
  cue: string;
  passage: string;
}

/** Coverage attributes a figure to a clause that the tracked version states differently. */
export interface MismatchRecord {
  type: "mismatch";
  planId: string;
  at: string;
  sourceId: string;
  snapshotId: string;
  version: string;
  clauseKey: string;
  /** The figure as the coverage prints it ("800,000 troops"). */
  reported: string;
  /** The figure as the tracked clause prints it ("600,000 personnel"). */
  tracked: string;
  passage: string;
}

export type CoverageRecord = MentionRecord | VariantRecord | MismatchRecord;
