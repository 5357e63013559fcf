/**
 * The persistent outbox, kept by the store (`StoreLogs`: for the fs driver append-only JSONL
 * files under `<storageDir>/outbox/`, for postgres tables), replayed into the delivery state on
 * every read, so the logs alone are the truth and a `kill -9` at any moment loses at most the
 * attempt in flight. Every function takes the store's logs or an fs store directory.
 *
 * - `alerts.jsonl`: one line per alert, `{ at, targets, alert }`, written before any delivery.
 *   `targets` are the notifier ids that wanted it when it was detected: a notifier added later
 *   does not receive the backlog, and a tightened filter does not strand pending alerts.
 *   Idempotent by `alert.id` (the change's key): enqueueing the same change twice writes nothing.
 * - `deliveries.jsonl`: the attempt log, one `DeliveryRecord` per outcome. Only the process that
 *   holds the store lock (worker or `check`) appends to it.
 * - `requeues.jsonl`: `requeued` records written by `clausewatch alerts retry`, which runs beside a
 *   live worker without its lock. A separate file keeps the attempt log single-writer: appendLine
 *   cuts a torn tail before appending, which could cut a line another process is still writing.
 *   Both logs are merged by `at` when replayed.
 * - `checkpoint.json` (fs): where delivery passes and catch-ups start reading, so a check does not
 *   read every alert ever made; see src/store/fs-outbox-checkpoint.ts. Listings read everything.
 * - `since`: when this outbox started (ISO). Changes recorded in the store at or after it that have
 *   no outbox line yet (a crash between the store's append and the enqueue) are caught up at the
 *   next start; older history is never turned into alerts.
 *
 * A crash between a successful send and the "delivered" line means the next run sends again with
 * the same delivery id: at-least-once, and receivers deduplicate by that id.
 */
import { join } from "node:path";
import {
  OUTBOX_DIR,
  OUTBOX_FILES,
  type OutboxContents,
  type OutboxReadOptions,
  type StoreLogsRef,
  storeLogs,
} from "../store/index.js";
import type { Alert } from "./types.js";

export { OUTBOX_DIR };
export const ALERTS_FILE = OUTBOX_FILES.alerts;
export const DELIVERIES_FILE = OUTBOX_FILES.deliveries;
export const REQUEUES_FILE = OUTBOX_FILES.requeues;
export const SINCE_FILE = OUTBOX_FILES.since;

/** One line of `alerts.jsonl`. */
export interface OutboxEntry {
  /** When it was enqueued (ISO). */
  at: string;
  /** Notifier ids that should receive it. */
  targets: string[];
  alert: Alert;
}

export type DeliveryOutcome = "batched" | "delivered" | "failed" | "dead" | "requeued";

/** One line of `deliveries.jsonl` (or `requeues.jsonl`). */
export interface DeliveryRecord {
  at: string;
  /** The alert; for `batched`, the first alert of the digest. */
  alertId: string;
  notifier: string;
  outcome: DeliveryOutcome;
  deliveryId?: string;
  attempt?: number;
  error?: string;
  /** For `failed`: not retried before this time (ISO). */
  nextAttemptAt?: string;
  /** For `batched`: every alert in the digest, first one included. */
  alertIds?: string[];
}

export type DeliveryStatus = "pending" | "delivered" | "dead";

/** Where one alert stands with one notifier, derived by replaying the logs. */
export interface DeliveryState {
  status: DeliveryStatus;
  /** Attempts made so far (a crashed attempt leaves no trace and is not counted). */
  attempts: number;
  /** Failures since the alert was enqueued or last re-queued; drives the backoff. */
  failures: number;
  /** Start of the give-up window: detection, or the last re-queue. */
  windowStart: string;
  lastError?: string;
  nextAttemptAt?: string;
  /** Delivery id of the last attempt or delivery. */
  deliveryId?: string;
  /** The open digest this alert belongs to (its delivery id) while pending. */
  batch?: string;
  /** When it was delivered. */
  deliveredAt?: string;
}

export interface OutboxSnapshot {
  /** Alerts oldest first, one per id. */
  entries: OutboxEntry[];
  /** Both logs merged, oldest first. */
  records: DeliveryRecord[];
  /** What the store returned, for `settle`. */
  contents?: OutboxContents<OutboxEntry, DeliveryRecord>;
}

/** Where the fs store keeps the outbox (for messages). */
export function outboxDir(storageDir: string): string {
  return join(storageDir, OUTBOX_DIR);
}

/** Records when the outbox started, unless it already did; returns when it started. */
export async function prepareOutbox(where: StoreLogsRef, now: Date = new Date()): Promise<string> {
  return storeLogs(where).outboxSince(now.toISOString());
}

/** The alerts, one per id (the first line wins), oldest first. */
function uniqueEntries(entries: OutboxEntry[]): OutboxEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.alert.id)) return false;
    seen.add(entry.alert.id);
    return true;
  });
}

/** Both delivery logs merged in time order (stable, so one log's order survives equal times). */
function mergeRecords(deliveries: DeliveryRecord[], requeues: DeliveryRecord[]): DeliveryRecord[] {
  if (requeues.length === 0) return deliveries;
  return [...deliveries, ...requeues].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

/** The outbox's alerts, one per id (the first line wins), oldest first. */
export async function readEntries(
  where: StoreLogsRef,
  options: OutboxReadOptions = {},
): Promise<OutboxEntry[]> {
  return uniqueEntries((await storeLogs(where).readOutbox<OutboxEntry, DeliveryRecord>(options)).alerts);
}

/** Both delivery logs merged in time order. */
export async function readRecords(where: StoreLogsRef): Promise<DeliveryRecord[]> {
  const { deliveries, requeues } = await storeLogs(where).readOutbox<OutboxEntry, DeliveryRecord>();
  return mergeRecords(deliveries, requeues);
}

/** The outbox replayed; `unsettled` may leave out alerts a checkpoint settled (see OutboxReadOptions). */
export async function readOutbox(
  where: StoreLogsRef,
  options: OutboxReadOptions = {},
): Promise<OutboxSnapshot> {
  const contents = await storeLogs(where).readOutbox<OutboxEntry, DeliveryRecord>(options);
  const { alerts, deliveries, requeues } = contents;
  return { entries: uniqueEntries(alerts), records: mergeRecords(deliveries, requeues), contents };
}

/**
 * After a delivery pass over an unsettled read: lets the store leave out of later reads the
 * alerts every one of whose notifiers had it delivered by then. Dead and pending ones stay.
 */
export async function settle(
  where: StoreLogsRef,
  snapshot: OutboxSnapshot,
  states: DeliveryStates,
): Promise<void> {
  const logs = storeLogs(where);
  if (!snapshot.contents || !logs.settleOutbox) return;
  const targets = new Map(snapshot.entries.map((entry) => [entry.alert.id, entry.targets]));
  await logs.settleOutbox(snapshot.contents, (alertId) =>
    (targets.get(alertId) ?? []).every((target) => states.get(alertId, target)?.status === "delivered"),
  );
}

/**
 * Appends the entries whose alert id is not in the outbox yet; returns those written. The caller
 * is the process that detects changes (it holds the fs store's lock).
 */
export function appendEntries(where: StoreLogsRef, entries: OutboxEntry[]): Promise<OutboxEntry[]> {
  return storeLogs(where).appendOutboxAlerts(entries);
}

export function appendDelivery(where: StoreLogsRef, record: DeliveryRecord): Promise<void> {
  return storeLogs(where).appendOutboxRecord("deliveries", record);
}

export function appendRequeue(where: StoreLogsRef, record: DeliveryRecord): Promise<void> {
  return storeLogs(where).appendOutboxRecord("requeues", record);
}

function stateKey(alertId: string, notifier: string): string {
  return `${alertId}\u0000${notifier}`;
}

/** Delivery states keyed by alert id and notifier id. */
export interface DeliveryStates {
  get(alertId: string, notifier: string): DeliveryState | undefined;
  /** When the notifier last opened a digest (ISO), if ever. */
  lastBatchAt(notifier: string): string | undefined;
  /** The notifier's digest still being retried: its delivery id and pending members. */
  openBatch(notifier: string): { deliveryId: string; alertIds: string[] } | undefined;
}

/** Replays the logs over the outbox: every target starts pending at its alert's detection time. */
export function replay({ entries, records }: OutboxSnapshot): DeliveryStates {
  const states = new Map<string, DeliveryState>();
  for (const entry of entries) {
    for (const target of entry.targets) {
      states.set(stateKey(entry.alert.id, target), {
        status: "pending",
        attempts: 0,
        failures: 0,
        windowStart: entry.alert.detectedAt,
      });
    }
  }
  const batchAt = new Map<string, string>();
  const batches = new Map<string, { deliveryId: string; alertIds: string[] }>();
  for (const record of records) {
    if (record.outcome === "batched") {
      batchAt.set(record.notifier, record.at);
      const members = record.alertIds ?? [record.alertId];
      if (record.deliveryId)
        batches.set(record.notifier, { deliveryId: record.deliveryId, alertIds: members });
      for (const alertId of members) {
        const state = states.get(stateKey(alertId, record.notifier));
        if (state?.status === "pending" && record.deliveryId) state.batch = record.deliveryId;
      }
      continue;
    }
    const state = states.get(stateKey(record.alertId, record.notifier));
    if (!state) continue;
    switch (record.outcome) {
      case "delivered":
        state.status = "delivered";
        state.attempts += 1;
        state.deliveredAt = record.at;
        state.nextAttemptAt = undefined;
        state.batch = undefined;
        if (record.deliveryId) state.deliveryId = record.deliveryId;
        break;
      case "failed":
      case "dead":
        if (state.status === "delivered") break;
        state.attempts += 1;
        state.failures += 1;
        state.lastError = record.error;
        state.nextAttemptAt = record.outcome === "failed" ? record.nextAttemptAt : undefined;
        if (record.outcome === "dead") {
          state.status = "dead";
          state.batch = undefined;
        }
        if (record.deliveryId) state.deliveryId = record.deliveryId;
        break;
      case "requeued":
        if (state.status !== "dead") break;
        state.status = "pending";
        state.failures = 0;
        state.windowStart = record.at;
        state.nextAttemptAt = undefined;
        break;
    }
  }
  return {
    get: (alertId, notifier) => states.get(stateKey(alertId, notifier)),
    lastBatchAt: (notifier) => batchAt.get(notifier),
    openBatch(notifier) {
      const batch = batches.get(notifier);
      if (!batch) return undefined;
      const pending = batch.alertIds.filter(
        (alertId) => states.get(stateKey(alertId, notifier))?.batch === batch.deliveryId,
      );
      return pending.length > 0 ? { deliveryId: batch.deliveryId, alertIds: pending } : undefined;
    },
  };
}
