/**
 * A fetched body, read and compared: its clause set, the snapshot stored for it, and what it is
 * for its plan and its source (a first version, a new version, a witness, a divergent copy, a
 * reversion, flapping). Only a fetch that brought a body loads this module and the diff engine.
 */
import type { FetchedOutcome } from "../collect/index.js";
import { redactSecrets } from "../config/index.js";
import { diffClauses, severityAtLeast } from "../diff/index.js";
import { EXTRACTOR_VERSION } from "../extract/version.js";
import type { Lineage } from "../lineage/index.js";
import { clauseNoun, digestHeadline, outlineSize } from "../report/headline.js";
import { clauseSetHash, type StoredSnapshot } from "../store/index.js";
import type { ClauseSet } from "../types.js";
import { recordCoverageFindings } from "./coverage-findings.js";
import { classifyVersion, textIdentity, type VersionHistory } from "./history.js";
import { checkDraftCopy, currentReading, readCopy } from "./reading.js";
import { finish, headlinePrefix, markHealthy, recordChange, type Step } from "./step.js";
import type { ChangeKind, SourceOutcome, SourceStatus } from "./types.js";

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
export async function storeFetched(
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
