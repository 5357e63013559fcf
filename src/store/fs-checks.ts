/**
 * Quiet checks in the fs store. A check that finds nothing new (a 304, the same body) changes only
 * the times in a source's state. Rewriting `state.json` for that costs a temp file, two fsyncs and
 * a rename per source per cycle, half the work of an idle cycle; losing it in a crash costs
 * nothing (the next cycle checks again). So those times go to one file, `checks.json`, written once
 * when the store closes and at most every few seconds while a worker runs, and are laid over the
 * state when it is read. Anything else that changes in a state is written to `state.json` as before.
 */
import { promises as fsp } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.js";
import { canonicalJson } from "./records.js";
import type { SourceState } from "./types.js";

const CHECKS_FILE = "checks.json";

/** The fields a quiet check changes. */
type CheckTimes = Pick<SourceState, "lastCheckAt" | "lastSuccessAt">;

/** How long times of quiet checks may wait in memory before `checks.json` is rewritten. */
const FLUSH_DELAY_MS = 5_000;

export interface QuietChecks {
  /** The state as stored, with any later quiet-check times laid over it; remembers it for `quiet`. */
  read(stored: SourceState): Promise<SourceState>;
  /**
   * True when `state` differs from the state last read or written only in its check times: they
   * are then kept here, and `state.json` need not be written.
   */
  quiet(state: SourceState): Promise<boolean>;
  /** After `state.json` was written with `state`. */
  written(state: SourceState): void;
  /** Writes the times still held, as the store closes. */
  close(): Promise<void>;
}

function withoutTimes(state: SourceState): string {
  const { lastCheckAt: _check, lastSuccessAt: _success, ...rest } = state;
  return canonicalJson(rest);
}

const later = (a: string | undefined, b: string | undefined) => (a === undefined || (b ?? "") > a ? b : a);

export function createQuietChecks(root: string, options: { tmpDir: string; fsync: boolean }): QuietChecks {
  const path = join(root, CHECKS_FILE);
  /** What `state.json` holds per source, times aside, as last read or written by this process. */
  const persisted = new Map<string, string>();
  let times: Promise<Map<string, CheckTimes>> | undefined;
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();

  const load = () => {
    times ??= fsp
      .readFile(path, "utf8")
      .then((text) => {
        const parsed: unknown = JSON.parse(text);
        return new Map(Object.entries(parsed && typeof parsed === "object" ? parsed : {})) as Map<
          string,
          CheckTimes
        >;
      })
      // Missing or torn: these are only times, and the next check writes them again.
      .catch(() => new Map<string, CheckTimes>());
    return times;
  };

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return writing;
    dirty = false;
    const entries = Object.fromEntries([...(await load())].sort(([a], [b]) => (a < b ? -1 : 1)));
    writing = writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(path, `${JSON.stringify(entries, null, 1)}\n`, options))
      .catch((error: unknown) => {
        // Tried again at the next flush, and reported by the one in close().
        dirty = true;
        throw error;
      });
    return writing;
  }

  return {
    async read(stored) {
      persisted.set(stored.sourceId, withoutTimes(stored));
      const kept = (await load()).get(stored.sourceId);
      if (!kept) return stored;
      const lastCheckAt = later(stored.lastCheckAt, kept.lastCheckAt);
      const lastSuccessAt = later(stored.lastSuccessAt, kept.lastSuccessAt);
      return {
        ...stored,
        ...(lastCheckAt ? { lastCheckAt } : {}),
        ...(lastSuccessAt ? { lastSuccessAt } : {}),
      };
    },
    async quiet(state) {
      if (persisted.get(state.sourceId) !== withoutTimes(state)) return false;
      (await load()).set(state.sourceId, {
        ...(state.lastCheckAt ? { lastCheckAt: state.lastCheckAt } : {}),
        ...(state.lastSuccessAt ? { lastSuccessAt: state.lastSuccessAt } : {}),
      });
      dirty = true;
      timer ??= setTimeout(() => void flush().catch(() => undefined), FLUSH_DELAY_MS).unref();
      return true;
    },
    written(state) {
      persisted.set(state.sourceId, withoutTimes(state));
    },
    close: flush,
  };
}
