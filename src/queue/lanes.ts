/**
 * Takes jobs off one pg-boss queue and runs up to `concurrency` at a time. A fetcher of our own
 * rather than `boss.work()`, whose loop waits the polling interval after every job: with it a
 * worker would run one check per lane every two seconds however much work was waiting.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type PgBoss from "pg-boss";
import type { Logger } from "pino";

export interface LaneOptions<T> {
  boss: PgBoss;
  queue: string;
  concurrency: number;
  pollMs: number;
  logger: Logger;
  /** Runs one job; what it returns is stored as the job's output. A throw fails the job (retried). */
  handle(job: PgBoss.Job<T>): Promise<object>;
}

export interface Lanes {
  /** Fetch now instead of at the next poll (work was just queued). */
  wake(): void;
  /** Jobs running here. */
  readonly running: number;
  /** Resolves when nothing runs here. */
  idle(): Promise<void>;
  /** Stops fetching and waits for the jobs running here. */
  stop(): Promise<void>;
}

export function startLanes<T>(options: LaneOptions<T>): Lanes {
  const { boss, queue, logger } = options;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let wakeUp = new AbortController();

  const run = (job: PgBoss.Job<T>) => {
    const log = logger.child({ queue, job: job.id });
    const work = (async () => {
      try {
        const output = await options.handle(job);
        await boss.complete(queue, job.id, output);
      } catch (err) {
        log.error({ err }, "job failed");
        await boss
          .fail(queue, job.id, { message: err instanceof Error ? err.message : String(err) })
          .catch((failErr: unknown) => log.error({ err: failErr }, "job failure not recorded"));
      }
    })();
    running.add(work);
    void work.finally(() => {
      running.delete(work);
      wakeUp.abort();
    });
  };

  const loop = (async () => {
    while (!stopped) {
      const free = options.concurrency - running.size;
      if (free > 0) {
        let jobs: PgBoss.Job<T>[] = [];
        try {
          jobs = (await boss.fetch<T>(queue, { batchSize: free })) ?? [];
        } catch (err) {
          logger.warn({ err, queue }, "queue fetch failed");
        }
        for (const job of jobs) run(job);
        if (jobs.length > 0) continue;
      }
      // Idle (or full): until the poll interval passes, a job here ends, or work is queued.
      await sleep(options.pollMs, undefined, { signal: wakeUp.signal }).catch(() => undefined);
      if (wakeUp.signal.aborted) wakeUp = new AbortController();
    }
  })();

  const idle = async () => {
    while (running.size > 0) await Promise.allSettled([...running]);
  };

  return {
    wake: () => wakeUp.abort(),
    get running() {
      return running.size;
    },
    idle,
    async stop() {
      stopped = true;
      wakeUp.abort();
      await loop;
      await idle();
    },
  };
}
