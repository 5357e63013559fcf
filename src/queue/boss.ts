/**
 * pg-boss, set up for clausewatch. pg-boss 10 is the last line that runs on Node 20 (11 and later
 * need Node 22); it was picked over graphile-worker because a job's lease (`expireInSeconds`) is
 * configurable per queue, so a check whose worker died is retried by another after `leaseSeconds`,
 * where graphile-worker keeps a crashed worker's jobs locked for four hours.
 *
 * Two queues, both `stately` with the source (or notifier) id as singleton key: at most one job
 * per key queued and one running, anywhere.
 */
import pg from "pg";
import PgBoss from "pg-boss";
import { quoteIdent } from "../store/index.js";

export const CHECK_QUEUE = "clausewatch-check";
export const DELIVER_QUEUE = "clausewatch-deliver";

export interface CheckJob {
  sourceId: string;
  /** The tick this check belongs to (ISO, to the second): also its run id. */
  tick: string;
}

export interface DeliverJob {
  notifier: string;
}

export interface BossOptions {
  url: string;
  /** Schema of pg-boss's own tables. */
  schema: string;
  leaseSeconds: number;
}

export interface Boss {
  boss: PgBoss;
  /** Source ids whose check is queued, waiting for a retry, or running. */
  unfinishedChecks(): Promise<Set<string>>;
  stop(): Promise<void>;
}

export async function startBoss(options: BossOptions, onError: (error: Error) => void): Promise<Boss> {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema,
    max: 4,
    application_name: "clausewatch-queue",
    // Expired leases are found by this sweep, so it runs several times per lease.
    maintenanceIntervalSeconds: Math.min(60, Math.max(1, Math.floor(options.leaseSeconds / 4))),
    // Completed jobs stay (and keep their ids) for two days: a tick's jobs are not inserted twice.
    archiveCompletedAfterSeconds: 2 * 24 * 3600,
    deleteAfterDays: 7,
    // Ticks come from clausewatch's own cron timers (second resolution); pg-boss's cron is per minute.
    schedule: false,
  });
  boss.on("error", onError);
  // Workers starting together would deadlock creating the same queue tables: one at a time.
  await oneAtATime(options.url, `clausewatch-queue-setup:${options.schema}`, async () => {
    await boss.start();
    for (const name of [CHECK_QUEUE, DELIVER_QUEUE]) {
      const queue = {
        name,
        policy: "stately" as const,
        expireInSeconds: options.leaseSeconds,
        retryLimit: 5,
        retryDelay: 1,
      };
      await boss.createQueue(name, queue);
      // A queue made by an earlier start keeps its options otherwise (the lease may have changed).
      await boss.updateQueue(name, queue);
    }
  });
  const jobTable = `${quoteIdent(options.schema)}.job`;
  return {
    boss,
    async unfinishedChecks() {
      const result = await boss
        .getDb()
        .executeSql(
          `SELECT singleton_key FROM ${jobTable} WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
          [CHECK_QUEUE],
        );
      return new Set(result.rows.map((row: { singleton_key: string }) => row.singleton_key));
    },
    stop: () => boss.stop({ graceful: true, wait: true, close: true, timeout: 5000 }),
  };
}

/** Runs `work` under a session advisory lock on its own connection. */
async function oneAtATime(url: string, key: string, work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: "clausewatch-queue" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [key]);
    await work();
  } finally {
    await client.end();
  }
}
