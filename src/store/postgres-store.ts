/**
 * PostgreSQL snapshot store: the same contract as the fs and memory drivers, for several workers
 * on several machines and a history that is queried through indexes.
 *
 * Layout (schema `clausewatch` unless configured; see postgres-migrations.ts):
 *   bodies, clause_sets              content-addressed objects (brotli bodies, canonical JSON)
 *   sources, snapshots               snapshot records per source, in insertion order
 *   source_states, events            the small mutable state and the check log per source
 *   changes                          detected changes, unique by key
 *   plan_records                     lineage and coverage logs per plan
 *   outbox_alerts, outbox_records    the alert outbox: alerts unique by id, delivery attempts, re-queues;
 *                                    rows a delivery pass no longer needs are marked `settled`
 *   meta, schema_migrations          outbox start time; applied migrations
 *
 * What the fs driver makes atomic with temp file + rename (a snapshot with its clause set and its
 * index entry; a batch of plan records or alerts) is one transaction here. There is no lock file:
 * many processes write at once, and the uniqueness that the fs lock provided comes from unique
 * indexes (change keys, alert ids, snapshot ids) and advisory locks (`exclusive`).
 */
import { z } from "zod";
import { logMethods } from "./postgres-logs.js";
import {
  type MigrationReport,
  migrate,
  POSTGRES_SCHEMA_VERSION,
  requireCurrentSchema,
} from "./postgres-migrations.js";
import { createPgContext, POSTGRES_STORE_NAME } from "./postgres-pool.js";
import { snapshotMethods, sourceRegistry, verifySnapshots } from "./postgres-snapshots.js";
import { sourceMethods, verifySources } from "./postgres-sources.js";
import { check, DEFAULT_BROTLI_QUALITY } from "./records.js";
import type { SnapshotStore } from "./types.js";

export type { MigrationReport } from "./postgres-migrations.js";
export { POSTGRES_SCHEMA_VERSION } from "./postgres-migrations.js";
export { POSTGRES_STORE_NAME } from "./postgres-pool.js";

/** Lower-case SQL identifier, so the schema name needs no quoting rules in people's heads. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

export const PostgresStoreOptions = z.strictObject({
  /** `postgres://user:password@host:5432/database` (or `postgresql://`). */
  url: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), "expected a postgres:// or postgresql:// URL")
    .describe("Connection URL, postgres://user:password@host:5432/database"),
  /**
   * Connections for queries; advisory locks use a further pool of half this size.
   * @default 10
   */
  poolSize: z.int().min(1).max(200).default(10).describe("Connections for queries"),
  /**
   * Schema holding the tables; several installations can share a database under different names.
   * @default "clausewatch"
   */
  schema: z
    .string()
    .regex(SCHEMA_NAME_PATTERN, "expected a lower-case SQL name such as clausewatch")
    .default("clausewatch")
    .describe("Schema holding the tables"),
  /**
   * Apply missing migrations at open (workers). false: require the current schema and change
   * nothing (read-only commands, which may run under a read-only role).
   * @default true
   */
  migrate: z.boolean().default(true).describe("Apply missing migrations when opening"),
  /**
   * Brotli quality 0–11 for new bodies.
   * @default DEFAULT_BROTLI_QUALITY
   */
  brotliQuality: z.int().min(0).max(11).default(DEFAULT_BROTLI_QUALITY).describe("Brotli quality (0-11)"),
  /** Shown in pg_stat_activity. @default "clausewatch" */
  applicationName: z.string().default("clausewatch").describe("application_name of the connections"),
});
export type PostgresStoreOptions = z.input<typeof PostgresStoreOptions>;

export interface PostgresStore extends SnapshotStore {
  /** Where it lives, password removed. */
  readonly where: string;
  readonly schema: string;
  /** What opening applied; `undefined` when opened with `migrate: false`. */
  readonly migration: MigrationReport | undefined;
}

/** Connects, applies migrations (unless `migrate: false`) and returns the store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const opts = check(POSTGRES_STORE_NAME, "options", PostgresStoreOptions, options);
  const ctx = createPgContext({
    url: opts.url,
    poolSize: opts.poolSize,
    schema: opts.schema,
    applicationName: opts.applicationName,
  });
  let migration: MigrationReport | undefined;
  try {
    migration = await ctx.run("open the store", async () => {
      if (opts.migrate) return migrate(ctx.pool, opts.schema, ctx.where);
      await requireCurrentSchema(ctx.pool, opts.schema, ctx.where);
      return undefined;
    });
  } catch (error) {
    await ctx.close();
    throw error;
  }
  const register = sourceRegistry(ctx);
  return {
    name: POSTGRES_STORE_NAME,
    where: ctx.where,
    schema: opts.schema,
    migration,
    ...snapshotMethods(ctx, register, { brotliQuality: opts.brotliQuality }),
    ...sourceMethods(ctx, register),
    ...logMethods(ctx),
    verify() {
      return ctx.run("verify the store", async () => [
        ...(await verifySnapshots(ctx, ctx.pool)),
        ...(await verifySources(ctx)),
      ]);
    },
    close: () => ctx.close(),
  };
}

/** `clausewatch migrate`: applies what is missing and says what it did. */
export async function migratePostgresStore(options: PostgresStoreOptions): Promise<MigrationReport> {
  const store = await openPostgresStore({ ...options, migrate: true });
  await store.close();
  return store.migration ?? { from: POSTGRES_SCHEMA_VERSION, to: POSTGRES_SCHEMA_VERSION, applied: [] };
}
