/**
 * Every source has a deadline, and only working time counts toward it: a source that hangs fails
 * alone, sources queueing for one host never fail for queueing, a named pipe cannot block a
 * cycle, a stalled cycle shows in the heartbeat, and SIGTERM always ends the worker.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHostLimiter } from "../../src/collect/index.js";
import { createLineage, readLineage } from "../../src/lineage/index.js";
import { openFsStore } from "../../src/store/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import { assessHeartbeat, type Heartbeat, startScheduler } from "../../src/worker/scheduler.js";
import { CLI } from "../helpers/cli.js";
import { configYaml, fixturePage, makeWorkspace, type Site, startSite, type Workspace } from "./support.js";

let site: Site;
let ws: Workspace;

beforeEach(async () => {
  site = await startSite();
  ws = await makeWorkspace();
});

afterEach(async () => {
  await site.close();
  await ws.cleanup();
});

/** A page that never answers (the server holds the request open until it is closed). */
function hanging(): { handler: () => void } {
  return { handler: () => undefined };
}

describe("a source's deadline", () => {
  it("fails a source whose server never finishes answering, naming the deadline, and checks the others", async () => {
    site.set("/slow.txt", hanging());
    site.set("/wire.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(
      ws.config({
        sources: [
          { id: "slow", url: `${site.url}/slow.txt`, deadlineSeconds: 0.5, http: { timeoutMs: 60_000 } },
          { id: "wire", url: `${site.url}/wire.txt` },
        ],
      }),
    );

    const report = await runCycle(ctx);

    expect(report.outcomes.map((outcome) => [outcome.sourceId, outcome.status])).toEqual([
      ["slow", "failed"],
      ["wire", "first-seen"],
    ]);
    expect(report.outcomes[0]?.error?.message).toBe(
      `${site.url}/slow.txt: the check did not finish within its deadline of 0.5 s (deadlineSeconds) while fetching`,
    );
  });

  it("never counts queueing for one host: twelve same-host copies of a plan are all checked", async () => {
    for (let i = 0; i < 12; i++) site.set(`/copy-${i}.txt`, await fixturePage("v2-amnesty.txt"));
    // One request at a time, 200 ms apart: the last copy queues for over 2 s, four times its deadline.
    const config = ws.config({
      http: { perHost: 1, politenessMs: 200, timeoutMs: 400 },
      sources: Array.from({ length: 12 }, (_, i) => ({
        id: `copy-${i}`,
        url: `${site.url}/copy-${i}.txt`,
        deadlineSeconds: 0.5,
      })),
    });
    const base = await ws.context(config);
    const lineage = createLineage(
      config.storageDir,
      config.lineage,
      async (id) => (await base.store.getSnapshot(id)).clauseSet,
    );
    const ctx = { ...base, lineage, limiter: createHostLimiter({ perHost: 1, delayMs: 200 }) };

    const report = await runCycle(ctx);

    expect(report.outcomes.filter((outcome) => outcome.status === "failed")).toEqual([]);
    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(Array(12).fill("first-seen"));
    const versions = (await readLineage(config.storageDir, "peace-plan")).filter((r) => r.type === "version");
    expect(versions).toHaveLength(1);
  });

  it("refuses a named pipe at once instead of blocking the cycle", async () => {
    const fifo = join(ws.dir, "desk-pipe");
    execFileSync("mkfifo", [fifo]);
    site.set("/wire.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(
      ws.config({
        sources: [
          { id: "pipe", url: "file:desk-pipe" },
          { id: "wire", url: `${site.url}/wire.txt` },
        ],
      }),
    );

    const report = await runCycle(ctx);

    expect(report.outcomes.map((outcome) => [outcome.sourceId, outcome.status])).toEqual([
      ["pipe", "failed"],
      ["wire", "first-seen"],
    ]);
    expect(report.outcomes[0]?.error?.message).toBe(
      `${fifo} is not a regular file (a named pipe) [permanent, 1 attempt]`,
    );
  });
});

describe("the heartbeat of a cycle that stops making progress", () => {
  it("carries the cycle in flight, so health fails once no source has finished for longer than any deadline", async () => {
    site.set("/slow.txt", hanging());
    const config = ws.config({
      sources: [
        { id: "slow", url: `${site.url}/slow.txt`, deadlineSeconds: 30, http: { timeoutMs: 60_000 } },
      ],
    });
    const ctx = await ws.context(config);
    const worker = startScheduler(ctx, { heartbeatSeconds: 0.1, deliveryIntervalMs: 0, graceMs: 50 });
    let beat: Heartbeat | undefined;
    try {
      for (let i = 0; i < 100 && beat?.cycle === undefined; i++) {
        await sleep(50);
        const text = await readFile(join(config.storageDir, "heartbeat.json"), "utf8").catch(() => "");
        beat = text ? (JSON.parse(text) as Heartbeat) : undefined;
      }
    } finally {
      await worker.stop();
    }
    if (!beat?.cycle) throw new Error("no heartbeat with a cycle in flight");
    const at = (seconds: number) => new Date(Date.parse(beat?.at ?? "") + seconds * 1000);

    expect(beat.cycle).toMatchObject({ checked: 0, sources: 1 });
    expect(beat.stuckAfterSeconds).toBe(91);
    expect(assessHeartbeat({ ...beat, at: at(60).toISOString() }, at(60), 180)).toEqual({ ok: true, age: 0 });
    expect(assessHeartbeat({ ...beat, at: at(200).toISOString() }, at(200), 180)).toEqual({
      ok: false,
      age: 0,
      reason: `cycle stuck: no source has finished for 200 s (0 of 1 checked since ${beat.cycle.startedAt})`,
    });
  });
});

describe.skipIf(!existsSync(CLI))("clausewatch run on SIGTERM", () => {
  it("cuts short a source that hangs once the grace period is over, records nothing for it, and exits 0", async () => {
    site.set("/slow.txt", hanging());
    await writeFile(
      ws.configFile,
      configYaml({
        extra: { shutdownGraceSeconds: 0.5 },
        sources: [
          { id: "slow", url: `${site.url}/slow.txt`, deadlineSeconds: 600, http: { timeoutMs: 600_000 } },
        ],
      }),
    );
    const worker = spawn(process.execPath, [CLI, "run", "--config", ws.configFile], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    worker.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => worker.on("exit", (code) => resolve(code)));
    for (let i = 0; i < 200 && site.requestsTo("/slow.txt").length === 0; i++) await sleep(25);

    worker.kill("SIGTERM");
    const code = await exited;

    expect(site.requestsTo("/slow.txt")).toHaveLength(1);
    expect(code, stderr).toBe(0);
    const store = await openFsStore(ws.storeDir, { lock: false });
    try {
      expect(await store.getSourceState("slow")).toBeUndefined();
      expect(await store.readEvents("slow")).toEqual([]);
    } finally {
      await store.close();
    }
    const beat = JSON.parse(await readFile(join(ws.storeDir, "heartbeat.json"), "utf8")) as Heartbeat;
    expect(beat.state).toBe("stopped");
  });
});
