import { join } from "node:path";
import cron, { type ScheduledTask } from "node-cron";
import { startAlerts } from "../alert/index.js";
import { writeFileAtomic } from "../store/index.js";
import { runCycle } from "./cycle.js";
import type { CycleReport, WorkerContext } from "./types.js";

export const HEARTBEAT_FILE = "heartbeat.json";

export interface Heartbeat {
  pid: number;
  at: string;
  state: "running" | "stopped";
  lastCycle?: { runId: string; finishedAt: string; checked: number; failed: number };
}

export interface SchedulerOptions {
  /** Check every source once at start instead of waiting for the first tick. @default true */
  runAtStart?: boolean;
  /** Called after each cycle (the CLI prints a summary). */
  onCycle?: (report: CycleReport) => void;
  /** Seconds between heartbeats while idle. @default 60 */
  heartbeatSeconds?: number;
  /** Milliseconds between alert retry passes. @default 30000 */
  deliveryIntervalMs?: number;
  /** Where the log notifier writes. @default process.stdout */
  alertOutput?: NodeJS.WritableStream;
}

export interface RunningWorker {
  /** Stops scheduling, lets the cycle in flight finish its writes, then resolves. */
  stop(): Promise<void>;
  /** Resolves when no cycle is running or waiting. */
  idle(): Promise<void>;
}

/**
 * Runs the worker: one cron task per distinct schedule marks its sources due; a single drain
 * loop runs cycles one after another, so overlapping ticks never run two cycles at once (sources
 * that fall due meanwhile join the next cycle).
 */
export function startScheduler(ctx: WorkerContext, options: SchedulerOptions = {}): RunningWorker {
  const due = new Set<string>();
  const abort = new AbortController();
  const heartbeatPath = join(ctx.config.storageDir, HEARTBEAT_FILE);
  let draining: Promise<void> | undefined;
  let lastCycle: Heartbeat["lastCycle"];
  const alerts = startAlerts({
    config: ctx.config,
    storageDir: ctx.config.storageDir,
    logger: ctx.logger,
    store: ctx.store,
    outbox: ctx.store,
    ...(options.deliveryIntervalMs !== undefined ? { intervalMs: options.deliveryIntervalMs } : {}),
    ...(options.alertOutput ? { stdout: options.alertOutput } : {}),
    ...(ctx.now ? { now: ctx.now } : {}),
  });

  const beat = (state: Heartbeat["state"]) =>
    writeFileAtomic(
      heartbeatPath,
      `${JSON.stringify({ pid: process.pid, at: new Date().toISOString(), state, ...(lastCycle ? { lastCycle } : {}) })}\n`,
    ).catch((err: unknown) => ctx.logger.warn({ err }, "heartbeat not written"));

  const drain = async () => {
    while (due.size > 0 && !abort.signal.aborted) {
      const sourceIds = [...due];
      due.clear();
      const report = await runCycle(ctx, { sourceIds, jitter: true, signal: abort.signal });
      // Durable in the outbox before the next cycle; delivery runs beside the cycles.
      await alerts.enqueue(report.outcomes.flatMap((outcome) => outcome.changes));
      void alerts.deliver();
      lastCycle = {
        runId: report.runId,
        finishedAt: report.finishedAt,
        checked: report.outcomes.length,
        failed: report.outcomes.filter((outcome) => outcome.status === "failed").length,
      };
      await beat("running");
      options.onCycle?.(report);
    }
  };
  const markDue = (ids: string[]) => {
    for (const id of ids) due.add(id);
    if (draining === undefined) {
      draining = drain()
        .catch((err: unknown) => ctx.logger.error({ err }, "cycle failed"))
        .finally(() => {
          draining = undefined;
        });
    }
  };

  const groups = new Map<string, { schedule: string; timezone: string | undefined; ids: string[] }>();
  for (const source of ctx.config.sources.filter((candidate) => candidate.enabled)) {
    const key = `${source.schedule}|${source.timezone ?? ""}`;
    const group = groups.get(key) ?? { schedule: source.schedule, timezone: source.timezone, ids: [] };
    group.ids.push(source.id);
    groups.set(key, group);
  }
  const tasks: ScheduledTask[] = [...groups.values()].map((group) =>
    cron.schedule(group.schedule, () => markDue(group.ids), {
      name: `clausewatch ${group.schedule}`,
      ...(group.timezone ? { timezone: group.timezone } : {}),
    }),
  );
  const heartbeat = setInterval(() => void beat("running"), (options.heartbeatSeconds ?? 60) * 1000);
  heartbeat.unref();
  void beat("running");
  ctx.logger.info({ schedules: [...groups.values()].map((group) => group.schedule) }, "worker started");
  // Delivers what an earlier run left pending, without waiting for a cycle.
  void alerts.deliver();
  if (options.runAtStart ?? true) markDue([...groups.values()].flatMap((group) => group.ids));

  return {
    async stop() {
      for (const task of tasks) await task.stop();
      clearInterval(heartbeat);
      abort.abort();
      await draining;
      await alerts.stop();
      await beat("stopped");
      ctx.logger.info("worker stopped");
    },
    async idle() {
      while (draining !== undefined) await draining;
    },
  };
}
