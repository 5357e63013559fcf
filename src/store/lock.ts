/**
 * Single-writer lock for a store directory: `.lock` holds `{ pid, hostname, startedAt, token }`.
 * A lock whose pid no longer lives on this host is stale (the holder crashed or was killed) and
 * is taken over; a lock held by a live process, or by another host, is refused.
 */
import { randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { LockedError, StoreError } from "../errors.js";
import { fsyncDir, tempPathFor } from "./atomic.js";

export const LOCK_FILE = ".lock";

export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Random per acquisition, so a holder never removes a lock that is no longer its own. */
  token: string;
}

export interface LockHandle {
  readonly path: string;
  readonly info: LockInfo;
  /** The lock left by a dead process that was taken over, when there was one. */
  readonly staleLock: LockInfo | undefined;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): Promise<void>;
}

const MAX_ATTEMPTS = 5;

/** Takes `<dir>/.lock` or throws LockedError naming the live holder. `dir` must exist. */
export async function acquireLock(dir: string): Promise<LockHandle> {
  const path = join(dir, LOCK_FILE);
  const info: LockInfo = {
    pid: process.pid,
    hostname: osHostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString("hex"),
  };
  let staleLock: LockInfo | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await tryCreate(path, info)) return handleFor(path, info, staleLock);
    const holder = await readLock(path);
    if (holder === "missing") continue;
    if (holder !== "unreadable") {
      if (holder.hostname !== info.hostname) {
        throw new LockedError(
          `fs store: ${dir} is locked by pid ${holder.pid} on host ${holder.hostname} since ${holder.startedAt}; ` +
            `its liveness cannot be checked from ${info.hostname}. Remove ${path} if that process is gone.`,
          { source: dir },
        );
      }
      if (isAlive(holder.pid)) {
        throw new LockedError(
          `fs store: ${dir} is locked by a running process (pid ${holder.pid}, since ${holder.startedAt}); ` +
            "stop it or wait for it to finish",
          { source: dir },
        );
      }
    }
    const removed = await takeOver(path, holder);
    if (removed !== undefined && holder !== "unreadable") staleLock = holder;
  }
  throw new LockedError(
    `fs store: could not take the lock ${path} after ${MAX_ATTEMPTS} attempts (contended)`,
    {
      source: dir,
    },
  );
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

async function readLock(path: string): Promise<LockInfo | "missing" | "unreadable"> {
  let text: string;
  try {
    text = await fsp.readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new StoreError(`fs store: could not read lock file ${path}`, { cause: error, source: path });
  }
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === "number" && typeof value.hostname === "string") {
      return {
        pid: value.pid,
        hostname: value.hostname,
        startedAt: String(value.startedAt ?? "?"),
        token: String(value.token ?? ""),
      };
    }
  } catch {
    // fall through: a lock we cannot read was not written by us (we only link complete files)
  }
  return "unreadable";
}

/** `kill(pid, 0)` probes without signalling: ESRCH means gone, EPERM means alive but not ours. */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Moves the stale lock aside atomically, then checks that what it moved is the stale lock it
 * judged: if a racing process had already replaced it with a fresh lock, that lock is put back.
 */
async function takeOver(
  path: string,
  judged: LockInfo | "unreadable",
): Promise<LockInfo | "unreadable" | undefined> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    await fsp.rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StoreError(`fs store: could not move stale lock ${path} aside`, { cause: error, source: path });
  }
  const moved = await readLock(aside);
  const same =
    moved === judged ||
    (typeof moved === "object" &&
      typeof judged === "object" &&
      moved.pid === judged.pid &&
      moved.token === judged.token &&
      moved.startedAt === judged.startedAt);
  if (!same) {
    await fsp.link(aside, path).catch(() => {});
    await fsp.rm(aside, { force: true });
    return undefined;
  }
  await fsp.rm(aside, { force: true });
  return judged;
}

function handleFor(path: string, info: LockInfo, staleLock: LockInfo | undefined): LockHandle {
  let released = false;
  return {
    path,
    info,
    staleLock,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      const current = await readLock(path);
      if (typeof current === "object" && current.token === info.token) await fsp.rm(path, { force: true });
    },
  };
}
