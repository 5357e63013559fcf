/**
 * The fs store's options, its format version and the setup of its directory at open: what
 * exists before the first object is written.
 */
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { excerpt, StoreError } from "../errors.js";
import { fsyncDir, writeFileAtomic } from "./atomic.js";
import { writeSnapshotSources } from "./fs-snapshot-sources.js";
import { LOCK_FILE, type LockInfo } from "./lock.js";
import { DEFAULT_BROTLI_QUALITY } from "./records.js";

const P = "fs store";

/**
 * The on-disk format this code writes and reads. 2: a snapshot's record is only its line in the
 * source's index (format 1 also kept a copy of each under `snapshots/`).
 */
export const STORE_FORMAT_VERSION = 2;

export const FsStoreOptions = z.strictObject({
  /**
   * Take the single-writer lock. Read-only commands pass `false`: they never write, never take
   * the lock, and can run while a writer is active.
   * @default true
   */
  lock: z.boolean().default(true).describe("Take the single-writer lock; false opens the store read-only"),
  /**
   * Lease of the lock: a holder that stops renewing it (killed) loses it after this long.
   * @default 30000
   */
  lockLeaseMs: z.number().int().min(1000).max(3_600_000).optional().describe("Lock lease in milliseconds"),
  /**
   * How long to wait for the lease of a holder that may be gone to run out before refusing.
   * @default 0
   */
  lockWaitMs: z.number().int().min(0).optional().describe("Wait this long for a lapsing lock lease"),
  /** The command taking the lock, named in other processes' refusals (`run`, `check`). */
  lockCommand: z.string().optional().describe("Command name recorded in the lock"),
  /** Told when the open waits for a lease to run out. */
  onLockWait: z
    .custom<(holder: LockInfo, expiresInMs: number) => void>((value) => typeof value === "function")
    .optional(),
  /**
   * How new bodies are compressed (existing bodies are read in either format).
   * @default "brotli"
   */
  compression: z.enum(["brotli", "gzip"]).default("brotli").describe("Compression for new raw bodies"),
  /**
   * Brotli quality 0–11; 11 is several times slower on large HTML for a few percent.
   * @default DEFAULT_BROTLI_QUALITY
   */
  brotliQuality: z
    .number()
    .int()
    .min(0)
    .max(11)
    .default(DEFAULT_BROTLI_QUALITY)
    .describe("Brotli quality (0-11)"),
  /**
   * fsync files and directories. Only benchmarks should turn this off.
   * @default true
   */
  fsync: z.boolean().default(true).describe("fsync writes (turn off only for benchmarks)"),
});
export type FsStoreOptions = z.input<typeof FsStoreOptions>;

/**
 * Reads (or, when writable and new, writes) VERSION; refuses a format newer than this code and
 * brings an older one up to date when writable. Returns the format found when it was migrated.
 */
export async function checkVersion(
  root: string,
  writable: boolean,
  fsync: boolean,
): Promise<{ migratedFrom?: number }> {
  const path = join(root, "VERSION");
  let text: string | undefined;
  try {
    text = await fsp.readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new StoreError(`${P}: could not read ${path}`, { cause: error, source: root });
    }
  }
  if (text === undefined) {
    if (!writable) return {};
    await fsp.mkdir(join(root, "tmp"), { recursive: true });
    await writeFileAtomic(path, `${STORE_FORMAT_VERSION}\n`, { tmpDir: join(root, "tmp"), fsync });
    return {};
  }
  const version = /^\s*(\d+)\s*$/.exec(text)?.[1];
  if (version === undefined) {
    throw new StoreError(
      `${P}: ${path} should hold a format version number, found ${JSON.stringify(excerpt(text, 40))}`,
      {
        source: root,
      },
    );
  }
  const found = Number(version);
  if (found > STORE_FORMAT_VERSION) {
    throw new StoreError(
      `${P}: ${root} uses store format ${version}, but this clausewatch only knows format ${STORE_FORMAT_VERSION}; upgrade clausewatch`,
      { source: root },
    );
  }
  // Read-only, an older store is read as it is: format 1's extra copies are never consulted.
  if (found === STORE_FORMAT_VERSION || !writable) return {};
  await migrateFromFormat1(root, fsync);
  return { migratedFrom: found };
}

/**
 * Format 1 → 2. The index lines always were the full records, so only the id → source list is
 * written and the copies under `snapshots/` are removed. A crash part way leaves VERSION at 1,
 * and the next writer to open the store runs every step again.
 */
async function migrateFromFormat1(root: string, fsync: boolean): Promise<void> {
  await fsp.mkdir(join(root, "tmp"), { recursive: true });
  await writeSnapshotSources(root, { fsync });
  await fsp.rm(join(root, "snapshots"), { recursive: true, force: true });
  if (fsync) await fsyncDir(root);
  await writeFileAtomic(join(root, "VERSION"), `${STORE_FORMAT_VERSION}\n`, {
    tmpDir: join(root, "tmp"),
    fsync,
  });
}

/** Creates the top-level directories and removes temp files a crashed writer left behind. */
export async function prepareDirectories(root: string): Promise<number> {
  for (const name of ["tmp", "bodies", "clausesets", "sources"]) {
    await fsp.mkdir(join(root, name), { recursive: true });
  }
  await fsyncDir(root);
  let cleaned = 0;
  // Only the lock holder gets here, so nothing in tmp/ can belong to a live writer.
  for (const name of await fsp.readdir(join(root, "tmp"))) {
    await fsp.rm(join(root, "tmp", name), { force: true, recursive: true });
    cleaned++;
  }
  // Temp files of lock attempts by processes that died mid-attempt.
  for (const name of await fsp.readdir(root)) {
    if (!name.startsWith(`.${LOCK_FILE}.`) && !name.startsWith(`${LOCK_FILE}.stale.`)) continue;
    const stat = await fsp.stat(join(root, name)).catch(() => undefined);
    if (stat !== undefined && Date.now() - stat.mtimeMs > 60_000) {
      await fsp.rm(join(root, name), { force: true });
      cleaned++;
    }
  }
  return cleaned;
}
