/**
 * The fs outbox's checkpoint, `outbox/checkpoint.json`: where readers that only need what may
 * still be pending (a delivery pass, a catch-up) start reading the outbox's logs, so a check does
 * not read every alert and attempt ever made. The logs themselves are never rewritten; the
 * checkpoint is derived data, and a reader that finds it missing, damaged or not fitting the
 * logs (a restored store) reads them from the start, as before it existed.
 *
 * - `alerts`, `deliveries`, `requeues`: positions in the three logs. Before them, only the lines
 *   copied into `carried` still matter: alerts not yet delivered to every notifier (pending or
 *   dead: `alerts retry` may re-queue a dead one), the attempts of every alert not dropped, and
 *   each notifier's last digest (its timing and open batch).
 * - `caughtUp`: how far the change log has been turned into alerts (a cursor of the store's
 *   change log), and the end of the alerts log when it was. Every alert before that end is for a
 *   change before the cursor, so a catch-up, which reads only changes after the cursor, never
 *   needs it: only those alerts may be dropped, and an alert id seen once is never enqueued again.
 *
 * Written atomically by the lock holder only; a pass that finds the checkpoint moved since it
 * read the outbox leaves it alone.
 */
import { readFileSync } from "node:fs";
import {
  isLogPosition,
  LOG_START,
  type LogPosition,
  positionAt,
  positionFits,
  readJsonlFrom,
} from "./log-positions.js";
import { stillNeeded } from "./outbox-settling.js";
import type { OutboxAlertRecord, OutboxContents, OutboxDeliveryRecord } from "./types.js";

export const CHECKPOINT_FILE = "checkpoint.json";

export interface OutboxCheckpoint {
  version: 1;
  alerts: LogPosition;
  deliveries: LogPosition;
  requeues: LogPosition;
  carried: {
    alerts: OutboxAlertRecord[];
    deliveries: OutboxDeliveryRecord[];
    requeues: OutboxDeliveryRecord[];
  };
  caughtUp?: { changes: string; alerts: LogPosition };
}

export interface OutboxPaths {
  alerts: string;
  deliveries: string;
  requeues: string;
  checkpoint: string;
}

type Acceptor = (value: unknown) => string | undefined;

/** Where a read from the checkpoint stopped: handed back to `settle`. */
export interface OutboxPosition {
  basis: OutboxCheckpoint | undefined;
  /** How many alerts came from `carried`; then the end offset of each alert read from the log. */
  carriedAlerts: number;
  alertEnds: number[];
  alertsEnd: number;
  deliveriesEnd: number;
  requeuesEnd: number;
}

function emptyCheckpoint(): OutboxCheckpoint {
  return {
    version: 1,
    alerts: { ...LOG_START },
    deliveries: { ...LOG_START },
    requeues: { ...LOG_START },
    carried: { alerts: [], deliveries: [], requeues: [] },
  };
}

/** The checkpoint, when there is one that fits the logs; undefined otherwise (read from the start). */
export function readCheckpoint(paths: OutboxPaths): OutboxCheckpoint | undefined {
  let value: Partial<OutboxCheckpoint>;
  try {
    value = JSON.parse(readFileSync(paths.checkpoint, "utf8")) as Partial<OutboxCheckpoint>;
  } catch {
    return undefined;
  }
  const carried = value?.carried;
  if (
    value?.version !== 1 ||
    !isLogPosition(value.alerts) ||
    !isLogPosition(value.deliveries) ||
    !isLogPosition(value.requeues) ||
    !Array.isArray(carried?.alerts) ||
    !Array.isArray(carried?.deliveries) ||
    !Array.isArray(carried?.requeues)
  )
    return undefined;
  const caughtUp = value.caughtUp;
  if (caughtUp !== undefined && (typeof caughtUp.changes !== "string" || !isLogPosition(caughtUp.alerts)))
    return undefined;
  const checkpoint = value as OutboxCheckpoint;
  const positions: Array<[string, LogPosition]> = [
    [paths.alerts, checkpoint.alerts],
    [paths.deliveries, checkpoint.deliveries],
    [paths.requeues, checkpoint.requeues],
    ...(caughtUp ? [[paths.alerts, caughtUp.alerts] as [string, LogPosition]] : []),
  ];
  return positions.every(([path, position]) => positionFits(path, position)) ? checkpoint : undefined;
}

/** The carried lines and every line after the checkpoint, with where the read stopped. */
export function readFromCheckpoint<A extends OutboxAlertRecord, D extends OutboxDeliveryRecord>(
  paths: OutboxPaths,
  accept: { alert: Acceptor; record: Acceptor },
): OutboxContents<A, D> & { position: OutboxPosition } {
  const basis = readCheckpoint(paths);
  const from = basis ?? emptyCheckpoint();
  const alerts = readJsonlFrom<A>(paths.alerts, from.alerts.offset, accept.alert);
  const deliveries = readJsonlFrom<D>(paths.deliveries, from.deliveries.offset, accept.record);
  const requeues = readJsonlFrom<D>(paths.requeues, from.requeues.offset, accept.record);
  return {
    alerts: [...(from.carried.alerts as A[]), ...alerts.records],
    deliveries: [...(from.carried.deliveries as D[]), ...deliveries.records],
    requeues: [...(from.carried.requeues as D[]), ...requeues.records],
    position: {
      basis,
      carriedAlerts: from.carried.alerts.length,
      alertEnds: alerts.ends,
      alertsEnd: alerts.end,
      deliveriesEnd: deliveries.end,
      requeuesEnd: requeues.end,
    },
  };
}

function samePositions(a: OutboxCheckpoint | undefined, b: OutboxCheckpoint | undefined): boolean {
  const key = (checkpoint: OutboxCheckpoint | undefined) =>
    checkpoint
      ? [checkpoint.alerts, checkpoint.deliveries, checkpoint.requeues].map((p) => p.offset).join(",")
      : "none";
  return key(a) === key(b);
}

/**
 * The checkpoint after a pass that read `contents` at `position`: alerts settled by then (every
 * notifier delivered) and before the caught-up end are dropped with their attempts; undefined when
 * there is nothing to drop or the checkpoint moved since the read.
 */
export function settledCheckpoint(
  paths: OutboxPaths,
  contents: OutboxContents<OutboxAlertRecord, OutboxDeliveryRecord>,
  position: OutboxPosition,
  settled: (alertId: string) => boolean,
): OutboxCheckpoint | undefined {
  const current = readCheckpoint(paths);
  if (!samePositions(current, position.basis)) return undefined;
  const limit = Math.min(position.alertsEnd, current?.caughtUp?.alerts.offset ?? 0);
  const endOf = (index: number) =>
    index < position.carriedAlerts ? 0 : (position.alertEnds[index - position.carriedAlerts] ?? Infinity);
  // An id with a line after the limit is read again next time: it keeps its attempts.
  const later = new Set<string>();
  contents.alerts.forEach((entry, index) => {
    if (endOf(index) > limit) later.add(entry.alert.id);
  });
  const dropped = new Set<string>();
  const carriedAlerts: OutboxAlertRecord[] = [];
  contents.alerts.forEach((entry, index) => {
    if (endOf(index) > limit) return;
    if (!later.has(entry.alert.id) && settled(entry.alert.id)) dropped.add(entry.alert.id);
    else carriedAlerts.push(entry);
  });
  if (dropped.size === 0) return undefined;
  const keep = stillNeeded(contents, dropped);
  return {
    version: 1,
    alerts: positionAt(paths.alerts, limit),
    deliveries: positionAt(paths.deliveries, position.deliveriesEnd),
    requeues: positionAt(paths.requeues, position.requeuesEnd),
    carried: {
      alerts: carriedAlerts,
      deliveries: contents.deliveries.filter(keep),
      requeues: contents.requeues.filter(keep),
    },
    ...(current?.caughtUp ? { caughtUp: current.caughtUp } : {}),
  };
}

/** The checkpoint with the change log caught up to `changes`, the alerts log being `alertsSize` long. */
export function caughtUpCheckpoint(
  paths: OutboxPaths,
  changes: string,
  alertsSize: number,
): OutboxCheckpoint {
  const current = readCheckpoint(paths) ?? emptyCheckpoint();
  return {
    ...current,
    caughtUp: { changes, alerts: positionAt(paths.alerts, alertsSize) },
  };
}
