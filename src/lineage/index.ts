import { createHash } from "node:crypto";
import { type DiffResult, diffClauses } from "../diff/index.js";
import { type StoreLogsRef, storeLogs } from "../store/index.js";
import type { ClauseSet } from "../types.js";
import type { LineageRecord, LineageRules, Relation, VersionRecord, WitnessRecord } from "./types.js";

export type { LineageRecord, LineageRules, Relation, VersionRecord, WitnessRecord } from "./types.js";

export const DEFAULT_LINEAGE_RULES: LineageRules = { minorShare: 0.1, divergentShare: 0.6 };

/** Identity of a text as a version: clause labels and fingerprints, typography folded. */
export function textFingerprint(set: ClauseSet): string {
  const hash = createHash("sha256");
  for (const clause of set.clauses) hash.update(`${clause.key}\u0000${clause.fingerprint}\n`);
  return hash.digest("hex").slice(0, 24);
}

export interface Judgement {
  relation: Relation;
  reason?: WitnessRecord["reason"];
  departures?: string[];
}

/**
 * The explicit rule, applied to the diff from a known version to a new copy:
 * - same version: nothing substantive, and minor wording in at most `minorShare` of the clauses;
 * - divergent copy: only clauses missing (a truncated copy), or wording changed in at least
 *   `divergentShare` of the clauses with the structure kept (a paraphrase);
 * - otherwise a new version of the plan.
 */
export function judgeCopy(diff: DiffResult, rules: LineageRules): Judgement {
  const total = Math.max(diff.old.clauses, diff.new.clauses, 1);
  const changed = diff.entries.filter(
    (entry) => entry.severity === "minor" || entry.severity === "substantive",
  );
  const substantive = changed.filter((entry) => entry.severity === "substantive");
  if (substantive.length === 0 && changed.length <= Math.floor(rules.minorShare * total))
    return { relation: "witness" };
  const { added, removed, modified, moved, split, merged } = diff.summary;
  if (removed > 0 && added + modified + moved + split + merged === 0) {
    return {
      relation: "divergent",
      reason: "truncated",
      departures: diff.entries.filter((entry) => entry.kind === "removed").flatMap((entry) => entry.old),
    };
  }
  const structural = added + removed + split + merged;
  if (changed.length >= rules.divergentShare * total && structural <= 0.1 * total) {
    return {
      relation: "divergent",
      reason: "paraphrase",
      departures: substantive.flatMap((entry) => entry.old),
    };
  }
  return { relation: "new-version" };
}

export interface Observation {
  relation: Relation;
  version: VersionRecord;
  /** The diff from the version this copy was compared with (the parent for a new version). */
  diff?: DiffResult;
  parent?: VersionRecord;
  reason?: WitnessRecord["reason"];
  departures?: string[];
  /** The same copy was already recorded (a retry after a crash); nothing new was written. */
  repeated: boolean;
}

export interface CopySighting {
  sourceId: string;
  snapshotId: string;
  clauseSet: ClauseSet;
  at: string;
}

export async function readLineage(where: StoreLogsRef, planId: string): Promise<LineageRecord[]> {
  return storeLogs(where).readPlanLog<LineageRecord>(planId, "lineage");
}

export interface Lineage {
  observe(planId: string, sighting: CopySighting): Promise<Observation>;
}

/**
 * The plan-level record of versions and witnesses (the store's lineage log of the plan). Copies
 * of one plan are judged one at a time, so two outlets publishing at once cannot both create "v2".
 */
export function createLineage(
  where: StoreLogsRef,
  rules: LineageRules,
  loadClauseSet: (snapshotId: string) => Promise<ClauseSet>,
): Lineage {
  const logs = storeLogs(where);
  const append = (planId: string, record: LineageRecord) => logs.appendPlanLog(planId, "lineage", [record]);
  const queues = new Map<string, Promise<unknown>>();
  const texts = new Map<string, ClauseSet>();
  const textOf = async (version: VersionRecord) => {
    let set = texts.get(version.snapshotId);
    if (!set) {
      set = await loadClauseSet(version.snapshotId);
      texts.set(version.snapshotId, set);
    }
    return set;
  };

  async function judge(planId: string, sighting: CopySighting): Promise<Observation> {
    const records = await readLineage(logs, planId);
    const versions = records.filter((record): record is VersionRecord => record.type === "version");
    const fingerprint = textFingerprint(sighting.clauseSet);

    // A retry after a crash (the same text again, under a new snapshot id) gets the answer this
    // source was given last time instead of a second judgement.
    const mine = records.filter(
      (record): record is WitnessRecord => record.type === "witness" && record.sourceId === sighting.sourceId,
    );
    const earlier = mine[mine.length - 1];
    const earlierVersion =
      earlier?.fingerprint === fingerprint && versions.find((version) => version.id === earlier.version);
    if (earlier && earlierVersion) {
      const parent = versions.find((version) => version.id === earlierVersion.parent);
      const base = earlier.relation === "new-version" ? parent : earlierVersion;
      const diff = base ? diffClauses(await textOf(base), sighting.clauseSet) : undefined;
      return {
        relation: earlier.relation,
        version: earlierVersion,
        repeated: true,
        ...(parent && earlier.relation === "new-version" ? { parent } : {}),
        ...(diff ? { diff } : {}),
        ...(earlier.reason ? { reason: earlier.reason } : {}),
        ...(earlier.departures ? { departures: earlier.departures } : {}),
      };
    }

    const witness = async (
      version: VersionRecord,
      judgement: Judgement,
      diff?: DiffResult,
    ): Promise<Observation> => {
      const record: WitnessRecord = {
        type: "witness",
        planId,
        version: version.id,
        sourceId: sighting.sourceId,
        snapshotId: sighting.snapshotId,
        fingerprint,
        at: sighting.at,
        relation: judgement.relation,
        ...(judgement.reason ? { reason: judgement.reason } : {}),
        ...(judgement.departures ? { departures: judgement.departures } : {}),
      };
      await append(planId, record);
      return { ...judgement, version, repeated: false, ...(diff ? { diff } : {}) };
    };

    const same = versions.find((version) => version.fingerprint === fingerprint);
    // This source created the version and crashed before recording its own sighting: finish that.
    const unfinished =
      same?.sourceId === sighting.sourceId && !mine.some((record) => record.version === same.id);
    if (same && unfinished) {
      const parent = versions.find((version) => version.id === same.parent);
      const diff = parent ? diffClauses(await textOf(parent), sighting.clauseSet) : undefined;
      const observation = await witness(same, { relation: "new-version" }, diff);
      return { ...observation, ...(parent ? { parent } : {}) };
    }
    if (same) return witness(same, { relation: "witness" });

    // Closest = fewest changed clauses, then fewest substantive ones; on a tie the later version,
    // since texts usually evolve from the newest draft.
    let closest: { version: VersionRecord; diff: DiffResult; distance: number } | undefined;
    for (const version of versions) {
      const diff = diffClauses(await textOf(version), sighting.clauseSet);
      const changed = diff.entries.filter(
        (entry) => entry.severity === "minor" || entry.severity === "substantive",
      );
      const distance =
        changed.length * 1000 + changed.filter((entry) => entry.severity === "substantive").length;
      if (!closest || distance <= closest.distance) closest = { version, diff, distance };
    }
    if (closest) {
      const judgement = judgeCopy(closest.diff, rules);
      if (judgement.relation !== "new-version") return witness(closest.version, judgement, closest.diff);
    }

    const version: VersionRecord = {
      type: "version",
      planId,
      id: `v${versions.length + 1}`,
      fingerprint,
      firstSeen: sighting.at,
      sourceId: sighting.sourceId,
      snapshotId: sighting.snapshotId,
      clauses: sighting.clauseSet.clauses.length,
      ...(closest ? { parent: closest.version.id, summary: closest.diff.summary } : {}),
    };
    texts.set(sighting.snapshotId, sighting.clauseSet);
    await append(planId, version);
    const observation = await witness(version, { relation: "new-version" }, closest?.diff);
    return { ...observation, ...(closest ? { parent: closest.version } : {}) };
  }

  return {
    observe(planId, sighting) {
      const previous = queues.get(planId) ?? Promise.resolve();
      // One judgement per plan at a time, across every worker on the store.
      const next = previous
        .catch(() => undefined)
        .then(() => logs.exclusive(`lineage:${planId}`, () => judge(planId, sighting)));
      queues.set(planId, next);
      return next;
    },
  };
}
