/**
 * Plan logs (lineage, coverage) and the alert outbox in PostgreSQL, and `exclusive` as a session
 * advisory lock. A batch of plan records or of alerts is one transaction; the alert id is a unique
 * index, so two workers enqueueing the same change write it once. A re-queue is a normal insert:
 * the database, not a file layout, keeps it apart from the worker's writes.
 */
import { createKeyedQueue } from "./atomic.js";
import { stillNeeded } from "./outbox-settling.js";
import type { PgContext } from "./postgres-pool.js";
import { checkPlanId } from "./records.js";
import type {
  OutboxAlertRecord,
  OutboxContents,
  OutboxDeliveryRecord,
  OutboxReadOptions,
  PlanRecord,
  StoreLogs,
} from "./types.js";

const NAME = "postgres";

export function logMethods(ctx: PgContext): StoreLogs {
  const { s } = ctx;
  // One waiter per key per process: the rest wait here, not on a lock connection each.
  const local = createKeyedQueue();
  /** The row each record of an outbox read came from, for settling them after the pass. */
  const rowSeq = new WeakMap<object, string>();

  return {
    appendPlanLog(planId, log, records) {
      return ctx.run(`append to the ${log} of plan ${planId}`, async () => {
        checkPlanId(NAME, planId);
        if (records.length === 0) return;
        await ctx.transaction(async (client) => {
          for (const record of records) {
            await client.query(
              `INSERT INTO ${s}.plan_records (plan_id, log, type, source_id, record) VALUES ($1, $2, $3, $4, $5)`,
              [
                planId,
                log,
                record.type,
                typeof record.sourceId === "string" ? record.sourceId : null,
                JSON.stringify(record),
              ],
            );
          }
        });
      });
    },

    readPlanLog<T extends PlanRecord>(
      planId: string,
      log: "lineage" | "coverage",
      options: { sourceId?: string } = {},
    ): Promise<T[]> {
      return ctx.run(`read the ${log} of plan ${planId}`, async () => {
        checkPlanId(NAME, planId);
        const bySource = options.sourceId !== undefined;
        const result = await ctx.pool.query<{ record: T }>(
          `SELECT record FROM ${s}.plan_records WHERE plan_id = $1 AND log = $2 ${bySource ? "AND source_id = $3" : ""} ORDER BY seq`,
          bySource ? [planId, log, options.sourceId] : [planId, log],
        );
        return result.rows.map((row) => row.record);
      });
    },

    listPlans() {
      return ctx.run("list plans", async () => {
        const result = await ctx.pool.query<{ plan_id: string }>(
          `SELECT plan_id FROM ${s}.plan_records GROUP BY plan_id ORDER BY plan_id COLLATE "C"`,
        );
        return result.rows.map((row) => row.plan_id);
      });
    },

    exclusive(key, work) {
      const lockKey = `${ctx.schema}:${key}`;
      return local.run(key, async () => {
        const client = await ctx.run(`lock ${key}`, async () => {
          const connection = await ctx.lockPool.connect();
          try {
            await connection.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [lockKey]);
            return connection;
          } catch (error) {
            connection.release(true);
            throw error;
          }
        });
        let broken = false;
        // A held connection that dies (server restart, terminated session) has lost the lock too.
        const lost = () => {
          broken = true;
        };
        client.on("error", lost);
        try {
          return await work();
        } finally {
          client.off("error", lost);
          // A connection that cannot unlock is thrown away, which ends its session and the lock.
          await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [lockKey]).catch(() => {
            broken = true;
          });
          client.release(broken);
        }
      });
    },

    outboxSince(now) {
      return ctx.run("start the outbox", async () => {
        await ctx.pool.query(
          `INSERT INTO ${s}.meta (key, value) VALUES ('outbox_since', $1) ON CONFLICT DO NOTHING`,
          [now],
        );
        const result = await ctx.pool.query<{ value: string }>(
          `SELECT value FROM ${s}.meta WHERE key = 'outbox_since'`,
        );
        return result.rows[0]?.value ?? now;
      });
    },

    appendOutboxAlerts(entries) {
      return ctx.run("append to the outbox", async () => {
        if (entries.length === 0) return [];
        return ctx.transaction(async (client) => {
          const written: (typeof entries)[number][] = [];
          for (const entry of entries) {
            const result = await client.query(
              `INSERT INTO ${s}.outbox_alerts (alert_id, at, entry) VALUES ($1, $2, $3) ON CONFLICT (alert_id) DO NOTHING`,
              [entry.alert.id, entry.at, JSON.stringify(entry)],
            );
            if (result.rowCount === 1) written.push(entry);
          }
          return written;
        });
      });
    },

    appendOutboxRecord(log, record) {
      return ctx.run(`record a delivery (${log})`, async () => {
        await ctx.pool.query(
          `INSERT INTO ${s}.outbox_records (log, at, alert_id, notifier, outcome, record) VALUES ($1, $2, $3, $4, $5, $6)`,
          [log, record.at, record.alertId, record.notifier, record.outcome, JSON.stringify(record)],
        );
      });
    },

    readOutbox<A extends OutboxAlertRecord, D extends OutboxDeliveryRecord>(options: OutboxReadOptions = {}) {
      return ctx.run("read the outbox", async () => {
        const only = options.unsettled ? "WHERE NOT settled" : "";
        const [alerts, records] = await Promise.all([
          ctx.pool.query<{ seq: string; entry: A }>(
            `SELECT seq, entry FROM ${s}.outbox_alerts ${only} ORDER BY seq`,
          ),
          ctx.pool.query<{ seq: string; log: string; record: D }>(
            `SELECT seq, log, record FROM ${s}.outbox_records ${only} ORDER BY seq`,
          ),
        ]);
        for (const row of alerts.rows) rowSeq.set(row.entry, row.seq);
        for (const row of records.rows) rowSeq.set(row.record, row.seq);
        return {
          alerts: alerts.rows.map((row) => row.entry),
          deliveries: records.rows.filter((row) => row.log === "deliveries").map((row) => row.record),
          requeues: records.rows.filter((row) => row.log === "requeues").map((row) => row.record),
        };
      });
    },

    settleOutbox(contents, settled) {
      return ctx.run("settle the outbox", async () => {
        const { alerts, records } = settledRows(contents, settled);
        const seqs = (rows: object[]) => rows.flatMap((row) => rowSeq.get(row) ?? []);
        const alertSeqs = seqs(alerts);
        if (alertSeqs.length === 0) return;
        // Settling only ever hides what no pass needs again, so workers settling at once agree.
        await ctx.transaction(async (client) => {
          await client.query(`UPDATE ${s}.outbox_alerts SET settled = true WHERE seq = ANY($1::bigint[])`, [
            alertSeqs,
          ]);
          await client.query(`UPDATE ${s}.outbox_records SET settled = true WHERE seq = ANY($1::bigint[])`, [
            seqs(records),
          ]);
        });
      });
    },
  };
}

/**
 * Of an unsettled read, the rows a later pass no longer needs: alerts delivered to every notifier,
 * and the attempts `stillNeeded` lets go. An alert id is unique here, so a settled alert is never
 * enqueued again.
 */
function settledRows(
  contents: OutboxContents<OutboxAlertRecord, OutboxDeliveryRecord>,
  settled: (alertId: string) => boolean,
): { alerts: OutboxAlertRecord[]; records: OutboxDeliveryRecord[] } {
  const alerts = contents.alerts.filter((entry) => settled(entry.alert.id));
  const needed = stillNeeded(contents, new Set(alerts.map((entry) => entry.alert.id)));
  return {
    alerts,
    records: [...contents.deliveries, ...contents.requeues].filter((record) => !needed(record)),
  };
}
