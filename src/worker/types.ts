import type { Logger } from "pino";
import type { HostLimiter } from "../collect/index.js";
import type { Config } from "../config/index.js";
import type { DiffEntry, DiffSummary, Severity } from "../diff/index.js";
import type { Lineage, Relation } from "../lineage/index.js";
import type { ChangeRecord, SnapshotStore } from "../store/index.js";
import type { ClauseSetReader } from "./parse-pool.js";

/** What a change record says happened to a source. */
export type ChangeKind =
  | "baseline"
  | "content"
  | "reversion"
  | "flapping"
  | "divergent"
  | "coverage-variant"
  | "figure-mismatch"
  | "source-broken"
  | "recovered";

/** What a change says, beyond where and when. */
export interface ChangeFields {
  severity: Severity;
  /** One line for people ("Point 26 rewritten; point 6: 600,000 → 800,000 people"). */
  headline: string;
  fromSnapshot?: string;
  toSnapshot?: string;
  summary?: DiffSummary;
  /** The diff's entries above `none` (unchanged and renumbered clauses left out). */
  entries?: DiffEntry[];
  /** Recorded for the history, but not to be alerted (a flapping source's further swings). */
  suppressed?: boolean;
  error?: { code: string; message: string };
  /** For draft sources: where this copy stands in the plan's lineage. */
  lineage?: { relation: Relation; version: string; parent?: string; reason?: string; departures?: string[] };
}

/** The hand-off to the alert stage: one detected change, stored before anyone is told. */
export interface SourceChange extends ChangeRecord, ChangeFields {
  kind: ChangeKind;
  planId: string;
  url: string;
}

/**
 * `deferred`: not checked in this cycle, because the server asked (Retry-After) not to be asked
 * again before a later one.
 */
export type SourceStatus =
  | "first-seen"
  | "changed"
  | "unchanged"
  | "not-modified"
  | "noise"
  | "failed"
  | "deferred";

/** How one source's check ended; the per-source boundary never throws. */
export interface SourceOutcome {
  sourceId: string;
  status: SourceStatus;
  durationMs: number;
  snapshotId?: string;
  changes: SourceChange[];
  error?: { code: string; message: string };
}

export interface CycleReport {
  runId: string;
  startedAt: string;
  finishedAt: string;
  outcomes: SourceOutcome[];
}

export interface WorkerContext {
  config: Config;
  store: SnapshotStore;
  logger: Logger;
  limiter: HostLimiter;
  /** Plan lineage for draft sources; without it each source's changes stand alone. */
  lineage?: Lineage;
  /** Where fetched documents are extracted and parsed. @default on the main thread */
  reader?: ClauseSetReader;
  /** Clock, replaceable in tests. @default () => new Date() */
  now?: () => Date;
}
