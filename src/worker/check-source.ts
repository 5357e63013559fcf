import {
  abortable,
  collect,
  createDeadline,
  DeadlineExceeded,
  type FetchedOutcome,
} from "../collect/index.js";
import { redactSecrets, type SourceConfig } from "../config/index.js";
import { diffClauses, severityAtLeast } from "../diff/index.js";
import { ClausewatchError, ExtractError, FetchError } from "../errors.js";
import { EXTRACTOR_VERSION } from "../extract/version.js";
import type { Lineage } from "../lineage/index.js";
import { sourceLogger } from "../log.js";
import { clauseNoun, digestHeadline, outlineSize } from "../report/headline.js";
import { clauseSetHash, type StoredSnapshot } from "../store/index.js";
import type { ClauseSet } from "../types.js";
import { recordCoverageFindings } from "./coverage-findings.js";
import { classifyVersion, textIdentity, type VersionHistory } from "./history.js";
import { checkDraftCopy, currentReading, readCopy } from "./reading.js";
import { headlinePrefix, recordChange, type Step, startStep } from "./step.js";
import type { ChangeKind, SourceOutcome, SourceStatus, WorkerContext } from "./types.js";

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

export async function finish(
  step: Step,
  status: SourceStatus,
  started: number,
  extra: Partial<SourceOutcome> = {},
): Promise<SourceOutcome> {
  const durationMs = Math.round(performance.now() - started);
  const quiet = status === "unchanged" || status === "not-modified" || status === "noise";
  await step.ctx.store.appendEvent(
    step.source.id,
    {
      at: step.at,
      type: status,
      run: step.runId,
      durationMs,
      ...(extra.snapshotId ? { snapshotId: extra.snapshotId } : {}),
      ...(extra.error ? { error: extra.error } : {}),
      ...(step.changes.length > 0 ? { changes: step.changes.map((change) => change.key) } : {}),
    },
    { durable: !quiet || step.changes.length > 0 },
  );
  await step.ctx.store.setSourceState(step.state);
  const level = quiet ? "debug" : "info";
  // A child logger costs more than the check of an unchanged source: made only when the line is written.
  if (step.ctx.logger.isLevelEnabled(level)) {
    sourceLogger(step.ctx.logger, step.source.id, step.runId)[level](
      { status, durationMs, changes: step.changes.map((change) => change.key) },
      "source checked",
    );
  }
  return { sourceId: step.source.id, status, durationMs, changes: step.changes, ...extra };
}

export async function markHealthy(step: Step): Promise<void> {
  if (step.imported) return;
  if (step.state.health === "broken") {
    await recordChange(
      step,
      "recovered",
      {
        severity: "minor",
        headline: `${headlinePrefix(step)}: source ${step.source.id} recovered`,
      },
      "health",
    );
  }
  step.state = { ...step.state, health: "ok", consecutiveFailures: 0, lastSuccessAt: step.at };
  delete step.state.lastError;
}

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

/** A draft copy as the plan sees it: a new version (alerted once), a witness (quiet) or a divergent copy. */
async function recordPlanCopy(
  step: Step,
  lineage: Lineage,
  previous: StoredSnapshot | undefined,
  history: VersionHistory,
  clauseSet: ClauseSet,
  snapshotId: string,
  hash: string,
): Promise<SourceStatus> {
  const seen = await lineage.observe(step.source.plan, {
    sourceId: step.source.id,
    snapshotId,
    clauseSet,
    at: step.at,
    ...(previous ? { previousSnapshotId: previous.id } : {}),
  });
  const prefix = headlinePrefix(step);
  const noun = clauseNoun(clauseSet);
  const annotation = {
    relation: seen.relation,
    version: seen.version.id,
    ...(seen.parent ? { parent: seen.parent.id } : {}),
    ...(seen.reason ? { reason: seen.reason } : {}),
    ...(seen.departures ? { departures: seen.departures } : {}),
  };
  const fromDiff = seen.diff
    ? {
        severity: seen.diff.severity,
        summary: seen.diff.summary,
        entries: seen.diff.entries.filter((entry) => entry.severity !== "none"),
      }
    : { severity: "none" as const };
  if (seen.relation === "new-version" && seen.parent && seen.diff) {
    const digest = digestHeadline(seen.diff, { noun });
    await recordChange(
      step,
      history === "reversion" ? "reversion" : "content",
      {
        ...fromDiff,
        fromSnapshot: seen.parent.snapshotId,
        toSnapshot: snapshotId,
        headline: `${prefix}: new version ${seen.version.id} (from ${step.source.id}): ${digest}`,
        lineage: annotation,
      },
      hash,
    );
    return "changed";
  }
  if (seen.relation === "divergent") {
    const where = (seen.departures ?? []).slice(0, 6).join(", ");
    const more = (seen.departures?.length ?? 0) > 6 ? ` and ${(seen.departures?.length ?? 0) - 6} more` : "";
    const why = seen.reason === "truncated" ? "truncated copy, missing" : "paraphrased copy, departs in";
    await recordChange(
      step,
      "divergent",
      {
        ...fromDiff,
        severity: "minor",
        fromSnapshot: seen.version.snapshotId,
        toSnapshot: snapshotId,
        headline: `${prefix}: ${step.source.id} diverges from ${seen.version.id} (${why} ${noun.toLowerCase()}s ${where}${more})`,
        lineage: annotation,
      },
      hash,
    );
    return "changed";
  }
  // The first version, or one more copy of a known version: recorded, alerted only as a reversion.
  const first = seen.relation === "new-version";
  const kind: ChangeKind =
    first || !previous ? "baseline" : history === "reversion" ? "reversion" : "content";
  if (kind === "reversion" && previous) {
    // Going back is news: the change it undoes, read backwards, with that change's weight.
    const diff = diffClauses(previous.clauseSet, clauseSet);
    await recordChange(
      step,
      "reversion",
      {
        severity: diff.severity,
        summary: diff.summary,
        entries: diff.entries.filter((entry) => entry.severity !== "none"),
        fromSnapshot: previous.id,
        toSnapshot: snapshotId,
        headline: `${prefix}: ${step.source.id} is back to ${seen.version.id} (an earlier version): ${digestHeadline(diff, { noun })}`,
        lineage: annotation,
      },
      hash,
    );
    return "changed";
  }
  await recordChange(
    step,
    kind,
    {
      ...fromDiff,
      toSnapshot: snapshotId,
      headline: first
        ? `${prefix}: first version ${seen.version.id} (${outlineSize(clauseSet)}) from ${step.source.id}`
        : `${prefix}: ${step.source.id} now carries ${seen.version.id}`,
      lineage: annotation,
      ...(kind === "content" ? { suppressed: true } : {}),
    },
    hash,
  );
  return kind === "baseline" ? "first-seen" : "changed";
}

async function recordNewVersion(
  step: Step,
  previous: StoredSnapshot | undefined,
  clauseSet: ClauseSet,
  snapshotId: string,
  hash: string,
): Promise<SourceStatus> {
  const window = step.ctx.config.flapping.window;
  const { history, recent } = classifyVersion(step.state, textIdentity(clauseSet), window);
  step.state = {
    ...step.state,
    recentClauseSetHashes: [...step.state.recentClauseSetHashes, hash].slice(-recent.length),
    recentTexts: recent,
    lastSnapshotId: snapshotId,
    lastChangeAt: step.at,
  };
  if (
    step.ctx.lineage &&
    step.source.role === "draft" &&
    history !== "flapping" &&
    history !== "still-flapping"
  ) {
    const { flapping: _settled, ...rest } = step.state;
    step.state = rest;
    return recordPlanCopy(step, step.ctx.lineage, previous, history, clauseSet, snapshotId, hash);
  }
  if (!previous) {
    await recordChange(
      step,
      "baseline",
      {
        toSnapshot: snapshotId,
        severity: "none",
        headline: `${headlinePrefix(step)}: first copy from ${step.source.id} (${outlineSize(clauseSet)})`,
      },
      hash,
    );
    return "first-seen";
  }
  const diff = diffClauses(previous.clauseSet, clauseSet);
  const noun = clauseNoun(clauseSet);
  const digest = digestHeadline(diff, { noun, prefix: headlinePrefix(step) });
  const base = {
    fromSnapshot: previous.id,
    toSnapshot: snapshotId,
    severity: diff.severity,
    summary: diff.summary,
    entries: diff.entries.filter((entry) => entry.severity !== "none"),
  };
  if (history === "flapping" || history === "still-flapping") {
    const flapping =
      history === "still-flapping"
        ? step.state.flapping
        : { hashes: [...new Set(recent.slice(-2))], since: step.at };
    await recordChange(
      step,
      "flapping",
      {
        ...base,
        headline: `${headlinePrefix(step)}: ${step.source.id} keeps switching between two versions (${digest.replace(`${headlinePrefix(step)}: `, "")})`,
        ...(history === "still-flapping" ? { suppressed: true } : {}),
      },
      hash,
    );
    if (flapping) step.state = { ...step.state, flapping };
    return "changed";
  }
  const { flapping: _settled, ...rest } = step.state;
  step.state = rest;
  const kind: ChangeKind = history === "reversion" ? "reversion" : "content";
  const headline = kind === "reversion" ? digest.replace(": ", ": back to an earlier text — ") : digest;
  // An edited news article is history, not news: what it says about the plan is alerted separately.
  const quiet = step.source.role === "coverage" ? { suppressed: true } : {};
  await recordChange(step, kind, { ...base, headline, ...quiet }, hash);
  return severityAtLeast(diff.severity, "minor") ? "changed" : "noise";
}

/** Extract, compare and store one fetched body: the part of a check after collect. */
async function storeFetched(
  step: Step,
  outcome: FetchedOutcome,
  validators: { etag?: string; lastModified?: string },
  started: number,
): Promise<SourceOutcome> {
  step.stage = "parsing";
  const parsed = await readCopy(step, outcome);
  // Storing and comparing are local and brief; a deadline striking among them would only leave
  // half a record of a check that has all it needs.
  step.deadline?.dispose();
  delete step.stage;
  const stored = step.state.lastSnapshotId
    ? await step.ctx.store.getSnapshot(step.state.lastSnapshotId)
    : undefined;
  // A snapshot stored by an older reader is compared as the current reader reads its body: an
  // upgrade is never a change (the copy is stored again below as a witness of the same text).
  const previous = stored ? { ...stored, clauseSet: await currentReading(step.ctx, stored) } : undefined;
  const clauseSet = checkDraftCopy(step.source, parsed, previous?.clauseSet);
  const hash = clauseSetHash(clauseSet);
  const { etag: _etag, lastModified: _lastModified, ...withoutValidators } = step.state;
  step.state = { ...withoutValidators, ...validators, lastBodyHash: outcome.bodyHash };
  if (stored && stored.clauseSetHash === hash) {
    // Timestamps, ads and sidebars changed; the clauses did not.
    await markHealthy(step);
    return finish(step, "noise", started);
  }
  await step.ctx.store.putBody(outcome.body);
  const snapshot = await step.ctx.store.putSnapshot({
    sourceId: step.source.id,
    url: step.source.url,
    finalUrl: redactSecrets(outcome.finalUrl, step.source.secrets),
    status: outcome.status,
    fetchedAt: outcome.fetchedAt,
    bodyHash: outcome.bodyHash,
    extractorVersion: EXTRACTOR_VERSION,
    charset: outcome.charset,
    ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
    ...validators,
    clauseSet,
  });
  await markHealthy(step);
  if (previous && textIdentity(previous.clauseSet) === textIdentity(clauseSet)) {
    // The same clauses in other typography: a witness of the text already recorded, never news.
    step.state = { ...step.state, lastSnapshotId: snapshot.id };
    return finish(step, "noise", started, { snapshotId: snapshot.id });
  }
  const status = await recordNewVersion(step, previous, clauseSet, snapshot.id, snapshot.clauseSetHash);
  if (step.source.role === "coverage")
    await recordCoverageFindings(step, clauseSet, snapshot.id, snapshot.clauseSetHash);
  return finish(step, status, started, { snapshotId: snapshot.id });
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
