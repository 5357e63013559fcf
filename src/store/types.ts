/**
 * The snapshot store contract. Every record is plain JSON so that a later adapter
 * (PostgreSQL for indexes and logs, S3-compatible storage for bodies and objects) can hold it
 * without a translation layer; drivers must not rely on anything but this interface.
 */
import type { ClauseSet } from "../types.js";

/** What the pipeline hands to the store after one successful fetch + extraction. */
export interface SnapshotInput {
  /** User-chosen source id: `^[a-z0-9][a-z0-9._-]{0,63}$` (case-insensitive). */
  sourceId: string;
  url: string;
  finalUrl: string;
  status: number;
  /** ISO 8601 timestamp. */
  fetchedAt: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  charset?: string;
  /** sha256 hex of the raw body, which must already be stored with `putBody`. */
  bodyHash: string;
  extractorVersion: string;
  clauseSet: ClauseSet;
}

export interface SnapshotRecord extends Omit<SnapshotInput, "clauseSet"> {
  /**
   * Content address of this record: the first 16 hex digits of sha256 over the canonical JSON of
   * the record without `id`. Identical input yields the identical id in every driver.
   */
  id: string;
  /** sha256 hex over the canonical JSON of the clause set; equal clause sets share one object. */
  clauseSetHash: string;
}

export type StoredSnapshot = SnapshotRecord & { clauseSet: ClauseSet };

/** Small mutable document per source, replaced as a whole (atomically) on every write. */
export interface SourceState {
  sourceId: string;
  lastCheckAt?: string;
  lastSuccessAt?: string;
  lastChangeAt?: string;
  lastSnapshotId?: string;
  lastBodyHash?: string;
  etag?: string;
  lastModified?: string;
  consecutiveFailures: number;
  lastError?: { code: string; message: string; at: string };
  health: "ok" | "broken";
  /** Bounded window of recent clause-set hashes, newest last, for flapping/reversion detection. */
  recentClauseSetHashes: string[];
  /**
   * The same window as typography-folded text identities (clause keys and fingerprints), which
   * is what reversions and flapping are judged on; absent in stores written before it existed.
   */
  recentTexts?: string[];
  /** Changes recorded for this source so far; numbers the next change's idempotency key. */
  changeCount?: number;
  /** The server asked (a long Retry-After) not to be checked before this time (ISO). */
  notBefore?: string;
  /** Set while the source alternates between two texts: the pair and when that started. */
  flapping?: { hashes: string[]; since: string };
}

/** One line of a source's event log (check, fetched, unchanged, changed, failed, broken, recovered…). */
export interface SourceEvent {
  at: string;
  type: string;
  [k: string]: unknown;
}

/** One detected change; `key` is its idempotency key, unique across the whole store. */
export interface ChangeRecord {
  key: string;
  at: string;
  sourceId: string;
  planId?: string;
  kind: string;
  fromSnapshot?: string;
  toSnapshot?: string;
  [k: string]: unknown;
}

export interface ListChangesOptions {
  /** Only changes of this source. */
  sourceId?: string;
  /** Only changes of this plan (`planId`). */
  planId?: string;
  /** Only changes whose `at` is at or after this ISO timestamp. */
  since?: string;
}

export interface ReadEventsOptions {
  /** Return only the last N events (still oldest first). */
  limit?: number;
}

/**
 * One record of a plan-level log: `lineage` (versions and witnesses, src/lineage) or `coverage`
 * (mentions, reported variants, figure mismatches, src/coverage). The store keeps records as
 * given, in append order; only these fields are looked at (`sourceId` for filtering).
 */
export interface PlanRecord {
  type: string;
  sourceId?: string;
}

export type PlanLogName = "lineage" | "coverage";

export interface ReadPlanLogOptions {
  /** Only the records whose `sourceId` is this. */
  sourceId?: string;
}

/** One alert in the outbox, written before any delivery; `alert.id` is its idempotency key. */
export interface OutboxAlertRecord {
  at: string;
  targets: string[];
  alert: { id: string };
}

/** One line of the delivery attempt log or of the re-queue log (src/alert/outbox.ts). */
export interface OutboxDeliveryRecord {
  at: string;
  alertId: string;
  notifier: string;
  outcome: string;
}

/**
 * `deliveries`: attempt outcomes, written by the process that delivers. `requeues`: written by
 * `clausewatch alerts retry` beside a running worker; the fs driver keeps it in its own file so
 * the attempt log stays single-writer, and accepts it on a store opened read-only (no lock).
 */
export type OutboxLogName = "deliveries" | "requeues";

export interface OutboxReadOptions {
  /**
   * Only what may still be pending: a driver that keeps a checkpoint (fs) may leave out alerts
   * delivered to every notifier before it, with their attempts. Delivery passes and catch-ups
   * read this way; listings of the whole outbox do not.
   */
  unsettled?: boolean;
}

export interface OutboxContents<A extends OutboxAlertRecord, D extends OutboxDeliveryRecord> {
  /** Every alert line, oldest first (drivers with a unique index hold one per id). */
  alerts: A[];
  deliveries: D[];
  requeues: D[];
}

/**
 * The logs beside the snapshots: plan lineage and coverage, and the alert outbox. They were files
 * of the fs store's directory; behind this interface a database driver holds them too.
 */
export interface StoreLogs {
  /** Appends records to a plan's log, in order; a database driver writes them in one transaction. */
  appendPlanLog<T extends PlanRecord>(planId: string, log: PlanLogName, records: readonly T[]): Promise<void>;
  /** A plan's log oldest first; `[]` for a plan never written. */
  readPlanLog<T extends PlanRecord = PlanRecord>(
    planId: string,
    log: PlanLogName,
    options?: ReadPlanLogOptions,
  ): Promise<T[]>;
  /** Every plan id with a plan log record, sorted. */
  listPlans(): Promise<string[]>;
  /**
   * Runs `work` while no other holder of `key` runs it: within this process for the fs and
   * memory drivers (the fs lock makes it the only writer), across every process on the database
   * for postgres (an advisory lock, released when the holder's connection dies).
   */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
  /**
   * When the outbox started (ISO): the stored value, or `now` stored as it when there is none.
   * Changes recorded before it are never turned into alerts.
   */
  outboxSince(now: string): Promise<string>;
  /** Appends the alerts whose `alert.id` is not in the outbox yet, in order; returns those written. */
  appendOutboxAlerts<T extends OutboxAlertRecord>(entries: readonly T[]): Promise<T[]>;
  appendOutboxRecord(log: OutboxLogName, record: OutboxDeliveryRecord): Promise<void>;
  readOutbox<
    A extends OutboxAlertRecord = OutboxAlertRecord,
    D extends OutboxDeliveryRecord = OutboxDeliveryRecord,
  >(options?: OutboxReadOptions): Promise<OutboxContents<A, D>>;
  /**
   * After a delivery pass over `contents` (an unsettled read of this handle): lets the driver
   * leave out, from later unsettled reads, the alerts for which `settled` is true (delivered to
   * every notifier) and that a catch-up no longer needs. Optional: drivers without it read all.
   */
  settleOutbox?(
    contents: OutboxContents<OutboxAlertRecord, OutboxDeliveryRecord>,
    settled: (alertId: string) => boolean,
  ): Promise<void>;
  /** The change-log cursor (`changesCursor`) up to which every change has been enqueued, if known. */
  outboxCaughtUp?(): Promise<string | undefined>;
  /** Records that every change before `changesCursor` has its alert (or is wanted by no notifier). */
  markOutboxCaughtUp?(changesCursor: string): Promise<void>;
}

/** What the history's source list shows of one source, read in one pass. */
export interface SourceOverview {
  sourceId: string;
  state?: SourceState;
  snapshots: number;
  /** URL of the newest snapshot, when there is one. */
  latestUrl?: string;
}

export interface SnapshotStore extends StoreLogs {
  /** Driver name (`"fs"`, `"memory"`, `"postgres"`). */
  readonly name: string;
  /** Stores a raw body once (compressed where the driver can) and returns its sha256 hex. */
  putBody(bytes: Uint8Array): Promise<string>;
  /** The raw body; throws StoreError when it is missing or does not match its hash. */
  getBody(hash: string): Promise<Buffer>;
  hasBody(hash: string): Promise<boolean>;
  /** Idempotent: the same input returns the same record and is indexed once. */
  putSnapshot(input: SnapshotInput): Promise<SnapshotRecord>;
  /** Throws StoreError when there is no such snapshot. */
  getSnapshot(id: string): Promise<StoredSnapshot>;
  /** Snapshots of one source, oldest first. */
  listSnapshots(sourceId: string): Promise<SnapshotRecord[]>;
  /** Every source id the store knows anything about, sorted. */
  listSources(): Promise<string[]>;
  getSourceState(sourceId: string): Promise<SourceState | undefined>;
  /**
   * Replaces the source's state. A driver may keep a state that differs from the stored one only
   * in `lastCheckAt`/`lastSuccessAt` (a quiet check) less durably: losing those times costs nothing.
   */
  setSourceState(state: SourceState): Promise<void>;
  /**
   * `durable: false` (the event of a quiet check, which the next check repeats) lets a driver skip
   * flushing it to disk before it resolves.
   */
  appendEvent(sourceId: string, event: SourceEvent, options?: { durable?: boolean }): Promise<void>;
  /** Events of one source, oldest first (newest last). */
  readEvents(sourceId: string, options?: ReadEventsOptions): Promise<SourceEvent[]>;
  /**
   * Appends a change unless one with the same key already exists (also one written by an
   * earlier process): returns false and writes nothing in that case.
   */
  appendChange(change: ChangeRecord): Promise<boolean>;
  /** Changes oldest first. */
  listChanges(options?: ListChangesOptions): Promise<ChangeRecord[]>;
  /** Where the change log ends now, for `listChangesAfter`. Optional, with it. */
  changesCursor?(): Promise<string>;
  /**
   * The changes recorded after `cursor` (as `listChanges` filters them); undefined when the
   * cursor does not belong to this change log (read it all instead).
   */
  listChangesAfter?(cursor: string, options?: ListChangesOptions): Promise<ChangeRecord[] | undefined>;
  /** How many changes there are per value of `by` (changes without a plan are left out for `planId`). */
  countChanges(by: "planId" | "kind"): Promise<Record<string, number>>;
  /** Every known source (as `listSources`) with its state and snapshot count. */
  listSourceOverviews(): Promise<SourceOverview[]>;
  /**
   * Integrity problems found (hash mismatch, unparsable object, dangling reference, torn middle
   * line…), one readable line each; `[]` when healthy. A torn *last* line of a log is the
   * expected trace of a crash mid-append and is not a problem.
   */
  verify(): Promise<string[]>;
  /** Waits for writes in flight, then releases the lock. Later calls throw StoreError. */
  close(): Promise<void>;
}
