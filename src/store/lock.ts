/**
 * Single-writer lock for a store directory: `.lock` holds who took it (`LockInfo`) and is kept
 * alive by a lease: the holder touches the file's mtime every quarter lease. Liveness never rests
 * on a bare pid, which a restarted container hands out again (1, or 7 under `--init`):
 *
 * - Same machine and pid namespace (same kernel boot id and `/proc/self/ns/pid`): the holder is
 *   identified by pid *and* the process start time, so a dead holder is stale at once, and a pid
 *   reused by another process is recognised as such.
 * - Anywhere else (another container on the same volume, a restarted container whose worker has
 *   the same pid in a new namespace, another host, no `/proc`): the lease decides. A lock whose
 *   mtime is older than its lease is stale and taken over; a fresh one is held.
 *
 * A lock written by an older clausewatch (no lease fields) is judged as it used to be on the same
 * host name (pid gone: stale), else by its mtime and the default lease.
 */
import { randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LockedError, StoreError } from "../errors.js";
import { fsyncDir, tempPathFor } from "./atomic.js";

export const LOCK_FILE = ".lock";

/** How long a holder that stopped renewing its lock still owns it. @default 30000 */
export const DEFAULT_LEASE_MS = 30_000;

export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Random per acquisition, so a holder never removes a lock that is no longer its own. */
  token: string;
  /** The clausewatch command holding it (`run`, `check`, `import` …), for messages. */
  command?: string;
  /** Lease in milliseconds: the lock is stale once its mtime is older than this. */
  leaseMs?: number;
  /** Linux kernel boot id: pids only mean something within one boot … */
  bootId?: string;
  /** … and one pid namespace (`pid:[4026531836]`). */
  pidNamespace?: string;
  /** Start time of the holder process (clock ticks since boot), which a reused pid does not share. */
  processStart?: string;
}

/** What makes a process recognisable on this machine; replaceable in tests. */
export interface ProcessIdentity {
  pid: number;
  hostname: string;
  bootId: string | undefined;
  pidNamespace: string | undefined;
  /** Start time of process `pid` in this namespace, or undefined when it does not exist. */
  startOf(pid: number): Promise<string | undefined>;
}

export interface LockOptions {
  /** @default DEFAULT_LEASE_MS */
  leaseMs?: number;
  /**
   * How long to wait for a lease held by a holder that may be gone (a killed container) to run
   * out before refusing. A worker starting under a restart policy waits; one-shot commands don't.
   * @default 0
   */
  waitMs?: number;
  /** Recorded in the lock for other processes' messages. */
  command?: string;
  /** Told once while waiting for a lease to run out. */
  onWait?: (holder: LockInfo, expiresInMs: number) => void;
  /** Called when the lock turns out to be no longer ours (taken over after a stall, or removed). */
  onLost?: (reason: string) => void;
  /** @default this process, read from /proc where there is one */
  identity?: ProcessIdentity;
}

export interface LockHandle {
  readonly path: string;
  readonly info: LockInfo;
  /** The lock left by a dead process that was taken over, when there was one. */
  readonly staleLock: LockInfo | undefined;
  /** Why the lock is no longer ours, once that happened; writes must stop. */
  readonly lost: string | undefined;
  /** Stops renewing and removes the lock file if it is still ours; safe to call twice. */
  release(): Promise<void>;
}

async function readText(path: string): Promise<string | undefined> {
  return fsp.readFile(path, "utf8").then(
    (text) => text.trim(),
    () => undefined,
  );
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks after boot. */
async function processStartOf(pid: number): Promise<string | undefined> {
  const stat = await readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

/** This process as other processes on this machine see it. */
export async function currentProcessIdentity(): Promise<ProcessIdentity> {
  const pidNamespace = await fsp.readlink("/proc/self/ns/pid").catch(() => undefined);
  return {
    pid: process.pid,
    hostname: osHostname(),
    bootId: await readText("/proc/sys/kernel/random/boot_id"),
    pidNamespace,
    startOf: processStartOf,
  };
}

type Judgement =
  | { holder: "live"; why: string }
  | { holder: "leased"; ageMs: number; leaseMs: number }
  | { holder: "stale" };

async function judge(holder: LockInfo, mtimeMs: number, self: ProcessIdentity): Promise<Judgement> {
  const sameNamespace =
    holder.bootId !== undefined &&
    holder.pidNamespace !== undefined &&
    holder.bootId === self.bootId &&
    holder.pidNamespace === self.pidNamespace;
  if (sameNamespace) {
    // Our own pid with our own start time is this very process holding it already.
    const start = await self.startOf(holder.pid);
    if (start === undefined || start !== holder.processStart) return { holder: "stale" };
    return { holder: "live", why: "running on this machine" };
  }
  if (
    holder.leaseMs === undefined &&
    holder.hostname === self.hostname &&
    !(await isAlive(holder.pid, self))
  ) {
    return { holder: "stale" };
  }
  const leaseMs = holder.leaseMs ?? DEFAULT_LEASE_MS;
  const ageMs = Math.max(0, Date.now() - mtimeMs);
  return ageMs < leaseMs ? { holder: "leased", ageMs, leaseMs } : { holder: "stale" };
}

/** For locks without lease fields: `kill(pid, 0)`; ESRCH means gone, EPERM alive but not ours. */
async function isAlive(pid: number, self: ProcessIdentity): Promise<boolean> {
  if (pid === self.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

function describeHolder(holder: LockInfo): string {
  const who =
    holder.command === "run"
      ? "a running clausewatch worker"
      : holder.command
        ? `\`clausewatch ${holder.command}\``
        : "another clausewatch process";
  return `${who} (pid ${holder.pid} on host ${holder.hostname}, since ${holder.startedAt})`;
}

const BESIDE =
  "Read-only commands (sources, health, versions, coverage, alerts, export, report, serve) work beside it";

function refusal(dir: string, holder: LockInfo, judgement: Judgement): LockedError {
  const base = `fs store: ${dir} is in use by ${describeHolder(holder)}; a second writer is refused`;
  if (judgement.holder === "leased") {
    const age = Math.round(judgement.ageMs / 1000);
    const expires = Math.ceil((judgement.leaseMs - judgement.ageMs) / 1000);
    return new LockedError(
      `${base}. Its lease was renewed ${age} s ago. Stop it or let it finish; ${BESIDE}. If that process is already gone (a killed container), its lock expires by itself in ${expires} s.`,
      { source: dir },
    );
  }
  return new LockedError(`${base}. Stop it or let it finish; ${BESIDE}.`, { source: dir });
}

/** Contention (racers taking over the same stale lock) is given this long before giving up. */
const CONTENTION_MS = 5_000;
/** A takeover guard is held for a few file operations; one older than this was left by a crash. */
const GUARD_LEASE_MS = 5_000;

/**
 * Takes `<dir>/.lock` or throws LockedError naming the live holder. `dir` must exist. The lock
 * is renewed in the background (an unref'd timer) until `release`.
 */
export async function acquireLock(dir: string, options: LockOptions = {}): Promise<LockHandle> {
  const path = join(dir, LOCK_FILE);
  const self = options.identity ?? (await currentProcessIdentity());
  const info = await lockInfoFor(self, options.leaseMs ?? DEFAULT_LEASE_MS, options.command);
  const waitUntil = Date.now() + (options.waitMs ?? 0);
  let contendedUntil = Date.now() + CONTENTION_MS;
  let told = false;
  let staleLock: LockInfo | undefined;
  for (;;) {
    if (await tryCreate(path, info)) {
      return handleFor(path, info, staleLock, info.leaseMs ?? DEFAULT_LEASE_MS, options.onLost);
    }
    const read = await readLock(path);
    if (read === "missing") continue;
    if (read !== "unreadable") {
      const judgement = await judge(read.info, read.mtimeMs, self);
      if (judgement.holder === "live") throw refusal(dir, read.info, judgement);
      if (judgement.holder === "leased") {
        const remaining = judgement.leaseMs - judgement.ageMs;
        if (Date.now() + remaining > waitUntil) throw refusal(dir, read.info, judgement);
        if (!told) options.onWait?.(read.info, remaining);
        told = true;
        await sleep(Math.min(remaining + 50, 1000));
        contendedUntil = Date.now() + CONTENTION_MS;
        continue;
      }
    }
    const judged = read === "unreadable" ? read : read.info;
    const removed = await takeOver(path, judged, self, info);
    if (removed === "removed" && judged !== "unreadable") staleLock = judged;
    if (removed === "busy") {
      if (Date.now() > contendedUntil) {
        throw new LockedError(
          `fs store: could not take the lock ${path}: another process kept taking it over`,
          {
            source: dir,
          },
        );
      }
      await sleep(5 + Math.random() * 20);
    }
  }
}

async function lockInfoFor(self: ProcessIdentity, leaseMs: number, command?: string): Promise<LockInfo> {
  const start = await self.startOf(self.pid);
  return {
    pid: self.pid,
    hostname: self.hostname,
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString("hex"),
    ...(command ? { command } : {}),
    leaseMs,
    ...(self.bootId ? { bootId: self.bootId } : {}),
    ...(self.pidNamespace ? { pidNamespace: self.pidNamespace } : {}),
    ...(start !== undefined ? { processStart: start } : {}),
  };
}

/** Creates the lock via link(2) from a complete temp file, so nobody ever sees a half-written lock. */
async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  const tmp = tempPathFor(path);
  await fsp.writeFile(tmp, `${JSON.stringify(info)}\n`, { flag: "wx" });
  try {
    await fsp.link(tmp, path);
    await fsyncDir(join(path, ".."));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new StoreError(`fs store: could not create lock file ${path}`, { cause: error, source: path });
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

async function readLock(
  path: string,
): Promise<{ info: LockInfo; mtimeMs: number } | "missing" | "unreadable"> {
  let text: string;
  let mtimeMs: number;
  try {
    const handle = await fsp.open(path, "r");
    try {
      mtimeMs = (await handle.stat()).mtimeMs;
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new StoreError(`fs store: could not read lock file ${path}`, { cause: error, source: path });
  }
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === "number" && typeof value.hostname === "string") {
      const info: LockInfo = {
        ...value,
        pid: value.pid,
        hostname: value.hostname,
        startedAt: String(value.startedAt ?? "?"),
        token: String(value.token ?? ""),
      };
      return { info, mtimeMs };
    }
  } catch {
    // fall through: a lock we cannot read was not written by us (we only link complete files)
  }
  return "unreadable";
}

function sameLock(a: LockInfo, b: LockInfo): boolean {
  return a.pid === b.pid && a.token === b.token && a.startedAt === b.startedAt;
}

/**
 * Removes the stale lock it judged, under a guard file (`.lock.takeover`) so that racers taking
 * over the same stale lock do it one at a time: the guard holder re-reads the lock and removes it
 * only if it is still the one judged — never a fresh lock a faster racer created meanwhile.
 * "busy": another process holds the guard; try again shortly.
 */
async function takeOver(
  path: string,
  judged: LockInfo | "unreadable",
  self: ProcessIdentity,
  info: LockInfo,
): Promise<"removed" | "changed" | "busy"> {
  const guard = `${path}.takeover`;
  const guardInfo: LockInfo = { ...info, leaseMs: GUARD_LEASE_MS };
  if (!(await tryCreate(guard, guardInfo))) {
    const holder = await readLock(guard);
    if (holder === "missing") return "busy";
    const stale =
      holder === "unreadable" || (await judge(holder.info, holder.mtimeMs, self)).holder === "stale";
    // A guard left by a process killed mid-takeover; removing it races only with another such removal.
    if (stale) await fsp.rm(guard, { force: true });
    return "busy";
  }
  try {
    const current = await readLock(path);
    const same =
      current === judged ||
      (typeof current === "object" && typeof judged === "object" && sameLock(current.info, judged));
    if (!same) return "changed";
    await fsp.rm(path, { force: true });
    return "removed";
  } finally {
    await fsp.rm(guard, { force: true });
  }
}

function handleFor(
  path: string,
  info: LockInfo,
  staleLock: LockInfo | undefined,
  leaseMs: number,
  onLost: ((reason: string) => void) | undefined,
): LockHandle {
  let released = false;
  let lost: string | undefined;
  let renewing: Promise<void> | undefined;
  const renew = async () => {
    const current = await readLock(path).catch(() => "unreadable" as const);
    if (released) return;
    if (typeof current !== "object" || current.info.token !== info.token) {
      lost =
        typeof current === "object"
          ? `the lock ${path} was taken over by pid ${current.info.pid} on host ${current.info.hostname} (this process did not renew its lease in time)`
          : `the lock ${path} disappeared`;
      clearInterval(timer);
      onLost?.(lost);
      return;
    }
    const now = new Date();
    await fsp.utimes(path, now, now).catch(() => undefined);
  };
  const timer = setInterval(
    () => {
      renewing ??= renew().finally(() => {
        renewing = undefined;
      });
    },
    Math.max(250, Math.floor(leaseMs / 4)),
  );
  timer.unref();
  return {
    path,
    info,
    staleLock,
    get lost() {
      return lost;
    },
    async release(): Promise<void> {
      if (released) return;
      released = true;
      clearInterval(timer);
      await renewing;
      if (lost) return;
      const current = await readLock(path);
      if (typeof current === "object" && current.info.token === info.token)
        await fsp.rm(path, { force: true });
    },
  };
}
