/**
 * Extraction and clause parsing off the main thread: a piscina pool runs `readClauseSet` so that
 * a pathological page (100,000 nested elements) costs one thread until its source's deadline,
 * while the main thread keeps fetching, storing and alerting for every other source. Aborting a
 * running task terminates its thread; the pool starts a fresh one.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Piscina } from "piscina";
import type { CollectControl } from "../collect/index.js";
import type { DocumentOptions } from "../document.js";
import { ClausewatchError, type ErrorCode, ExtractError } from "../errors.js";
import { packageRoot } from "../paths.js";
import type { ClauseSet } from "../types.js";
import type { ParseResult, ParseTask } from "./parse-task.js";

/** Turns a fetched body into its clause set, in this thread or another. */
export interface ClauseSetReader {
  /** Threads parsing at once; 0 for the main thread. */
  readonly threads: number;
  /**
   * Resolves with the clause set, or rejects with the parse's own error (ExtractError for a
   * page without clauses) or, once `control.signal` aborts, with its reason.
   */
  read(body: string, options: DocumentOptions, control?: CollectControl): Promise<ClauseSet>;
  /**
   * Starts a thread and loads the readers in it ahead of the first read, so the first pages of a
   * cycle do not queue behind a thread start. A thread that cannot start is reported by the read.
   */
  warm(): void;
  /** Ends the threads; further reads reject. */
  close(): Promise<void>;
}

/** Parses on the calling thread: for tests, one-off commands and `threads: 0`. */
export function inProcessReader(): ClauseSetReader {
  return {
    threads: 0,
    async read(body, options, control) {
      if (control?.signal?.aborted) throw control.signal.reason;
      // Loaded on the first read: with parsing threads the main thread never needs the readers.
      const { readClauseSet } = await import("../document.js");
      return readClauseSet(body, options);
    },
    // The readers load on the calling thread at the first read; nothing runs beside it.
    warm() {},
    async close() {},
  };
}

/**
 * The compiled task file. From TypeScript sources (vitest) that is the build's copy, which
 * `npm test` makes first; threads cannot load `.ts` themselves.
 */
export function parseTaskFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "parse-task.js");
  const built = join(packageRoot(), "dist", "src", "worker", "parse-task.js");
  if (!existsSync(built)) {
    throw new ClausewatchError(
      "E_INPUT",
      `parsing threads need the compiled ${built}: run "npm run build" first`,
    );
  }
  return built;
}

export interface ParsePoolOptions {
  threads: number;
  /** A module whose named export `parse` takes a ParseTask. @default parseTaskFile() */
  filename?: string;
}

/** Young-generation size of a parsing thread: 4 MB brought a 1,000-page first sight from about 340 to 250 MB peak, no slower. */
const PARSE_THREAD_YOUNG_MB = 4;

/** A pool of `threads` parsing threads, started on first use and idle ones ended after a while. */
export function createParsePool(options: ParsePoolOptions): ClauseSetReader {
  const threads = Math.max(1, Math.floor(options.threads));
  const filename = options.filename ?? parseTaskFile();
  // Started (and piscina loaded) on the first read: a cycle without a new body never parses.
  let pool: Promise<Piscina<ParseTask, ParseResult>> | undefined;
  const started = () =>
    (pool ??= import("piscina").then(
      ({ Piscina }) =>
        new Piscina<ParseTask, ParseResult>({
          filename,
          // The task file's named export `parse` (see parse-task.ts).
          name: "parse",
          minThreads: 0,
          maxThreads: threads,
          concurrentTasksPerWorker: 1,
          idleTimeout: 30_000,
          // A page's parse leaves little alive, so a small young generation is collected often and
          // cheaply; the default one (tens of MB a thread) is most of a cycle's peak memory.
          resourceLimits: { maxYoungGenerationSizeMb: PARSE_THREAD_YOUNG_MB },
        }),
    ));
  // Our own queue in front of the pool's, so waiting for a free thread can be kept off the
  // source's deadline (the pool itself would start the task's clock on submission).
  let free = threads;
  const waiting: Array<() => void> = [];
  let closed = false;
  let warming: Promise<void> | undefined;

  function slot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (free > 0) {
      free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const at = waiting.indexOf(start);
        if (at >= 0) waiting.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      waiting.push(start);
    });
  }
  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  }

  return {
    threads,
    async read(body, documentOptions, control = {}) {
      if (closed) throw new ClausewatchError("E_INPUT", "the parsing pool is closed");
      const wait = () => slot(control.signal);
      await (control.waiting ? control.waiting(wait) : wait());
      let result: ParseResult;
      try {
        result = await (await started()).run(
          { body, options: documentOptions },
          { signal: control.signal ?? null },
        );
      } catch (error) {
        if (control.signal?.aborted) throw control.signal.reason;
        throw new ExtractError(
          `parsing thread failed on ${documentOptions.source}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, source: documentOptions.source },
        );
      } finally {
        release();
      }
      if (result.ok) return result.clauseSet;
      const { code, message } = result.error;
      if (code === "E_EXTRACT") throw new ExtractError(message, { source: documentOptions.source });
      if (code === undefined) throw new Error(message);
      throw new ClausewatchError(code as ErrorCode, message, { source: documentOptions.source });
    },
    warm() {
      if (closed || warming) return;
      // Through a slot like a read: a read that comes meanwhile waits with its clock stopped.
      // Once done, the next cycle may warm again: idle threads end after a while.
      const done = () => {
        if (warming === current) warming = undefined;
      };
      const current: Promise<void> = slot(undefined)
        .then(async () => {
          try {
            if (closed) return;
            await (await started()).run({} as ParseTask, { name: "warm" });
          } finally {
            release();
          }
        })
        // A thread that cannot start fails the first read too, and that read reports it.
        .catch(() => undefined)
        .then(done);
      warming = current;
    },
    async close() {
      if (closed) return;
      closed = true;
      // A warm-up still loading ends with the threads.
      if (pool) await (await pool).destroy();
      await warming;
    },
  };
}
