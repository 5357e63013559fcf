import type { OutboxAlertRecord, OutboxContents, OutboxDeliveryRecord } from "./types.js";

/**
 * Which delivery attempts and re-queues of an outbox read a later pass still needs, once the
 * alerts in `dropped` are settled: those about an alert not dropped, and each notifier's last
 * digest (its timing and open batch). Both drivers settle by this rule (fs checkpoint, postgres rows).
 */
export function stillNeeded(
  contents: OutboxContents<OutboxAlertRecord, OutboxDeliveryRecord>,
  dropped: ReadonlySet<string>,
): (record: OutboxDeliveryRecord) => boolean {
  const lastDigest = new Map<string, OutboxDeliveryRecord>();
  for (const record of contents.deliveries)
    if (record.outcome === "batched") lastDigest.set(record.notifier, record);
  return (record) => {
    const members = (record as { alertIds?: unknown }).alertIds;
    const ids = Array.isArray(members) ? (members as string[]) : [record.alertId];
    return ids.some((id) => !dropped.has(id)) || lastDigest.get(record.notifier) === record;
  };
}
