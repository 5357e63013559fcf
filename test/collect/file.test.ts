import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect } from "../../src/collect/index.js";
import { encodeWindows1251, fetchErrorOf } from "./support.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "clausewatch-collect-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("collect from file: URLs", () => {
  it("reads a file with the same outcome shape as http", async () => {
    const path = join(dir, "plan.txt");
    await writeFile(path, "1. Sovereignty confirmed.\n");
    const url = pathToFileURL(path).href;

    const outcome = await collect({ sourceId: "local", url });

    expect(outcome).toMatchObject({
      kind: "fetched",
      status: 200,
      url,
      finalUrl: url,
      redirects: [],
      attempts: 1,
      charset: "utf-8",
      text: "1. Sovereignty confirmed.\n",
      bodyHash: createHash("sha256").update("1. Sovereignty confirmed.\n").digest("hex"),
    });
    expect(outcome).not.toHaveProperty("etag");
    expect(outcome.kind === "fetched" && Date.parse(outcome.lastModified ?? "")).not.toBeNaN();
  });

  it("decodes an undeclared windows-1251 file by sniffing", async () => {
    const path = join(dir, "plan-ru.txt");
    await writeFile(path, encodeWindows1251("Пункт 6. Численность армии: 600 000."));

    const outcome = await collect({ sourceId: "local", url: pathToFileURL(path).href });

    expect(outcome).toMatchObject({ charset: "windows-1251", text: "Пункт 6. Численность армии: 600 000." });
  });

  it("reports unchanged when the file's hash equals the previous one", async () => {
    const path = join(dir, "plan.txt");
    await writeFile(path, "same text");
    const previousBodyHash = createHash("sha256").update("same text").digest("hex");

    const outcome = await collect({ sourceId: "local", url: pathToFileURL(path).href, previousBodyHash });

    expect(outcome).toMatchObject({ kind: "unchanged", status: 200, bodyHash: previousBodyHash });
  });

  it("refuses a missing file as permanent, naming the path", async () => {
    const path = join(dir, "absent.html");

    const error = await fetchErrorOf(collect({ sourceId: "local", url: pathToFileURL(path).href }));

    expect(error.kind).toBe("permanent");
    expect(error.source).toBe("local");
    expect(error.message).toContain(`cannot read ${path}: no such file`);
    expect(error.message).toContain("1 attempt");
  });

  it("refuses a file larger than the byte cap", async () => {
    const path = join(dir, "huge.txt");
    await writeFile(path, "z".repeat(3000));

    const error = await fetchErrorOf(
      collect({ sourceId: "local", url: pathToFileURL(path).href }, { maxBytes: 2048 }),
    );

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("exceeds 2 KiB limit");
  });

  it("refuses a directory", async () => {
    const error = await fetchErrorOf(collect({ sourceId: "local", url: pathToFileURL(dir).href }));

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("is not a regular file");
  });
});

describe("a file: source that would block", () => {
  it("refuses a named pipe at once instead of waiting for a writer forever", async () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);

    const error = await fetchErrorOf(collect({ sourceId: "local", url: pathToFileURL(fifo).href }));

    expect(error.kind).toBe("permanent");
    expect(error.message).toBe(`${fifo} is not a regular file (a named pipe) [permanent, 1 attempt]`);
  });
});
