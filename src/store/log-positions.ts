/**
 * Byte positions in the fs store's append-only JSONL logs, so a reader can start where an earlier
 * one stopped instead of at the first line. A position carries a check of the bytes just before
 * it: a log replaced by another (a restore, a copy) no longer fits, and the reader starts over at
 * the beginning instead of in the middle of some other line.
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export interface LogPosition {
  /** Bytes from the start of the log: always just after a newline (or 0). */
  offset: number;
  /** The first 16 hex of sha256 over the (up to) 64 bytes before `offset`. */
  check: string;
}

const CHECK_BYTES = 64;

function openForRead(path: string): number | undefined {
  try {
    return openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function checkOf(fd: number | undefined, offset: number): string | undefined {
  const length = Math.min(CHECK_BYTES, offset);
  const bytes = Buffer.alloc(length);
  if (length > 0) {
    if (fd === undefined || readSync(fd, bytes, 0, length, offset - length) !== length) return undefined;
  }
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

/** The start of every log: it fits any log, missing or not. */
export const LOG_START: Readonly<LogPosition> = { offset: 0, check: "" };

/** The position `offset` bytes into the log at `path` (LOG_START for 0). */
export function positionAt(path: string, offset: number): LogPosition {
  if (offset === 0) return { ...LOG_START };
  const fd = openForRead(path);
  try {
    const check = checkOf(fd, offset);
    if (check === undefined) throw new Error(`${path} is shorter than ${offset} bytes`);
    return { offset, check };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether `position` still belongs to the log at `path`: long enough, same bytes before it. */
export function positionFits(path: string, position: LogPosition): boolean {
  if (position.offset === 0) return true;
  const fd = openForRead(path);
  try {
    if (position.offset > (fd === undefined ? 0 : fstatSync(fd).size)) return false;
    return checkOf(fd, position.offset) === position.check;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function isLogPosition(value: unknown): value is LogPosition {
  const position = value as Partial<LogPosition> | null;
  return (
    typeof position === "object" &&
    position !== null &&
    Number.isSafeInteger(position.offset) &&
    (position.offset ?? -1) >= 0 &&
    typeof position.check === "string"
  );
}

export interface JsonlFromResult<T> {
  records: T[];
  /** For each record, the offset just after its line. */
  ends: number[];
  /** Just after the last complete line read: where the next reader starts. */
  end: number;
}

/**
 * The complete lines of a JSONL log from `offset` on. Like readJsonl: a torn last line is left
 * for later, and a line that does not parse or fails `accept` is skipped (verify reports it).
 */
export function readJsonlFrom<T>(
  path: string,
  offset: number,
  accept: (value: unknown) => string | undefined,
): JsonlFromResult<T> {
  const result: JsonlFromResult<T> = { records: [], ends: [], end: offset };
  const fd = openForRead(path);
  if (fd === undefined) return result;
  let buffer: Buffer;
  try {
    const size = fstatSync(fd).size;
    buffer = Buffer.alloc(Math.max(0, size - offset));
    buffer = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, offset));
  } finally {
    closeSync(fd);
  }
  let start = 0;
  for (let newline = buffer.indexOf(0x0a); newline >= 0; newline = buffer.indexOf(0x0a, start)) {
    const line = buffer.toString("utf8", start, newline);
    start = newline + 1;
    result.end = offset + start;
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (accept(value) !== undefined) continue;
    result.records.push(value as T);
    result.ends.push(offset + start);
  }
  return result;
}
