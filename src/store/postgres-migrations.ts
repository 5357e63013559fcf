/**
 * Versioned schema of the postgres driver. Each migration runs once, in order, inside the one
 * transaction that also records it in `schema_migrations`; an advisory lock makes workers that
 * start together apply them one at a time. A database whose schema is newer than this code knows
 * is refused, so an old worker never writes into a layout it does not understand.
 */
import type pg from "pg";
import { StoreError } from "../errors.js";
import { P, type Queryable, quoteIdent } from "./postgres-pool.js";

export interface Migration {
  version: number;
  name: string;
  /** SQL with `$S` standing for the quoted schema. */
  sql: string;
}

/**
 * Tables hold every record as `json` (an exact copy of the text, so records read back equal to
 * what was written, key order included) next to the columns that are indexed or filtered on.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "snapshots, logs and outbox",
    sql: `
CREATE TABLE $S.bodies (
  hash text PRIMARY KEY,
  size integer NOT NULL,
  encoding text NOT NULL,
  data bytea NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE $S.clause_sets (
  hash text PRIMARY KEY,
  clause_set text NOT NULL
);
CREATE TABLE $S.sources (
  source_id text PRIMARY KEY,
  snapshots integer NOT NULL DEFAULT 0,
  latest_url text
);
CREATE TABLE $S.snapshots (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  source_id text NOT NULL REFERENCES $S.sources,
  fetched_at text NOT NULL,
  body_hash text NOT NULL REFERENCES $S.bodies,
  clause_set_hash text NOT NULL REFERENCES $S.clause_sets,
  record json NOT NULL
);
CREATE INDEX snapshots_by_source ON $S.snapshots (source_id, seq);
CREATE TABLE $S.source_states (
  source_id text PRIMARY KEY REFERENCES $S.sources,
  state json NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE $S.events (
  seq bigserial PRIMARY KEY,
  source_id text NOT NULL REFERENCES $S.sources,
  at text NOT NULL,
  type text NOT NULL,
  event json NOT NULL
);
CREATE INDEX events_by_source ON $S.events (source_id, seq);
CREATE TABLE $S.changes (
  seq bigserial PRIMARY KEY,
  key text NOT NULL UNIQUE,
  at_ms bigint NOT NULL,
  source_id text NOT NULL,
  plan_id text,
  kind text NOT NULL,
  record json NOT NULL
);
CREATE INDEX changes_by_source ON $S.changes (source_id, seq);
CREATE INDEX changes_by_plan ON $S.changes (plan_id, seq);
CREATE INDEX changes_by_time ON $S.changes (at_ms);
CREATE TABLE $S.plan_records (
  seq bigserial PRIMARY KEY,
  plan_id text NOT NULL,
  log text NOT NULL CHECK (log IN ('lineage', 'coverage')),
  type text NOT NULL,
  source_id text,
  record json NOT NULL
);
CREATE INDEX plan_records_by_plan ON $S.plan_records (plan_id, log, seq);
CREATE INDEX plan_records_by_source ON $S.plan_records (plan_id, log, source_id, seq);
CREATE TABLE $S.outbox_alerts (
  seq bigserial PRIMARY KEY,
  alert_id text NOT NULL UNIQUE,
  at text NOT NULL,
  entry json NOT NULL
);
CREATE TABLE $S.outbox_records (
  seq bigserial PRIMARY KEY,
  log text NOT NULL CHECK (log IN ('deliveries', 'requeues')),
  at text NOT NULL,
  alert_id text NOT NULL,
  notifier text NOT NULL,
  outcome text NOT NULL,
  record json NOT NULL
);
CREATE INDEX outbox_records_by_alert ON $S.outbox_records (alert_id, notifier);
CREATE TABLE $S.meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
`,
  },
  {
    version: 2,
    name: "settled outbox rows",
    // A delivery pass reads only the rows still in play (an alert not yet delivered to every
    // notifier, the attempts of such alerts, each notifier's last digest), not the whole history.
    // Rows written before are unsettled, so the first pass after the migration settles them.
    sql: `
ALTER TABLE $S.outbox_alerts ADD COLUMN settled boolean NOT NULL DEFAULT false;
ALTER TABLE $S.outbox_records ADD COLUMN settled boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_alerts_unsettled ON $S.outbox_alerts (seq) WHERE NOT settled;
CREATE INDEX outbox_records_unsettled ON $S.outbox_records (seq) WHERE NOT settled;
`,
  },
];

/** The schema version this code writes and reads. */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export interface MigrationReport {
  /** Version before (0: no clausewatch schema yet). */
  from: number;
  to: number;
  applied: Array<{ version: number; name: string }>;
}

const migrationsTable = (s: string) => `${s}.schema_migrations`;

/** The recorded schema version, 0 when there is none. */
export async function schemaVersion(db: Queryable, schema: string): Promise<number> {
  const s = quoteIdent(schema);
  const exists = await db.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [
    `${s}.schema_migrations`,
  ]);
  if (!exists.rows[0]?.found) return 0;
  const result = await db.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${migrationsTable(s)}`,
  );
  return result.rows[0]?.version ?? 0;
}

function newerSchema(where: string, found: number): StoreError {
  return new StoreError(
    `${P}: ${where} has schema version ${found}, but this clausewatch only knows version ${POSTGRES_SCHEMA_VERSION}; upgrade clausewatch (it never writes into a newer schema)`,
  );
}

/** Applies the missing migrations (all in one transaction); refuses a newer schema. */
export async function migrate(pool: pg.Pool, schema: string, where: string): Promise<MigrationReport> {
  const s = quoteIdent(schema);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `clausewatch-migrate:${schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${migrationsTable(s)} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const from = await schemaVersion(client, schema);
    if (from > POSTGRES_SCHEMA_VERSION) throw newerSchema(where, from);
    const applied: MigrationReport["applied"] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      await client.query(migration.sql.replaceAll("$S", s));
      await client.query(`INSERT INTO ${migrationsTable(s)} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push({ version: migration.version, name: migration.name });
    }
    await client.query("COMMIT");
    return { from, to: Math.max(from, POSTGRES_SCHEMA_VERSION), applied };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** For read-only handles: the schema must be exactly the one this code knows. */
export async function requireCurrentSchema(db: Queryable, schema: string, where: string): Promise<void> {
  const found = await schemaVersion(db, schema);
  if (found > POSTGRES_SCHEMA_VERSION) throw newerSchema(where, found);
  if (found < POSTGRES_SCHEMA_VERSION) {
    throw new StoreError(
      `${P}: ${where} has schema version ${found}, this clausewatch needs ${POSTGRES_SCHEMA_VERSION}; run "clausewatch migrate" (or start a worker, which migrates)`,
    );
  }
}
