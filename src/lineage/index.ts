import { createHash } from "node:crypto";
import { type DiffResult, diffClauses, withRedlines } from "../diff/index.js";
import { type StoreLogsRef, storeLogs } from "../store/index.js";
import type { ClauseSet } from "../types.js";
import { type Judgement, judgeCopy } from "./judge.js";
import { documentFingerprints, versionFingerprints, versionShares } from "./shares.js";
import type { LineageRecord, LineageRules, Relation, VersionRecord, WitnessRecord } from "./types.js";

export { type Judgement, judgeCopy } from "./judge.js";

export type {
  LineageRecord,
  LineageRules,
  Relation,
  VersionFingerprints,
  VersionRecord,
  WitnessRecord,
} from "./types.js";

export const DEFAULT_LINEAGE_RULES: LineageRules = { divergentShare: 0.6 };

/** Identity of a text as a version: the document's clause paths and fingerprints, typography and page text aside. */
export function textFingerprint(set: ClauseSet): string {
  const hash = createHash("sha256");
  for (const clause of set.clauses) {
    if (clause.context || clause.kind === "title") continue;
    hash.update(`${clause.key}\u0000${clause.fingerprint}\n`);
  }
  return hash.digest("hex").slice(0, 24);
}

/** How many known versions a new copy is diffed against: the ones sharing most clauses with it, and the newest. */
const CANDIDATES = 3;

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
  /** The snapshot the source's state pointed at before this copy (its last adopted text). */
  previousSnapshotId?: string;
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
  const signatures = new Map<string, Set<string>>();
  const signatureOf = (snapshotId: string, set: ClauseSet) => {
    let found = signatures.get(snapshotId);
    if (!found) {
      found = documentFingerprints(set);
      signatures.set(snapshotId, found);
    }
    return found;
  };
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
    // source was given last time instead of a second judgement. It is a retry only while the
    // source never adopted that sighting: once its state moved on to it, a same-text copy is one
    // more witness (judged below), never the earlier change again.
    const mine = records.filter(
      (record): record is WitnessRecord => record.type === "witness" && record.sourceId === sighting.sourceId,
    );
    const earlier = mine[mine.length - 1];
    const retry = earlier?.fingerprint === fingerprint && earlier.snapshotId !== sighting.previousSnapshotId;
    const earlierVersion = retry && versions.find((version) => version.id === earlier.version);
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
        ...(judgement.explanation ? { explanation: judgement.explanation } : {}),
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
      const observation = await witness(
        same,
        { relation: "new-version", explanation: same.explanation ?? "" },
        diff,
      );
      return { ...observation, ...(parent ? { parent } : {}) };
    }
    if (same) return witness(same, { relation: "witness", explanation: "same version, same wording" });

    // Candidates: the versions sharing most clause fingerprints with the copy, and the newest one;
    // only they are loaded and diffed, without redlines, and only the kept pair gets its redlines.
    // The shares come from the fingerprints the version records keep, so a plan's history costs
    // a read of its lineage log, not a load of every version's clause set.
    const copySignature = documentFingerprints(sighting.clauseSet);
    const outline = sighting.clauseSet.outline;
    const shares = await versionShares(versions, copySignature, outline, async (version) =>
      signatureOf(version.snapshotId, await textOf(version)),
    );
    const ranked = versions.map((version, order) => ({ version, order, share: shares[order] ?? 0 }));
    ranked.sort((x, y) => y.share - x.share || y.order - x.order);
    const candidates = new Set(ranked.slice(0, CANDIDATES).map((entry) => entry.version));
    const newest = versions[versions.length - 1];
    if (newest) candidates.add(newest);
    await Promise.all([...candidates].map(textOf));

    // Closest = fewest changed clauses of the document, then fewest substantive ones; on a tie the
    // later version, since texts usually evolve from the newest draft.
    let closest: { version: VersionRecord; diff: DiffResult; distance: number } | undefined;
    const pool = versions.filter((version) => candidates.has(version));
    // With one candidate (a plan of one version) its diff is the kept one: computed once, in full.
    const single = pool.length === 1;
    for (const version of pool) {
      const diff = diffClauses(await textOf(version), sighting.clauseSet, single ? {} : { redlines: false });
      const changed = diff.entries.filter(
        (entry) => !entry.context && (entry.severity === "minor" || entry.severity === "substantive"),
      );
      const distance =
        changed.length * 1000 + changed.filter((entry) => entry.severity === "substantive").length;
      if (!closest || distance <= closest.distance) closest = { version, diff, distance };
    }
    const full = closest
      ? single
        ? closest.diff
        : withRedlines(closest.diff, await textOf(closest.version), sighting.clauseSet)
      : undefined;
    const judgement = full ? judgeCopy(full, rules) : undefined;
    if (closest && full && judgement && judgement.relation !== "new-version")
      return witness(closest.version, judgement, full);
    const explanation = judgement?.explanation ?? "first version";
    const parentText = closest ? await textOf(closest.version) : undefined;
    const kept =
      outline === undefined
        ? undefined
        : versionFingerprints(
            copySignature,
            outline,
            closest && parentText
              ? {
                  id: closest.version.id,
                  fingerprints: signatureOf(closest.version.snapshotId, parentText),
                  outline: parentText.outline,
                }
              : undefined,
          );

    const version: VersionRecord = {
      type: "version",
      planId,
      id: `v${versions.length + 1}`,
      fingerprint,
      firstSeen: sighting.at,
      sourceId: sighting.sourceId,
      snapshotId: sighting.snapshotId,
      clauses: sighting.clauseSet.clauses.length,
      explanation,
      ...(closest && full ? { parent: closest.version.id, summary: full.summary } : {}),
      ...(kept ? { clauseFingerprints: kept } : {}),
    };
    texts.set(sighting.snapshotId, sighting.clauseSet);
    await append(planId, version);
    const observation = await witness(version, { relation: "new-version", explanation }, full);
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
