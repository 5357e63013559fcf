/**
 * In-memory snapshot store for tests and dry runs: the fs driver's semantics (ids, dedup,
 * idempotent changes, validation, errors) without a disk. Everything is copied in and out as
 * JSON, so callers can neither mutate stored records nor store what the fs driver could not.
 */
import { z } from "zod";
import { StoreError } from "../errors.js";
import type { ClauseSet } from "../types.js";
import { createKeyedQueue } from "./atomic.js";
import {
  buildSnapshotRecord,
  changeMatches,
  check,
  checkBodyHash,
  checkPlanId,
  checkSnapshotId,
  checkSourceId,
  clauseSetHash,
  countBy,
  sha256Hex,
  sinceToMs,
  validateChange,
  validateEvent,
  validateState,
} from "./records.js";
import type {
  ChangeRecord,
  ListChangesOptions,
  OutboxAlertRecord,
  OutboxDeliveryRecord,
  PlanRecord,
  ReadEventsOptions,
  SnapshotInput,
  SnapshotRecord,
  SnapshotStore,
  SourceEvent,
  SourceOverview,
  SourceState,
  StoredSnapshot,
} from "./types.js";

export const MEMORY_STORE_NAME = "memory";

/** The memory driver has no options today; the schema keeps the driver shape uniform. */
export const MemoryStoreOptions = z.strictObject({});
export type MemoryStoreOptions = z.input<typeof MemoryStoreOptions>;

const P = `${MEMORY_STORE_NAME} store`;

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): SnapshotStore {
  check(MEMORY_STORE_NAME, "options", MemoryStoreOptions, options);
  const bodies = new Map<string, Buffer>();
  const clauseSets = new Map<string, ClauseSet>();
  const snapshots = new Map<string, SnapshotRecord>();
  const indexes = new Map<string, SnapshotRecord[]>();
  const states = new Map<string, SourceState>();
  const events = new Map<string, SourceEvent[]>();
  const changes: ChangeRecord[] = [];
  const changeKeys = new Set<string>();
  const planLogs = new Map<string, PlanRecord[]>();
  const outboxAlerts: OutboxAlertRecord[] = [];
  const outboxRecords = { deliveries: [] as OutboxDeliveryRecord[], requeues: [] as OutboxDeliveryRecord[] };
  let outboxSince: string | undefined;
  const exclusives = createKeyedQueue();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new StoreError(`${P}: the store is closed`);
  }

  const store: SnapshotStore = {
    name: MEMORY_STORE_NAME,

    async putBody(bytes: Uint8Array): Promise<string> {
      assertOpen();
      const hash = sha256Hex(bytes);
      if (!bodies.has(hash)) bodies.set(hash, Buffer.from(bytes));
      return hash;
    },

    async getBody(hash: string): Promise<Buffer> {
      assertOpen();
      checkBodyHash(MEMORY_STORE_NAME, hash);
      const body = bodies.get(hash);
      if (body === undefined) throw new StoreError(`${P}: no body ${hash}`);
      return Buffer.from(body);
    },

    async hasBody(hash: string): Promise<boolean> {
      assertOpen();
      checkBodyHash(MEMORY_STORE_NAME, hash);
      return bodies.has(hash);
    },

    async putSnapshot(input: SnapshotInput): Promise<SnapshotRecord> {
      assertOpen();
      const { record, clauseSet } = buildSnapshotRecord(MEMORY_STORE_NAME, input);
      if (!bodies.has(record.bodyHash)) {
        throw new StoreError(
          `${P}: snapshot of source ${record.sourceId} (${record.url}) references body ${record.bodyHash}, which is not stored; call putBody first`,
          { source: record.sourceId },
        );
      }
      if (!clauseSets.has(record.clauseSetHash)) clauseSets.set(record.clauseSetHash, clauseSet);
      if (!snapshots.has(record.id)) {
        snapshots.set(record.id, record);
        const index = indexes.get(record.sourceId) ?? [];
        index.push(record);
        indexes.set(record.sourceId, index);
      }
      return copy(record);
    },

    async getSnapshot(id: string): Promise<StoredSnapshot> {
      assertOpen();
      checkSnapshotId(MEMORY_STORE_NAME, id);
      const record = snapshots.get(id);
      if (record === undefined) throw new StoreError(`${P}: no snapshot ${id}`);
      const clauseSet = clauseSets.get(record.clauseSetHash);
      if (clauseSet === undefined) throw new StoreError(`${P}: clause set of snapshot ${id} is missing`);
      return copy({ ...record, clauseSet });
    },

    async listSnapshots(sourceId: string): Promise<SnapshotRecord[]> {
      assertOpen();
      checkSourceId(MEMORY_STORE_NAME, sourceId);
      return copy(indexes.get(sourceId) ?? []);
    },

    async listSources(): Promise<string[]> {
      assertOpen();
      return [...new Set([...indexes.keys(), ...states.keys(), ...events.keys()])].sort();
    },

    async getSourceState(sourceId: string): Promise<SourceState | undefined> {
      assertOpen();
      checkSourceId(MEMORY_STORE_NAME, sourceId);
      const state = states.get(sourceId);
      return state === undefined ? undefined : copy(state);
    },

    async setSourceState(state: SourceState): Promise<void> {
      assertOpen();
      const valid = validateState(MEMORY_STORE_NAME, state);
      states.set(valid.sourceId, valid);
    },

    async appendEvent(sourceId: string, event: SourceEvent): Promise<void> {
      assertOpen();
      checkSourceId(MEMORY_STORE_NAME, sourceId);
      const valid = validateEvent(MEMORY_STORE_NAME, sourceId, event);
      const log = events.get(sourceId) ?? [];
      log.push(valid);
      events.set(sourceId, log);
    },

    async readEvents(sourceId: string, options: ReadEventsOptions = {}): Promise<SourceEvent[]> {
      assertOpen();
      checkSourceId(MEMORY_STORE_NAME, sourceId);
      const log = events.get(sourceId) ?? [];
      const { limit } = options;
      return copy(limit === undefined ? log : log.slice(Math.max(0, log.length - Math.max(0, limit))));
    },

    async appendChange(change: ChangeRecord): Promise<boolean> {
      assertOpen();
      const valid = validateChange(MEMORY_STORE_NAME, change);
      if (changeKeys.has(valid.key)) return false;
      changeKeys.add(valid.key);
      changes.push(valid);
      return true;
    },

    async listChanges(options: ListChangesOptions = {}): Promise<ChangeRecord[]> {
      assertOpen();
      if (options.sourceId !== undefined) checkSourceId(MEMORY_STORE_NAME, options.sourceId);
      if (options.planId !== undefined) checkPlanId(MEMORY_STORE_NAME, options.planId);
      const sinceMs = sinceToMs(MEMORY_STORE_NAME, options.since);
      return copy(changes.filter((c) => changeMatches(c, options.sourceId, sinceMs, options.planId)));
    },

    async countChanges(by) {
      assertOpen();
      return countBy(changes, by);
    },

    async listSourceOverviews(): Promise<SourceOverview[]> {
      const ids = await store.listSources();
      return ids.map((sourceId) => {
        const state = states.get(sourceId);
        const index = indexes.get(sourceId) ?? [];
        const latestUrl = index[index.length - 1]?.url;
        return copy({
          sourceId,
          ...(state ? { state } : {}),
          snapshots: index.length,
          ...(latestUrl ? { latestUrl } : {}),
        });
      });
    },

    async appendPlanLog(planId, log, records) {
      assertOpen();
      checkPlanId(MEMORY_STORE_NAME, planId);
      const key = `${planId}\u0000${log}`;
      planLogs.set(key, [...(planLogs.get(key) ?? []), ...copy(records)]);
    },

    async readPlanLog<T extends PlanRecord>(
      planId: string,
      log: "lineage" | "coverage",
      options: { sourceId?: string } = {},
    ): Promise<T[]> {
      assertOpen();
      checkPlanId(MEMORY_STORE_NAME, planId);
      const records = planLogs.get(`${planId}\u0000${log}`) ?? [];
      const { sourceId } = options;
      return copy(sourceId === undefined ? records : records.filter((r) => r.sourceId === sourceId)) as T[];
    },

    async listPlans() {
      assertOpen();
      return [...new Set([...planLogs.keys()].map((key) => key.split("\u0000")[0] ?? ""))].sort();
    },

    exclusive(key, work) {
      assertOpen();
      return exclusives.run(key, work);
    },

    async outboxSince(now) {
      assertOpen();
      outboxSince ??= now;
      return outboxSince;
    },

    async appendOutboxAlerts(entries) {
      assertOpen();
      const known = new Set(outboxAlerts.map((entry) => entry.alert.id));
      const written = entries.filter((entry) => {
        if (known.has(entry.alert.id)) return false;
        known.add(entry.alert.id);
        return true;
      });
      outboxAlerts.push(...copy(written));
      return written;
    },

    async appendOutboxRecord(log, record) {
      assertOpen();
      outboxRecords[log].push(copy(record));
    },

    async readOutbox<A extends OutboxAlertRecord, D extends OutboxDeliveryRecord>() {
      assertOpen();
      return copy({
        alerts: outboxAlerts as A[],
        deliveries: outboxRecords.deliveries as D[],
        requeues: outboxRecords.requeues as D[],
      });
    },

    async verify(): Promise<string[]> {
      assertOpen();
      const problems: string[] = [];
      for (const [hash, body] of bodies) {
        if (sha256Hex(body) !== hash) problems.push(`body ${hash}: content does not match its hash`);
      }
      for (const [hash, clauseSet] of clauseSets) {
        if (clauseSetHash(clauseSet) !== hash)
          problems.push(`clause set ${hash}: content does not match its hash`);
      }
      for (const [id, record] of snapshots) {
        if (!clauseSets.has(record.clauseSetHash)) problems.push(`snapshot ${id}: clause set is missing`);
        if (!bodies.has(record.bodyHash)) problems.push(`snapshot ${id}: body is missing`);
      }
      return problems;
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
  return store;
}
