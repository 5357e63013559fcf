import fs, { promises as fsp } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appendLine, fsyncDir, readJsonl, repairTornTail, writeFileAtomic } from "../../src/store/index.js";
import { makeTempDir, removeDir } from "./helpers.js";

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await makeTempDir("clausewatch-atomic-");
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

describe("writeFileAtomic", () => {
  it("replaces a file's content and leaves no temp file behind", async () => {
    const dir = await freshDir();
    const path = join(dir, "state.json");
    await writeFileAtomic(path, "old");

    await writeFileAtomic(path, "new");

    expect(await fsp.readFile(path, "utf8")).toBe("new");
    expect(await fsp.readdir(dir)).toEqual(["state.json"]);
  });

  it("puts its temp file in the given directory", async () => {
    const dir = await freshDir();
    await fsp.mkdir(join(dir, "tmp"));
    const target = join(dir, "a.json");

    await writeFileAtomic(target, "x", { tmpDir: join(dir, "tmp") });

    expect(await fsp.readFile(target, "utf8")).toBe("x");
    expect(await fsp.readdir(join(dir, "tmp"))).toEqual([]);
  });

  it("keeps the old content and removes its temp file when the rename fails", async () => {
    const dir = await freshDir();
    const target = join(dir, "blocked");
    await fsp.mkdir(target);
    await fsp.writeFile(join(target, "inside"), "");

    const attempt = writeFileAtomic(target, "data");

    await expect(attempt).rejects.toThrow();
    expect(await fsp.readdir(dir)).toEqual(["blocked"]);
  });
});

describe("fsyncDir", () => {
  it("gives callers that ask while a sync of the directory runs one shared sync that starts after it", async () => {
    const dir = await freshDir();
    // The store opens directories in place (only the sync itself goes to the thread pool); the
    // named import it uses follows the spied default export once the two are synchronised.
    const open = vi.spyOn(fs, "openSync");
    syncBuiltinESMExports();
    const syncsOf = () => open.mock.calls.filter(([path]) => path === dir).length;
    try {
      await Promise.all(Array.from({ length: 20 }, () => fsyncDir(dir)));
      // The first caller's sync, then one more for the nineteen who asked while it ran.
      expect(syncsOf()).toBe(2);

      await fsyncDir(dir);
      expect(syncsOf()).toBe(3);
    } finally {
      open.mockRestore();
      syncBuiltinESMExports();
    }
  });

  it("rejects every caller when the directory cannot be opened, and tries again on the next call", async () => {
    const dir = join(await freshDir(), "later");

    const results = await Promise.allSettled([fsyncDir(dir), fsyncDir(dir), fsyncDir(dir)]);

    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    await fsp.mkdir(dir);
    await expect(fsyncDir(dir)).resolves.toBeUndefined();
  });
});

describe("appendLine and readJsonl", () => {
  it("reads back appended records in order", async () => {
    const dir = await freshDir();
    const path = join(dir, "log.jsonl");

    await appendLine(path, JSON.stringify({ n: 1 }));
    await appendLine(path, JSON.stringify({ n: 2 }));

    expect(await readJsonl(path)).toEqual({ records: [{ n: 1 }, { n: 2 }], problems: [], tornTail: false });
  });

  it("treats a missing log as empty", async () => {
    const dir = await freshDir();

    const result = await readJsonl(join(dir, "none.jsonl"));

    expect(result).toEqual({ records: [], problems: [], tornTail: false });
  });

  it("ignores an unterminated last line and reports a damaged middle line with its number", async () => {
    const dir = await freshDir();
    const path = join(dir, "log.jsonl");
    await fsp.writeFile(path, '{"n":1}\n{"n":\n{"n":3}\n{"n":4');

    const result = await readJsonl(path);

    expect(result.records).toEqual([{ n: 1 }, { n: 3 }]);
    expect(result.tornTail).toBe(true);
    expect(result.problems).toEqual([`${path}:2: unparsable line "{\\"n\\":"`]);
  });

  it("rejects lines that fail the shape check", async () => {
    const dir = await freshDir();
    const path = join(dir, "log.jsonl");
    await fsp.writeFile(path, '{"type":"a"}\n42\n');

    const result = await readJsonl(path, {
      accept: (v) => (typeof v === "object" ? undefined : "not an object"),
    });

    expect(result.records).toEqual([{ type: "a" }]);
    expect(result.problems).toEqual([`${path}:2: not an object`]);
  });

  it("refuses a line containing a newline", async () => {
    const dir = await freshDir();

    const attempt = appendLine(join(dir, "log.jsonl"), "a\nb");

    await expect(attempt).rejects.toThrow(/contains a newline/);
  });

  it.each([
    ["durable", true],
    ["not made durable (a quiet check's event)", false],
  ])("cuts a torn tail before appending, so it never merges with the new line: %s", async (_, fsync) => {
    const dir = await freshDir();
    const path = join(dir, "log.jsonl");
    await fsp.writeFile(path, `{"n":1}\n${"x".repeat(70 * 1024)}{"n":2,"half`);

    await appendLine(path, '{"n":3}', { fsync });
    await appendLine(path, '{"n":4}', { fsync });

    expect(await fsp.readFile(path, "utf8")).toBe('{"n":1}\n{"n":3}\n{"n":4}\n');
  });

  it("names the log when a non-durable append cannot open it", async () => {
    const dir = await freshDir();
    await fsp.mkdir(join(dir, "log.jsonl"));

    const attempt = appendLine(join(dir, "log.jsonl"), "{}", { fsync: false });

    await expect(attempt).rejects.toThrow(`could not write ${join(dir, "log.jsonl")}`);
  });

  it("repairs a log that is nothing but a torn line", async () => {
    const dir = await freshDir();
    const path = join(dir, "log.jsonl");
    await fsp.writeFile(path, '{"n":1');

    const removed = await repairTornTail(path);

    expect(removed).toBe(6);
    expect(await fsp.readFile(path, "utf8")).toBe("");
  });

  it("returns the last N records of a long log with multi-byte text across read chunks", async () => {
    const dir = await freshDir();
    const path = join(dir, "log.jsonl");
    const lines = Array.from({ length: 5000 }, (_, n) => JSON.stringify({ n, t: "пункт № ٢٦ — 🕊️" }));
    await fsp.writeFile(path, `${lines.join("\n")}\n{"n":"torn`);

    const result = await readJsonl<{ n: number; t: string }>(path, { limit: 3 });

    expect(result.records.map((r) => r.n)).toEqual([4997, 4998, 4999]);
    expect(result.records.every((r) => r.t === "пункт № ٢٦ — 🕊️")).toBe(true);
    expect(result.tornTail).toBe(true);
  });

  it("still returns N records when damaged lines fall inside the tail window", async () => {
    const dir = await freshDir();
    const path = join(dir, "log.jsonl");
    await fsp.writeFile(path, '{"n":1}\n{"n":2}\n{"n":3}\nbad\nbad\n{"n":4}\n');

    const result = await readJsonl<{ n: number }>(path, { limit: 3 });

    expect(result.records.map((r) => r.n)).toEqual([2, 3, 4]);
  });
});
