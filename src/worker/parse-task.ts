/**
 * The task a parsing thread runs: `readClauseSet` on one fetched document. Errors come back as
 * values, because a thrown error crosses the thread boundary without its class and code.
 */
import { type DocumentOptions, readClauseSet } from "../document.js";
import { ClausewatchError } from "../errors.js";
import type { ClauseSet } from "../types.js";

export interface ParseTask {
  body: string;
  options: DocumentOptions;
}

export type ParseResult =
  | { ok: true; clauseSet: ClauseSet }
  | { ok: false; error: { code: string | undefined; message: string } };

export function parse(task: ParseTask): ParseResult {
  try {
    return { ok: true, clauseSet: readClauseSet(task.body, task.options) };
  } catch (error) {
    return {
      ok: false,
      error: {
        code: error instanceof ClausewatchError ? error.code : undefined,
        message: error instanceof Error ? error.message : String(error),
      },
    };
  }
}

/** Run once by `ClauseSetReader.warm`: importing this file loaded the readers, so nothing is left to do. */
export function warm(): void {}
