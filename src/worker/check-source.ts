import {
  abortable,
  collect,
  createDeadline,
  DeadlineExceeded,
  type FetchedOutcome,
} from "../collect/index.js";
import { redactSecrets, type SourceConfig } from "../config/index.js";
import { ClausewatchError, ExtractError, FetchError } from "../errors.js";
import { sourceLogger } from "../log.js";
import { finish, headlinePrefix, markHealthy, recordChange, type Step, startStep } from "./step.js";
import type { SourceOutcome, WorkerContext } from "./types.js";

/**
 * The part of a check after a fetch that brought a body: extraction, comparison, lineage and
 * coverage. Loaded on the first such body, so that a cycle of 304s and unchanged bodies never
 * loads the diff engine and its word data (about a quarter of the worker's start-up).
 */
const storeFetched: typeof import("./new-copy.js").storeFetched = async (...args) =>
  (await import("./new-copy.js")).storeFetched(...args);

/** What went wrong, as it may be logged, stored and alerted: the source's secrets masked. */
function errorInfo(error: unknown, source: SourceConfig): { code: string; message: string } {
  const shown = (message: string) => ({ message: redactSecrets(message, source.secrets) });
  if (error instanceof ExtractError)
    return { code: error.code, ...shown(`${error.message} (${source.url})`) };
  if (error instanceof ClausewatchError) return { code: error.code, ...shown(error.message) };
  return { code: "E_INTERNAL", ...shown(error instanceof Error ? error.message : String(error)) };
}

/** Applied when a hand-made SourceConfig names no deadline. */
export const DEFAULT_DEADLINE_MS = 120_000;

export async function markFailed(step: Step, error: unknown, started: number): Promise<SourceOutcome> {
  const info = errorInfo(error, step.source);
  const failures = step.state.consecutiveFailures + 1;
  // A page that used to have clauses and suddenly has none (selector gone, error page, bot wall) is broken now.
  const lostItsClauses = error instanceof ExtractError && step.state.lastSnapshotId !== undefined;
  const threshold = step.ctx.config.health.failureThreshold;
  step.state = { ...step.state, consecutiveFailures: failures, lastError: { ...info, at: step.at } };
  if (error instanceof FetchError && error.deferSeconds !== undefined) {
    step.state.notBefore = new Date(Date.parse(step.at) + error.deferSeconds * 1000).toISOString();
  }
  if (step.state.health === "ok" && (failures >= threshold || lostItsClauses)) {
    await recordChange(
      step,
      "source-broken",
      {
        severity: "substantive",
        headline: `${headlinePrefix(step)}: source ${step.source.id} is broken (${info.message})`,
        error: info,
      },
      info.code,
    );
    step.state = { ...step.state, health: "broken" };
  }
  const outcome = await finish(step, "failed", started, { error: info });
  sourceLogger(step.ctx.logger, step.source.id, step.runId).warn(
    { err: info, failures },
    "source check failed",
  );
  return outcome;
}

/**
 * Checks one source end to end — collect, extract, compare, store — inside the per-source
 * boundary: whatever fails is recorded on this source and returned, never thrown.
 */
export async function checkSource(
  ctx: WorkerContext,
  source: SourceConfig,
  runId: string,
  stopping?: AbortSignal,
): Promise<SourceOutcome> {
  const started = performance.now();
  const step = await startStep(ctx, source, runId, (ctx.now?.() ?? new Date()).toISOString());
  const notBefore = step.state.notBefore;
  if (notBefore !== undefined && Date.parse(notBefore) > Date.parse(step.at)) {
    return { sourceId: source.id, status: "deferred", durationMs: 0, changes: [] };
  }
  delete step.state.notBefore;
  step.state.lastCheckAt = step.at;
  // What a failure records on: nothing this check learnt (a body hash, validators, a snapshot)
  // may be written unless everything it implies was written too.
  const before = { ...step.state };
  const deadline = createDeadline(source.deadlineMs ?? DEFAULT_DEADLINE_MS, stopping);
  step.deadline = deadline;
  step.stage = "fetching";
  try {
    const fetching = collect(
      {
        sourceId: source.id,
        url: source.fetchUrl ?? source.url,
        headers: source.http.headers,
        ...(step.state.etag ? { etag: step.state.etag } : {}),
        ...(step.state.lastModified ? { lastModified: step.state.lastModified } : {}),
        ...(step.state.lastBodyHash && step.state.lastSnapshotId
          ? { previousBodyHash: step.state.lastBodyHash }
          : {}),
        ...(source.charset ? { charset: source.charset } : {}),
        ...(source.render ? { render: source.render } : {}),
      },
      {
        timeoutMs: source.http.timeoutMs,
        maxBytes: source.http.maxBytes,
        maxRedirects: source.http.maxRedirects,
        userAgent: source.http.userAgent,
        retries: source.http.retries,
      },
      ctx.limiter,
      { signal: deadline.signal, waiting: deadline.paused },
    );
    const outcome = await abortable(fetching, deadline.signal);
    const validators = {
      ...(outcome.etag ? { etag: outcome.etag } : {}),
      ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
    };
    if (outcome.kind === "fetched" && outcome.charsetConflict) {
      const { header, document, used, why } = outcome.charsetConflict;
      sourceLogger(ctx.logger, source.id, runId).warn(
        { header, document, used: used === "header" ? header : document, why },
        "the Content-Type charset and the document's own declaration disagree",
      );
    }
    if (outcome.kind !== "fetched") {
      step.state = { ...step.state, ...validators };
      await markHealthy(step);
      return finish(step, outcome.kind === "not-modified" ? "not-modified" : "unchanged", started);
    }
    return await storeFetched(step, outcome, validators, started);
  } catch (error) {
    if (stopping?.aborted && error === stopping.reason) {
      // Cut short by a shutdown: nothing happened to this source, so nothing is recorded.
      return { sourceId: source.id, status: "failed", durationMs: 0, changes: [], error: SHUTDOWN };
    }
    step.state = { ...before };
    return await recordFailure(step, explain(step, error), started);
  } finally {
    deadline.dispose();
  }
}

/**
 * The failure recorded on the source; when even that cannot be written (a full disk), the
 * outcome still says what went wrong, and the cycle goes on with the other sources.
 */
async function recordFailure(step: Step, error: unknown, started: number): Promise<SourceOutcome> {
  try {
    return await markFailed(step, error, started);
  } catch (writeError) {
    const info = errorInfo(error, step.source);
    const unwritten = errorInfo(writeError, step.source);
    const same = info.message === unwritten.message;
    const message = same
      ? info.message
      : `${info.message}; the failure was not recorded: ${unwritten.message}`;
    sourceLogger(step.ctx.logger, step.source.id, step.runId).error(
      { err: { code: info.code, message } },
      "source check failed and could not be recorded",
    );
    return {
      sourceId: step.source.id,
      status: "failed",
      durationMs: Math.round(performance.now() - started),
      changes: step.changes,
      error: { code: info.code, message },
    };
  }
}

const SHUTDOWN = { code: "E_SHUTDOWN", message: "not finished: the worker is shutting down" };

/** A deadline that struck becomes an error that says what the check was doing. */
function explain(step: Step, error: unknown): unknown {
  if (!(error instanceof DeadlineExceeded)) return error;
  const seconds = Math.round(error.budgetMs / 100) / 10;
  const limit = `within its deadline of ${seconds} s (deadlineSeconds)`;
  if (step.stage === "parsing") {
    return new ExtractError(
      `${step.source.id}: extracting and parsing the document did not finish ${limit}; its markup may be pathological (elements nested thousands deep, say), so the thread was stopped`,
      { source: step.source.id, cause: error },
    );
  }
  return new FetchError(`${step.source.url}: the check did not finish ${limit} while fetching`, {
    kind: "transient",
    source: step.source.id,
    cause: error,
  });
}

/**
 * Records a copy obtained without a fetch (a researcher's archived file, read by `collect` from
 * a `file:` URL) as if the worker had fetched it at `copy.fetchedAt`: the same extraction,
 * snapshot, change and lineage records as a check. Unlike `checkSource` it throws instead of
 * recording a failure, and leaves the source's health and last-check time alone, because an
 * unreadable archive file says nothing about the live source.
 */
export async function recordFetchedCopy(
  ctx: WorkerContext,
  source: SourceConfig,
  runId: string,
  copy: FetchedOutcome,
): Promise<SourceOutcome> {
  const started = performance.now();
  const step = await startStep(ctx, source, runId, copy.fetchedAt, true);
  return storeFetched(step, copy, {}, started);
}
