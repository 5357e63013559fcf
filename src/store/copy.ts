/**
 * Moves a whole history from one store to another (fs → postgres and back) through the store
 * interface only. Snapshots are re-put from their own records, so every snapshot id, body hash
 * and clause-set hash comes out the same: a citation made against the old store still resolves
 * in the new one. Logs are appended in their original order.
 */
import { StoreError } from "../errors.js";
import type { PlanLogName, SnapshotInput, SnapshotStore } from "./types.js";

export interface CopyReport {
  sources: number;
  snapshots: number;
  bodies: number;
  events: number;
  changes: number;
  planRecords: number;
  alerts: number;
  deliveryRecords: number;
  /** What `verify()` of the target found afterwards (`[]` when healthy). */
  problems: string[];
}

const BATCH = 500;
const LOGS: PlanLogName[] = ["lineage", "coverage"];

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Throws StoreError when `to` already holds anything: a copy never merges into a history. */
async function requireEmpty(to: SnapshotStore): Promise<void> {
  const [sources, plans, changes, outbox] = await Promise.all([
    to.listSources(),
    to.listPlans(),
    to.listChanges(),
    to.readOutbox(),
  ]);
  const held = [
    sources.length > 0 ? `${sources.length} sources` : "",
    plans.length > 0 ? `${plans.length} plans` : "",
    changes.length > 0 ? `${changes.length} changes` : "",
    outbox.alerts.length > 0 ? `${outbox.alerts.length} alerts` : "",
  ].filter(Boolean);
  if (held.length > 0) {
    throw new StoreError(
      `store copy: the target ${to.name} store is not empty (${held.join(", ")}); copy into a new directory or schema`,
    );
  }
}

export async function copyStore(
  from: SnapshotStore,
  to: SnapshotStore,
  onProgress: (message: string) => void = () => undefined,
): Promise<CopyReport> {
  await requireEmpty(to);
  const report: CopyReport = {
    sources: 0,
    snapshots: 0,
    bodies: 0,
    events: 0,
    changes: 0,
    planRecords: 0,
    alerts: 0,
    deliveryRecords: 0,
    problems: [],
  };
  const copiedBodies = new Set<string>();
  const sources = await from.listSources();
  for (const sourceId of sources) {
    for (const record of await from.listSnapshots(sourceId)) {
      if (!copiedBodies.has(record.bodyHash)) {
        await to.putBody(await from.getBody(record.bodyHash));
        copiedBodies.add(record.bodyHash);
      }
      const { id, clauseSetHash: _hash, ...input } = await from.getSnapshot(record.id);
      const copied = await to.putSnapshot(input as SnapshotInput);
      if (copied.id !== id) {
        throw new StoreError(
          `store copy: snapshot ${id} of ${sourceId} came out as ${copied.id}; nothing more copied`,
          {
            source: sourceId,
          },
        );
      }
      report.snapshots++;
    }
    for (const event of await from.readEvents(sourceId)) {
      await to.appendEvent(sourceId, event);
      report.events++;
    }
    const state = await from.getSourceState(sourceId);
    if (state) await to.setSourceState(state);
    report.sources++;
    if (report.sources % 100 === 0) onProgress(`${report.sources}/${sources.length} sources`);
  }
  report.bodies = copiedBodies.size;

  const changes = await from.listChanges();
  for (const change of changes) {
    if (await to.appendChange(change)) report.changes++;
  }
  for (const planId of await from.listPlans()) {
    for (const log of LOGS) {
      const records = await from.readPlanLog(planId, log);
      for (const batch of chunks(records)) await to.appendPlanLog(planId, log, batch);
      report.planRecords += records.length;
    }
  }

  const outbox = await from.readOutbox();
  if (changes.length > 0 || outbox.alerts.length > 0) {
    await to.outboxSince(await from.outboxSince(new Date().toISOString()));
  }
  for (const batch of chunks(outbox.alerts)) report.alerts += (await to.appendOutboxAlerts(batch)).length;
  for (const log of ["deliveries", "requeues"] as const) {
    for (const record of outbox[log]) {
      await to.appendOutboxRecord(log, record);
      report.deliveryRecords++;
    }
  }
  onProgress("verifying the copy");
  report.problems = await to.verify();
  return report;
}
