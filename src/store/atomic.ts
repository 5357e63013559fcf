/**
 * Crash-safe file primitives. The invariant they keep: a reader (or a process started after a
 * `kill -9` or power loss) sees either the old complete content or the new complete content,
 * never a mix, and an append that did not resolve may be lost but never damages earlier lines.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fdatasync,
  fstatSync,
  fsync,
  ftruncateSync,
  open,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { StoreError } from "../errors.js";

/**
 * Only creating a file and the syncs go through the thread pool. Opening an existing file,
 * writing, renaming and closing are page-cache work of microseconds, while each round trip
 * through the pool costs a thread wake-up on both sides (about 100 µs of CPU on a virtual
 * machine, measured), and a durable write took eight of them. Creating an inode can take a
 * millisecond (ext4 without a journal skips every inode freed in the last hours), and the waits
 * on the disk stay off the event loop.
 */
const fsyncAsync = promisify(fsync);
const fdatasyncAsync = promisify(fdatasync);
const openAsync = promisify(open);

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EIO: "input/output error",
  EACCES: "permission denied",
};

/**
 * A failed write as one readable error naming the file and the cause (`ENOSPC`), instead of a
 * bare errno error without a path.
 */
function writeFailed(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string" || error instanceof StoreError) return error;
  const reason = REASONS[code] ?? (error as Error).message;
  return new StoreError(`could not write ${path}: ${reason} (${code})`, { cause: error, source: path });
}

export interface WriteFileAtomicOptions {
  /**
   * Directory for the temporary file; it must be on the same filesystem as the target so the
   * rename is atomic.
   * @default the target's own directory
   */
  tmpDir?: string;
  /**
   * fsync the file before the rename and the directory after it. Only benchmarks should turn
   * this off: without it a power loss can leave an empty file under the final name.
   * @default true
   */
  fsync?: boolean;
}

/** Suffix every temporary file carries, so cleanup can recognise leftovers of a crash. */
export const TMP_SUFFIX = ".tmp";

/** Random per process (a pid can be reused after a crash), then counted: no entropy drawn per file. */
const TEMP_PREFIX = `${process.pid}.${randomBytes(4).toString("hex")}`;
let tempCount = 0;

export function tempPathFor(target: string, tmpDir = dirname(target)): string {
  tempCount += 1;
  return join(tmpDir, `.${basename(target)}.${TEMP_PREFIX}.${tempCount.toString(36)}${TMP_SUFFIX}`);
}

/**
 * Writes `data` to `path` via temp file → write → fsync → rename → fsync(dir). Renaming instead
 * of writing in place is what makes the switch atomic: the name points at the old inode until
 * the new one is complete and durable.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const durable = options.fsync ?? true;
  const tmp = tempPathFor(path, options.tmpDir);
  let fd: number;
  try {
    fd = await openAsync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (error) {
    throw writeFailed(path, error);
  }
  try {
    try {
      writeFileSync(fd, data);
      if (durable) await fsyncAsync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The write's own error is the one to report; a leftover temp file is removed at next open.
    }
    throw writeFailed(path, error);
  }
  if (durable)
    await fsyncDir(dirname(path)).catch((error: unknown) => Promise.reject(writeFailed(path, error)));
}

interface DirSync {
  running: Promise<void>;
  /** The fsync that starts once `running` ends, shared by every caller that asked meanwhile. */
  queued: Promise<void> | undefined;
}
const dirSyncs = new Map<string, DirSync>();

/**
 * Makes a directory's entries (a rename, a new file) durable. A caller that asks while an fsync
 * of the same directory is running waits for the next one, since the running one may have begun
 * before its rename; everyone who asks meanwhile shares that next one.
 */
export function fsyncDir(dir: string): Promise<void> {
  const entry = dirSyncs.get(dir);
  if (entry === undefined) return startDirSync(dir);
  entry.queued ??= entry.running.catch(() => undefined).then(() => startDirSync(dir));
  return entry.queued;
}

function startDirSync(dir: string): Promise<void> {
  const entry: DirSync = { running: syncDirOnce(dir), queued: undefined };
  dirSyncs.set(dir, entry);
  const done = () => {
    if (dirSyncs.get(dir) === entry && entry.queued === undefined) dirSyncs.delete(dir);
  };
  entry.running.then(done, done);
  return entry.running;
}

async function syncDirOnce(dir: string): Promise<void> {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    await fsyncAsync(fd);
  } catch (error) {
    // Some filesystems (and Windows) refuse fsync on a directory; durability there is best effort.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR") throw error;
  } finally {
    closeSync(fd);
  }
}

export interface AppendLineOptions {
  /** @default true */
  fsync?: boolean;
}

/**
 * Appends one line (a newline is added; `line` must not contain one) and fsyncs it. A torn tail
 * left by a crash mid-append is cut off first, so it can never glue itself to the new line and
 * turn into a corrupt middle line. Callers must serialise appends to the same file.
 */
export async function appendLine(path: string, line: string, options: AppendLineOptions = {}): Promise<void> {
  if (line.includes("\n")) throw new Error(`appendLine: line for ${path} contains a newline`);
  const durable = options.fsync ?? true;
  try {
    const fd = openExisting(path) ?? (await openAsync(path, "a+"));
    let created = false;
    try {
      const { size } = fstatSync(fd);
      created = size === 0;
      if (size > 0) truncateTornTail(fd, size);
      writeFileSync(fd, `${line}\n`);
      if (durable) await fdatasyncAsync(fd);
    } finally {
      closeSync(fd);
    }
    if (created && durable) await fsyncDir(dirname(path));
  } catch (error) {
    // A short write (a full disk) leaves a torn last line: readers skip it, the next append cuts it.
    throw writeFailed(path, error);
  }
}

/** The file opened for appending in place, or undefined when it does not exist yet (creating it is the pool's work). */
function openExisting(path: string): number | undefined {
  try {
    return openSync(path, constants.O_RDWR | constants.O_APPEND);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Cuts everything after the last newline; returns the number of bytes removed. Reads the page cache in place. */
function truncateTornTail(fd: number, size: number): number {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return 0;
  const keep = lastNewlineEnd(fd, size);
  ftruncateSync(fd, keep);
  return size - keep;
}

/** Offset just after the last `\n` before `size`, or 0 when there is none. */
function lastNewlineEnd(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const bytesRead = readSync(fd, chunk, 0, end - start, start);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

/** Cuts a torn last line off a log, if there is one; returns the bytes removed (0 when clean or missing). */
export async function repairTornTail(path: string): Promise<number> {
  let fd: number;
  try {
    fd = openSync(path, "r+");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  try {
    const { size } = fstatSync(fd);
    if (size === 0) return 0;
    const removed = truncateTornTail(fd, size);
    if (removed > 0) await fdatasyncAsync(fd);
    return removed;
  } finally {
    closeSync(fd);
  }
}

export interface JsonlReadResult<T> {
  records: T[];
  /** Complete lines that did not parse (or failed `accept`), as `path:line: reason`. */
  problems: string[];
  /** True when the file ended in an unterminated line (a crash mid-append); that line is ignored. */
  tornTail: boolean;
}

export interface ReadJsonlOptions<T> {
  /** Only the last N records (read from the end of the file, so cheap on long logs). */
  limit?: number;
  /** Shape check for each parsed line; return a reason to reject it. */
  accept?: (value: unknown) => string | undefined;
  /** Marker type for inference only. */
  type?: T;
}

/**
 * Reads a JSONL log without ever throwing on its content: a missing file is empty, an
 * unterminated last line is in-flight work and silently ignored, a bad complete line is skipped
 * and reported in `problems` (that one means real damage, which verify() surfaces).
 */
export async function readJsonl<T = unknown>(
  path: string,
  options: ReadJsonlOptions<T> = {},
): Promise<JsonlReadResult<T>> {
  const result = parseJsonl<T>(path, readTail(path, options.limit), options.accept);
  if (options.limit === undefined || result.records.length >= options.limit || result.complete) {
    const { records, problems, tornTail } = result;
    const limited =
      options.limit === undefined ? records : records.slice(Math.max(0, records.length - options.limit));
    return { records: limited, problems, tornTail };
  }
  // Damaged lines inside the tail window left too few records: read the whole file instead.
  return readJsonl(path, { ...options, limit: undefined }).then((all) => ({
    ...all,
    records: all.records.slice(Math.max(0, all.records.length - (options.limit ?? 0))),
  }));
}

function parseJsonl<T>(
  path: string,
  { text, firstLine }: { text: string; firstLine?: number },
  accept: ((value: unknown) => string | undefined) | undefined,
): JsonlReadResult<T> & { complete: boolean } {
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  const tornTail = tail !== "";
  const records: T[] = [];
  const problems: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const where = firstLine === undefined ? `${path}` : `${path}:${firstLine + i}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${where}: unparsable line ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    const rejected = accept?.(value);
    if (rejected !== undefined) {
      problems.push(`${where}: ${rejected}`);
      continue;
    }
    records.push(value as T);
  }
  return { records, problems, tornTail, complete: firstLine !== undefined };
}

/**
 * The file's text, or only enough of its end to hold `limit` complete lines. `firstLine` is the
 * 1-based number of the first returned line when the whole file was read (unknown otherwise).
 */
function readTail(path: string, limit: number | undefined): { text: string; firstLine?: number } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { text: "", firstLine: 1 };
    throw error;
  }
  try {
    if (limit === undefined) return { text: readFileSync(fd, "utf8"), firstLine: 1 };
    if (limit <= 0) return { text: "" };
    const { size } = fstatSync(fd);
    // Walk backwards, a small chunk first, until limit+1 newlines are behind the cut (limit
    // complete lines plus a possible torn tail); cutting just after a newline byte never splits a
    // UTF-8 sequence. Only those lines are returned, however small the file.
    const chunks: Buffer[] = [];
    let newlines = 0;
    let start = size;
    let step = 8 * 1024;
    while (start > 0) {
      const from = Math.max(0, start - step);
      const chunk = Buffer.alloc(start - from);
      readSync(fd, chunk, 0, chunk.length, from);
      chunks.unshift(chunk);
      start = from;
      let at = chunk.length;
      while (at > 0) {
        at = chunk.lastIndexOf(0x0a, at - 1);
        if (at < 0) break;
        if (++newlines === limit + 1) {
          chunks[0] = chunk.subarray(at + 1);
          return { text: Buffer.concat(chunks).toString("utf8") };
        }
      }
      step = Math.min(step * 4, 1024 * 1024);
    }
    return { text: Buffer.concat(chunks).toString("utf8"), firstLine: 1 };
  } finally {
    closeSync(fd);
  }
}

/** Runs async work one at a time per key; different keys run concurrently. */
export function createKeyedQueue(): {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  idle(): Promise<void>;
} {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(work, work);
      const settled = next.catch(() => {});
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return next;
    },
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
