/**
 * The fs store's change log, `changes.jsonl`: append-only, one change per line, idempotency keys
 * unique. Cursors (`changesCursor`) are byte positions checked against the log (log-positions.ts),
 * so a catch-up reads only the changes after the one before it.
 */
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { readJsonl } from "./atomic.js";
import { isObject } from "./fs-verify.js";
import { isLogPosition, type LogPosition, positionAt, positionFits, readJsonlFrom } from "./log-positions.js";
import { changeMatches, checkPlanId, checkSourceId, countBy, sinceToMs, validateChange } from "./records.js";
import type { ChangeRecord, ListChangesOptions, SnapshotStore } from "./types.js";

/** The key at the start of a change line as this store writes it: `{"key":"…",`. */
const LEADING_KEY = /^\{"key":("(?:[^"\\]|\\.)*")[,}]/;

const isChange = (value: unknown) =>
  isObject(value) && typeof value.key === "string" ? undefined : "change without a key";

export interface FsChangesContext {
  root: string;
  driver: string;
  /** Appends one line durably (the store's append). */
  append(path: string, line: string): Promise<void>;
  /** Runs work one at a time per key (the store's queue). */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

type ChangeMethods = Pick<
  SnapshotStore,
  "appendChange" | "listChanges" | "countChanges" | "changesCursor" | "listChangesAfter"
>;

/** The change-log methods of the store; `assertOpen`/`assertWritable` guard them as the store's own. */
export function createFsChanges(
  context: FsChangesContext,
  guards: { assertOpen(): void; assertWritable(what: string): void },
): ChangeMethods {
  const { driver } = context;
  const path = join(context.root, "changes.jsonl");
  // Only valid because the lock makes this process the only writer.
  let changeKeys: Set<string> | undefined;

  /**
   * The keys of every stored change, without parsing whole records: this store writes `key` first,
   * so a line's key is read from its start (any other line is parsed in full). A torn last line
   * is no change yet, as for readers.
   */
  async function readChangeKeys(): Promise<Set<string>> {
    const text = await fsp.readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    const keys = new Set<string>();
    const lines = text.split("\n");
    lines.pop();
    for (const line of lines) {
      const quoted = LEADING_KEY.exec(line)?.[1];
      try {
        const key: unknown = quoted ? JSON.parse(quoted) : (JSON.parse(line) as { key?: unknown }).key;
        if (typeof key === "string") keys.add(key);
      } catch {
        // A damaged line is reported by verify(); it holds no key to keep unique.
      }
    }
    return keys;
  }

  async function readChanges(): Promise<ChangeRecord[]> {
    return (await readJsonl<ChangeRecord>(path, { accept: isChange })).records;
  }

  function filter(changes: ChangeRecord[], options: ListChangesOptions): ChangeRecord[] {
    if (options.sourceId !== undefined) checkSourceId(driver, options.sourceId);
    if (options.planId !== undefined) checkPlanId(driver, options.planId);
    const sinceMs = sinceToMs(driver, options.since);
    return changes.filter((c) => changeMatches(c, options.sourceId, sinceMs, options.planId));
  }

  function parseCursor(cursor: string): LogPosition | undefined {
    const match = /^(\d+):([0-9a-f]*)$/.exec(cursor);
    const position = match ? { offset: Number(match[1]), check: match[2] ?? "" } : undefined;
    if (!isLogPosition(position)) return undefined;
    return positionFits(path, position) ? position : undefined;
  }

  return {
    async appendChange(change) {
      guards.assertWritable("append a change");
      const valid = validateChange(driver, change);
      return context.run("changes", async () => {
        changeKeys ??= await readChangeKeys();
        if (changeKeys.has(valid.key)) return false;
        await context.append(path, JSON.stringify(valid));
        changeKeys.add(valid.key);
        return true;
      });
    },

    async listChanges(options = {}) {
      guards.assertOpen();
      return filter(await readChanges(), options);
    },

    async countChanges(by) {
      guards.assertOpen();
      return countBy(await readChanges(), by);
    },

    changesCursor() {
      guards.assertOpen();
      // After the appends in flight, so the cursor is at the end of a line.
      return context.run("changes", async () => {
        const size = (await fsp.stat(path).catch(() => undefined))?.size ?? 0;
        const { offset, check } = positionAt(path, size);
        return `${offset}:${check}`;
      });
    },

    async listChangesAfter(cursor, options = {}) {
      guards.assertOpen();
      const position = parseCursor(cursor);
      if (position === undefined) return undefined;
      return filter(readJsonlFrom<ChangeRecord>(path, position.offset, isChange).records, options);
    },
  };
}
