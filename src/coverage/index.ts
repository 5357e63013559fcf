import { readLineage, type VersionRecord } from "../lineage/index.js";
import { type StoreLogsRef, storeLogs } from "../store/index.js";
import type { ClauseSet } from "../types.js";
import { analyzeCoverage, type CoverageAnalysis } from "./analyze.js";
import type { CoverageRecord } from "./types.js";

export type { CoverageAnalysis, CoverageInput, VersionText } from "./analyze.js";
export { analyzeCoverage } from "./analyze.js";
export type { CoverageRecord, MentionRecord, MentionVia, MismatchRecord, VariantRecord } from "./types.js";

export async function readCoverage(where: StoreLogsRef, planId: string): Promise<CoverageRecord[]> {
  return storeLogs(where).readPlanLog<CoverageRecord>(planId, "coverage");
}

export interface CoverageSighting {
  planId: string;
  sourceId: string;
  snapshotId: string;
  at: string;
  /** The article read as one clause per paragraph. */
  passages: ClauseSet;
}

/**
 * Analyses one coverage snapshot against the plan's versions (newest first) and appends what it
 * found to the plan's coverage log in one append. A snapshot already analysed (a retry after a crash)
 * returns its recorded findings instead of writing them twice.
 */
export async function recordCoverage(
  where: StoreLogsRef,
  sighting: CoverageSighting,
  loadClauseSet: (snapshotId: string) => Promise<ClauseSet>,
): Promise<CoverageAnalysis> {
  const logs = storeLogs(where);
  const existing = (await readCoverage(logs, sighting.planId)).filter(
    (record) => record.snapshotId === sighting.snapshotId && record.sourceId === sighting.sourceId,
  );
  if (existing.length > 0) {
    return {
      mentions: existing.filter((record) => record.type === "mention"),
      variants: existing.filter((record) => record.type === "variant"),
      mismatches: existing.filter((record) => record.type === "mismatch"),
    };
  }
  const versions = (await readLineage(logs, sighting.planId))
    .filter((record): record is VersionRecord => record.type === "version")
    .reverse();
  const texts = await Promise.all(
    versions.map(async (version) => ({ id: version.id, clauseSet: await loadClauseSet(version.snapshotId) })),
  );
  const analysis = analyzeCoverage({
    planId: sighting.planId,
    sourceId: sighting.sourceId,
    snapshotId: sighting.snapshotId,
    at: sighting.at,
    passages: sighting.passages.clauses.map((clause) => clause.text),
    versions: texts,
  });
  await logs.appendPlanLog(sighting.planId, "coverage", [
    ...analysis.mentions,
    ...analysis.variants,
    ...analysis.mismatches,
  ]);
  return analysis;
}
