/**
 * The state of one source's check while it runs, and the records every stage of it makes: a
 * change is always appended before the state that points past it.
 */
import type { Deadline } from "../collect/index.js";
import type { PlanConfig, SourceConfig } from "../config/index.js";
import { sourceLogger } from "../log.js";
import type { SourceState } from "../store/index.js";
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

/** One source's check (or import) in progress: what it has learnt and recorded so far. */
export interface Step {
  ctx: WorkerContext;
  /** The check's deadline (absent for an import, which reads a local file once). */
  deadline?: Deadline;
  /** What the check is doing, for the message when the deadline strikes. */
  stage?: "fetching" | "parsing";
  source: SourceConfig;
  plan: PlanConfig | undefined;
  runId: string;
  at: string;
  state: SourceState;
  changes: SourceChange[];
  /** A copy recorded by `recordFetchedCopy` (an import): not a check, so health is left alone. */
  imported?: boolean;
}

export async function startStep(
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
export async function recordChange(
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

export function headlinePrefix(step: Step): string {
  return step.plan?.title ?? step.source.title ?? step.source.id;
}

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
