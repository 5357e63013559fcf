import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DiffEntry } from "../../src/diff/index.js";
import { openFsStore, type SnapshotStore } from "../../src/store/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import type { SourceChange } from "../../src/worker/types.js";
import { CLI, runCli } from "../helpers/cli.js";
import { configYaml, fixturePage, makeWorkspace, type Site, startSite, type Workspace } from "./support.js";

const SOURCES = ["s0", "s1", "s2", "s3"];
const V1_ROUNDS = 2;
const V2_ROUNDS = 10;

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

function isPoint26Rewrite(entry: DiffEntry): boolean {
  return entry.kind === "modified" && entry.old.includes("26") && entry.new.includes("26");
}

/**
 * The changes a later reader sees, checked the way an alert consumer relies on them: one baseline,
 * and the v1 → v2 rewrite exactly once, compared by clause set (a repeat under another snapshot id
 * is still a duplicate alert).
 */
async function expectDetectedOnce(store: SnapshotStore, sourceId: string): Promise<void> {
  const changes = (await store.listChanges({ sourceId })) as SourceChange[];
  expect(new Set(changes.map((change) => change.key)).size, `${sourceId}: duplicate keys`).toBe(
    changes.length,
  );
  expect(
    changes.filter((change) => change.kind === "baseline"),
    `${sourceId}: baselines`,
  ).toHaveLength(1);
  const content = changes.filter((change) => change.kind === "content");
  const pairs = await Promise.all(
    content.map(async (change) => {
      const from = await store.getSnapshot(change.fromSnapshot ?? "");
      const to = await store.getSnapshot(change.toSnapshot ?? "");
      return `${from.clauseSetHash}→${to.clauseSetHash}`;
    }),
  );
  const keys = JSON.stringify(content.map((change) => change.key));
  expect(new Set(pairs).size, `${sourceId}: content changes for the same from→to: ${keys}`).toBe(
    pairs.length,
  );
  expect(content, `${sourceId}: content changes ${keys}`).toHaveLength(1);
  expect(content[0]?.headline).toMatch(/Point 26 rewritten/);
  expect(content[0]?.entries?.filter(isPoint26Rewrite)).toHaveLength(1);
  expect(changes.some((change) => change.kind === "source-broken")).toBe(false);
}

/**
 * The same through the CLI, which keeps the plan's lineage: every source records one baseline and
 * one change to v2, and across the plan exactly one of those is the alertable "new version" —
 * the other sources are quiet witnesses of it.
 */
async function expectPlanDetectedOnce(store: SnapshotStore, sourceIds: string[]): Promise<void> {
  const contents: SourceChange[] = [];
  for (const sourceId of sourceIds) {
    const changes = (await store.listChanges({ sourceId })) as SourceChange[];
    expect(new Set(changes.map((change) => change.key)).size, `${sourceId}: duplicate keys`).toBe(
      changes.length,
    );
    expect(
      changes.filter((change) => change.kind === "baseline"),
      `${sourceId}: baselines`,
    ).toHaveLength(1);
    const content = changes.filter((change) => change.kind === "content");
    expect(content, `${sourceId}: changes to v2`).toHaveLength(1);
    expect(changes.some((change) => change.kind === "source-broken")).toBe(false);
    contents.push(...content);
  }
  const alerted = contents.filter((change) => !change.suppressed);
  expect(alerted.map((change) => change.headline)).toEqual([
    expect.stringMatching(/new version v2 .*Point 26 rewritten/),
  ]);
  expect(alerted[0]?.entries?.filter(isPoint26Rewrite)).toHaveLength(1);
}

/** A store that dies (throws, as a killed process stops) right after the first change is appended. */
function dyingAfterChange(store: SnapshotStore): SnapshotStore {
  let appended = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "appendChange") {
        return async (change: SourceChange) => {
          const written = await target.appendChange(change);
          appended = true;
          return written;
        };
      }
      if (property === "setSourceState") {
        return async (...args: Parameters<SnapshotStore["setSourceState"]>) => {
          if (appended) throw new Error("simulated crash: the process died after appending the change");
          return target.setSourceState(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Records the order of the store writes a cycle makes. */
function recordingWrites(store: SnapshotStore, calls: string[]): SnapshotStore {
  const writes = new Set(["putBody", "putSnapshot", "appendChange", "appendEvent", "setSourceState"]);
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (typeof property === "string" && writes.has(property)) {
        return (...args: unknown[]) => {
          calls.push(property);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

describe("a crash between appending a change and writing the source state", () => {
  it("appends a change before writing the state that points past it", async () => {
    site.set("/s0.txt", await fixturePage("v1-draft.txt"));
    const config = ws.config({ sources: [{ id: "s0", url: `${site.url}/s0.txt` }] });
    const ctx = await ws.context(config);
    await runCycle(ctx);
    site.set("/s0.txt", await fixturePage("v2-amnesty.txt"));
    const calls: string[] = [];

    await runCycle({ ...ctx, store: recordingWrites(ctx.store, calls) });

    expect(calls).toEqual(["putBody", "putSnapshot", "appendChange", "appendEvent", "setSourceState"]);
  });

  it("does not record the rewrite twice when the next cycle detects it again", async () => {
    site.set("/s0.txt", await fixturePage("v1-draft.txt", { etag: true }));
    const config = ws.config({ sources: [{ id: "s0", url: `${site.url}/s0.txt` }] });
    const first = await ws.context(config);
    await runCycle(first);
    site.set("/s0.txt", await fixturePage("v2-amnesty.txt", { etag: true }));
    // The write failure ends that source's check (a real crash would end the process there).
    const crashed = await runCycle({ ...first, store: dyingAfterChange(first.store) });
    expect(crashed.outcomes[0]?.error?.message).toMatch(/simulated crash/);
    await first.store.close();

    const restarted = await ws.context(config);
    await runCycle(restarted);

    expect(await restarted.store.verify()).toEqual([]);
    await expectDetectedOnce(restarted.store, "s0");
  });

  it("does not record the baseline twice when the next cycle sees the first copy again", async () => {
    site.set("/s0.txt", await fixturePage("v1-draft.txt"));
    const config = ws.config({ sources: [{ id: "s0", url: `${site.url}/s0.txt` }] });
    const first = await ws.context(config);
    // The write failure ends that source's check (a real crash would end the process there).
    const crashed = await runCycle({ ...first, store: dyingAfterChange(first.store) });
    expect(crashed.outcomes[0]?.error?.message).toMatch(/simulated crash/);
    await first.store.close();

    const restarted = await ws.context(config);
    await runCycle(restarted);

    const kinds = (await restarted.store.listChanges({ sourceId: "s0" })).map((change) => change.kind);
    expect(kinds).toEqual(["baseline"]);
  });
});

interface Killed {
  /** The child had asked the site for a page before it died (it held the store lock by then). */
  wasInCycle: boolean;
  exitedOnItsOwn: boolean;
}

/** Runs `check --once` and SIGKILLs it `delayMs` after its first request reached the site. */
function checkAndKill(configFile: string, delayMs: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const seenBefore = site.requests.length;
    const child = spawn(process.execPath, [CLI, "check", "--once", "--config", configFile], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    let killTimer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (site.requests.length === seenBefore || killTimer) return;
      killTimer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    }, 2);
    // A child that never reaches the site is killed anyway.
    const fallback = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      clearTimeout(fallback);
      if (killTimer) clearTimeout(killTimer);
      if (signal !== "SIGKILL" && code !== 0) {
        reject(new Error(`check exited with ${code} before it was killed: ${stderr}`));
        return;
      }
      resolve({ wasInCycle: site.requests.length > seenBefore, exitedOnItsOwn: signal !== "SIGKILL" });
    });
  });
}

async function serveAll(name: "v1-draft.txt" | "v2-amnesty.txt"): Promise<void> {
  for (const [index, id] of SOURCES.entries()) {
    // Slow-ish and staggered, so the sources' writes are spread over the cycle.
    site.set(`/${id}.txt`, await fixturePage(name, { etag: true, delayMs: 20 + index * 40 }));
  }
}

describe.skipIf(!existsSync(CLI))("check --once killed at random points", () => {
  it("leaves a store that verifies after every kill and still detects the change in flight exactly once", async () => {
    await writeFile(
      ws.configFile,
      configYaml({ sources: SOURCES.map((id) => ({ id, url: `${site.url}/${id}.txt` })) }),
    );
    await serveAll("v1-draft.txt");
    let staleLocksRecovered = 0;
    let killedInCycle = 0;

    for (let round = 0; round < V1_ROUNDS + V2_ROUNDS; round++) {
      if (round === V1_ROUNDS) {
        const baseline = await runCli(["check", "--once", "--config", ws.configFile]);
        expect(baseline.status, baseline.stderr).toBe(0);
        await serveAll("v2-amnesty.txt");
      }
      const killed = await checkAndKill(ws.configFile, 20 + Math.floor(Math.random() * 380));
      if (killed.wasInCycle && !killed.exitedOnItsOwn) killedInCycle++;

      const store = await openFsStore(ws.storeDir);
      const problems = await store.verify();
      if (store.recoveredStaleLock) staleLocksRecovered++;
      await store.close();

      expect(problems, `round ${round}`).toEqual([]);
    }
    const final = await runCli(["check", "--once", "--config", ws.configFile]);

    expect(final.status, final.stderr).toBe(0);
    expect(killedInCycle).toBeGreaterThan(0);
    expect(staleLocksRecovered).toBeGreaterThan(0);
    const store = await openFsStore(ws.storeDir, { lock: false });
    try {
      expect(await store.verify()).toEqual([]);
      await expectPlanDetectedOnce(store, [...SOURCES]);
    } finally {
      await store.close();
    }
  });
});

/** Root with util-linux `unshare`: the worker can run as pid 1 of its own pid namespace, as in a container. */
const canUnshare =
  process.getuid?.() === 0 &&
  spawnSync("unshare", ["--pid", "--fork", "--kill-child", "true"], { stdio: "ignore" }).status === 0;

interface ContainerWorker {
  exited: Promise<number | null>;
  stderr(): string;
  /** SIGKILL, as `docker kill` or the OOM killer; --kill-child takes the worker (pid 1) with it. */
  kill(): Promise<void>;
}

/** `clausewatch run` as pid 1 of a fresh pid namespace: what a (re)started container runs. */
function runAsPidOne(configFile: string): ContainerWorker {
  const child = spawn(
    "unshare",
    ["--pid", "--fork", "--kill-child", process.execPath, CLI, "run", "--config", configFile],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    exited,
    stderr: () => stderr,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

interface Beat {
  pid: number;
  at: string;
  state: string;
  lastCycle?: { runId: string };
}

/** Waits for a heartbeat after `since` that reports a finished cycle. */
async function cycleFinished(worker: ContainerWorker, since: number): Promise<Beat> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await readFile(join(ws.storeDir, "heartbeat.json"), "utf8").catch(() => "");
    const beat = text ? (JSON.parse(text) as Beat) : undefined;
    if (beat?.lastCycle && Date.parse(beat.at) >= since) return beat;
    const code = await Promise.race([worker.exited, sleep(50).then(() => "running" as const)]);
    if (code !== "running") throw new Error(`the worker exited (${code}) before a cycle: ${worker.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no cycle within 20 s: ${worker.stderr()}`);
  }
}

describe.skipIf(!existsSync(CLI) || !canUnshare)("a worker killed and restarted as the same pid", () => {
  it("takes the store over once the dead worker's lease runs out; check meanwhile names the worker as the holder", async () => {
    await writeFile(
      ws.configFile,
      configYaml({
        lockLeaseSeconds: 2,
        sources: SOURCES.map((id) => ({ id, url: `${site.url}/${id}.txt` })),
      }),
    );
    await serveAll("v1-draft.txt");
    const first = runAsPidOne(ws.configFile);
    const firstBeat = await cycleFinished(first, 0);
    const refused = await runCli(["check", "--once", "--config", ws.configFile]);
    await first.kill();
    await serveAll("v2-amnesty.txt");

    const restartedAt = Date.now();
    const second = runAsPidOne(ws.configFile);
    const secondBeat = await cycleFinished(second, restartedAt);
    await second.kill();

    expect(firstBeat.pid).toBe(1);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /is in use by a running clausewatch worker \(pid 1 on host .+, since .+\); a second writer is refused/,
    );
    expect(refused.stderr).not.toMatch(/remove|delete/i);
    expect(secondBeat.pid).toBe(1);
    expect(secondBeat.lastCycle?.runId).not.toBe(firstBeat.lastCycle?.runId);
    const store = await openFsStore(ws.storeDir, { lock: false });
    try {
      expect(await store.verify()).toEqual([]);
      await expectPlanDetectedOnce(store, [...SOURCES]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
