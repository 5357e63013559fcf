import { promises as fsp } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openStore, storeDrivers } from "../../src/store/index.js";
import { makeTempDir, removeDir } from "./helpers.js";

describe("store driver registry", () => {
  it("has an entry for every driver file in src/store", async () => {
    const dir = fileURLToPath(new URL("../../src/store/", import.meta.url));
    const files = (await fsp.readdir(dir)).filter((name) => name.endsWith("-store.ts"));

    const fromFiles = files.map((name) => name.slice(0, -"-store.ts".length)).sort();

    expect(Object.keys(storeDrivers).sort()).toEqual(fromFiles);
  });

  it("opens each driver by name under that name", async () => {
    const dir = await makeTempDir();
    try {
      const fs = await openStore("fs", { dir });
      const memory = await openStore("memory", {});

      expect([fs.name, memory.name]).toEqual(["fs", "memory"]);
      await fs.close();
    } finally {
      await removeDir(dir);
    }
  });
});
