/**
 * Per-source records (state, event log) and the change log in PostgreSQL. The change key is a
 * unique index, so "append unless the key exists" is one statement that concurrent workers cannot
 * both win; the history's filters (by source, by plan, by time) are indexed columns.
 */
import type { PgContext } from "./postgres-pool.js";
import type { RegisterSource } from "./postgres-snapshots.js";
import {
  changeMatches,
  checkPlanId,
  checkSourceId,
  sinceToMs,
  sourceStateSchema,
  validateChange,
  validateEvent,
  validateState,
} from "./records.js";
import type { ChangeRecord, SnapshotStore, SourceEvent, SourceOverview, SourceState } from "./types.js";

const NAME = "postgres";

type SourceMethods = Pick<
  SnapshotStore,
  | "listSources"
  | "getSourceState"
  | "setSourceState"
  | "appendEvent"
  | "readEvents"
  | "appendChange"
  | "listChanges"
  | "countChanges"
  | "listSourceOverviews"
>;

export function sourceMethods(ctx: PgContext, register: RegisterSource): SourceMethods {
  const { s } = ctx;
  return {
    listSources() {
      return ctx.run("list sources", async () => {
        const result = await ctx.pool.query<{ source_id: string }>(
          `SELECT source_id FROM ${s}.sources ORDER BY source_id COLLATE "C"`,
        );
        return result.rows.map((row) => row.source_id);
      });
    },

    getSourceState(sourceId) {
      return ctx.run(`read the state of ${sourceId}`, async () => {
        checkSourceId(NAME, sourceId);
        const result = await ctx.pool.query<{ state: SourceState }>(
          `SELECT state FROM ${s}.source_states WHERE source_id = $1`,
          [sourceId],
        );
        return result.rows[0]?.state;
      });
    },

    setSourceState(state) {
      return ctx.run("save source state", async () => {
        const valid = validateState(NAME, state);
        await register(ctx.pool, valid.sourceId);
        await ctx.pool.query(
          `INSERT INTO ${s}.source_states (source_id, state) VALUES ($1, $2)
           ON CONFLICT (source_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
          [valid.sourceId, JSON.stringify(valid)],
        );
      });
    },

    appendEvent(sourceId, event) {
      return ctx.run(`append an event of ${sourceId}`, async () => {
        checkSourceId(NAME, sourceId);
        const valid = validateEvent(NAME, sourceId, event);
        await register(ctx.pool, sourceId);
        await ctx.pool.query(`INSERT INTO ${s}.events (source_id, at, type, event) VALUES ($1, $2, $3, $4)`, [
          sourceId,
          valid.at,
          valid.type,
          JSON.stringify(valid),
        ]);
      });
    },

    readEvents(sourceId, options = {}) {
      return ctx.run(`read the events of ${sourceId}`, async () => {
        checkSourceId(NAME, sourceId);
        const { limit } = options;
        const result =
          limit === undefined
            ? await ctx.pool.query<{ event: SourceEvent }>(
                `SELECT event FROM ${s}.events WHERE source_id = $1 ORDER BY seq`,
                [sourceId],
              )
            : await ctx.pool.query<{ event: SourceEvent }>(
                `SELECT event FROM (SELECT seq, event FROM ${s}.events WHERE source_id = $1 ORDER BY seq DESC LIMIT $2) t ORDER BY seq`,
                [sourceId, Math.max(0, limit)],
              );
        return result.rows.map((row) => row.event);
      });
    },

    appendChange(change) {
      return ctx.run("append a change", async () => {
        const valid = validateChange(NAME, change);
        const result = await ctx.pool.query(
          `INSERT INTO ${s}.changes (key, at_ms, source_id, plan_id, kind, record) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (key) DO NOTHING`,
          [
            valid.key,
            Date.parse(valid.at),
            valid.sourceId,
            typeof valid.planId === "string" ? valid.planId : null,
            valid.kind,
            JSON.stringify(valid),
          ],
        );
        return result.rowCount === 1;
      });
    },

    listChanges(options = {}) {
      return ctx.run("list changes", async () => {
        if (options.sourceId !== undefined) checkSourceId(NAME, options.sourceId);
        if (options.planId !== undefined) checkPlanId(NAME, options.planId);
        const sinceMs = sinceToMs(NAME, options.since);
        const where: string[] = [];
        const values: unknown[] = [];
        const add = (condition: string, value: unknown) => {
          values.push(value);
          where.push(condition.replace("?", `$${values.length}`));
        };
        if (options.sourceId !== undefined) add("source_id = ?", options.sourceId);
        if (options.planId !== undefined) add("plan_id = ?", options.planId);
        if (sinceMs !== undefined) add("at_ms >= ?", sinceMs);
        const result = await ctx.pool.query<{ record: ChangeRecord }>(
          `SELECT record FROM ${s}.changes ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq`,
          values,
        );
        // The same predicate as the other drivers, so a record never differs from its columns' answer.
        return result.rows
          .map((row) => row.record)
          .filter((c) => changeMatches(c, options.sourceId, sinceMs, options.planId));
      });
    },

    countChanges(by) {
      return ctx.run("count changes", async () => {
        const column = by === "planId" ? "plan_id" : "kind";
        const result = await ctx.pool.query<{ value: string; count: string }>(
          `SELECT ${column} AS value, count(*) AS count FROM ${s}.changes WHERE ${column} IS NOT NULL GROUP BY ${column}`,
        );
        return Object.fromEntries(result.rows.map((row) => [row.value, Number(row.count)]));
      });
    },

    listSourceOverviews() {
      return ctx.run("list sources", async () => {
        const result = await ctx.pool.query<{
          source_id: string;
          snapshots: number;
          latest_url: string | null;
          state: SourceState | null;
        }>(
          `SELECT s.source_id, s.snapshots, s.latest_url, st.state
           FROM ${s}.sources s LEFT JOIN ${s}.source_states st ON st.source_id = s.source_id
           ORDER BY s.source_id COLLATE "C"`,
        );
        return result.rows.map(
          (row): SourceOverview => ({
            sourceId: row.source_id,
            ...(row.state ? { state: row.state } : {}),
            snapshots: row.snapshots,
            ...(row.latest_url ? { latestUrl: row.latest_url } : {}),
          }),
        );
      });
    },
  };
}

/** States that do not fit the schema or name another source. */
export async function verifySources(ctx: PgContext): Promise<string[]> {
  const problems: string[] = [];
  const states = await ctx.pool.query<{ source_id: string; state: unknown }>(
    `SELECT source_id, state FROM ${ctx.s}.source_states`,
  );
  for (const row of states.rows) {
    const result = sourceStateSchema.safeParse(row.state);
    if (!result.success)
      problems.push(`state of ${row.source_id}: ${result.error.issues[0]?.message ?? "invalid"}`);
    else if (result.data.sourceId !== row.source_id)
      problems.push(`state of ${row.source_id}: belongs to source ${JSON.stringify(result.data.sourceId)}`);
  }
  return problems;
}
