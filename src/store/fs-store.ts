/**
 * Filesystem snapshot store: the embedded default, git-friendly and crash-safe.
 *
 * Layout of `<dir>/`:
 *   VERSION                             store format version ("2"; format 1 is migrated, see fs-layout.ts); a newer one is refused
 *   .lock                               single-writer lock, see lock.ts
 *   tmp/                                temp files of atomic writes; emptied at open by the lock holder
 *   bodies/ab/<sha256>.br               raw bodies, brotli (or `.gz`), one file per distinct body
 *   clausesets/ab/<sha256>.json         clause sets by content address (canonical JSON), pretty-printed
 *   sources/<sourceId>/state.json       SourceState, replaced atomically
 *   sources/<sourceId>/snapshots.jsonl  snapshot records (id = 16 hex of sha256 over the record),
 *                                       append-only, oldest first: a line is the snapshot
 *   sources/<sourceId>/events.jsonl     event log, append-only
 *   snapshot-sources.txt                `<id> <sourceId>` per snapshot, derived (fs-snapshot-sources.ts)
 *   changes.jsonl                       change log, append-only, idempotency keys unique (fs-changes.ts)
 *   checks.json                         times of the latest quiet checks (304, same body), see fs-checks.ts
 *
 * Crash safety: objects and state are written temp → fsync → rename → fsync(dir), so a name
 * only ever points at complete content; logs are appended with fsync and a torn last line is
 * ignored by readers and cut off before the next append. Write order is always "object before
 * the reference to it" (body → clause set → index line), so a crash can leave an
 * unreferenced object but never a dangling reference. Temp files live in `tmp/` rather than
 * beside their targets so that cleanup at open is one readdir instead of a walk of every object
 * directory; `tmp/` is on the same filesystem, which is all the atomic rename needs.
 */
import { existsSync, promises as fsp, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, brotliDecompress, gunzip, gzip, constants as zlibConstants } from "node:zlib";
import type { z } from "zod";
import { excerpt, StoreError } from "../errors.js";
import type { ClauseSet } from "../types.js";
import { appendLine, createKeyedQueue, fsyncDir, readJsonl, writeFileAtomic } from "./atomic.js";
import { createFsChanges } from "./fs-changes.js";
import { createQuietChecks } from "./fs-checks.js";
import { checkVersion, FsStoreOptions, prepareDirectories } from "./fs-layout.js";
import { createFsLogs } from "./fs-logs.js";
import { createSnapshotSources } from "./fs-snapshot-sources.js";
import { isObject, verifyFsStore } from "./fs-verify.js";
import { acquireLock, type LockHandle, type LockInfo } from "./lock.js";
import {
  buildSnapshotRecord,
  check,
  checkBodyHash,
  checkSnapshotId,
  checkSourceId,
  clauseSetMatches,
  prettyJson,
  prettySorted,
  SOURCE_ID_PATTERN,
  sha256Hex,
  snapshotRecordProblem,
  validateCheckTimes,
  validateEvent,
  validateState,
} from "./records.js";
import type {
  ReadEventsOptions,
  SnapshotInput,
  SnapshotRecord,
  SnapshotStore,
  SourceEvent,
  SourceOverview,
  SourceState,
  StoredSnapshot,
} from "./types.js";

export const FS_STORE_NAME = "fs";

export interface FsStore extends SnapshotStore {
  readonly dir: string;
  /** Opened with `lock: false`: every write throws StoreError. */
  readonly readOnly: boolean;
  /** True when a lock left by a dead process was taken over at open. */
  readonly recoveredStaleLock: boolean;
  /** The dead holder's lock, when `recoveredStaleLock`. */
  readonly staleLock: LockInfo | undefined;
  /** Leftover temp files (from a crash mid-write) removed at open. */
  readonly cleanedTempFiles: number;
  /** The older store format this open brought up to date, if it did. */
  readonly migratedFrom: number | undefined;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const brotliCompressAsync = promisify(brotliCompress);
const brotliDecompressAsync = promisify(brotliDecompress);
const BODY_EXTENSIONS = [".br", ".gz"] as const;
const P = `${FS_STORE_NAME} store`;

/** Opens (creating if needed, unless read-only) the store in `dir`. */
export async function openFsStore(dir: string, options: FsStoreOptions = {}): Promise<FsStore> {
  const opts = check(FS_STORE_NAME, "options", FsStoreOptions, options);
  const root = resolve(dir);
  const readOnly = !opts.lock;
  if (readOnly) {
    const exists = await fsp.stat(root).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) throw new StoreError(`${P}: store directory ${root} does not exist`, { source: root });
  } else {
    await fsp.mkdir(root, { recursive: true }).catch((error: unknown) => {
      throw new StoreError(`${P}: could not create store directory ${root}`, { cause: error, source: root });
    });
  }
  const lock = readOnly
    ? undefined
    : await acquireLock(root, {
        ...(opts.lockLeaseMs !== undefined ? { leaseMs: opts.lockLeaseMs } : {}),
        ...(opts.lockWaitMs !== undefined ? { waitMs: opts.lockWaitMs } : {}),
        ...(opts.lockCommand !== undefined ? { command: opts.lockCommand } : {}),
        ...(opts.onLockWait !== undefined ? { onWait: opts.onLockWait } : {}),
      });
  try {
    const { migratedFrom } = await checkVersion(root, !readOnly, opts.fsync);
    const cleaned = readOnly ? 0 : await prepareDirectories(root);
    return createFsStore(root, opts, lock, { cleanedTempFiles: cleaned, migratedFrom });
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

function createFsStore(
  root: string,
  opts: z.output<typeof FsStoreOptions>,
  lock: LockHandle | undefined,
  opened: { cleanedTempFiles: number; migratedFrom: number | undefined },
): FsStore {
  const readOnly = lock === undefined;
  const tmpDir = join(root, "tmp");
  const queue = createKeyedQueue();
  const knownDirs = new Set<string>();
  // Caches of what is on disk; only valid because the lock makes this process the only writer.
  const knownBodies = new Set<string>();
  const snapshotIndex = new Map<string, Set<string>>();
  let closed = false;

  const bodyPath = (hash: string, ext: string) => join(root, "bodies", hash.slice(0, 2), `${hash}${ext}`);
  const clauseSetPath = (hash: string) => join(root, "clausesets", hash.slice(0, 2), `${hash}.json`);
  const sourceDir = (sourceId: string) => join(root, "sources", sourceId);
  const logs = createFsLogs(root, { fsync: opts.fsync, writable: !readOnly });
  const quietChecks = createQuietChecks(root, { tmpDir, fsync: opts.fsync });
  const snapshotSources = createSnapshotSources(root, { writable: !readOnly });

  function assertOpen(): void {
    if (closed) throw new StoreError(`${P}: ${root} is closed`, { source: root });
  }

  function assertWritable(what: string): void {
    assertOpen();
    if (readOnly) {
      throw new StoreError(`${P}: cannot ${what}: ${root} was opened read-only (lock: false)`, {
        source: root,
      });
    }
    if (lock?.lost) {
      throw new StoreError(`${P}: cannot ${what}: this process no longer holds the store: ${lock.lost}`, {
        source: root,
      });
    }
  }

  const atomic = (path: string, data: string | Uint8Array) =>
    writeFileAtomic(path, data, { tmpDir, fsync: opts.fsync });
  const append = (path: string, line: string) => appendLine(path, line, { fsync: opts.fsync });

  /** mkdir one level at a time so every new directory entry can be made durable in its parent. */
  async function ensureDir(path: string): Promise<void> {
    if (knownDirs.has(path)) return;
    try {
      // A new directory's inode can take a millisecond to allocate: not on the event loop.
      await fsp.mkdir(path);
      if (opts.fsync) await fsyncDir(join(path, ".."));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        await ensureDir(join(path, ".."));
        return ensureDir(path);
      }
      if (code !== "EEXIST") {
        throw new StoreError(`${P}: could not create directory ${path} (${code ?? String(error)})`, {
          cause: error,
          source: path,
        });
      }
    }
    knownDirs.add(path);
  }

  // Existence probes, small reads and writes are page-cache work of microseconds: done in place,
  // without a round trip through the thread pool. Syncs stay asynchronous (see atomic.ts).
  function findBody(hash: string): string | undefined {
    for (const ext of BODY_EXTENSIONS) {
      const path = bodyPath(hash, ext);
      if (existsSync(path)) return path;
    }
    return undefined;
  }

  /** The parsed file; with `missing: "undefined"`, undefined when there is no such file (one read, no existence probe first). */
  async function readJsonFile(
    path: string,
    what: string,
    source?: string,
    options: { missing?: "throw" | "undefined" } = {},
  ): Promise<unknown> {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        if (options.missing === "undefined") return undefined;
        throw new StoreError(`${P}: no ${what} (expected ${path})`, { cause: error, source: source ?? path });
      }
      throw new StoreError(`${P}: could not read ${what} ${path}`, { cause: error, source: source ?? path });
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new StoreError(`${P}: ${what} ${path} is not valid JSON: ${JSON.stringify(excerpt(text, 60))}`, {
        cause: error,
        source: source ?? path,
      });
    }
  }

  async function loadIndex(sourceId: string): Promise<Set<string>> {
    const cached = snapshotIndex.get(sourceId);
    if (cached !== undefined) return cached;
    const ids = new Set((await readIndex(sourceId)).map((r) => r.id));
    snapshotIndex.set(sourceId, ids);
    return ids;
  }

  /** The index line of snapshot `id`: looked for among the last few first, where a check's previous version is. */
  async function findInIndex(sourceId: string, id: string): Promise<unknown> {
    const path = join(sourceDir(sourceId), "snapshots.jsonl");
    for (const limit of [4, undefined]) {
      const { records } = await readJsonl<{ id?: unknown }>(path, limit === undefined ? {} : { limit });
      const found = records.findLast((record) => record.id === id);
      if (found !== undefined || limit === undefined) return found;
    }
    return undefined;
  }

  async function readIndex(sourceId: string) {
    return readJsonl<SnapshotRecord>(join(sourceDir(sourceId), "snapshots.jsonl"), {
      accept: (v) => (isObject(v) && typeof v.id === "string" ? undefined : "index line without an id"),
    }).then((r) => r.records);
  }

  async function decodeBody(path: string, hash: string): Promise<Buffer> {
    const raw = await fsp.readFile(path);
    let body: Buffer;
    try {
      body = path.endsWith(".gz") ? await gunzipAsync(raw) : await brotliDecompressAsync(raw);
    } catch (error) {
      throw new StoreError(`${P}: body ${hash} in ${path} does not decompress`, {
        cause: error,
        source: path,
      });
    }
    const actual = sha256Hex(body);
    if (actual !== hash) {
      throw new StoreError(`${P}: body ${path} hashes to ${actual}, expected ${hash}`, { source: path });
    }
    return body;
  }

  const changes = createFsChanges(
    { root, driver: FS_STORE_NAME, append, run: (key, work) => queue.run(key, work) },
    { assertOpen, assertWritable },
  );

  const store: FsStore = {
    name: FS_STORE_NAME,
    dir: root,
    readOnly,
    recoveredStaleLock: lock?.staleLock !== undefined,
    staleLock: lock?.staleLock,
    ...opened,

    async putBody(bytes: Uint8Array): Promise<string> {
      assertWritable("store a body");
      const hash = sha256Hex(bytes);
      if (knownBodies.has(hash)) return hash;
      return queue.run(`body:${hash}`, async () => {
        if (knownBodies.has(hash) || findBody(hash) !== undefined) {
          knownBodies.add(hash);
          return hash;
        }
        const [ext, compressed] =
          opts.compression === "gzip"
            ? [".gz", await gzipAsync(bytes)]
            : [
                ".br",
                await brotliCompressAsync(bytes, {
                  params: {
                    [zlibConstants.BROTLI_PARAM_QUALITY]: opts.brotliQuality,
                    [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
                  },
                }),
              ];
        const path = bodyPath(hash, ext);
        await ensureDir(join(path, ".."));
        await atomic(path, compressed);
        knownBodies.add(hash);
        return hash;
      });
    },

    async getBody(hash: string): Promise<Buffer> {
      assertOpen();
      checkBodyHash(FS_STORE_NAME, hash);
      const path = findBody(hash);
      if (path === undefined) throw new StoreError(`${P}: no body ${hash} in ${root}`, { source: root });
      return decodeBody(path, hash);
    },

    async hasBody(hash: string): Promise<boolean> {
      assertOpen();
      checkBodyHash(FS_STORE_NAME, hash);
      return knownBodies.has(hash) || findBody(hash) !== undefined;
    },

    async putSnapshot(input: SnapshotInput): Promise<SnapshotRecord> {
      assertWritable("store a snapshot");
      const { record, sortedClauseSet } = buildSnapshotRecord(FS_STORE_NAME, input);
      const { sourceId } = record;
      return queue.run(`snapshots:${sourceId}`, async () => {
        // Not store.hasBody(): this may run after close() was called, while close() waits for it.
        if (!knownBodies.has(record.bodyHash) && findBody(record.bodyHash) === undefined) {
          throw new StoreError(
            `${P}: snapshot of source ${sourceId} (${record.url}) references body ${record.bodyHash}, which is not stored; call putBody first`,
            { source: sourceId },
          );
        }
        const csPath = clauseSetPath(record.clauseSetHash);
        if (!existsSync(csPath)) {
          await ensureDir(join(csPath, ".."));
          await atomic(csPath, prettySorted(sortedClauseSet));
        }
        // The id hashes the whole record, so an id already in the index is this very record.
        const index = await loadIndex(sourceId);
        if (!index.has(record.id)) {
          await ensureDir(sourceDir(sourceId));
          await append(join(sourceDir(sourceId), "snapshots.jsonl"), JSON.stringify(record));
          index.add(record.id);
          await snapshotSources.added(record.id, sourceId);
        }
        return record;
      });
    },

    async getSnapshot(id: string): Promise<StoredSnapshot> {
      assertOpen();
      checkSnapshotId(FS_STORE_NAME, id);
      const sourceId = await snapshotSources.sourceOf(id);
      const record = sourceId === undefined ? undefined : await findInIndex(sourceId, id);
      if (sourceId === undefined || record === undefined) {
        throw new StoreError(`${P}: no snapshot ${id} in ${root}`, { source: sourceId ?? root });
      }
      const where = join(sourceDir(sourceId), "snapshots.jsonl");
      const problem = snapshotRecordProblem(record, id);
      if (problem !== undefined) {
        throw new StoreError(`${P}: snapshot ${id} in ${where} is damaged: ${problem}`, { source: where });
      }
      const snapshot = record as SnapshotRecord;
      const clauseSet = (await readJsonFile(
        clauseSetPath(snapshot.clauseSetHash),
        `clause set ${snapshot.clauseSetHash} of snapshot ${id}`,
        snapshot.sourceId,
      )) as ClauseSet;
      if (!clauseSetMatches(clauseSet, snapshot.clauseSetHash)) {
        throw new StoreError(
          `${P}: clause set ${clauseSetPath(snapshot.clauseSetHash)} does not match its hash`,
          {
            source: snapshot.sourceId,
          },
        );
      }
      return { ...snapshot, clauseSet };
    },

    async listSnapshots(sourceId: string): Promise<SnapshotRecord[]> {
      assertOpen();
      checkSourceId(FS_STORE_NAME, sourceId);
      return readIndex(sourceId);
    },

    async listSources(): Promise<string[]> {
      assertOpen();
      const entries = await fsp.readdir(join(root, "sources"), { withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isDirectory() && SOURCE_ID_PATTERN.test(e.name))
        .map((e) => e.name)
        .sort();
    },

    async getSourceState(sourceId: string): Promise<SourceState | undefined> {
      assertOpen();
      checkSourceId(FS_STORE_NAME, sourceId);
      const path = join(sourceDir(sourceId), "state.json");
      const state = await readJsonFile(path, `state of source ${sourceId}`, sourceId, {
        missing: "undefined",
      });
      if (state === undefined) return undefined;
      // Its directory exists, so appending this source's events needs no mkdir.
      knownDirs.add(sourceDir(sourceId));
      return quietChecks.read(state as SourceState);
    },

    async setSourceState(state: SourceState): Promise<void> {
      assertWritable("save source state");
      validateCheckTimes(FS_STORE_NAME, state);
      await queue.run(`state:${state.sourceId}`, async () => {
        // A quiet check changed only the times just checked: the rest is what is stored already.
        if (await quietChecks.quiet(state)) return;
        const valid = validateState(FS_STORE_NAME, state);
        await ensureDir(sourceDir(valid.sourceId));
        await atomic(join(sourceDir(valid.sourceId), "state.json"), prettyJson(valid));
        quietChecks.written(valid);
      });
    },

    async appendEvent(sourceId: string, event: SourceEvent, options = { durable: true }): Promise<void> {
      assertWritable("append an event");
      checkSourceId(FS_STORE_NAME, sourceId);
      const valid = validateEvent(FS_STORE_NAME, sourceId, event);
      await queue.run(`events:${sourceId}`, async () => {
        await ensureDir(sourceDir(sourceId));
        const path = join(sourceDir(sourceId), "events.jsonl");
        await appendLine(path, JSON.stringify(valid), { fsync: opts.fsync && options.durable !== false });
      });
    },

    async readEvents(sourceId: string, options: ReadEventsOptions = {}): Promise<SourceEvent[]> {
      assertOpen();
      checkSourceId(FS_STORE_NAME, sourceId);
      const { records } = await readJsonl<SourceEvent>(join(sourceDir(sourceId), "events.jsonl"), {
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        accept: (v) => (isObject(v) && typeof v.type === "string" ? undefined : "event without a type"),
      });
      return records;
    },

    ...changes,

    async listSourceOverviews(): Promise<SourceOverview[]> {
      const ids = await store.listSources();
      // Bounded: ten thousand sources at once would be twenty thousand open files.
      return mapLimit(ids, 32, async (sourceId): Promise<SourceOverview> => {
        const [state, snapshots] = await Promise.all([store.getSourceState(sourceId), readIndex(sourceId)]);
        const latestUrl = snapshots[snapshots.length - 1]?.url;
        return {
          sourceId,
          ...(state ? { state } : {}),
          snapshots: snapshots.length,
          ...(latestUrl ? { latestUrl } : {}),
        };
      });
    },

    appendPlanLog(planId, log, records) {
      assertOpen();
      return queue.run(`plan:${planId}:${log}`, () => logs.appendPlanLog(planId, log, records));
    },

    readPlanLog(planId, log, options) {
      assertOpen();
      return logs.readPlanLog(planId, log, options);
    },

    listPlans() {
      assertOpen();
      return logs.listPlans();
    },

    exclusive(key, work) {
      assertOpen();
      return logs.exclusive(key, work);
    },

    outboxSince(now) {
      assertOpen();
      return queue.run("outbox:since", () => logs.outboxSince(now));
    },

    appendOutboxAlerts(entries) {
      assertOpen();
      return queue.run("outbox:alerts", () => logs.appendOutboxAlerts(entries));
    },

    appendOutboxRecord(log, record) {
      assertOpen();
      return queue.run(`outbox:${log}`, () => logs.appendOutboxRecord(log, record));
    },

    readOutbox(options) {
      assertOpen();
      return logs.readOutbox(options);
    },

    settleOutbox(contents, settled) {
      assertWritable("settle the outbox");
      return logs.settleOutbox?.(contents, settled) ?? Promise.resolve();
    },

    outboxCaughtUp() {
      assertOpen();
      return logs.outboxCaughtUp?.() ?? Promise.resolve(undefined);
    },

    markOutboxCaughtUp(changesCursor) {
      assertWritable("record the outbox's catch-up");
      return logs.markOutboxCaughtUp?.(changesCursor) ?? Promise.resolve();
    },

    async verify(): Promise<string[]> {
      assertOpen();
      return verifyFsStore(root);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue.idle();
      try {
        if (!readOnly) await quietChecks.close();
      } finally {
        await lock?.release();
      }
    },
  };

  return store;
}

/** `work` over `items` with at most `limit` running at once; results in input order. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

export { FsStoreOptions, STORE_FORMAT_VERSION } from "./fs-layout.js";
export { verifyFsStore } from "./fs-verify.js";
