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
import { type FsStore, OUTBOX_DIR, OUTBOX_FILES, openFsStore } from "../../src/store/index.js";
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
let store: FsStore;
let desk: RecordingNotifier;
const clock = manualClock();
const config = alertConfig([notifierEntry("desk", { retry: { attempts: 2, baseDelayMs: 10 } })]);
const checkpointPath = () => join(dir, OUTBOX_DIR, OUTBOX_FILES.checkpoint);
const alertsPath = () => join(dir, OUTBOX_DIR, OUTBOX_FILES.alerts);
let next = 1;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  store = await openFsStore(dir, { fsync: false });
  desk = recordingNotifier("desk");
  next = 1;
  // Every sample change is recorded after the outbox started.
  await prepareOutbox(store, new Date(T0));
});

afterEach(async () => {
  await store.close();
  await cleanup();
});

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

describe("the outbox checkpoint (fs)", () => {
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
    expect(JSON.parse(await readFile(checkpointPath(), "utf8")).alerts.offset).toBeGreaterThan(0);
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
    const lines = (await readFile(alertsPath(), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(delivered.length + 1);
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
    store = await openFsStore(dir, { fsync: false });

    expect(await catchUpChanges({ config, storageDir: dir, outbox: store, store, now: clock.now })).toEqual(
      [],
    );
    await pass();
    expect(desk.sends.flatMap((send) => send.alertIds).filter((id) => id === change.key)).toHaveLength(1);
  });

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
