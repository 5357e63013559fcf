import pg from "pg";
import { afterEach, expect, it } from "vitest";
import {
  migratePostgresStore,
  openPostgresStore,
  POSTGRES_SCHEMA_VERSION,
  POSTGRES_STORE_NAME,
  type PostgresStore,
  type SnapshotStore,
  sha256Hex,
} from "../../src/store/index.js";
import { describePg, dropSchema, freshSchemaName, openTestStore, pgUrl } from "../helpers/pg.js";
import { runStoreConformance } from "./conformance.js";
import { makeInput } from "./helpers.js";

if (pgUrl) {
  runStoreConformance(POSTGRES_STORE_NAME, async () => {
    const schema = freshSchemaName();
    let current: SnapshotStore = await openTestStore(schema);
    return {
      store: current,
      async reopen() {
        await current.close();
        current = await openTestStore(schema);
        return current;
      },
      async cleanup() {
        await current.close();
        await dropSchema(schema);
      },
    };
  });
}

const encoder = new TextEncoder();
const schemas: string[] = [];
const stores: PostgresStore[] = [];

async function open(schema: string, options: { migrate?: boolean } = {}): Promise<PostgresStore> {
  if (!schemas.includes(schema)) schemas.push(schema);
  const store = await openPostgresStore({ url: pgUrl, schema, poolSize: 4, ...options });
  stores.push(store);
  return store;
}

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

describePg("postgres store migrations", () => {
  it("creates the schema on first open and records every migration once", async () => {
    const schema = freshSchemaName();

    const first = await open(schema);
    const second = await open(schema);

    expect(first.migration).toEqual({
      from: 0,
      to: POSTGRES_SCHEMA_VERSION,
      applied: [
        { version: 1, name: "snapshots, logs and outbox" },
        { version: 2, name: "settled outbox rows" },
      ],
    });
    expect(second.migration).toEqual({
      from: POSTGRES_SCHEMA_VERSION,
      to: POSTGRES_SCHEMA_VERSION,
      applied: [],
    });
    const rows = await sql<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations`);
    expect(rows.map((row) => row.version)).toEqual([1, 2]);
  });

  it("applies migrations once when several workers start at the same moment", async () => {
    const schema = freshSchemaName();

    const opened = await Promise.all([1, 2, 3, 4].map(() => open(schema)));

    const applied = opened.map((store) => store.migration?.applied.length);
    expect(applied.sort()).toEqual([0, 0, 0, POSTGRES_SCHEMA_VERSION]);
  });

  it("refuses a database whose schema is newer than this code, naming both versions", async () => {
    const schema = freshSchemaName();
    await (await open(schema)).close();
    await sql(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (99, 'from the future')`);

    const attempt = open(schema);

    await expect(attempt).rejects.toThrow(
      new RegExp(
        `schema version 99, but this clausewatch only knows version ${POSTGRES_SCHEMA_VERSION}; upgrade`,
      ),
    );
    await expect(open(schema, { migrate: false })).rejects.toThrow(/schema version 99/);
  });

  it("opened without migrating, refuses an empty database and says how to fix it", async () => {
    const schema = freshSchemaName();

    const attempt = open(schema, { migrate: false });

    await expect(attempt).rejects.toThrow(
      new RegExp(
        `schema version 0, this clausewatch needs ${POSTGRES_SCHEMA_VERSION}; run "clausewatch migrate"`,
      ),
    );
    const created = await sql(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [schema]);
    expect(created).toEqual([]);
  });

  it("migrates on request and reports what it applied", async () => {
    const schema = freshSchemaName();
    schemas.push(schema);

    const report = await migratePostgresStore({ url: pgUrl, schema });
    const again = await migratePostgresStore({ url: pgUrl, schema });

    expect(report.applied.map((m) => m.version)).toEqual([1, 2]);
    expect(again.applied).toEqual([]);
    expect((await open(schema, { migrate: false })).migration).toBeUndefined();
  });

  it("brings a version-1 outbox up to date: its rows start unsettled, and the first pass settles the delivered ones", async () => {
    const schema = freshSchemaName();
    await (await open(schema)).close();
    // The database as version 1 left it, with an outbox history: one alert delivered, one failing.
    await sql(`DROP INDEX "${schema}".outbox_alerts_unsettled`);
    await sql(`DROP INDEX "${schema}".outbox_records_unsettled`);
    await sql(`ALTER TABLE "${schema}".outbox_alerts DROP COLUMN settled`);
    await sql(`ALTER TABLE "${schema}".outbox_records DROP COLUMN settled`);
    await sql(`DELETE FROM "${schema}".schema_migrations WHERE version = 2`);
    for (const id of ["old-delivered", "old-failing"]) {
      const entry = { at: "2025-11-20T00:00:00.000Z", targets: ["desk"], alert: { id } };
      await sql(`INSERT INTO "${schema}".outbox_alerts (alert_id, at, entry) VALUES ($1, $2, $3)`, [
        id,
        entry.at,
        JSON.stringify(entry),
      ]);
    }
    const attempt = (alertId: string, outcome: string) => ({
      at: "2025-11-20T00:00:01.000Z",
      alertId,
      notifier: "desk",
      outcome,
    });
    for (const record of [attempt("old-delivered", "delivered"), attempt("old-failing", "failed")]) {
      await sql(
        `INSERT INTO "${schema}".outbox_records (log, at, alert_id, notifier, outcome, record) VALUES ('deliveries', $1, $2, $3, $4, $5)`,
        [record.at, record.alertId, record.notifier, record.outcome, JSON.stringify(record)],
      );
    }

    const store = await open(schema);
    expect(store.migration?.applied).toEqual([{ version: 2, name: "settled outbox rows" }]);
    const before = await store.readOutbox({ unsettled: true });
    expect(before.alerts.map((entry) => entry.alert.id)).toEqual(["old-delivered", "old-failing"]);
    await store.settleOutbox?.(before, (id) => id === "old-delivered");

    const after = await store.readOutbox({ unsettled: true });
    expect(after.alerts.map((entry) => entry.alert.id)).toEqual(["old-failing"]);
    expect(after.deliveries.map((record) => record.alertId)).toEqual(["old-failing"]);
    // Settled rows stay: a full read, a listing or a copy still has the whole history.
    expect((await store.readOutbox()).alerts).toHaveLength(2);
  });
});

describePg("postgres store across connections", () => {
  it("accepts a change key once when two processes' handles append it at the same time", async () => {
    const schema = freshSchemaName();
    const [a, b] = [await open(schema), await open(schema)];
    const change = {
      key: "wire:1:content:abc",
      at: "2025-11-20T10:00:00Z",
      sourceId: "wire",
      kind: "content",
    };

    const results = await Promise.all([
      ...[1, 2, 3].map(() => a.appendChange(change)),
      ...[1, 2, 3].map(() => b.appendChange(change)),
    ]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.listChanges()).toEqual([change]);
  });

  it("holds an exclusive key against another handle until the work is done", async () => {
    const schema = freshSchemaName();
    const [a, b] = [await open(schema), await open(schema)];
    const log: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });

    const first = a.exclusive("lineage:peace-plan", async () => {
      log.push("a in");
      entered();
      await held;
      log.push("a out");
    });
    await inside;
    const second = b.exclusive("lineage:peace-plan", async () => {
      log.push("b in");
    });
    const unrelated = b.exclusive("lineage:trade-deal", async () => {
      log.push("other");
    });
    await unrelated;
    await new Promise((resolve) => setTimeout(resolve, 150));
    const beforeRelease = [...log];
    release();
    await Promise.all([first, second]);

    expect(beforeRelease).toEqual(["a in", "other"]);
    expect(log).toEqual(["a in", "other", "a out", "b in"]);
  });

  it("frees an exclusive key when the holder's connection dies", async () => {
    const schema = freshSchemaName();
    const [a, b] = [await open(schema), await open(schema)];
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let finish!: () => void;
    const holding = a.exclusive("k", async () => {
      entered();
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return "finished without its lock";
    });
    await inside;

    await sql(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%pg_advisory_lock%'",
    );
    const taken = await b.exclusive("k", async () => "taken");
    finish();

    expect(taken).toBe("taken");
    expect(await holding).toBe("finished without its lock");
    expect(await a.exclusive("k", async () => "a again")).toBe("a again");
  });

  it("writes a snapshot with its clause set and index entry, or nothing", async () => {
    const schema = freshSchemaName();
    const store = await open(schema);

    const missingBody = store.putSnapshot(makeInput("wire", sha256Hex("never stored"), ["One."]));

    await expect(missingBody).rejects.toThrow(/not stored; call putBody first/);
    expect(await sql(`SELECT hash FROM "${schema}".clause_sets`)).toEqual([]);
    expect(await sql(`SELECT source_id FROM "${schema}".sources`)).toEqual([]);
  });

  it("keeps records queryable as JSON beside their indexed columns", async () => {
    const schema = freshSchemaName();
    const store = await open(schema);
    const hash = await store.putBody(encoder.encode("<ol><li>Ceasefire</li></ol>"));
    const record = await store.putSnapshot(makeInput("wire", hash, ["Ceasefire."]));

    const rows = await sql<{ url: string; source_id: string }>(
      `SELECT record->>'finalUrl' AS url, source_id FROM "${schema}".snapshots WHERE id = $1`,
      [record.id],
    );

    expect(rows).toEqual([{ url: "https://example.test/wire?final", source_id: "wire" }]);
  });

  it("reports a damaged body and a damaged clause set in verify", async () => {
    const schema = freshSchemaName();
    const store = await open(schema);
    const hash = await store.putBody(encoder.encode("original body"));
    const record = await store.putSnapshot(makeInput("wire", hash, ["One."]));
    await sql(`UPDATE "${schema}".bodies SET data = $1, encoding = 'identity'`, [Buffer.from("tampered")]);
    await sql(
      `UPDATE "${schema}".clause_sets SET clause_set = '{"source":"x","style":"decimal","clauses":[]}'`,
    );

    const problems = await store.verify();

    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^body ${hash}: .*hashes to ${sha256Hex("tampered")}`)),
      `clause set ${record.clauseSetHash}: content does not match its hash`,
    ]);
  });

  it("names the database without its password when it cannot connect", async () => {
    const url = new URL(pgUrl);
    url.password = "s3cret-password";
    url.port = "1";

    const attempt = openPostgresStore({ url: url.toString(), schema: freshSchemaName() });

    await expect(attempt).rejects.toThrow(
      /^postgres store: could not open the store in postgres:\/\/clausewatch@127\.0\.0\.1:1\//,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it("rejects options it does not know and a URL that is not postgres", async () => {
    await expect(openPostgresStore({ url: "mysql://x/y" })).rejects.toThrow(
      /postgres store: invalid options: url/,
    );
    await expect(openPostgresStore({ url: pgUrl, schema: "Bad-Name" })).rejects.toThrow(/schema/);
  });
});
