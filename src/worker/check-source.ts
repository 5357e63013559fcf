import { collect, type FetchedOutcome } from "../collect/index.js";
import type { PlanConfig, SourceConfig } from "../config/index.js";
import { recordCoverage } from "../coverage/index.js";
import type { DiffEntry } from "../diff/index.js";
import { diffClauses, severityAtLeast } from "../diff/index.js";
import { readClauseSet } from "../document.js";
import { ClausewatchError, ExtractError, excerpt } from "../errors.js";
import { EXTRACTOR_VERSION } from "../extract/index.js";
import type { Lineage } from "../lineage/index.js";
import { sourceLogger } from "../log.js";
import { clauseNoun, digestHeadline } from "../report/headline.js";
import { clauseSetHash, type SourceState, type StoredSnapshot } from "../store/index.js";
import type { ClauseSet } from "../types.js";
import { classifyVersion, type VersionHistory } from "./history.js";
import type {
  ChangeFields,
  ChangeKind,
  SourceChange,
  SourceOutcome,
  SourceStatus,
  WorkerContext,
} from "./types.js";

function initialState(sourceId: string): SourceState {
  return { sourceId, consecutiveFailures: 0, health: "ok", recentClauseSetHashes: [], changeCount: 0 };
}

function errorInfo(error: unknown, url: string): { code: string; message: string } {
  if (error instanceof ExtractError) return { code: error.code, message: `${error.message} (${url})` };
  if (error instanceof ClausewatchError) return { code: error.code, message: error.message };
  return { code: "E_INTERNAL", message: error instanceof Error ? error.message : String(error) };
}

interface Step {
  ctx: WorkerContext;
  source: SourceConfig;
  plan: PlanConfig | undefined;
  runId: string;
  at: string;
  state: SourceState;
  changes: SourceChange[];
  /** A copy recorded by `recordFetchedCopy` (an import): not a check, so health is left alone. */
  imported?: boolean;
}

async function startStep(
  ctx: WorkerContext,
  source: SourceConfig,
  runId: string,
  at: string,
  imported = false,
): Promise<Step> {
  const stored = await ctx.store.getSourceState(source.id);
  return {
    ctx,
    source,
    plan: ctx.config.plans.find((plan) => plan.id === source.plan),
    runId,
    at,
    state: { ...(stored ?? initialState(source.id)) },
    changes: [],
    ...(imported ? { imported } : {}),
  };
}

/**
 * Records a change before the state that points past it: after a crash the same change is
 * computed again with the same key and the store keeps one copy. The key names the text (its
 * clause-set hash), not the snapshot, whose id changes with the fetch time of the retry.
 */
async function recordChange(
  step: Step,
  kind: ChangeKind,
  fields: ChangeFields,
  target: string,
): Promise<void> {
  const number = (step.state.changeCount ?? 0) + 1;
  const change: SourceChange = {
    key: `${step.source.id}:${number}:${kind}:${target}`,
    at: step.at,
    sourceId: step.source.id,
    planId: step.source.plan,
    kind,
    url: step.source.url,
    ...fields,
  };
  await step.ctx.store.appendChange(change);
  step.state = { ...step.state, changeCount: number };
  step.changes.push(change);
}

function headlinePrefix(step: Step): string {
  return step.plan?.title ?? step.source.title ?? step.source.id;
}

async function finish(
  step: Step,
  status: SourceStatus,
  started: number,
  extra: Partial<SourceOutcome> = {},
): Promise<SourceOutcome> {
  const durationMs = Math.round(performance.now() - started);
  await step.ctx.store.appendEvent(step.source.id, {
    at: step.at,
    type: status,
    run: step.runId,
    durationMs,
    ...(extra.snapshotId ? { snapshotId: extra.snapshotId } : {}),
    ...(extra.error ? { error: extra.error } : {}),
    ...(step.changes.length > 0 ? { changes: step.changes.map((change) => change.key) } : {}),
  });
  await step.ctx.store.setSourceState(step.state);
  const log = sourceLogger(step.ctx.logger, step.source.id, step.runId);
  const quiet = status === "unchanged" || status === "not-modified" || status === "noise";
  log[quiet ? "debug" : "info"](
    { status, durationMs, changes: step.changes.map((change) => change.key) },
    "source checked",
  );
  return { sourceId: step.source.id, status, durationMs, changes: step.changes, ...extra };
}

async function markHealthy(step: Step): Promise<void> {
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

async function markFailed(step: Step, error: unknown, started: number): Promise<SourceOutcome> {
  const info = errorInfo(error, step.source.url);
  const failures = step.state.consecutiveFailures + 1;
  // A page that used to have clauses and suddenly has none (selector gone, error page, bot wall) is broken now.
  const lostItsClauses = error instanceof ExtractError && step.state.lastSnapshotId !== undefined;
  const threshold = step.ctx.config.health.failureThreshold;
  step.state = { ...step.state, consecutiveFailures: failures, lastError: { ...info, at: step.at } };
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
  sourceLogger(step.ctx.logger, step.source.id, step.runId).warn(
    { err: info, failures },
    "source check failed",
  );
  return finish(step, "failed", started, { error: info });
}

/** A draft copy as the plan sees it: a new version (alerted once), a witness (quiet) or a divergent copy. */
async function recordPlanCopy(
  step: Step,
  lineage: Lineage,
  firstSight: boolean,
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
    first || firstSight ? "baseline" : history === "reversion" ? "reversion" : "content";
  await recordChange(
    step,
    kind,
    {
      ...fromDiff,
      toSnapshot: snapshotId,
      headline: first
        ? `${prefix}: first version ${seen.version.id} (${clauseSet.clauses.length} clauses) from ${step.source.id}`
        : `${prefix}: ${step.source.id} ${history === "reversion" ? "is back to" : "now carries"} ${seen.version.id}`,
      lineage: annotation,
      ...(kind === "content" ? { suppressed: true } : {}),
    },
    hash,
  );
  return kind === "baseline" ? "first-seen" : "changed";
}

function quoteText(text: string, max: number): string {
  return `“${excerpt(text, max)}”`;
}

/**
 * A coverage copy: passages linked to the plan's clauses, and alerts for what coverage says that
 * the tracked text does not — a reported earlier wording, a figure stated differently.
 */
async function recordCoverageFindings(
  step: Step,
  passages: ClauseSet,
  snapshotId: string,
  hash: string,
): Promise<void> {
  const store = step.ctx.store;
  const findings = await recordCoverage(
    store,
    { planId: step.source.plan, sourceId: step.source.id, snapshotId, at: step.at, passages },
    async (id) => (await store.getSnapshot(id)).clauseSet,
  );
  const prefix = headlinePrefix(step);
  for (const variant of findings.variants) {
    const earlier = variant.earlier
      ? `earlier wording ${quoteText(variant.earlier, 90)}`
      : "an earlier wording";
    const later = variant.later ? `; now ${quoteText(variant.later, 70)}` : "";
    const entry: DiffEntry = {
      kind: "modified",
      old: [variant.clauseKey],
      new: [variant.clauseKey],
      severity: "substantive",
      flags: [],
      redline: [
        ...(variant.earlier ? [{ op: "delete" as const, text: variant.earlier }] : []),
        ...(variant.later ? [{ op: "insert" as const, text: variant.later }] : []),
      ],
    };
    await recordChange(
      step,
      "coverage-variant",
      {
        severity: "substantive",
        toSnapshot: snapshotId,
        headline: `${prefix}: coverage reports point ${variant.clauseKey} changed: ${earlier}${later} (${step.source.id})`,
        entries: [entry],
      },
      `${variant.clauseKey}:${hash}`,
    );
  }
  for (const mismatch of findings.mismatches) {
    const entry: DiffEntry = {
      kind: "modified",
      old: [mismatch.clauseKey],
      new: [mismatch.clauseKey],
      severity: "substantive",
      flags: [{ type: "number", old: mismatch.tracked, new: mismatch.reported }],
      redline: [
        { op: "delete", text: mismatch.tracked },
        { op: "insert", text: mismatch.reported },
      ],
    };
    await recordChange(
      step,
      "figure-mismatch",
      {
        severity: "substantive",
        toSnapshot: snapshotId,
        headline: `${prefix}: ${step.source.id} gives point ${mismatch.clauseKey} as ${mismatch.reported}; ${mismatch.version} says ${mismatch.tracked}`,
        entries: [entry],
      },
      `${mismatch.clauseKey}:${mismatch.reported}:${hash}`,
    );
  }
}

async function recordNewVersion(
  step: Step,
  previous: StoredSnapshot | undefined,
  clauseSet: ClauseSet,
  snapshotId: string,
  hash: string,
): Promise<SourceStatus> {
  const window = step.ctx.config.flapping.window;
  const { history, recent } = classifyVersion(step.state, hash, window);
  step.state = {
    ...step.state,
    recentClauseSetHashes: recent,
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
    return recordPlanCopy(
      step,
      step.ctx.lineage,
      previous === undefined,
      history,
      clauseSet,
      snapshotId,
      hash,
    );
  }
  if (!previous) {
    await recordChange(
      step,
      "baseline",
      {
        toSnapshot: snapshotId,
        severity: "none",
        headline: `${headlinePrefix(step)}: first copy from ${step.source.id} (${clauseSet.clauses.length} clauses)`,
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
  const clauseSet = readClauseSet(outcome.text, {
    source: step.source.id,
    format: step.source.format,
    ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
    ...(step.source.select ? { select: step.source.select } : {}),
    ignore: step.source.ignore,
    prose: step.source.role === "coverage" ? "always" : false,
  });
  const hash = clauseSetHash(clauseSet);
  const previous = step.state.lastSnapshotId
    ? await step.ctx.store.getSnapshot(step.state.lastSnapshotId)
    : undefined;
  const { etag: _etag, lastModified: _lastModified, ...withoutValidators } = step.state;
  step.state = { ...withoutValidators, ...validators, lastBodyHash: outcome.bodyHash };
  if (previous && previous.clauseSetHash === hash) {
    // Timestamps, ads and sidebars changed; the clauses did not.
    await markHealthy(step);
    return finish(step, "noise", started);
  }
  await step.ctx.store.putBody(outcome.body);
  const snapshot = await step.ctx.store.putSnapshot({
    sourceId: step.source.id,
    url: step.source.url,
    finalUrl: outcome.finalUrl,
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
): Promise<SourceOutcome> {
  const started = performance.now();
  const step = await startStep(ctx, source, runId, (ctx.now?.() ?? new Date()).toISOString());
  step.state.lastCheckAt = step.at;
  try {
    const outcome = await collect(
      {
        sourceId: source.id,
        url: source.url,
        headers: source.http.headers,
        ...(step.state.etag ? { etag: step.state.etag } : {}),
        ...(step.state.lastModified ? { lastModified: step.state.lastModified } : {}),
        ...(step.state.lastBodyHash && step.state.lastSnapshotId
          ? { previousBodyHash: step.state.lastBodyHash }
          : {}),
        ...(source.charset ? { charset: source.charset } : {}),
      },
      {
        timeoutMs: source.http.timeoutMs,
        maxBytes: source.http.maxBytes,
        maxRedirects: source.http.maxRedirects,
        userAgent: source.http.userAgent,
        retries: source.http.retries,
      },
      ctx.limiter,
    );
    const validators = {
      ...(outcome.etag ? { etag: outcome.etag } : {}),
      ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
    };
    if (outcome.kind !== "fetched") {
      step.state = { ...step.state, ...validators };
      await markHealthy(step);
      return finish(step, outcome.kind === "not-modified" ? "not-modified" : "unchanged", started);
    }
    return await storeFetched(step, outcome, validators, started);
  } catch (error) {
    return markFailed(step, error, started);
  }
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
