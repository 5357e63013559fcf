/**
 * The store lock's liveness rules with the process identity injected: what a restarted container
 * (same pid, new pid namespace), a new container (new host name) and a reused pid look like.
 */
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LockedError, StoreError } from "../../src/errors.js";
import { acquireLock, type LockInfo, openFsStore, type ProcessIdentity } from "../../src/store/index.js";
import { makeTempDir, removeDir } from "./helpers.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

async function freshDir(): Promise<string> {
  const dir = await makeTempDir("clausewatch-lock-");
  dirs.push(dir);
  return dir;
}

const BOOT = "5a1b7c1e-0000-4000-8000-000000000001";

/** Container "worker" as pid 1 of its namespace; `starts` maps pids to their start times. */
function identity(
  hostname: string,
  pidNamespace: string,
  starts: Record<number, string> = { 1: "4242" },
): ProcessIdentity {
  return { pid: 1, hostname, bootId: BOOT, pidNamespace, startOf: async (pid) => starts[pid] };
}

/** The lock a killed pid-1 worker leaves behind, renewed `ageMs` ago. */
async function leftBehind(dir: string, holder: Partial<LockInfo>, ageMs: number): Promise<void> {
  const lock: LockInfo = {
    pid: 1,
    hostname: "worker-a",
    startedAt: "2025-11-20T08:00:00.000Z",
    token: "killed",
    command: "run",
    leaseMs: 2000,
    bootId: BOOT,
    pidNamespace: "pid:[4026532001]",
    processStart: "4242",
    ...holder,
  };
  const path = join(dir, ".lock");
  await fsp.writeFile(path, JSON.stringify(lock));
  const at = new Date(Date.now() - ageMs);
  await fsp.utimes(path, at, at);
}

describe("the store lock of a killed worker", () => {
  it("holds off a restarted container's worker with the same pid while the lease is fresh, and says who holds it", async () => {
    const dir = await freshDir();
    await leftBehind(dir, {}, 100);

    const attempt = acquireLock(dir, { identity: identity("worker-a", "pid:[4026532999]") });

    await expect(attempt).rejects.toBeInstanceOf(LockedError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toMatch(
      /is in use by a running clausewatch worker \(pid 1 on host worker-a, since 2025-11-20T08:00:00.000Z\); a second writer is refused\. Its lease was renewed 0 s ago\./,
    );
    expect(message).toMatch(/its lock expires by itself in 2 s/);
    expect(message).not.toMatch(/remove|delete|rm /i);
  });

  it("is taken over by the restarted worker with the same pid once the lease has run out", async () => {
    const dir = await freshDir();
    await leftBehind(dir, {}, 2500);

    const lock = await acquireLock(dir, { identity: identity("worker-a", "pid:[4026532999]") });

    expect(lock.staleLock?.pid).toBe(1);
    expect(lock.staleLock?.token).toBe("killed");
    expect(JSON.parse(await fsp.readFile(join(dir, ".lock"), "utf8"))).toMatchObject({
      pid: 1,
      pidNamespace: "pid:[4026532999]",
    });
    await lock.release();
  });

  it("is taken over by a new container (another host name) on the same volume once the lease has run out", async () => {
    const dir = await freshDir();
    await leftBehind(dir, {}, 2500);

    const lock = await acquireLock(dir, { identity: identity("worker-b", "pid:[4026533111]") });

    expect(lock.staleLock?.hostname).toBe("worker-a");
    await lock.release();
  });

  it("waits for a lapsing lease when asked to, instead of refusing", async () => {
    const dir = await freshDir();
    await leftBehind(dir, { leaseMs: 1000 }, 200);
    const waits: number[] = [];

    const lock = await acquireLock(dir, {
      identity: identity("worker-a", "pid:[4026532999]"),
      waitMs: 5000,
      onWait: (holder, expiresInMs) => waits.push(holder.pid, Math.round(expiresInMs / 1000)),
    });

    expect(lock.staleLock?.token).toBe("killed");
    expect(waits).toEqual([1, 1]);
    await lock.release();
  });

  it("is stale at once in the same pid namespace when the pid now belongs to another process", async () => {
    const dir = await freshDir();
    await leftBehind(dir, { pid: 7, processStart: "100" }, 0);
    const self = identity("worker-a", "pid:[4026532001]", { 1: "4242", 7: "9999" });

    const lock = await acquireLock(dir, { identity: self });

    expect(lock.staleLock?.pid).toBe(7);
    await lock.release();
  });

  it("refuses at once in the same pid namespace while the holder process lives, even when asked to wait", async () => {
    const dir = await freshDir();
    await leftBehind(dir, { pid: 7, processStart: "100" }, 60_000);
    const self = identity("worker-a", "pid:[4026532001]", { 1: "4242", 7: "100" });

    const attempt = acquireLock(dir, { identity: self, waitMs: 10_000 });

    await expect(attempt).rejects.toThrow(/in use by a running clausewatch worker \(pid 7 on host worker-a/);
  });
});

describe("a store whose lock was taken over", () => {
  it("refuses every further write, naming who holds the store now", async () => {
    const dir = await freshDir();
    const store = await openFsStore(dir, { lockLeaseMs: 1000 });
    const usurper = { pid: 99, hostname: "elsewhere", startedAt: "2025-11-20T09:00:00Z", token: "new" };
    await fsp.writeFile(join(dir, ".lock.new"), JSON.stringify(usurper));
    await fsp.rename(join(dir, ".lock.new"), join(dir, ".lock"));

    await new Promise((resolve) => setTimeout(resolve, 700));
    const write = store.appendEvent("wire", { at: new Date().toISOString(), type: "checked" });

    await expect(write).rejects.toBeInstanceOf(StoreError);
    await expect(write).rejects.toThrow(
      /no longer holds the store: the lock .* was taken over by pid 99 on host elsewhere/,
    );
    await store.close();
    expect(JSON.parse(await fsp.readFile(join(dir, ".lock"), "utf8")).token).toBe("new");
  });
});
