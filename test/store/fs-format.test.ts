import { existsSync, promises as fsp } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FsStore, openFsStore, type SnapshotRecord } from "../../src/store/index.js";
import { makeInput, makeTempDir, removeDir } from "./helpers.js";

const encoder = new TextEncoder();
const dirs: string[] = [];
const stores: FsStore[] = [];

async function open(dir: string, options?: Parameters<typeof openFsStore>[1]): Promise<FsStore> {
  const store = await openFsStore(dir, options);
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

/** Two sources with two versions and one version, written and closed. */
async function written(): Promise<{ dir: string; records: SnapshotRecord[] }> {
  const dir = await makeTempDir();
  dirs.push(dir);
  const store = await openFsStore(dir);
  const records: SnapshotRecord[] = [];
  for (const [sourceId, texts] of [
    ["wire", ["Ukraine keeps its army at 600,000."]],
    ["wire", ["Ukraine keeps its army at 800,000."]],
    ["outlet", ["A ceasefire starts on signature."]],
  ] as const) {
    const bodyHash = await store.putBody(encoder.encode(`<ol><li>${texts[0]}</li></ol>`));
    records.push(await store.putSnapshot(makeInput(sourceId, bodyHash, [...texts])));
  }
  await store.close();
  return { dir, records };
}

/** Rewrites a format-2 store as format 1 wrote it: a pretty copy of every record under snapshots/. */
async function asFormat1(dir: string, records: SnapshotRecord[]): Promise<void> {
  for (const record of records) {
    const path = join(dir, "snapshots", record.id.slice(0, 2), `${record.id}.json`);
    await fsp.mkdir(join(path, ".."), { recursive: true });
    await fsp.writeFile(path, `${JSON.stringify(record, null, 2)}\n`);
  }
  await fsp.rm(join(dir, "snapshot-sources.txt"));
  await fsp.writeFile(join(dir, "VERSION"), "1\n");
}

describe("fs store format 2", () => {
  it("keeps one copy of a snapshot record, the index line, and finds it by id alone", async () => {
    const { dir, records } = await written();
    const store = await open(dir, { lock: false });

    expect(existsSync(join(dir, "snapshots"))).toBe(false);
    for (const record of records) expect(await store.getSnapshot(record.id)).toMatchObject(record);
    expect((await store.getSnapshot((records[1] as SnapshotRecord).id)).clauseSet.clauses[0]?.text).toBe(
      "Ukraine keeps its army at 800,000.",
    );
    await expect(store.getSnapshot("0123456789abcdef")).rejects.toThrow(/no snapshot 0123456789abcdef/);
  });

  it("finds a snapshot whose id line was lost to a crash, and the writer writes the line back", async () => {
    const { dir, records } = await written();
    const lost = records[1] as SnapshotRecord;
    const path = join(dir, "snapshot-sources.txt");
    const lines = (await fsp.readFile(path, "utf8")).split("\n").filter((line) => !line.startsWith(lost.id));
    // A torn last line, too: the append the crash interrupted.
    await fsp.writeFile(path, `${lines.join("\n")}${lost.id.slice(0, 7)}`);

    const store = await open(dir);

    expect((await store.getSnapshot(lost.id)).sourceId).toBe("wire");
    expect(await fsp.readFile(path, "utf8")).toContain(`${lost.id} wire\n`);
    expect(await store.verify()).toEqual([]);
  });

  it("lets a reader find a snapshot the writer stored after the reader first looked", async () => {
    const { dir, records } = await written();
    const reader = await open(dir, { lock: false });
    expect((await reader.getSnapshot((records[0] as SnapshotRecord).id)).sourceId).toBe("wire");

    const writer = await open(dir);
    const bodyHash = await writer.putBody(encoder.encode("<ol><li>Elections within 100 days.</li></ol>"));
    const later = await writer.putSnapshot(makeInput("outlet", bodyHash, ["Elections within 100 days."]));

    expect((await reader.getSnapshot(later.id)).clauseSet.clauses[0]?.text).toBe(
      "Elections within 100 days.",
    );
  });
});

describe("fs store migration from format 1", () => {
  it("drops the copies under snapshots/, lists every id with its source and says it migrated", async () => {
    const { dir, records } = await written();
    await asFormat1(dir, records);

    const store = await open(dir);

    expect(store.migratedFrom).toBe(1);
    expect(await fsp.readFile(join(dir, "VERSION"), "utf8")).toBe("2\n");
    expect(existsSync(join(dir, "snapshots"))).toBe(false);
    const listed = (await fsp.readFile(join(dir, "snapshot-sources.txt"), "utf8")).trim().split("\n").sort();
    expect(listed).toEqual(records.map((record) => `${record.id} ${record.sourceId}`).sort());
    for (const record of records) expect(await store.getSnapshot(record.id)).toMatchObject(record);
    expect(await store.verify()).toEqual([]);
    await store.close();

    expect((await open(dir)).migratedFrom).toBeUndefined();
  });

  it("reads a format-1 store opened read-only as it is, without changing a file", async () => {
    const { dir, records } = await written();
    await asFormat1(dir, records);

    const store = await open(dir, { lock: false });

    expect(store.migratedFrom).toBeUndefined();
    for (const record of records) expect(await store.getSnapshot(record.id)).toMatchObject(record);
    expect(await fsp.readFile(join(dir, "VERSION"), "utf8")).toBe("1\n");
    expect(existsSync(join(dir, "snapshots"))).toBe(true);
    expect(existsSync(join(dir, "snapshot-sources.txt"))).toBe(false);
  });
});
