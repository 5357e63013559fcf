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
  /** The cycle in flight: when it started and when a source last finished in it. */
  cycle?: { startedAt: string; progressAt: string; checked: number; sources: number };
  /**
   * A cycle in which no source has finished for this long is stuck: every source has a deadline
   * (the longest one plus slack).
   */
  stuckAfterSeconds?: number;
}

/** Whether a heartbeat shows a live worker whose cycles make progress; the reason when not. */
export function assessHeartbeat(
  beat: Heartbeat,
  now: Date,
  maxAgeSeconds: number,
): { ok: true; age: number } | { ok: false; age: number; reason: string } {
  const age = Math.round((now.getTime() - Date.parse(beat.at)) / 1000);
  if (beat.state !== "running") return { ok: false, age, reason: `the worker has ${beat.state}` };
  if (age > maxAgeSeconds) return { ok: false, age, reason: `no heartbeat for ${age} s` };
  if (beat.cycle) {
    const stalled = Math.round((now.getTime() - Date.parse(beat.cycle.progressAt)) / 1000);
    const limit = Math.max(maxAgeSeconds, beat.stuckAfterSeconds ?? 0);
    if (stalled > limit) {
      return {
        ok: false,
        age,
        reason: `cycle stuck: no source has finished for ${stalled} s (${beat.cycle.checked} of ${beat.cycle.sources} checked since ${beat.cycle.startedAt})`,
      };
    }
  }
  return { ok: true, age };
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
  /**
   * How long `stop` lets sources in flight finish before cutting them short (they record
   * nothing then). @default config.shutdownGraceMs
   */
  graceMs?: number;
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
  const stopping = new AbortController();
  const heartbeatPath = join(ctx.config.storageDir, HEARTBEAT_FILE);
  let draining: Promise<void> | undefined;
  let lastCycle: Heartbeat["lastCycle"];
  let cycle: Heartbeat["cycle"];
  const longestDeadline = Math.max(0, ...ctx.config.sources.map((source) => source.deadlineMs ?? 120_000));
  const heartbeatSeconds = options.heartbeatSeconds ?? 60;
  const stuckAfterSeconds = Math.ceil(longestDeadline / 1000 + heartbeatSeconds + 60);
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
      `${JSON.stringify({
        pid: process.pid,
        at: new Date().toISOString(),
        state,
        ...(lastCycle ? { lastCycle } : {}),
        ...(cycle && state === "running" ? { cycle } : {}),
        stuckAfterSeconds,
      } satisfies Heartbeat)}\n`,
    ).catch((err: unknown) => ctx.logger.warn({ err }, "heartbeat not written"));

  const drain = async () => {
    while (due.size > 0 && !abort.signal.aborted) {
      const sourceIds = [...due];
      due.clear();
      const startedAt = new Date().toISOString();
      cycle = { startedAt, progressAt: startedAt, checked: 0, sources: sourceIds.length };
      const report = await runCycle(ctx, {
        sourceIds,
        jitter: true,
        signal: abort.signal,
        stopping: stopping.signal,
        onOutcome: () => {
          if (!cycle) return;
          cycle.checked += 1;
          cycle.progressAt = new Date().toISOString();
        },
      });
      cycle = undefined;
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
  const heartbeat = setInterval(() => void beat("running"), heartbeatSeconds * 1000);
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
      const graceMs = options.graceMs ?? ctx.config.shutdownGraceMs ?? 8000;
      if (draining && (await settlesWithin(draining, graceMs)) === "pending") {
        ctx.logger.warn({ graceMs }, "sources still in flight after the grace period; cutting them short");
        stopping.abort(new Error("shutting down"));
        await draining;
      }
      await alerts.stop();
      await beat("stopped");
      ctx.logger.info("worker stopped");
    },
    async idle() {
      while (draining !== undefined) await draining;
    },
  };
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<"settled" | "pending"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"pending">((resolve) => {
    timer = setTimeout(() => resolve("pending"), ms);
  });
  const result = await Promise.race([
    work.then(
      () => "settled" as const,
      () => "settled" as const,
    ),
    late,
  ]);
  clearTimeout(timer);
  return result;
}
