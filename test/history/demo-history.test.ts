import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDemo } from "../../src/cli/demo-history.js";
import { runDemo } from "../../src/demo/index.js";
import { type HistoryServer, startHistoryServer } from "../../src/history/server.js";
import type { SnapshotStore } from "../../src/store/index.js";

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON is what the assertions check.
type Json = any;

describe("the demo's history, as `clausewatch serve --demo` reads it", () => {
  let dir: string;
  let store: SnapshotStore;
  let server: HistoryServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "clausewatch-demo-history-"));
    // The demo as `npm start` runs it, into a directory of this test's own.
    await runDemo({ logger: pino({ level: "silent" }), storageDir: join(dir, "demo") });
    const opened = await openDemo({ storageDir: join(dir, "demo") });
    store = opened.store;
    server = await startHistoryServer({ config: opened.config, store, port: 0 });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the three versions the demo made, with no environment variable set", async () => {
    const plans = (await (await fetch(`${server.url}/api/plans`)).json()) as Json;
    const version = await fetch(`${server.url}/plans/peace-plan/versions/v2`);
    const map = await fetch(`${server.url}/plans/peace-plan/map`);

    expect(plans.plans.map((plan: Json) => [plan.id, plan.title, plan.versions])).toEqual([
      ["peace-plan", "Peace plan (demo)", 3],
    ]);
    expect(version.status).toBe(200);
    expect(await version.text()).toContain("Point 26 rewritten (audit → amnesty)");
    expect(map.status).toBe(200);
  });

  it("shows each source at the address its copies were fetched from, not a placeholder", async () => {
    const { sources } = (await (await fetch(`${server.url}/api/sources`)).json()) as Json;

    expect(sources.map((source: Json) => source.id)).toEqual([
      "wire-fulltext",
      "outlet-article",
      "eu-council",
    ]);
    expect(sources[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wire\/plan\.txt$/);
    expect(sources[2].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/eu\/plan\.txt$/);
  });

  it("says how to make the demo's history when there is none", async () => {
    const missing = join(dir, "never-run");

    await expect(openDemo({ storageDir: missing })).rejects.toThrow(
      `no demo history in ${missing}: run "npm start" (or "clausewatch demo") first, or pass --config FILE`,
    );
  });
});
