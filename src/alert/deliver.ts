/**
 * The delivery engine: one pass over the outbox. Each notifier works through its own pending
 * alerts concurrently with the others, so a failing or hanging receiver only costs its own
 * notifier time. Every outcome is appended to the attempt log before the next send.
 *
 * - A send that rejects (NotifyError or anything else) or outlasts `timeoutMs` is a failure; it is
 *   retried after an exponential backoff with full jitter (`random(0, min(maxDelayMs, baseDelayMs
 *   · 2^(failures-1)))`), or after the receiver's Retry-After capped by `maxDelayMs`.
 * - A `permanent` error, or a failure once `giveUpAfterMinutes` have passed since detection (or the
 *   last re-queue), makes the alert dead for that notifier until `requeue`.
 * - After a transient failure the notifier stops for this pass: its receiver is down, and trying
 *   each remaining alert would hold the pass for `timeoutMs` per alert. Later alerts never
 *   overtake one that is backing off, so they arrive in detection order after an outage.
 * - Digest notifiers (`digestMinutes`) send every due pending alert as one message, at most once
 *   per window. The batch is recorded ("batched") before its first send and retried as exactly
 *   that batch, so a delivery id always names the same alerts — a receiver deduplicating by it
 *   can never drop an alert that joined later.
 */
import type { Logger } from "pino";
import { z } from "zod";
import type { NotifierConfig } from "../config/index.js";
import { NotifyError } from "../errors.js";
import type { StoreLogs } from "../store/index.js";
import { notifierCommonFields } from "./notifiers/common.js";
import {
  appendDelivery,
  type DeliveryRecord,
  type DeliveryStates,
  type OutboxEntry,
  readOutbox,
  replay,
  settle,
} from "./outbox.js";
import type { Alert, Notifier } from "./types.js";

const policySchema = z.object(notifierCommonFields).omit({ id: true });

/** A notifier's filters, digest, retry and timeout settings with defaults applied. */
export type NotifierPolicy = z.output<typeof policySchema>;

/**
 * The shared options of a configured notifier, defaults filled in. Reads them from the config
 * entry whatever driver schema produced it, so the engine needs no per-driver knowledge.
 */
export function notifierPolicy(entry: NotifierConfig | Record<string, unknown>): NotifierPolicy {
  const picked = Object.fromEntries(
    Object.keys(policySchema.shape).map((key) => [key, (entry as Record<string, unknown>)[key]]),
  );
  const parsed = policySchema.safeParse(picked);
  return parsed.success ? parsed.data : policySchema.parse({});
}

export interface RetryDelayOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** @default Math.random */
  random?: () => number;
}

/**
 * How long to wait after the `failures`-th consecutive failure: the receiver's Retry-After when it
 * gave one, else exponential backoff with full jitter; never more than `maxDelayMs`.
 */
export function retryDelayMs(
  failures: number,
  options: RetryDelayOptions,
  retryAfterSeconds?: number,
): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(options.maxDelayMs, Math.ceil(retryAfterSeconds * 1000));
  }
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

export interface DeliverOptions {
  config: { notify: NotifierConfig[] };
  storageDir: string;
  /** Where the outbox lives. @default the fs store's outbox in `storageDir` */
  outbox?: StoreLogs;
  logger: Logger;
  /** Notifier instances (from `createNotifiers`), matched to `config.notify` by id. */
  notifiers: Notifier[];
  /** Clock. @default () => new Date() */
  now?: () => Date;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

export interface DeliverySummary {
  /** Alerts delivered in this pass (a digest counts each alert in it). */
  delivered: number;
  /** Failed attempts that will be retried. */
  failed: number;
  /** Alerts given up on in this pass. */
  dead: number;
  /** Pending alerts not attempted in this pass (backing off, digest window, notifier stopped). */
  waiting: number;
}

type Attempt = { ok: true } | { ok: false; error: unknown };

/** Races the send against `timeoutMs`; a send still running afterwards is left to finish unobserved. */
async function attemptSend(
  notifier: Notifier,
  alerts: Alert[],
  delivery: { deliveryId: string; attempt: number },
  timeoutMs: number,
): Promise<Attempt> {
  let timer: NodeJS.Timeout | undefined;
  const sending = Promise.resolve().then(() => notifier.send(alerts, delivery));
  sending.catch(() => undefined);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new NotifyError(
            `${notifier.type} notifier "${notifier.id}": no answer within ${timeoutMs} ms (delivery ${delivery.deliveryId})`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([sending, deadline]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface NotifierRun {
  notifier: Notifier;
  policy: NotifierPolicy;
  pending: OutboxEntry[];
  states: DeliveryStates;
  options: DeliverOptions;
  summary: DeliverySummary;
}

/**
 * Records the outcome of one attempt for every alert in it; returns whether the notifier may go
 * on in this pass (true after success or a permanent failure).
 */
async function record(
  run: NotifierRun,
  alerts: OutboxEntry[],
  deliveryId: string,
  attempt: Attempt,
): Promise<boolean> {
  const { notifier, policy, options, summary, states } = run;
  const now = (options.now ?? (() => new Date()))();
  const log = options.logger.child({ notifier: notifier.id, deliveryId });
  const write = (
    entry: OutboxEntry,
    fields: Omit<DeliveryRecord, "at" | "alertId" | "notifier" | "deliveryId">,
  ) =>
    appendDelivery(options.outbox ?? options.storageDir, {
      at: now.toISOString(),
      alertId: entry.alert.id,
      notifier: notifier.id,
      deliveryId,
      ...fields,
    });
  if (attempt.ok) {
    for (const entry of alerts) {
      const attemptNo = (states.get(entry.alert.id, notifier.id)?.attempts ?? 0) + 1;
      await write(entry, { outcome: "delivered", attempt: attemptNo });
    }
    summary.delivered += alerts.length;
    log.info({ alerts: alerts.map((entry) => entry.alert.id) }, "alert delivered");
    return true;
  }
  const error = attempt.error;
  const permanent = error instanceof NotifyError && error.permanent;
  const retryAfter = error instanceof NotifyError ? error.retryAfter : undefined;
  const message = describe(error);
  for (const entry of alerts) {
    const state = states.get(entry.alert.id, notifier.id);
    const attemptNo = (state?.attempts ?? 0) + 1;
    const windowStart = Date.parse(state?.windowStart ?? entry.alert.detectedAt);
    const expired = now.getTime() >= windowStart + policy.retry.giveUpAfterMinutes * 60_000;
    if (permanent || expired) {
      await write(entry, { outcome: "dead", attempt: attemptNo, error: message });
      summary.dead += 1;
      log.error({ err: error, alert: entry.alert.id, attempt: attemptNo, permanent }, "alert dead");
      continue;
    }
    const delay = retryDelayMs(
      (state?.failures ?? 0) + 1,
      { ...policy.retry, ...(options.random ? { random: options.random } : {}) },
      retryAfter,
    );
    const nextAttemptAt = new Date(now.getTime() + delay).toISOString();
    await write(entry, { outcome: "failed", attempt: attemptNo, error: message, nextAttemptAt });
    summary.failed += 1;
    log.warn(
      { err: error, alert: entry.alert.id, attempt: attemptNo, nextAttemptAt },
      "alert delivery failed",
    );
  }
  // A permanent error belongs to this alert; a transient one means the receiver is down.
  return permanent;
}

function due(states: DeliveryStates, entry: OutboxEntry, notifierId: string, now: Date): boolean {
  const next = states.get(entry.alert.id, notifierId)?.nextAttemptAt;
  return next === undefined || Date.parse(next) <= now.getTime();
}

/**
 * Sends the notifier's pending alerts oldest first and never overtakes: while the oldest one is
 * backing off, the ones detected after it wait too, so a receiver that comes back after an
 * outage gets them in detection order. Only a dead alert (given up) leaves the line.
 */
async function deliverOneByOne(run: NotifierRun): Promise<void> {
  const { notifier, policy, pending, states, options } = run;
  const clock = options.now ?? (() => new Date());
  for (const [index, entry] of pending.entries()) {
    if (!due(states, entry, notifier.id, clock())) {
      run.summary.waiting += pending.length - index;
      return;
    }
    const deliveryId = `${entry.alert.id}:${notifier.id}`;
    const attempt = (states.get(entry.alert.id, notifier.id)?.attempts ?? 0) + 1;
    const outcome = await attemptSend(notifier, [entry.alert], { deliveryId, attempt }, policy.timeoutMs);
    const goOn = await record(run, [entry], deliveryId, outcome);
    if (!goOn) {
      run.summary.waiting += pending.length - index - 1;
      return;
    }
  }
}

async function deliverDigest(run: NotifierRun, digestMinutes: number): Promise<void> {
  const { notifier, policy, pending, states, options } = run;
  const now = (options.now ?? (() => new Date()))();
  const byId = new Map(pending.map((entry) => [entry.alert.id, entry]));
  const open = states.openBatch(notifier.id);
  let members: OutboxEntry[];
  let deliveryId: string;
  if (open) {
    members = open.alertIds.map((id) => byId.get(id)).filter((entry) => entry !== undefined);
    deliveryId = open.deliveryId;
    const first = members[0];
    if (!first || !due(states, first, notifier.id, now)) {
      run.summary.waiting += pending.length;
      return;
    }
  } else {
    const last = states.lastBatchAt(notifier.id);
    const fresh = pending.filter((entry) => states.get(entry.alert.id, notifier.id)?.batch === undefined);
    const waiting = last !== undefined && now.getTime() - Date.parse(last) < digestMinutes * 60_000;
    const first = fresh[0];
    if (!first || waiting) {
      run.summary.waiting += pending.length;
      return;
    }
    members = fresh;
    deliveryId = `digest:${notifier.id}:${first.alert.id}`;
    await appendDelivery(options.outbox ?? options.storageDir, {
      at: now.toISOString(),
      alertId: first.alert.id,
      notifier: notifier.id,
      outcome: "batched",
      deliveryId,
      alertIds: members.map((entry) => entry.alert.id),
    });
  }
  const attempt =
    Math.max(0, ...members.map((entry) => states.get(entry.alert.id, notifier.id)?.attempts ?? 0)) + 1;
  const outcome = await attemptSend(
    notifier,
    members.map((entry) => entry.alert),
    { deliveryId, attempt },
    policy.timeoutMs,
  );
  await record(run, members, deliveryId, outcome);
  run.summary.waiting += pending.length - members.length;
}

/**
 * One delivery pass: every enabled notifier sends its due pending alerts. Never throws for a
 * notifier's failure; an unreadable outbox or an unwritable attempt log does throw.
 */
export async function deliverPending(options: DeliverOptions): Promise<DeliverySummary> {
  const where = options.outbox ?? options.storageDir;
  const snapshot = await readOutbox(where, { unsettled: true });
  const states = replay(snapshot);
  const summaries = await Promise.all(
    options.notifiers.map(async (notifier) => {
      const summary: DeliverySummary = { delivered: 0, failed: 0, dead: 0, waiting: 0 };
      const entry = options.config.notify.find((candidate) => candidate.id === notifier.id);
      if (!entry) return summary;
      const policy = notifierPolicy(entry);
      const pending = snapshot.entries
        .filter(
          (outboxEntry) =>
            outboxEntry.targets.includes(notifier.id) &&
            states.get(outboxEntry.alert.id, notifier.id)?.status === "pending",
        )
        // Detection order (stable: the outbox's own order for equal times).
        .sort((x, y) => Date.parse(x.alert.detectedAt) - Date.parse(y.alert.detectedAt));
      if (!policy.enabled) {
        summary.waiting += pending.length;
        return summary;
      }
      if (pending.length === 0) return summary;
      const run: NotifierRun = { notifier, policy, pending, states, options, summary };
      if (policy.digestMinutes !== undefined) await deliverDigest(run, policy.digestMinutes);
      else await deliverOneByOne(run);
      return summary;
    }),
  );
  // What was delivered before this pass need not be read by the next one. Only a shortcut: if
  // it cannot be recorded, the next pass reads those alerts again.
  await settle(where, snapshot, states).catch((err: unknown) =>
    options.logger.warn({ err }, "outbox checkpoint not written; the next pass reads the whole outbox"),
  );
  return summaries.reduce(
    (total, part) => ({
      delivered: total.delivered + part.delivered,
      failed: total.failed + part.failed,
      dead: total.dead + part.dead,
      waiting: total.waiting + part.waiting,
    }),
    { delivered: 0, failed: 0, dead: 0, waiting: 0 },
  );
}
