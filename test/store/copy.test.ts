/**
 * `clausewatch store copy` from a real fs history into PostgreSQL and back into a new directory:
 * every record, log line and outbox entry arrives in order, and every snapshot keeps its id, so
 * the export (the citation fields) is identical on all three stores.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { enqueueChanges } from "../../src/alert/index.js";
import { appendDelivery, appendRequeue } from "../../src/alert/outbox.js";
import { buildExport } from "../../src/history/export.js";
import { openFsStore, openPostgresStore, type SnapshotStore } from "../../src/store/index.js";
import type { SourceChange } from "../../src/worker/types.js";
import { CLI, runCli } from "../helpers/cli.js";
import { describePg, dropSchema, freshSchemaName, pgUrl } from "../helpers/pg.js";
import { buildPlanStore, type PlanStore } from "../history/plan-store.js";

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Everything a store holds, read through the interface, in its own order. */
async function contents(store: SnapshotStore, planIds: string[]) {
  const sources = await store.listSources();
  const perSource = await Promise.all(
    sources.map(async (id) => {
      const snapshots = await store.listSnapshots(id);
      return {
        id,
        snapshots,
        texts: await Promise.all(snapshots.map(async (s) => (await store.getSnapshot(s.id)).clauseSet)),
        bodies: await Promise.all(
          snapshots.map(async (s) => (await store.getBody(s.bodyHash)).toString("base64")),
        ),
        events: await store.readEvents(id),
        state: await store.getSourceState(id),
      };
    }),
  );
  const plans = await Promise.all(
    planIds.map(async (id) => ({
      id,
      lineage: await store.readPlanLog(id, "lineage"),
      coverage: await store.readPlanLog(id, "coverage"),
    })),
  );
  return {
    sources: perSource,
    changes: await store.listChanges(),
    plans,
    listPlans: await store.listPlans(),
    outbox: await store.readOutbox(),
    since: await store.outboxSince("1999-01-01T00:00:00.000Z"),
  };
}

async function withHistory(): Promise<PlanStore> {
  const built = await buildPlanStore();
  cleanups.push(() => built.cleanup());
  const { config } = built;
  const store = await openFsStore(config.storageDir);
  try {
    // As a worker's start does: the outbox's start time is part of what a copy must carry.
    await store.outboxSince("2025-11-19T00:00:00.000Z");
    const changes = (await store.listChanges()) as SourceChange[];
    const alerts = await enqueueChanges(changes, {
      config,
      storageDir: config.storageDir,
      store,
      outbox: store,
      now: () => new Date("2025-11-23T00:00:00Z"),
    });
    const [first] = alerts;
    if (!first) throw new Error("the plan story raised no alert");
    await appendDelivery(store, {
      at: "2025-11-23T00:01:00.000Z",
      alertId: first.id,
      notifier: "log",
      outcome: "dead",
      error: "gave up",
    });
    await appendRequeue(store, {
      at: "2025-11-23T00:02:00.000Z",
      alertId: first.id,
      notifier: "log",
      outcome: "requeued",
    });
  } finally {
    await store.close();
  }
  return built;
}

describePg.skipIf(!existsSync(CLI))("store copy", () => {
  it("moves a whole fs history into postgres and back with every id and log line intact", {
    timeout: 120_000,
  }, async () => {
    const { config } = await withHistory();
    const schema = freshSchemaName();
    const back = await mkdtemp(join(tmpdir(), "clausewatch-copy-back-"));
    cleanups.push(
      () => dropSchema(schema),
      () => rm(back, { recursive: true, force: true }),
    );
    const target = join(back, "store");
    const planIds = config.plans.map((plan) => plan.id);

    const there = await runCli([
      "store",
      "copy",
      "--from",
      config.storageDir,
      "--to",
      pgUrl,
      "--to-schema",
      schema,
    ]);
    const again = await runCli(["store", "copy", "--from", pgUrl, "--from-schema", schema, "--to", target]);

    expect(there.status, there.stderr).toBe(0);
    expect(there.stdout).toMatch(
      /^copied 2 sources, \d+ snapshots \(\d+ bodies\), \d+ events, \d+ changes, \d+ plan records, \d+ alerts and 2 delivery records from fs to postgres\n$/,
    );
    expect(again.status, again.stderr).toBe(0);
    const stores = [
      await openFsStore(config.storageDir, { lock: false }),
      await openPostgresStore({ url: pgUrl, schema, migrate: false, poolSize: 2 }),
      await openFsStore(target, { lock: false }),
    ];
    try {
      const [original, inPostgres, roundTrip] = await Promise.all(
        stores.map((store) => contents(store, planIds)),
      );
      expect(original?.sources.length).toBe(2);
      expect(original?.plans[0]?.lineage.length).toBeGreaterThan(2);
      expect(original?.outbox.requeues).toHaveLength(1);
      expect(inPostgres).toEqual(original);
      expect(roundTrip).toEqual(original);
      const plan = config.plans[0];
      if (!plan) throw new Error("no plan");
      const exports = await Promise.all(
        stores.map((store) => buildExport(store, plan, { now: () => new Date("2025-12-01T00:00:00Z") })),
      );
      expect(exports[1]).toEqual(exports[0]);
      expect(exports[2]).toEqual(exports[0]);
      for (const store of stores) expect(await store.verify()).toEqual([]);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it("refuses to copy into a store that already holds a history", { timeout: 120_000 }, async () => {
    const { config } = await withHistory();
    const schema = freshSchemaName();
    cleanups.push(() => dropSchema(schema));
    const first = await runCli([
      "store",
      "copy",
      "--from",
      config.storageDir,
      "--to",
      pgUrl,
      "--to-schema",
      schema,
    ]);

    const second = await runCli([
      "store",
      "copy",
      "--from",
      config.storageDir,
      "--to",
      pgUrl,
      "--to-schema",
      schema,
    ]);

    expect(first.status, first.stderr).toBe(0);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(
      /store copy: the target postgres store is not empty \(2 sources, 1 plans, \d+ changes, \d+ alerts\)/,
    );
  });
});
