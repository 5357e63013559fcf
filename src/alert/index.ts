/**
 * The alert stage: changes the worker stored become alerts in a persistent outbox (outbox.ts),
 * and a delivery engine (deliver.ts) gets each one to each notifier at least once.
 *
 * Order of work after a cycle: the changes are already in the store's changes.jsonl; they are
 * built into alerts and appended to the outbox (`enqueueChanges`), and only then delivered
 * (`deliverPending`). `startAlerts` wraps both for the worker: it catches up on changes a crash
 * left un-enqueued, retries on a timer, and never runs two delivery passes at once.
 */
import type { Logger } from "pino";
import type { Config, NotifierConfig } from "../config/index.js";
import { severityAtLeast } from "../diff/severity.js";
import { InputError, NotifyError } from "../errors.js";
import { clauseNoun } from "../report/headline.js";
import { type SnapshotStore, type StoreLogs, type StoreLogsRef, storeLogs } from "../store/index.js";
import type { SourceChange } from "../worker/types.js";
import { buildAlert } from "./build.js";
import { type DeliverySummary, deliverPending, notifierPolicy } from "./deliver.js";
import { notifierDrivers } from "./notifiers/index.js";
import {
  ALERTS_FILE,
  appendEntries,
  appendRequeue,
  type DeliveryStatus,
  type OutboxEntry,
  outboxDir,
  prepareOutbox,
  readEntries,
  readOutbox,
  replay,
} from "./outbox.js";
import type { Alert, Notifier, NotifierContext } from "./types.js";

export type { DeliverOptions, DeliverySummary, NotifierPolicy } from "./deliver.js";
export { deliverPending, notifierPolicy, retryDelayMs } from "./deliver.js";
export type { DeliveryRecord, DeliveryState, DeliveryStatus, OutboxEntry } from "./outbox.js";
export { outboxDir, prepareOutbox } from "./outbox.js";
export type { Alert, DeliveryContext, Notifier, NotifierContext } from "./types.js";

/**
 * Whether a notifier wants this change: never baselines, cosmetic or suppressed ones, nothing
 * for a disabled notifier, then its own filters (minSeverity, plans, sources, kinds).
 */
export function wants(notifier: NotifierConfig, change: SourceChange): boolean {
  const policy = notifierPolicy(notifier);
  if (!policy.enabled || change.suppressed || change.kind === "baseline") return false;
  if (!severityAtLeast(change.severity, "minor")) return false;
  if (!severityAtLeast(change.severity, policy.minSeverity)) return false;
  if (policy.plans !== undefined && !policy.plans.includes(change.planId)) return false;
  if (policy.sources !== undefined && !policy.sources.includes(change.sourceId)) return false;
  return policy.kinds === undefined || (policy.kinds as string[]).includes(change.kind);
}

/** What building alerts needs from the config. */
export type AlertConfig = Pick<Config, "plans" | "sources" | "notify" | "publicBaseUrl">;

export interface EnqueueOptions {
  config: AlertConfig;
  storageDir: string;
  /** Where the outbox lives. @default the fs store's outbox in `storageDir` */
  outbox?: StoreLogs;
  /** Lets headlines name clauses as the document does ("Article 4"); "Point" without it. */
  store?: Pick<SnapshotStore, "getSnapshot">;
  /** @default () => new Date() */
  now?: () => Date;
}

/** The store's snapshots, each read once per enqueue (a change's noun and pages need the same ones). */
function snapshotReader(store: EnqueueOptions["store"]): EnqueueOptions["store"] {
  if (!store) return undefined;
  const read = new Map<string, ReturnType<SnapshotStore["getSnapshot"]>>();
  return {
    getSnapshot(id) {
      let found = read.get(id);
      if (!found) {
        found = store.getSnapshot(id);
        read.set(id, found);
      }
      return found;
    },
  };
}

async function nounOf(change: SourceChange, store: EnqueueOptions["store"]): Promise<string> {
  if (!store || !change.toSnapshot) return "Point";
  try {
    return clauseNoun((await store.getSnapshot(change.toSnapshot)).clauseSet);
  } catch {
    return "Point";
  }
}

/** Pages of the clauses on both sides, when the copies are paged (PDF); nothing otherwise. */
async function pagesOf(
  change: SourceChange,
  store: EnqueueOptions["store"],
): Promise<{ pages?: { old: Record<string, number>; new: Record<string, number> } }> {
  if (!store || !change.toSnapshot) return {};
  const pagesIn = async (id: string | undefined) => {
    const set = id
      ? await store.getSnapshot(id).then(
          (found) => found.clauseSet,
          () => undefined,
        )
      : undefined;
    return Object.fromEntries(
      (set?.clauses ?? []).flatMap((clause) => (clause.page ? [[clause.key, clause.page]] : [])),
    );
  };
  const [old, now] = await Promise.all([pagesIn(change.fromSnapshot), pagesIn(change.toSnapshot)]);
  return Object.keys(old).length + Object.keys(now).length > 0 ? { pages: { old, new: now } } : {};
}

/**
 * Builds the alerts for these changes and appends those not in the outbox yet, each with the
 * notifiers that want it; returns the newly written alerts. Changes no notifier wants are skipped.
 * The caller holds the store lock.
 */
export async function enqueueChanges(changes: SourceChange[], options: EnqueueOptions): Promise<Alert[]> {
  const { config } = options;
  const at = (options.now ?? (() => new Date()))().toISOString();
  const store = snapshotReader(options.store);
  const entries: OutboxEntry[] = [];
  for (const change of changes) {
    const targets = config.notify
      .filter((notifier) => wants(notifier, change))
      .map((notifier) => notifier.id);
    if (targets.length === 0) continue;
    const alert = buildAlert(change, {
      planTitle: config.plans.find((plan) => plan.id === change.planId)?.title ?? change.planId,
      noun: await nounOf(change, store),
      ...(await pagesOf(change, store)),
      ...optional("sourceTitle", config.sources.find((source) => source.id === change.sourceId)?.title),
      ...optional("publicBaseUrl", config.publicBaseUrl),
    });
    if (alert) entries.push({ at, targets, alert });
  }
  const written = await appendEntries(options.outbox ?? options.storageDir, entries);
  return written.map((entry) => entry.alert);
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * Enqueues the store's changes recorded since the outbox started that have no alert yet — what a
 * crash between the store's append and the enqueue left behind, or a change a cycle stored but
 * did not report. Returns the alerts written. Where the store and outbox keep a cursor, only the
 * changes after the last catch-up are read, and the cursor moves to the end. The caller holds the
 * store lock and nothing appends changes meanwhile.
 */
export async function catchUpChanges(options: EnqueueOptions & { store: CatchUpStore }): Promise<Alert[]> {
  const where = options.outbox ?? options.storageDir;
  const logs = storeLogs(where);
  const since = await prepareOutbox(where, (options.now ?? (() => new Date()))());
  const { store } = options;
  const end = await store.changesCursor?.();
  const cursor = end === undefined ? undefined : await logs.outboxCaughtUp?.();
  const recent = cursor === undefined ? undefined : await store.listChangesAfter?.(cursor, { since });
  const changes = (recent ?? (await store.listChanges({ since }))) as SourceChange[];
  // Only changes without an alert: building one loads its snapshots, and the outbox already
  // holds nearly all of them (an alert's id is its change's key). Changes after the cursor have
  // their alerts among the unsettled ones; a full read compares with every alert.
  const enqueued = new Set(
    (await readEntries(where, recent ? { unsettled: true } : {})).map((entry) => entry.alert.id),
  );
  const written = await enqueueChanges(
    changes.filter((change) => !enqueued.has(change.key)),
    options,
  );
  if (end !== undefined) await logs.markOutboxCaughtUp?.(end);
  return written;
}

/** What a catch-up reads of the store: its changes, with a cursor where it keeps one. */
export type CatchUpStore = Pick<
  SnapshotStore,
  "getSnapshot" | "listChanges" | "changesCursor" | "listChangesAfter"
>;

/**
 * Creates a notifier for every enabled entry of `config.notify` through the registry. Throws one
 * NotifyError naming every unusable notifier, so a misconfigured worker refuses to start.
 */
export function createNotifiers(config: Pick<Config, "notify">, context: NotifierContext): Notifier[] {
  const notifiers: Notifier[] = [];
  const problems: string[] = [];
  for (const entry of config.notify) {
    if (!notifierPolicy(entry).enabled) continue;
    const driver = notifierDrivers[entry.type];
    if (!driver) {
      problems.push(
        `notifier "${entry.id}": unknown type "${entry.type}" (expected one of ${Object.keys(notifierDrivers).join(", ")})`,
      );
      continue;
    }
    try {
      notifiers.push(driver.create({ ...entry }, context));
    } catch (error) {
      problems.push(`notifier "${entry.id}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) {
    for (const notifier of notifiers) void notifier.close?.().catch(() => undefined);
    throw new NotifyError(`cannot start the notifiers: ${problems.join("; ")}`, { permanent: true });
  }
  return notifiers;
}

export interface NotifierStatus {
  id: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
  deliveryId?: string;
  deliveredAt?: string;
}

/** One alert of the outbox with where it stands with each of its notifiers. */
export interface AlertRow {
  id: string;
  detectedAt: string;
  kind: Alert["kind"];
  severity: Alert["severity"];
  headline: string;
  planId: string;
  sourceId: string;
  /** dead when any notifier gave up, else pending when any still waits, else delivered. */
  status: DeliveryStatus;
  notifiers: NotifierStatus[];
}

export interface ListAlertsOptions {
  /** pending / dead: alerts with at least one notifier in that state; delivered: delivered to all. */
  status?: DeliveryStatus;
}

/** The outbox's alerts, oldest first; reads only (no lock, safe beside a worker). */
export async function listAlerts(where: StoreLogsRef, options: ListAlertsOptions = {}): Promise<AlertRow[]> {
  // Pending and dead alerts are never settled: an unsettled read holds them all.
  const unsettled = options.status === "pending" || options.status === "dead";
  const snapshot = await readOutbox(where, { unsettled });
  const states = replay(snapshot);
  const rows = snapshot.entries.map((entry): AlertRow => {
    const notifiers = entry.targets.map((target): NotifierStatus => {
      const state = states.get(entry.alert.id, target);
      return {
        id: target,
        status: state?.status ?? "pending",
        attempts: state?.attempts ?? 0,
        ...(state?.lastError ? { lastError: state.lastError } : {}),
        ...(state?.nextAttemptAt ? { nextAttemptAt: state.nextAttemptAt } : {}),
        ...(state?.deliveryId ? { deliveryId: state.deliveryId } : {}),
        ...(state?.deliveredAt ? { deliveredAt: state.deliveredAt } : {}),
      };
    });
    const has = (status: DeliveryStatus) => notifiers.some((notifier) => notifier.status === status);
    return {
      id: entry.alert.id,
      detectedAt: entry.alert.detectedAt,
      kind: entry.alert.kind,
      severity: entry.alert.severity,
      headline: entry.alert.headline,
      planId: entry.alert.plan.id,
      sourceId: entry.alert.source.id,
      status: has("dead") ? "dead" : has("pending") ? "pending" : "delivered",
      notifiers,
    };
  });
  const wanted = options.status;
  if (wanted === undefined) return rows;
  if (wanted === "delivered") return rows.filter((row) => row.status === "delivered");
  return rows.filter((row) => row.notifiers.some((notifier) => notifier.status === wanted));
}

/**
 * Puts an alert that is dead for a notifier (all its dead notifiers when none is named) back in
 * the queue, with a fresh give-up window; returns the notifier ids re-queued ([] when none was
 * dead). Throws InputError for an unknown alert or a notifier the alert was not meant for.
 * Writes only the re-queue log (`requeues.jsonl`), so it is safe beside a running worker.
 */
export async function requeue(
  where: StoreLogsRef,
  alertId: string,
  notifierId?: string,
  now: Date = new Date(),
): Promise<string[]> {
  const [row] = (await listAlerts(where)).filter((candidate) => candidate.id === alertId);
  if (!row) {
    const place = typeof where === "string" ? `${outboxDir(where)}/${ALERTS_FILE}` : "the store's outbox";
    throw new InputError(`unknown alert "${alertId}": not in ${place}`);
  }
  if (notifierId !== undefined && !row.notifiers.some((notifier) => notifier.id === notifierId)) {
    throw new InputError(
      `alert "${alertId}" was not meant for notifier "${notifierId}" (its notifiers: ${row.notifiers.map((notifier) => notifier.id).join(", ")})`,
    );
  }
  const dead = row.notifiers.filter(
    (notifier) => notifier.status === "dead" && (notifierId === undefined || notifier.id === notifierId),
  );
  for (const notifier of dead) {
    await appendRequeue(where, {
      at: now.toISOString(),
      alertId,
      notifier: notifier.id,
      outcome: "requeued",
    });
  }
  return dead.map((notifier) => notifier.id);
}

export interface StartAlertsOptions {
  config: AlertConfig;
  storageDir: string;
  /** Where the outbox lives. @default the fs store's outbox in `storageDir` */
  outbox?: StoreLogs;
  logger: Logger;
  /** The store the worker writes; lets a start catch up on changes a crash left un-enqueued. */
  store?: CatchUpStore;
  /** Where the log notifier writes. @default process.stdout */
  stdout?: NodeJS.WritableStream;
  /** Milliseconds between retry passes; 0 for none (one-shot commands). @default 30000 */
  intervalMs?: number;
  /** Notifiers to use instead of creating them from the config (tests). */
  notifiers?: Notifier[];
  /** @default () => new Date() */
  now?: () => Date;
}

export interface AlertRunner {
  /** Writes the alerts for these changes to the outbox; resolves when they are durable. */
  enqueue(changes: SourceChange[]): Promise<Alert[]>;
  /**
   * Runs a delivery pass (after the one in flight, if any; calls made meanwhile share one).
   * Never rejects: a failed pass is logged and resolves undefined.
   */
  deliver(): Promise<DeliverySummary | undefined>;
  /** Stops the timer, waits for the pass in flight and closes the notifiers. */
  stop(): Promise<void>;
}

/**
 * The worker's side of the alert stage. Notifiers are created at once, so a misconfigured one
 * throws here and the worker refuses to start.
 */
export function startAlerts(options: StartAlertsOptions): AlertRunner {
  const { config, storageDir, logger } = options;
  const now = options.now ?? (() => new Date());
  const notifiers =
    options.notifiers ??
    createNotifiers(config, { storageDir, logger, ...(options.stdout ? { stdout: options.stdout } : {}) });
  const enqueueOptions: EnqueueOptions = {
    config,
    storageDir,
    now,
    ...(options.store ? { store: options.store } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  };
  const outbox = options.outbox ?? storageDir;
  const ready = (async () => {
    await prepareOutbox(outbox, now());
    if (options.store) {
      const caught = await catchUpChanges({ ...enqueueOptions, store: options.store });
      if (caught.length > 0) logger.info({ alerts: caught.length }, "alerts caught up from the store");
    }
  })();
  ready.catch(() => undefined);

  let current: Promise<DeliverySummary | undefined> | undefined;
  let queued: Promise<DeliverySummary | undefined> | undefined;
  let stopped = false;
  let closing: Promise<void> | undefined;

  const pass = async (): Promise<DeliverySummary | undefined> => {
    try {
      await ready;
      return await deliverPending({
        config,
        storageDir,
        logger,
        notifiers,
        now,
        ...(options.outbox ? { outbox: options.outbox } : {}),
      });
    } catch (err) {
      logger.error({ err }, "delivery pass failed");
      return undefined;
    }
  };
  const deliver = (): Promise<DeliverySummary | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    if (!current) {
      current = pass().finally(() => {
        current = undefined;
      });
      return current;
    }
    if (!queued) {
      queued = current.then(() => {
        queued = undefined;
        return deliver();
      });
    }
    return queued;
  };
  const intervalMs = options.intervalMs ?? 30_000;
  const timer = intervalMs > 0 ? setInterval(() => void deliver(), intervalMs) : undefined;
  timer?.unref();

  return {
    async enqueue(changes) {
      await ready;
      const written = await enqueueChanges(changes, enqueueOptions);
      // Where the store keeps a cursor, this costs a read of the cycle's own changes: a change
      // stored but not reported gets its alert now, and the next catch-up starts after it.
      if (options.store?.changesCursor && storeLogs(outbox).markOutboxCaughtUp) {
        const caught = await catchUpChanges({ ...enqueueOptions, store: options.store });
        if (caught.length > 0) logger.warn({ alerts: caught.length }, "alerts caught up from the store");
        written.push(...caught);
      }
      return written;
    },
    deliver,
    stop() {
      closing ??= (async () => {
        clearInterval(timer);
        stopped = true;
        await queued;
        await current;
        await Promise.all(notifiers.map((notifier) => notifier.close?.().catch(() => undefined)));
      })();
      return closing;
    },
  };
}
