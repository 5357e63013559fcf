import { spawnSync } from "node:child_process";
import { promises as fsp } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gunzipSync, constants as zlibConstants } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { LockedError, StoreError } from "../../src/errors.js";
import { FS_STORE_NAME, type FsStore, openFsStore, type SnapshotStore } from "../../src/store/index.js";
import { DEFAULT_BROTLI_QUALITY } from "../../src/store/records.js";
import { runStoreConformance } from "./conformance.js";
import { makeInput, makeTempDir, removeDir } from "./helpers.js";

runStoreConformance(FS_STORE_NAME, async () => {
  const dir = await makeTempDir();
  let current: SnapshotStore = await openFsStore(dir);
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await openFsStore(dir);
      return current;
    },
    async cleanup() {
      await current.close();
      await removeDir(dir);
    },
  };
});

const encoder = new TextEncoder();
const dirs: string[] = [];
const stores: FsStore[] = [];

async function freshDir(): Promise<string> {
  const dir = await makeTempDir();
  dirs.push(dir);
  return dir;
}

async function open(dir: string, options?: Parameters<typeof openFsStore>[1]): Promise<FsStore> {
  const store = await openFsStore(dir, options);
  stores.push(store);
  return store;
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(child.stdout);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

describe("fs store layout", () => {
  it("writes the documented layout with a format VERSION", async () => {
    const dir = await freshDir();
    const store = await open(dir);
    const bodyHash = await store.putBody(encoder.encode("<p>body</p>"));
    const record = await store.putSnapshot(makeInput("plan-a", bodyHash, ["One."]));
    await store.setSourceState({
      sourceId: "plan-a",
      consecutiveFailures: 0,
      health: "ok",
      recentClauseSetHashes: [],
    });
    await store.appendEvent("plan-a", { at: "2025-11-20T00:00:00Z", type: "check" });
    await store.appendChange({ key: "k", at: "2025-11-20T00:00:00Z", sourceId: "plan-a", kind: "added" });

    const files = await filesUnder(dir);

    expect(files.sort()).toEqual(
      [
        ".lock",
        "VERSION",
        "changes.jsonl",
        `bodies/${bodyHash.slice(0, 2)}/${bodyHash}.br`,
        `clausesets/${record.clauseSetHash.slice(0, 2)}/${record.clauseSetHash}.json`,
        "snapshot-sources.txt",
        "sources/plan-a/events.jsonl",
        "sources/plan-a/snapshots.jsonl",
        "sources/plan-a/state.json",
      ].sort(),
    );
    expect(await fsp.readFile(join(dir, "VERSION"), "utf8")).toBe("2\n");
    expect(await fsp.readFile(join(dir, "snapshot-sources.txt"), "utf8")).toBe(`${record.id} plan-a\n`);
  });

  it("stores bodies compressed", async () => {
    const dir = await freshDir();
    const store = await open(dir);
    const body = encoder.encode("<li>Point 26: full amnesty for actions during the war.</li>\n".repeat(500));

    const hash = await store.putBody(body);

    const onDisk = await fsp.stat(join(dir, "bodies", hash.slice(0, 2), `${hash}.br`));
    expect(onDisk.size).toBeLessThan(body.byteLength / 10);
  });

  it("compresses new bodies at the brotli quality asked, by default DEFAULT_BROTLI_QUALITY", async () => {
    const body = encoder.encode(
      Array.from({ length: 400 }, (_, i) => `<li>Point ${i}: aid is audited in year ${i * 7}.</li>`).join(
        "\n",
      ),
    );
    const brotli = (quality: number) =>
      brotliCompressSync(body, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: quality,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        },
      });
    expect(brotli(DEFAULT_BROTLI_QUALITY).equals(brotli(9))).toBe(false);
    for (const [options, quality] of [
      [{}, DEFAULT_BROTLI_QUALITY],
      [{ brotliQuality: 9 }, 9],
    ] as const) {
      const dir = await freshDir();
      const store = await open(dir, options);
      const hash = await store.putBody(body);
      const file = await fsp.readFile(join(dir, "bodies", hash.slice(0, 2), `${hash}.br`));
      expect(file.equals(brotli(quality))).toBe(true);
      expect(Buffer.from(await store.getBody(hash)).equals(Buffer.from(body))).toBe(true);
    }
  });

  it("writes gzip bodies when asked and reads bodies of either format", async () => {
    const dir = await freshDir();
    const gzipStore = await open(dir, { compression: "gzip" });
    const gzHash = await gzipStore.putBody(encoder.encode("gzip body"));
    await gzipStore.close();

    const brotliStore = await open(dir);
    const brHash = await brotliStore.putBody(encoder.encode("brotli body"));

    const gzFile = await fsp.readFile(join(dir, "bodies", gzHash.slice(0, 2), `${gzHash}.gz`));
    expect(gunzipSync(gzFile).toString()).toBe("gzip body");
    expect((await brotliStore.getBody(gzHash)).toString()).toBe("gzip body");
    expect((await brotliStore.getBody(brHash)).toString()).toBe("brotli body");
    expect(await brotliStore.putBody(encoder.encode("gzip body"))).toBe(gzHash);
    expect(await filesUnder(join(dir, "bodies"))).toHaveLength(2);
  });

  it("rejects unknown options, naming the driver", async () => {
    const dir = await freshDir();

    const attempt = openFsStore(dir, { compresion: "gzip" } as never);

    await expect(attempt).rejects.toThrow(/^fs store: invalid options/);
  });

  it("refuses a store written by a newer format", async () => {
    const dir = await freshDir();
    await fsp.writeFile(join(dir, "VERSION"), "3\n");

    const attempt = openFsStore(dir);

    await expect(attempt).rejects.toThrow(/uses store format 3, but this clausewatch only knows format 2/);
    await expect(fsp.access(join(dir, ".lock"))).rejects.toThrow();
  });

  it("never writes a source outside its directory", async () => {
    const dir = await freshDir();
    const store = await open(dir);

    await expect(store.appendEvent("..", { at: "2025-11-20T00:00:00Z", type: "x" })).rejects.toBeInstanceOf(
      StoreError,
    );

    expect(await fsp.readdir(join(dir, ".."))).not.toContain("events.jsonl");
    expect(await filesUnder(join(dir, "sources"))).toEqual([]);
  });
});

describe("fs store lock", () => {
  it("refuses a second writer while the first holds the lock, naming its pid", async () => {
    const dir = await freshDir();
    await open(dir);

    const attempt = openFsStore(dir);

    await expect(attempt).rejects.toBeInstanceOf(LockedError);
    await expect(openFsStore(dir)).rejects.toThrow(new RegExp(`pid ${process.pid}`));
  });

  it("lets the next writer in after close", async () => {
    const dir = await freshDir();
    const first = await open(dir);
    await first.close();

    const second = await open(dir);

    expect(second.recoveredStaleLock).toBe(false);
    expect(JSON.parse(await fsp.readFile(join(dir, ".lock"), "utf8")).pid).toBe(process.pid);
  });

  it("takes over a lock left by a dead process and says so", async () => {
    const dir = await freshDir();
    const pid = deadPid();
    const stale = { pid, hostname: hostname(), startedAt: "2025-11-20T00:00:00Z", token: "dead" };
    await fsp.writeFile(join(dir, ".lock"), JSON.stringify(stale));

    const store = await open(dir);

    expect(store.recoveredStaleLock).toBe(true);
    expect(store.staleLock?.pid).toBe(pid);
    expect(JSON.parse(await fsp.readFile(join(dir, ".lock"), "utf8")).pid).toBe(process.pid);
  });

  it("refuses a lock held on another host, since it cannot tell whether that holder lives", async () => {
    const dir = await freshDir();
    const foreign = {
      pid: deadPid(),
      hostname: `${hostname()}-other`,
      startedAt: "2025-11-20T00:00:00Z",
      token: "x",
    };
    await fsp.writeFile(join(dir, ".lock"), JSON.stringify(foreign));

    const attempt = openFsStore(dir);

    await expect(attempt).rejects.toThrow(
      /in use by .*\(pid \d+ on host .*-other, .*lease was renewed \d+ s ago/,
    );
  });

  it("finishes writes already in flight before close releases the lock", async () => {
    const dir = await freshDir();
    const store = await openFsStore(dir);
    const hash = await store.putBody(encoder.encode("body"));

    const order: string[] = [];

    const pending = store.putSnapshot(makeInput("plan-a", hash, ["One."])).then((record) => {
      order.push("snapshot written");
      return record;
    });
    await store.close().then(() => order.push("closed"));
    const record = await pending;

    expect(order).toEqual(["snapshot written", "closed"]);
    const reopened = await open(dir);
    expect(await reopened.listSnapshots("plan-a")).toEqual([record]);
  });

  it("removes the lock on close", async () => {
    const dir = await freshDir();
    const store = await open(dir);

    await store.close();

    await expect(fsp.access(join(dir, ".lock"))).rejects.toThrow();
  });

  it("opens read-only beside a live writer and sees its data, but refuses writes", async () => {
    const dir = await freshDir();
    const writer = await open(dir);
    const hash = await writer.putBody(encoder.encode("shared"));
    await writer.putSnapshot(makeInput("plan-a", hash, ["One."]));

    const reader = await open(dir, { lock: false });

    expect(reader.readOnly).toBe(true);
    expect(await reader.listSnapshots("plan-a")).toHaveLength(1);
    expect((await reader.getBody(hash)).toString()).toBe("shared");
    await expect(reader.putBody(encoder.encode("nope"))).rejects.toThrow(/read-only/);
    await expect(
      reader.appendChange({ key: "k", at: "2025-11-20T00:00:00Z", sourceId: "a", kind: "x" }),
    ).rejects.toThrow(/read-only/);
    await reader.close();
    expect(JSON.parse(await fsp.readFile(join(dir, ".lock"), "utf8")).pid).toBe(process.pid);
  });

  it("refuses to open a missing directory read-only", async () => {
    const dir = join(await freshDir(), "missing");

    const attempt = openFsStore(dir, { lock: false });

    await expect(attempt).rejects.toThrow(/does not exist/);
    await expect(fsp.access(dir)).rejects.toThrow();
  });
});

describe("fs store crash leftovers", () => {
  it("cleans temp files left by a crashed writer at open, and readers never list them", async () => {
    const dir = await freshDir();
    const first = await open(dir);
    await first.close();
    await fsp.writeFile(join(dir, "tmp", ".state.json.123.abc.tmp"), '{"sourceId":"half');

    const store = await open(dir);

    expect(store.cleanedTempFiles).toBe(1);
    expect(await fsp.readdir(join(dir, "tmp"))).toEqual([]);
    expect(await store.verify()).toEqual([]);
  });

  it("ignores a torn last line and cuts it off before the next append", async () => {
    const dir = await freshDir();
    const store = await open(dir);
    await store.appendEvent("plan-a", { at: "2025-11-20T00:00:00Z", type: "check" });
    await fsp.appendFile(join(dir, "sources/plan-a/events.jsonl"), '{"at":"2025-11-20T00:00:01Z","ty');

    const beforeAppend = await store.readEvents("plan-a");
    const problemsBefore = await store.verify();
    await store.appendEvent("plan-a", { at: "2025-11-20T00:00:02Z", type: "fetched" });

    expect(beforeAppend.map((e) => e.type)).toEqual(["check"]);
    expect(problemsBefore).toEqual([]);
    expect((await store.readEvents("plan-a")).map((e) => e.type)).toEqual(["check", "fetched"]);
    expect(await fsp.readFile(join(dir, "sources/plan-a/events.jsonl"), "utf8")).toBe(
      '{"at":"2025-11-20T00:00:00Z","type":"check"}\n{"at":"2025-11-20T00:00:02Z","type":"fetched"}\n',
    );
    expect(await store.verify()).toEqual([]);
  });

  it("treats a complete record without its newline as unfinished, so a retry is not a duplicate", async () => {
    const dir = await freshDir();
    const store = await open(dir);
    const change = { key: "k1", at: "2025-11-20T00:00:00Z", sourceId: "plan-a", kind: "added" };
    await store.close();
    await fsp.writeFile(join(dir, "changes.jsonl"), JSON.stringify(change));

    const reopened = await open(dir);
    const before = await reopened.listChanges();
    const appended = await reopened.appendChange(change);

    expect(before).toEqual([]);
    expect(appended).toBe(true);
    expect(await reopened.listChanges()).toEqual([change]);
  });
});

describe("fs store verify", () => {
  async function populated(): Promise<{
    dir: string;
    store: FsStore;
    bodyHash: string;
    id: string;
    csHash: string;
  }> {
    const dir = await freshDir();
    const store = await open(dir);
    const bodyHash = await store.putBody(encoder.encode("<ol><li>One.</li></ol>"));
    const record = await store.putSnapshot(makeInput("plan-a", bodyHash, ["One."]));
    await store.appendEvent("plan-a", { at: "2025-11-20T00:00:00Z", type: "check" });
    await store.appendEvent("plan-a", { at: "2025-11-20T00:01:00Z", type: "check" });
    return { dir, store, bodyHash, id: record.id, csHash: record.clauseSetHash };
  }

  it("reports a body whose bytes were altered, and getBody refuses it", async () => {
    const { dir, store, bodyHash } = await populated();
    const path = join(dir, "bodies", bodyHash.slice(0, 2), `${bodyHash}.br`);
    const { brotliCompressSync } = await import("node:zlib");
    await fsp.writeFile(path, brotliCompressSync(Buffer.from("<ol><li>Two.</li></ol>")));

    const problems = await store.verify();

    expect(problems).toEqual([
      expect.stringMatching(/^bodies\/.*: content hashes to/),
      expect.stringMatching(/body .* is missing or damaged/),
    ]);
    await expect(store.getBody(bodyHash)).rejects.toThrow(/hashes to/);
  });

  it("reports a snapshot whose clause set is gone", async () => {
    const { dir, store, csHash } = await populated();
    await fsp.rm(join(dir, "clausesets", csHash.slice(0, 2), `${csHash}.json`));

    const problems = await store.verify();

    expect(problems).toEqual([expect.stringMatching(new RegExp(`clause set ${csHash} is missing`))]);
  });

  it("reports an edited snapshot record and refuses to return it", async () => {
    const { dir, store, id } = await populated();
    const path = join(dir, "sources", "plan-a", "snapshots.jsonl");
    const record = JSON.parse(await fsp.readFile(path, "utf8"));
    await fsp.writeFile(path, `${JSON.stringify({ ...record, status: 500 })}\n`);

    const problems = await store.verify();

    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(`^sources/plan-a/snapshots.jsonl: snapshot ${id} is damaged: content hashes to`),
      ),
    ]);
    await expect(store.getSnapshot(id)).rejects.toThrow(/damaged/);
  });

  it("reports a damaged middle line but still reads the lines around it", async () => {
    const { dir, store } = await populated();
    const path = join(dir, "sources/plan-a/events.jsonl");
    const [first, second] = (await fsp.readFile(path, "utf8")).split("\n");
    await fsp.writeFile(path, `${first}\n{"at":"2025-11-20T00:00:30Z","ty\n${second}\n`);

    const problems = await store.verify();
    const events = await store.readEvents("plan-a");

    expect(problems).toEqual([expect.stringMatching(/^sources\/plan-a\/events.jsonl:2: unparsable line/)]);
    expect(events).toHaveLength(2);
  });

  it("reports an unparsable source state", async () => {
    const { dir, store } = await populated();
    await fsp.writeFile(join(dir, "sources/plan-a/state.json"), "{");

    const problems = await store.verify();

    expect(problems).toEqual([expect.stringMatching(/^sources\/plan-a\/state.json: not valid JSON/)]);
    await expect(store.getSourceState("plan-a")).rejects.toThrow(/not valid JSON/);
  });
});

describe("fs store logs", () => {
  it("returns the last N events of a log far larger than one read chunk", async () => {
    const dir = await freshDir();
    const store = await open(dir, { fsync: false });
    const lines = Array.from({ length: 3000 }, (_, n) =>
      JSON.stringify({ at: "2025-11-20T00:00:00Z", type: "check", n, note: "Пункт — ещё" }),
    );
    await fsp.mkdir(join(dir, "sources/plan-a"), { recursive: true });
    await fsp.writeFile(join(dir, "sources/plan-a/events.jsonl"), `${lines.join("\n")}\n`);

    const last = await store.readEvents("plan-a", { limit: 5 });
    const none = await store.readEvents("plan-a", { limit: 0 });

    expect(last.map((e) => e.n)).toEqual([2995, 2996, 2997, 2998, 2999]);
    expect(last[0]?.note).toBe("Пункт — ещё");
    expect(none).toEqual([]);
  });

  it("remembers change keys written by an earlier process", async () => {
    const dir = await freshDir();
    const first = await open(dir);
    await first.appendChange({
      key: "plan-a:1",
      at: "2025-11-20T00:00:00Z",
      sourceId: "plan-a",
      kind: "added",
    });
    await first.close();

    const second = await open(dir);
    const result = await second.appendChange({
      key: "plan-a:1",
      at: "2025-11-21T00:00:00Z",
      sourceId: "plan-a",
      kind: "x",
    });

    expect(result).toBe(false);
    expect((await fsp.readFile(join(dir, "changes.jsonl"), "utf8")).trim().split("\n")).toHaveLength(1);
  });
});

describe("fs store quiet checks", () => {
  const state = (at: string, etag = '"a"') => ({
    sourceId: "wire",
    lastCheckAt: at,
    lastSuccessAt: at,
    etag,
    consecutiveFailures: 0,
    health: "ok" as const,
    recentClauseSetHashes: [],
  });
  const statePath = (dir: string) => join(dir, "sources", "wire", "state.json");

  it("keeps the times of a check that changed nothing in checks.json, and state.json as it was", async () => {
    const dir = await freshDir();
    const store = await open(dir);
    await store.setSourceState(state("2026-12-01T10:00:00.000Z"));
    const written = await fsp.readFile(statePath(dir), "utf8");

    await store.getSourceState("wire");
    await store.setSourceState(state("2026-12-01T10:10:00.000Z"));

    expect(await fsp.readFile(statePath(dir), "utf8")).toBe(written);
    expect((await store.getSourceState("wire"))?.lastCheckAt).toBe("2026-12-01T10:10:00.000Z");
    await store.close();
    expect(JSON.parse(await fsp.readFile(join(dir, "checks.json"), "utf8"))).toEqual({
      wire: { lastCheckAt: "2026-12-01T10:10:00.000Z", lastSuccessAt: "2026-12-01T10:10:00.000Z" },
    });

    const again = await open(dir, { lock: false });
    expect(await again.getSourceState("wire")).toEqual(state("2026-12-01T10:10:00.000Z"));
  });

  it("writes state.json when anything besides the times changed", async () => {
    const dir = await freshDir();
    const store = await open(dir);
    await store.setSourceState(state("2026-12-01T10:00:00.000Z"));
    await store.getSourceState("wire");

    await store.setSourceState(state("2026-12-01T10:10:00.000Z", '"b"'));

    expect(JSON.parse(await fsp.readFile(statePath(dir), "utf8"))).toMatchObject({
      etag: '"b"',
      lastCheckAt: "2026-12-01T10:10:00.000Z",
    });
  });

  it("reads the state alone when checks.json is torn or older than it", async () => {
    const dir = await freshDir();
    const store = await open(dir);
    await store.setSourceState(state("2026-12-01T10:00:00.000Z"));
    await store.close();
    await fsp.writeFile(join(dir, "checks.json"), '{"wire": {"lastCheckAt": "2026-12');

    const torn = await open(dir, { lock: false });
    expect((await torn.getSourceState("wire"))?.lastCheckAt).toBe("2026-12-01T10:00:00.000Z");
    await fsp.writeFile(join(dir, "checks.json"), '{"wire": {"lastCheckAt": "2026-11-30T09:00:00.000Z"}}');
    const older = await open(dir, { lock: false });
    expect((await older.getSourceState("wire"))?.lastCheckAt).toBe("2026-12-01T10:00:00.000Z");
  });
});
