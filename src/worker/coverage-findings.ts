/**
 * What a coverage copy adds to the plan's record: the passages linked to clauses, and alerts for
 * what coverage says that the tracked text does not.
 */
import { recordCoverage } from "../coverage/index.js";
import type { DiffEntry } from "../diff/index.js";
import { excerpt } from "../errors.js";
import type { ClauseSet } from "../types.js";
import { headlinePrefix, recordChange, type Step } from "./step.js";

function quoteText(text: string, max: number): string {
  return `“${excerpt(text, max)}”`;
}

/**
 * A coverage copy: passages linked to the plan's clauses, and alerts for what coverage says that
 * the tracked text does not — a reported earlier wording, a figure stated differently.
 */
export async function recordCoverageFindings(
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
      depth: 0,
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
      depth: 0,
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
