/**
 * Which source a snapshot belongs to, so that `getSnapshot(id)` can find its record: since store
 * format 2 the record is only the line of `sources/<sourceId>/snapshots.jsonl` that committed it
 * (format 1 also kept a copy per snapshot under `snapshots/`, a file, an fsync and a directory
 * entry more for every version).
 *
 * `snapshot-sources.txt` holds one `<id> <sourceId>` line per snapshot. It is derived data,
 * appended without an fsync after the index line: a line lost to a crash is found again by
 * reading every source's index, once per process, and written back by the store's writer.
 */
import { closeSync, promises as fsp, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { appendLine, readJsonl, writeFileAtomic } from "./atomic.js";
import { SOURCE_ID_PATTERN } from "./records.js";

export const SNAPSHOT_SOURCES_FILE = "snapshot-sources.txt";
const LINE = /^([0-9a-f]{16}) (\S+)$/;

export interface SnapshotSources {
  /** The source whose index holds snapshot `id`, or undefined when no index does. */
  sourceOf(id: string): Promise<string | undefined>;
  /** Notes a snapshot whose index line was just appended (by this process, the writer). */
  added(id: string, sourceId: string): Promise<void>;
}

/** Every snapshot id with its source, read from the sources' indexes. */
export async function scanSnapshotIndexes(root: string): Promise<Array<[id: string, sourceId: string]>> {
  const entries = await fsp.readdir(join(root, "sources"), { withFileTypes: true }).catch(() => []);
  const found: Array<[string, string]> = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !SOURCE_ID_PATTERN.test(entry.name)) continue;
    const { records } = await readJsonl<{ id?: unknown }>(
      join(root, "sources", entry.name, "snapshots.jsonl"),
    );
    for (const record of records) if (typeof record.id === "string") found.push([record.id, entry.name]);
  }
  return found;
}

export function createSnapshotSources(root: string, options: { writable: boolean }): SnapshotSources {
  const path = join(root, SNAPSHOT_SOURCES_FILE);
  const known = new Map<string, string>();
  // Bytes of the file read so far: another process (the writer, while `serve` reads) may append.
  let readTo = 0;
  let scanned = false;
  // Appends one at a time: the first creates the file, which may wait on the thread pool.
  let appending: Promise<unknown> = Promise.resolve();
  const append = (lines: string[]): Promise<void> => {
    const next = appending.then(async () => {
      for (const line of lines) await appendLine(path, line, { fsync: false });
    });
    appending = next.catch(() => undefined);
    return next;
  };

  function readNewLines(): void {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= readTo) return;
      const buffer = Buffer.alloc(size - readTo);
      const read = readSync(fd, buffer, 0, buffer.length, readTo);
      // Only complete lines: a torn tail is read again once its writer has finished it.
      const end = buffer.lastIndexOf(0x0a, read - 1) + 1;
      for (const line of buffer.subarray(0, end).toString("utf8").split("\n")) {
        const match = LINE.exec(line);
        if (match?.[1] !== undefined && match[2] !== undefined) known.set(match[1], match[2]);
      }
      readTo += end;
    } finally {
      closeSync(fd);
    }
  }

  return {
    async sourceOf(id) {
      if (!known.has(id)) readNewLines();
      if (known.has(id) || scanned) return known.get(id);
      // Not in the file: lost to a crash, or no such snapshot. Every index is read once per
      // process, so a stream of unknown ids costs one scan, not one each.
      scanned = true;
      const missing: string[] = [];
      for (const [snapshotId, sourceId] of await scanSnapshotIndexes(root)) {
        if (known.has(snapshotId)) continue;
        known.set(snapshotId, sourceId);
        missing.push(`${snapshotId} ${sourceId}`);
      }
      if (options.writable && missing.length > 0) await append(missing);
      return known.get(id);
    },

    async added(id, sourceId) {
      known.set(id, sourceId);
      await append([`${id} ${sourceId}`]);
    },
  };
}

/** The whole file, written from the indexes at once: for the migration from format 1. */
export async function writeSnapshotSources(root: string, options: { fsync: boolean }): Promise<void> {
  const entries = await scanSnapshotIndexes(root);
  const text = entries.map(([id, sourceId]) => `${id} ${sourceId}\n`).join("");
  await writeFileAtomic(join(root, SNAPSHOT_SOURCES_FILE), text, {
    tmpDir: join(root, "tmp"),
    fsync: options.fsync,
  });
}
