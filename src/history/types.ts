/**
 * The history's read model: plain JSON values that the web view renders and its API serves as
 * they are. `openHistory` (read.ts) assembles them from the store.
 */
import type { Config, PlanConfig, SourceConfig } from "../config/index.js";
import type { MentionRecord, MismatchRecord, VariantRecord } from "../coverage/types.js";
import type { DiffEntry, DiffResult, RedlineOp, Severity } from "../diff/index.js";
import type { DiscoveredEntry } from "../discover/read.js";
import type { Relation, VersionRecord, WitnessRecord } from "../lineage/index.js";
import type { SnapshotRecord, SnapshotStore, SourceEvent, SourceState } from "../store/index.js";
import type { ClauseKind, ClauseSet, OutlineWarning } from "../types.js";
import type { SourceChange } from "../worker/types.js";

/** Where a copy came from: what a citation needs. */
export interface Provenance {
  snapshotId: string;
  sourceId: string;
  url: string;
  finalUrl: string;
  status: number;
  fetchedAt: string;
  /** sha256 hex of the raw body as fetched. */
  bodyHash: string;
  clauseSetHash: string;
  extractorVersion: string;
  contentType?: string;
  charset?: string;
  etag?: string;
  lastModified?: string;
}

/** One copy of a version seen by one source. */
export interface WitnessSighting {
  sourceId: string;
  snapshotId: string;
  at: string;
  relation: Relation;
  reason?: WitnessRecord["reason"];
  departures?: string[];
}

export interface VersionSummary {
  /** v1, v2, … */
  id: string;
  firstSeen: string;
  /** The source that first carried this text, and the snapshot holding it. */
  sourceId: string;
  snapshotId: string;
  fingerprint: string;
  clauses: number;
  parent?: string;
  headline?: string;
  /** Diff summary from the parent (lineage's own record). */
  summary?: VersionRecord["summary"];
  /** Clauses changed from the parent: everything but unchanged and renumbered. */
  changes: number;
  /**
   * What changed from the parent in words ("Point 6: 600,000 → 800,000 people; Point 3 removed"),
   * from the project's digest headline; absent for a first version or a missing text.
   */
  whatChanged?: string;
  /** The outline's size as a reader recognises it ("28 points, 56 clauses"). */
  size?: string;
  /** The first copy's provenance; absent when the snapshot is missing from the store. */
  provenance?: Provenance;
  /** Copies that carry this text (the first one included). */
  witnesses: WitnessSighting[];
  /** Copies that were judged a divergent rendering of this version (paraphrased, truncated). */
  divergent: WitnessSighting[];
}

/** A wording that coverage reports a clause had (or will have): evidence, not a fetched text. */
export type ReportedVariant = VariantRecord & { reported: true };

export interface PlanSummary {
  id: string;
  title: string;
  description?: string;
  versions: number;
  latest?: { id: string; firstSeen: string };
  sources: string[];
  changes: number;
  reportedVariants: number;
}

export interface SourceRef {
  id: string;
  title?: string;
  url: string;
  role: SourceConfig["role"];
  plan: string;
}

export interface PlanTimeline {
  plan: PlanConfig;
  /** Oldest first. */
  versions: VersionSummary[];
  /** Reported variants from coverage, marked `reported: true`. */
  reported: ReportedVariant[];
  mismatches: MismatchRecord[];
  mentions: number;
  /** Changes recorded for the plan's sources, oldest first. */
  changes: SourceChange[];
  sources: SourceRef[];
  /** Coverage articles found by the plan's feeds and sitemaps, newest first. */
  discovered: DiscoveredEntry[];
  /** Versions and coverage mentions over time. */
  chart: TimelineChart;
}

/** One side of a comparison. */
export interface CompareSide {
  /** The reference as asked (`v2` or a snapshot id). */
  ref: string;
  /** The version this text is (or witnesses), when the lineage knows it. */
  version?: string;
  /** When that version was first seen. */
  firstSeen?: string;
  snapshotId: string;
  sourceId: string;
  provenance: Provenance;
  clauseSet: ClauseSet;
}

export interface Comparison {
  planId: string;
  planTitle: string;
  /** The plan's versions in lineage order (the version picker's choices). */
  versions: string[];
  from: CompareSide;
  to: CompareSide;
  diff: DiffResult;
  /** How the document names its clauses ("Point", "Article", "§"). */
  noun: string;
}

export interface ClauseAtVersion {
  version: string;
  firstSeen: string;
  snapshotId: string;
  /** The clause's key in this version (it may have been renumbered); absent when the version lacks it. */
  key?: string;
  printed?: string;
  text?: string;
  heading?: string;
  /** Page the clause starts on, for paged documents (PDF). */
  page?: number;
  /** The version it is compared with (the lineage parent, else the previous version). */
  against?: string;
  /** What happened to the clause since `against`. */
  kind?: DiffEntry["kind"];
  severity?: DiffEntry["severity"];
  flags?: DiffEntry["flags"];
  redline?: RedlineOp[];
}

export interface ClauseTimeline {
  planId: string;
  key: string;
  /** The version `key` was read in; absent when only coverage mentions the key. */
  anchor?: string;
  noun: string;
  versions: ClauseAtVersion[];
  mentions: MentionRecord[];
  reported: ReportedVariant[];
  mismatches: MismatchRecord[];
}

export interface SnapshotEntry extends Provenance {
  /** What the lineage made of this copy, for draft sources. */
  lineage?: { version: string; relation: Relation };
  clauses: number;
  title?: string;
}

export interface SourceSummary extends SourceRef {
  health: SourceState["health"] | "unknown";
  lastCheckAt?: string;
  lastSuccessAt?: string;
  lastChangeAt?: string;
  consecutiveFailures: number;
  lastError?: SourceState["lastError"];
  snapshots: number;
}

export interface SourceHistory {
  source: SourceSummary;
  state?: SourceState;
  /** Oldest first. */
  events: SourceEvent[];
  /** Oldest first. */
  snapshots: SnapshotEntry[];
  changes: SourceChange[];
}

export interface HistoryMetrics {
  /** Distinct worker runs seen in the event logs. */
  cycles: number;
  /** Per source: fetch durations (ms) from the events that carry one. */
  durations: Record<string, number[]>;
  /** Per source: failed checks. */
  failures: Record<string, number>;
  /** Per kind: recorded changes. */
  changes: Record<string, number>;
  alerts: { pending: number; dead: number };
  sourcesBroken: number;
  sources: number;
}

export interface HistoryOptions {
  /** Plans, sources and where the store is (`storage`; the fs store in `storageDir` without it). */
  config: Pick<Config, "storageDir" | "plans" | "sources"> & Partial<Pick<Config, "storage">>;
  /** A store to read instead of opening the configured one read-only (tests, memory store). */
  store?: SnapshotStore;
}

/**
 * Lookups answer `undefined` for an unknown plan, version, snapshot, clause or source, so
 * callers choose between 404 and an error of their own.
 */
export interface History {
  plans(): Promise<PlanSummary[]>;
  /**
   * The timeline. Each version's `whatChanged` takes a comparison with its parent, so with `page`
   * only the versions on that page of the timeline (newest first, `perPage` a page) get one.
   */
  plan(planId: string, options?: { page?: number; perPage?: number }): Promise<PlanTimeline | undefined>;
  /** `from` and `to` are version labels (`v2`) or snapshot ids (16 hex digits) of the plan's sources. */
  compare(planId: string, from: string, to: string): Promise<Comparison | undefined>;
  /**
   * One clause through every version, followed through renumbering. `key` is its key in
   * `options.version`, or by default in the first version that has a clause with that key.
   */
  clause(planId: string, key: string, options?: { version?: string }): Promise<ClauseTimeline | undefined>;
  /** A version's (or snapshot's) full text with its provenance, for exports. */
  text(planId: string, ref: string): Promise<CompareSide | undefined>;
  /** One version as a document: its outline, provenance, witnesses, coverage and warnings. */
  version(planId: string, ref: string): Promise<VersionView | undefined>;
  /** Clauses × versions over a window of versions (every version is compared with the one before). */
  map(planId: string, options?: MapOptions): Promise<ClauseMap | undefined>;
  /** Every version's clauses and every coverage passage of the plan that contain the query's terms. */
  search(planId: string, query: string): Promise<SearchResults | undefined>;
  sources(): Promise<SourceSummary[]>;
  source(sourceId: string): Promise<SourceHistory | undefined>;
  /** A snapshot of the source with its raw body as fetched. */
  snapshotBody(
    sourceId: string,
    snapshotId: string,
  ): Promise<{ snapshot: SnapshotRecord; body: Buffer } | undefined>;
  /** The raw body with this sha256, when stored. */
  body(hash: string): Promise<Buffer | undefined>;
  metrics(): Promise<HistoryMetrics>;
  /** Whether the store can be read now (`/healthz`). */
  readable(): Promise<boolean>;
  close(): Promise<void>;
}

// ── one version as a document ────────────────────────────────────────────────────────────────

/** One clause of a version, as the version page prints it. */
export interface VersionClause {
  /** The clause's path (`26`, `5.1(a)`, `Privacy ¶2`). */
  key: string;
  /** Its anchor on the version page (`clause-26`), derived from the path. */
  anchor: string;
  printed: string;
  kind: ClauseKind;
  depth: number;
  parent?: string;
  heading?: string;
  text: string;
  /** Text around the document (page prose, a table of contents), not of it. */
  context?: true;
  page?: number;
}

/** A copy of the version held by one source, with where it was fetched. */
export interface VersionCopy extends WitnessSighting {
  title?: string;
  url?: string;
  bodyHash?: string;
}

export interface VersionView {
  planId: string;
  planTitle: string;
  /** v1, v2, …; absent for a snapshot the lineage never judged. */
  version?: string;
  /** The reference as asked (`v2` or a snapshot id). */
  ref: string;
  snapshotId: string;
  sourceId: string;
  /** When the version was first seen (the snapshot's fetch time for a snapshot outside the lineage). */
  firstSeen: string;
  parent?: string;
  /** The versions before and after it in order of first sight. */
  previous?: string;
  next?: string;
  /** What changed from the parent, in the project's digest headline. */
  whatChanged?: string;
  provenance: Provenance;
  /** Version of the reading (outline) that made this clause set; absent before outlines. */
  outline?: number;
  title?: string;
  noun: string;
  /** "28 points, 56 clauses". */
  size: string;
  /** Words of the main content, and how many of them landed in clauses. */
  coverage: { words: number; placed: number };
  warnings: OutlineWarning[];
  deleted?: string[];
  /** Copies carrying this text (the first one included), and copies judged divergent. */
  witnesses: VersionCopy[];
  divergent: VersionCopy[];
  clauses: VersionClause[];
  /** The line to cite the version by: plan, version, URL, first seen, snapshot and body hash. */
  citation: string;
}

// ── clauses × versions ───────────────────────────────────────────────────────────────────────

export interface MapOptions {
  /** First version of the window (`v41`); by default the window that ends at the newest version. */
  from?: string;
  /** Versions per window. @default 40 */
  columns?: number;
  /** `changed`: only the clauses that changed somewhere in the window. @default "all" */
  rows?: "all" | "changed";
  /** Page of rows (from 1) when there are more than `rowsPerPage`. @default 1 */
  page?: number;
  /** @default 500 */
  rowsPerPage?: number;
}

/**
 * What became of a clause in a version, compared with the version before it: `base` in a version
 * compared with nothing, `reworded` for minor changes, `substantive` for changes of meaning;
 * renumbered and typography-only clauses are `unchanged`.
 */
export type CellState = "base" | "unchanged" | "reworded" | "substantive" | "added" | "removed" | "moved";

export interface MapCell {
  state: CellState;
  /** The clause's path in this version (for `removed`: where it stood in the version before). */
  key: string;
  kind?: DiffEntry["kind"];
  severity?: Severity;
  /** The change's anchor in the comparison of the version before with this one (changed cells only). */
  anchor?: string;
  /** The change's headline ("Point 6: 600,000 → 800,000 people"). */
  headline?: string;
}

export interface MapRow {
  /** The clause's path in the last version of the window that has it. */
  label: string;
  /** Its paths through the window, in order, each once. */
  paths: string[];
  /** One per column: `null` where the clause is not (yet, or any more) in the version. */
  cells: Array<MapCell | null>;
  /** Text around the document (page prose, contents) rather than of it. */
  context?: true;
}

export interface MapColumn {
  version: string;
  firstSeen: string;
  /** The version this one is compared with (the one before it); absent for the first. */
  against?: string;
  clauses: number;
}

export interface ClauseMap {
  planId: string;
  planTitle: string;
  noun: string;
  /** All of the plan's versions, oldest first: the window's choices. */
  versions: string[];
  window: {
    /** Position of the first and last column among all versions, from 1. */
    start: number;
    end: number;
    columns: number;
    /** Where the windows before and after this one start. */
    previous?: string;
    next?: string;
  };
  columns: MapColumn[];
  rows: MapRow[];
  /** Rows before paging and filtering, and the page shown. */
  rowFilter: "all" | "changed";
  rowPage: { page: number; pages: number; perPage: number; total: number };
  chart: TimelineChart;
}

/** Versions first seen and coverage mentions recorded per period. */
export interface TimelineChart {
  unit: "day" | "week" | "month";
  buckets: Array<{
    /** Start of the period (ISO date). */
    start: string;
    versions: string[];
    mentions: number;
  }>;
}

// ── search ───────────────────────────────────────────────────────────────────────────────────

/** A found text with where the query's terms are in it (UTF-16 offsets, end exclusive). */
export interface FoundText {
  text: string;
  matches: Array<[number, number]>;
}

/** One wording that contains the query, with every version and path where it stands. */
export interface ClauseHit {
  /** The path in the first version that has this wording. */
  key: string;
  heading?: FoundText;
  text: FoundText;
  /** Oldest first. */
  at: Array<{ version: string; key: string; anchor: string }>;
}

/** One coverage passage that contains the query. */
export interface CoverageHit {
  sourceId: string;
  title?: string;
  url?: string;
  snapshotId?: string;
  at: string;
  passage: FoundText;
  /** Clauses the coverage analysis tied this passage to. */
  clauses: Array<{ version: string; key: string; via: "mention" | "variant" | "mismatch" }>;
}

export interface SearchResults {
  planId: string;
  planTitle: string;
  /** How the plan names its clauses ("Point"), from its newest version. */
  noun: string;
  query: string;
  /** The words and quoted phrases looked for, as folded for matching (all must occur). */
  terms: string[];
  /** Versions with at least one matching clause, oldest first. */
  versions: string[];
  clauses: ClauseHit[];
  coverage: CoverageHit[];
  /** Hits left out beyond the page's limits. */
  more: { clauses: number; coverage: number };
}
