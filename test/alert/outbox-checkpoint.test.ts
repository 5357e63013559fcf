import { appendFile, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  catchUpChanges,
  deliverPending,
  enqueueChanges,
  listAlerts,
  prepareOutbox,
  requeue,
} from "../../src/alert/index.js";
import { readOutbox, replay } from "../../src/alert/outbox.js";
import type { Notifier } from "../../src/alert/types.js";
import { OUTBOX_DIR, OUTBOX_FILES, openFsStore, type SnapshotStore } from "../../src/store/index.js";
import { describePg, dropSchema, freshSchemaName, openTestStore } from "../helpers/pg.js";
import {
  alertConfig,
  makeTempDir,
  manualClock,
  notifierEntry,
  type RecordingNotifier,
  recordingNotifier,
  sampleChange,
  silentLogger,
  T0,
} from "./delivery-support.js";

let dir: string;
let cleanup: () => Promise<void>;
let store: SnapshotStore;
let desk: RecordingNotifier;
const clock = manualClock();
const config = alertConfig([notifierEntry("desk", { retry: { attempts: 2, baseDelayMs: 10 } })]);
const checkpointPath = () => join(dir, OUTBOX_DIR, OUTBOX_FILES.checkpoint);
const alertsPath = () => join(dir, OUTBOX_DIR, OUTBOX_FILES.alerts);
let next = 1;

/** A store driver under test: a fresh store, and the same store opened again by a new process. */
interface Driver {
  open(): Promise<SnapshotStore>;
  reopen(): Promise<SnapshotStore>;
  drop(): Promise<void>;
}

const fsDriver = (): Driver => ({
  open: () => openFsStore(dir, { fsync: false }),
  reopen: () => openFsStore(dir, { fsync: false }),
  drop: async () => undefined,
});

const pgDriver = (): Driver => {
  const schema = freshSchemaName();
  return {
    open: () => openTestStore(schema),
    reopen: () => openTestStore(schema),
    drop: () => dropSchema(schema),
  };
};

let driver: Driver;

function useDriver(make: () => Driver): void {
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    driver = make();
    store = await driver.open();
    desk = recordingNotifier("desk");
    next = 1;
    // Every sample change is recorded after the outbox started.
    await prepareOutbox(store, new Date(T0));
  });

  afterEach(async () => {
    await store.close();
    await driver.drop();
    await cleanup();
  });
}

/** What a worker's cycle does to the outbox: stores changes, catches up (enqueues), delivers. */
async function cycle(count: number, notifiers: Notifier[] = [desk]): Promise<string[]> {
  const keys: string[] = [];
  for (let n = 0; n < count; n++) {
    const change = sampleChange(next++);
    await store.appendChange(change);
    keys.push(change.key);
  }
  await catchUpChanges({ config, storageDir: dir, outbox: store, store, now: clock.now });
  await deliverPending({
    config,
    storageDir: dir,
    outbox: store,
    logger: silentLogger,
    notifiers,
    now: clock.now,
  });
  clock.advance(60_000);
  return keys;
}

async function unsettledIds(): Promise<string[]> {
  return (await readOutbox(store, { unsettled: true })).entries.map((entry) => entry.alert.id);
}

/** What every driver that settles its outbox must do: the fs checkpoint, the postgres `settled` rows. */
function settlingSuite(): void {
  it("keeps what a delivery pass reads to the alerts still in play, however long the history", async () => {
    const perCycle: number[] = [];
    const all: string[] = [];
    for (let n = 0; n < 12; n++) {
      all.push(...(await cycle(3)));
      perCycle.push((await unsettledIds()).length);
    }

    // Every alert was delivered once, and the full listing still has every one of them.
    expect(desk.sends.flatMap((send) => send.alertIds)).toEqual(all);
    const rows = await listAlerts(store);
    expect(rows.map((row) => row.id)).toEqual(all);
    expect(rows.every((row) => row.status === "delivered")).toBe(true);
    // An unsettled read holds at most the last cycle's alerts, not the 36 of the history.
    expect(Math.max(...perCycle.slice(2))).toBeLessThanOrEqual(3);
  });

  it("carries failing and dead alerts with their attempts, so retries and re-queues work as before", async () => {
    await cycle(2);
    desk.failNext(1, "permanent");
    const [dead] = await cycle(1);
    await cycle(2);
    desk.failNext(1, "transient");
    const [flaky] = await cycle(1);

    const compare = async () => {
      const unsettled = await readOutbox(store, { unsettled: true });
      const full = await readOutbox(store);
      const carried = replay(unsettled);
      const everything = replay(full);
      // Same state for every alert the unsettled read has.
      for (const entry of unsettled.entries)
        expect(carried.get(entry.alert.id, "desk")).toEqual(everything.get(entry.alert.id, "desk"));
      expect(unsettled.entries.length).toBeLessThan(full.entries.length);
      return { ids: unsettled.entries.map((entry) => entry.alert.id), everything };
    };
    const mid = await compare();
    expect(mid.ids).toEqual(expect.arrayContaining([dead, flaky]));
    expect(mid.everything.get(dead as string, "desk")?.status).toBe("dead");
    expect(mid.everything.get(flaky as string, "desk")).toMatchObject({ status: "pending", failures: 1 });

    clock.advance(3_600_000);
    await cycle(2);
    await cycle(1);
    const late = await compare();
    expect(late.ids).toContain(dead);
    expect(late.ids).not.toContain(flaky);
    expect(late.everything.get(flaky as string, "desk")?.status).toBe("delivered");
    const failing = dead;

    expect(await requeue(store, failing as string, undefined, clock.now())).toEqual(["desk"]);
    await cycle(0);

    expect(desk.sends.at(-1)?.alertIds).toEqual([failing]);
    expect((await listAlerts(store)).find((row) => row.id === failing)?.status).toBe("delivered");
  });

  it("keeps a digest's timing and open batch across the checkpoint", async () => {
    const digestConfig = alertConfig([notifierEntry("desk", { digestMinutes: 30 })]);
    const pass = () =>
      deliverPending({
        config: digestConfig,
        storageDir: dir,
        outbox: store,
        logger: silentLogger,
        notifiers: [desk],
        now: clock.now,
      });
    const add = async (count: number) => {
      for (let n = 0; n < count; n++) await store.appendChange(sampleChange(next++));
      await catchUpChanges({ config: digestConfig, storageDir: dir, outbox: store, store, now: clock.now });
    };
    await add(2);
    await pass();
    await add(1);
    await pass();
    clock.advance(10 * 60_000);
    await add(1);
    await pass();

    const full = replay(await readOutbox(store));
    const unsettled = replay(await readOutbox(store, { unsettled: true }));
    expect(unsettled.lastBatchAt("desk")).toBe(full.lastBatchAt("desk"));
    expect(unsettled.openBatch("desk")).toEqual(full.openBatch("desk"));
    // Within the 30 minutes, nothing more went out than the first digest.
    expect(desk.sends).toHaveLength(1);
  });

  it("enqueues a change stored without its alert exactly once, and never an old one again", async () => {
    const delivered = [...(await cycle(3)), ...(await cycle(3))];
    // A crash between the store's append and the enqueue: the change is stored, no alert.
    const orphan = sampleChange(next++);
    await store.appendChange(orphan);

    const caught = await catchUpChanges({ config, storageDir: dir, outbox: store, store, now: clock.now });
    const again = await catchUpChanges({ config, storageDir: dir, outbox: store, store, now: clock.now });

    expect(caught.map((alert) => alert.id)).toEqual([orphan.key]);
    expect(again).toEqual([]);
    // One alert per change, however the driver keeps them (log lines, rows).
    expect((await store.readOutbox()).alerts).toHaveLength(delivered.length + 1);
  });

  it("never drops a delivered alert whose change a catch-up has yet to pass, so it is not sent twice", async () => {
    await cycle(3);
    await cycle(3);
    const change = sampleChange(next++);
    await store.appendChange(change);
    await enqueueChanges([change], { config, storageDir: dir, outbox: store });
    const pass = () =>
      deliverPending({
        config,
        storageDir: dir,
        outbox: store,
        logger: silentLogger,
        notifiers: [desk],
        now: clock.now,
      });
    await pass();
    await pass();
    // The next process: nothing of this one's memory.
    await store.close();
    store = await driver.reopen();

    expect(await catchUpChanges({ config, storageDir: dir, outbox: store, store, now: clock.now })).toEqual(
      [],
    );
    await pass();
    expect(desk.sends.flatMap((send) => send.alertIds).filter((id) => id === change.key)).toHaveLength(1);
  });
}

describe("the outbox checkpoint (fs)", () => {
  useDriver(fsDriver);
  settlingSuite();

  it("reads the whole outbox when the checkpoint does not fit the logs, and duplicates nothing", async () => {
    await cycle(3);
    await cycle(3);
    const before = (await readFile(alertsPath(), "utf8")).trim().split("\n");
    // The alerts log restored from a backup taken after the first alert: the checkpoint's
    // position is now past its end.
    await writeFile(alertsPath(), `${before[0]}\n`);

    expect(await unsettledIds()).toEqual([sampleChange(1).key]);
    const caught = await catchUpChanges({ config, storageDir: dir, outbox: store, store, now: clock.now });
    expect(caught.map((alert) => alert.id)).toEqual([2, 3, 4, 5, 6].map((n) => sampleChange(n).key));
  });

  it("ignores a damaged checkpoint: the next reads start at the beginning", async () => {
    const keys = [...(await cycle(2)), ...(await cycle(2))];
    await writeFile(checkpointPath(), "{ not json");

    expect(await unsettledIds()).toEqual(keys);
    expect(await catchUpChanges({ config, storageDir: dir, outbox: store, store, now: clock.now })).toEqual(
      [],
    );
    await rm(checkpointPath());
    expect(await unsettledIds()).toEqual(keys);
  });

  it("reads a line appended after the checkpoint, torn tail left for later", async () => {
    await cycle(2);
    await cycle(2);
    const late = { at: clock.now().toISOString(), targets: ["desk"], alert: { id: "late-alert" } };
    await appendFile(alertsPath(), `${JSON.stringify(late)}\n{"at":"2025-`);

    expect((await unsettledIds()).at(-1)).toBe("late-alert");
  });
});

describe("the change log's cursor (fs)", () => {
  useDriver(fsDriver);
  it("lists only the changes after a cursor, and refuses a cursor of another log", async () => {
    await store.appendChange(sampleChange(1));
    const cursor = await store.changesCursor?.();
    await store.appendChange(sampleChange(2));
    await store.appendChange(sampleChange(3, { sourceId: "desk" }));

    const after = await store.listChangesAfter?.(cursor as string);
    const ofWire = await store.listChangesAfter?.(cursor as string, { sourceId: "wire" });
    expect(after?.map((change) => change.key)).toEqual([sampleChange(2).key, sampleChange(3).key]);
    expect(ofWire?.map((change) => change.key)).toEqual([sampleChange(2).key]);
    expect(await store.listChangesAfter?.(`${cursor?.split(":")[0]}:0000000000000000`)).toBeUndefined();
    expect(await store.listChangesAfter?.("999999:abcd")).toBeUndefined();
    expect((await store.listChangesAfter?.("0:"))?.length).toBe(3);
  });
});

describePg("settled outbox rows (postgres)", () => {
  useDriver(pgDriver);
  settlingSuite();
});
