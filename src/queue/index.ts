/**
 * `clausewatch run` with the postgres driver: the same command on every machine, sharing one
 * schedule through a PostgreSQL job queue (pg-boss, see boss.ts).
 *
 * - Every worker runs the cron schedules. A tick becomes one check job per source, with an id
 *   made from source and tick, so the first worker's insert wins and the schedule fires once.
 *   Sources whose previous check is still queued or running are left out of the tick.
 * - A check job is leased: if its worker dies, pg-boss fails it after `queue.leaseSeconds` and
 *   another worker runs it again; the check itself is idempotent (change keys, lineage retries).
 * - A check's changes go to the outbox (unique alert ids), then a delivery job per notifier
 *   (singleton per notifier id) sends them: two workers never deliver to one notifier at once, so
 *   an alert is sent twice only after a crash, and then under the same delivery id.
 * - At start a worker makes sure every schedule's latest tick was dispatched (the first worker up
 *   checks every source, later ones add nothing), and catches up on changes a crash left out of
 *   the outbox.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import cron, { type ScheduledTask } from "node-cron";
import type PgBoss from "pg-boss";
import {
  catchUpChanges,
  createNotifiers,
  deliverPending,
  enqueueChanges,
  notifierPolicy,
} from "../alert/index.js";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../store/index.js";
import { checkSource } from "../worker/check-source.js";
import { HEARTBEAT_FILE, type Heartbeat, type RunningWorker } from "../worker/scheduler.js";
import type { SourceOutcome, WorkerContext } from "../worker/types.js";
import { CHECK_QUEUE, type CheckJob, DELIVER_QUEUE, type DeliverJob, startBoss } from "./boss.js";
import { startLanes } from "./lanes.js";
import { checkJobId, previousFire, type ScheduleGroup, scheduleGroups, tickName } from "./ticks.js";

export { CHECK_QUEUE, DELIVER_QUEUE } from "./boss.js";
export { checkJobId, previousFire, scheduleGroups, stableUuid, tickName } from "./ticks.js";

export interface QueueWorkerOptions {
  /** Dispatch every schedule's latest tick at start. @default true */
  runAtStart?: boolean;
  /** Called after each check this worker ran. */
  onCheck?: (outcome: SourceOutcome, tick: string) => void;
  /** Seconds between heartbeats. @default 60 */
  heartbeatSeconds?: number;
  /** Milliseconds between delivery requests for every notifier (retries). @default 30000 */
  deliveryIntervalMs?: number;
  /** Where the log notifier writes. @default process.stdout */
  alertOutput?: NodeJS.WritableStream;
}

/** Starts this process's share of the work; resolves once it is connected and has caught up. */
export async function startQueueWorker(
  ctx: WorkerContext,
  options: QueueWorkerOptions = {},
): Promise<RunningWorker> {
  const { config, store, logger } = ctx;
  const settings = config.storage;
  if (settings.driver !== "postgres") {
    throw new InputError(
      `the job queue needs storage.driver postgres (this config uses "${settings.driver}")`,
    );
  }
  const now = () => ctx.now?.() ?? new Date();
  /** Recorded with each job's output, so an operator can see who ran what. */
  const worker = `${hostname()}:${process.pid}`;
  const queueLog = logger.child({ component: "queue" });
  const {
    boss,
    unfinishedChecks,
    stop: stopBoss,
  } = await startBoss(
    { url: settings.url, schema: `${settings.schema}_queue`, leaseSeconds: config.queue.leaseSeconds },
    (err) => queueLog.warn({ err }, "queue maintenance failed"),
  );
  const notifiers = createNotifiers(config, {
    storageDir: config.storageDir,
    logger,
    ...(options.alertOutput ? { stdout: options.alertOutput } : {}),
  });
  const alertOptions = { config, storageDir: config.storageDir, store, outbox: store, now };
  const caught = await catchUpChanges(alertOptions);
  if (caught.length > 0) logger.info({ alerts: caught.length }, "alerts caught up from the store");

  const heartbeatPath = join(config.storageDir, HEARTBEAT_FILE);
  let lastCycle: Heartbeat["lastCycle"];
  const beat = (state: Heartbeat["state"]) =>
    writeFileAtomic(
      heartbeatPath,
      `${JSON.stringify({ pid: process.pid, at: new Date().toISOString(), state, ...(lastCycle ? { lastCycle } : {}) })}\n`,
    ).catch((err: unknown) => logger.warn({ err }, "heartbeat not written"));

  const notifierIds = notifiers
    .filter((notifier) => {
      const entry = config.notify.find((candidate) => candidate.id === notifier.id);
      return entry !== undefined && notifierPolicy(entry).enabled;
    })
    .map((notifier) => notifier.id);
  const requestDelivery = async () => {
    if (notifierIds.length === 0) return;
    await boss.insert(
      notifierIds.map((id) => ({ name: DELIVER_QUEUE, data: { notifier: id }, singletonKey: id })),
    );
    deliveries.wake();
  };

  const checks = startLanes<CheckJob>({
    boss,
    queue: CHECK_QUEUE,
    concurrency: config.queue.concurrency,
    pollMs: config.queue.pollSeconds * 1000,
    logger: queueLog,
    async handle(job) {
      const { sourceId, tick } = job.data;
      const source = config.sources.find((candidate) => candidate.id === sourceId && candidate.enabled);
      if (!source) return { skipped: "not an enabled source in this worker's config" };
      const outcome = await checkSource(ctx, source, tick);
      const alerts = await enqueueChanges(outcome.changes, alertOptions);
      if (alerts.length > 0) await requestDelivery();
      const failed = outcome.status === "failed" ? 1 : 0;
      lastCycle =
        lastCycle?.runId === tick
          ? {
              ...lastCycle,
              finishedAt: now().toISOString(),
              checked: lastCycle.checked + 1,
              failed: lastCycle.failed + failed,
            }
          : { runId: tick, finishedAt: now().toISOString(), checked: 1, failed };
      options.onCheck?.(outcome, tick);
      return { status: outcome.status, changes: outcome.changes.length, worker };
    },
  });
  const deliveries = startLanes<DeliverJob>({
    boss,
    queue: DELIVER_QUEUE,
    concurrency: Math.max(1, Math.min(4, notifierIds.length)),
    pollMs: config.queue.pollSeconds * 1000,
    logger: queueLog,
    async handle(job: PgBoss.Job<DeliverJob>) {
      const notifier = notifiers.find((candidate) => candidate.id === job.data.notifier);
      if (!notifier) return { skipped: "no such notifier in this worker's config" };
      return deliverPending({ ...alertOptions, logger, notifiers: [notifier] });
    },
  });

  const dispatch = async (group: ScheduleGroup, at: Date) => {
    const tick = tickName(at);
    const busy = await unfinishedChecks();
    const jobs = group.sourceIds
      .filter((sourceId) => !busy.has(sourceId))
      .map((sourceId) => ({
        id: checkJobId(sourceId, tick),
        name: CHECK_QUEUE,
        data: { sourceId, tick } satisfies CheckJob,
        singletonKey: sourceId,
        ...(group.jitterSeconds > 0
          ? { startAfter: new Date(Date.now() + Math.random() * group.jitterSeconds * 1000).toISOString() }
          : {}),
      }));
    if (jobs.length > 0) await boss.insert(jobs);
    queueLog.debug(
      { tick, schedule: group.schedule, sources: jobs.length, busy: busy.size },
      "tick dispatched",
    );
    checks.wake();
  };
  const safely = (group: ScheduleGroup, at: Date) =>
    dispatch(group, at).catch((err: unknown) =>
      queueLog.error({ err, schedule: group.schedule }, "tick not dispatched"),
    );

  const groups = scheduleGroups(config.sources);
  const tasks: ScheduledTask[] = groups.map((group) =>
    cron.schedule(group.schedule, (context) => safely(group, context.date), {
      name: `clausewatch queue ${group.schedule}`,
      // A busy worker may fire late; the tick keeps its scheduled time, so it is still deduplicated.
      missedExecutionTolerance: 5 * 60_000,
      ...(group.timezone ? { timezone: group.timezone } : {}),
    }),
  );
  if (options.runAtStart ?? true) {
    for (const group of groups) {
      const previous = previousFire(group.schedule, group.timezone, now());
      if (previous) await safely(group, previous);
    }
  }
  const deliveryTimer = setInterval(
    () => void requestDelivery().catch((err: unknown) => queueLog.warn({ err }, "delivery not requested")),
    options.deliveryIntervalMs ?? 30_000,
  );
  deliveryTimer.unref();
  void requestDelivery().catch((err: unknown) => queueLog.warn({ err }, "delivery not requested"));
  const heartbeat = setInterval(() => void beat("running"), (options.heartbeatSeconds ?? 60) * 1000);
  heartbeat.unref();
  await beat("running");
  logger.info(
    { schedules: groups.map((group) => group.schedule), concurrency: config.queue.concurrency },
    "queue worker started",
  );

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        for (const task of tasks) await task.stop();
        clearInterval(deliveryTimer);
        clearInterval(heartbeat);
        await checks.stop();
        await deliveries.stop();
        await Promise.all(notifiers.map((notifier) => notifier.close?.().catch(() => undefined)));
        await stopBoss().catch((err: unknown) => queueLog.warn({ err }, "queue did not stop cleanly"));
        await beat("stopped");
        logger.info("queue worker stopped");
      })();
      return stopping;
    },
    async idle() {
      await checks.idle();
      await deliveries.idle();
    },
  };
}
