import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { catchUpChanges, enqueueChanges, listAlerts } from "../../src/alert/index.js";
import {
  ALERTS_FILE,
  appendDelivery,
  outboxDir,
  prepareOutbox,
  readEntries,
  readOutbox,
  replay,
} from "../../src/alert/outbox.js";
import { createMemoryStore } from "../../src/store/index.js";
import { alertConfig, makeTempDir, notifierEntry, sampleChange } from "./delivery-support.js";

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  await cleanup();
});

const config = alertConfig([notifierEntry("desk"), notifierEntry("ops", { kinds: ["source-broken"] })]);

describe("enqueueing changes", () => {
  it("writes one outbox line per alert and nothing when the same change comes again", async () => {
    const changes = [sampleChange(1), sampleChange(2)];

    const first = await enqueueChanges(changes, { config, storageDir: dir });
    const again = await enqueueChanges([sampleChange(2), sampleChange(1)], { config, storageDir: dir });

    expect(first.map((alert) => alert.id)).toEqual([changes[0]?.key, changes[1]?.key]);
    expect(again).toEqual([]);
    const lines = (await readFile(join(outboxDir(dir), ALERTS_FILE), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(2);
  });

  it("records the notifiers that want each alert and builds it with the configured titles", async () => {
    const broken = sampleChange(3, {
      kind: "source-broken",
      severity: "substantive",
      headline: "wire broken",
      error: { code: "E_FETCH", message: "500" },
    });

    await enqueueChanges([sampleChange(1), broken], {
      config: { ...config, publicBaseUrl: "https://watch.example.org/" },
      storageDir: dir,
    });

    const entries = await readEntries(dir);
    expect(entries.map((entry) => entry.targets)).toEqual([["desk"], ["desk", "ops"]]);
    expect(entries[0]?.alert.plan).toEqual({ id: "peace-plan", title: "Peace plan" });
    expect(entries[0]?.alert.source.title).toBe("Wire service");
    expect(entries[0]?.alert.link).toMatch(/^https:\/\/watch\.example\.org\/plans\/peace-plan\/compare\//);
  });

  it("skips baselines, cosmetic and suppressed changes", async () => {
    const written = await enqueueChanges(
      [
        sampleChange(1, { kind: "baseline", severity: "none" }),
        sampleChange(2, { severity: "cosmetic" }),
        sampleChange(3, { kind: "flapping", suppressed: true }),
      ],
      { config, storageDir: dir },
    );

    expect(written).toEqual([]);
    expect(await listAlerts(dir)).toEqual([]);
  });
});

describe("reading the outbox after a crash", () => {
  it("ignores a torn last line, and the next enqueue cuts it off and stays readable", async () => {
    await enqueueChanges([sampleChange(1)], { config, storageDir: dir });
    const path = join(outboxDir(dir), ALERTS_FILE);
    await appendFile(path, '{"at":"2025-11-20T10:00:00.000Z","targets":["desk"],"alert":{"id":"half');

    const beforeRepair = await readEntries(dir);
    await enqueueChanges([sampleChange(2)], { config, storageDir: dir });

    expect(beforeRepair.map((entry) => entry.alert.id)).toEqual([sampleChange(1).key]);
    expect((await readEntries(dir)).map((entry) => entry.alert.id)).toEqual([
      sampleChange(1).key,
      sampleChange(2).key,
    ]);
    const text = await readFile(path, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text).not.toContain("half");
  });

  it("ignores a torn last line of the attempt log", async () => {
    await enqueueChanges([sampleChange(1)], { config, storageDir: dir });
    await appendDelivery(dir, {
      at: "2025-11-20T10:01:00.000Z",
      alertId: sampleChange(1).key,
      notifier: "desk",
      outcome: "failed",
      error: "500",
      nextAttemptAt: "2025-11-20T10:02:00.000Z",
    });
    await appendFile(
      join(outboxDir(dir), "deliveries.jsonl"),
      '{"at":"2025-11-20T10:03:00.000Z","alertId":"w',
    );

    const states = replay(await readOutbox(dir));

    expect(states.get(sampleChange(1).key, "desk")).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "500",
      nextAttemptAt: "2025-11-20T10:02:00.000Z",
    });
  });
});

describe("catching up after a crash between the store and the outbox", () => {
  it("enqueues changes recorded since the outbox started that have no alert, and no older history", async () => {
    const store = createMemoryStore();
    await store.appendChange(sampleChange(1, { at: "2025-11-19T09:00:00.000Z" }));
    await prepareOutbox(dir, new Date("2025-11-20T00:00:00.000Z"));
    await store.appendChange(sampleChange(2));
    await store.appendChange(sampleChange(3));
    await enqueueChanges([sampleChange(2)], { config, storageDir: dir });

    const caught = await catchUpChanges({ config, storageDir: dir, store });

    expect(caught.map((alert) => alert.id)).toEqual([sampleChange(3).key]);
    expect((await readEntries(dir)).map((entry) => entry.alert.id)).toEqual([
      sampleChange(2).key,
      sampleChange(3).key,
    ]);
  });

  it("reads no snapshot for a change that already has its alert, however long the history", async () => {
    const store = createMemoryStore();
    await prepareOutbox(dir, new Date("2025-11-20T00:00:00.000Z"));
    const history = Array.from({ length: 40 }, (_, index) => sampleChange(index + 1));
    for (const change of history) await store.appendChange(change);
    await enqueueChanges(history.slice(0, 39), { config, storageDir: dir });
    const read: string[] = [];
    const counting = {
      listChanges: store.listChanges.bind(store),
      getSnapshot: (id: string) => {
        read.push(id);
        return store.getSnapshot(id);
      },
    };

    const caught = await catchUpChanges({ config, storageDir: dir, store: counting });

    expect(caught.map((alert) => alert.id)).toEqual([history[39]?.key]);
    expect(read.length).toBeLessThanOrEqual(3);
  });
});
