/**
 * The read model of the history: plans, versions, comparisons, clause timelines and source
 * records, assembled from the store, the lineage, the coverage log and the outbox. It never
 * writes and never takes the store lock, so it runs beside a live worker. Everything returned is
 * plain JSON (the web view's API serves these objects as they are).
 */

import { stat } from "node:fs/promises";
import { listAlerts } from "../alert/index.js";
import { upgradeClauseSet } from "../clauses/legacy.js";
import type { Config, PlanConfig, SourceConfig } from "../config/index.js";
import { readCoverage } from "../coverage/index.js";
import type { CoverageRecord, MentionRecord, MismatchRecord, VariantRecord } from "../coverage/types.js";
import { type DiffEntry, type DiffResult, diffClauses, type RedlineOp } from "../diff/index.js";
import { type DiscoveredEntry, discoveredArticles } from "../discover/read.js";
import { feedOfArticle } from "../discover/state.js";
import type { Relation, VersionRecord, WitnessRecord } from "../lineage/index.js";
import { readLineage } from "../lineage/index.js";
import { clauseNoun } from "../report/headline.js";
import {
  openConfiguredStore,
  type SnapshotRecord,
  type SnapshotStore,
  type SourceEvent,
  type SourceOverview,
  type SourceState,
  type StoredSnapshot,
} from "../store/index.js";
import type { ClauseSet } from "../types.js";
import type { SourceChange } from "../worker/types.js";

/** Where a copy came from: what a citation needs. */
export interface Provenance {
  snapshotId: string;
  sourceId: string;
  url: string;
  finalUrl: string;
  status: number;
  fetchedAt: string;
  /** sha256 hex of the raw body as fetched. */
  bodyHash: string;
  clauseSetHash: string;
  extractorVersion: string;
  contentType?: string;
  charset?: string;
  etag?: string;
  lastModified?: string;
}

/** One copy of a version seen by one source. */
export interface WitnessSighting {
  sourceId: string;
  snapshotId: string;
  at: string;
  relation: Relation;
  reason?: WitnessRecord["reason"];
  departures?: string[];
}

export interface VersionSummary {
  /** v1, v2, … */
  id: string;
  firstSeen: string;
  /** The source that first carried this text, and the snapshot holding it. */
  sourceId: string;
  snapshotId: string;
  fingerprint: string;
  clauses: number;
  parent?: string;
  headline?: string;
  /** Diff summary from the parent (lineage's own record). */
  summary?: VersionRecord["summary"];
  /** Clauses changed from the parent: everything but unchanged and renumbered. */
  changes: number;
  /** The first copy's provenance; absent when the snapshot is missing from the store. */
  provenance?: Provenance;
  /** Copies that carry this text (the first one included). */
  witnesses: WitnessSighting[];
  /** Copies that were judged a divergent rendering of this version (paraphrased, truncated). */
  divergent: WitnessSighting[];
}

/** A wording that coverage reports a clause had (or will have): evidence, not a fetched text. */
export type ReportedVariant = VariantRecord & { reported: true };

export interface PlanSummary {
  id: string;
  title: string;
  description?: string;
  versions: number;
  latest?: { id: string; firstSeen: string };
  sources: string[];
  changes: number;
  reportedVariants: number;
}

export interface SourceRef {
  id: string;
  title?: string;
  url: string;
  role: SourceConfig["role"];
  plan: string;
}

export interface PlanTimeline {
  plan: PlanConfig;
  /** Oldest first. */
  versions: VersionSummary[];
  /** Reported variants from coverage, marked `reported: true`. */
  reported: ReportedVariant[];
  mismatches: MismatchRecord[];
  mentions: number;
  /** Changes recorded for the plan's sources, oldest first. */
  changes: SourceChange[];
  sources: SourceRef[];
  /** Coverage articles found by the plan's feeds and sitemaps, newest first. */
  discovered: DiscoveredEntry[];
}

/** One side of a comparison. */
export interface CompareSide {
  /** The reference as asked (`v2` or a snapshot id). */
  ref: string;
  /** The version this text is (or witnesses), when the lineage knows it. */
  version?: string;
  snapshotId: string;
  sourceId: string;
  provenance: Provenance;
  clauseSet: ClauseSet;
}

export interface Comparison {
  planId: string;
  from: CompareSide;
  to: CompareSide;
  diff: DiffResult;
  /** How the document names its clauses ("Point", "Article", "§"). */
  noun: string;
}

export interface ClauseAtVersion {
  version: string;
  firstSeen: string;
  snapshotId: string;
  /** The clause's key in this version (it may have been renumbered); absent when the version lacks it. */
  key?: string;
  printed?: string;
  text?: string;
  heading?: string;
  /** Page the clause starts on, for paged documents (PDF). */
  page?: number;
  /** The version it is compared with (the lineage parent, else the previous version). */
  against?: string;
  /** What happened to the clause since `against`. */
  kind?: DiffEntry["kind"];
  severity?: DiffEntry["severity"];
  flags?: DiffEntry["flags"];
  redline?: RedlineOp[];
}

export interface ClauseTimeline {
  planId: string;
  key: string;
  /** The version `key` was read in; absent when only coverage mentions the key. */
  anchor?: string;
  noun: string;
  versions: ClauseAtVersion[];
  mentions: MentionRecord[];
  reported: ReportedVariant[];
  mismatches: MismatchRecord[];
}

export interface SnapshotEntry extends Provenance {
  /** What the lineage made of this copy, for draft sources. */
  lineage?: { version: string; relation: Relation };
  clauses: number;
  title?: string;
}

export interface SourceSummary extends SourceRef {
  health: SourceState["health"] | "unknown";
  lastCheckAt?: string;
  lastSuccessAt?: string;
  lastChangeAt?: string;
  consecutiveFailures: number;
  lastError?: SourceState["lastError"];
  snapshots: number;
}

export interface SourceHistory {
  source: SourceSummary;
  state?: SourceState;
  /** Oldest first. */
  events: SourceEvent[];
  /** Oldest first. */
  snapshots: SnapshotEntry[];
  changes: SourceChange[];
}

export interface HistoryMetrics {
  /** Distinct worker runs seen in the event logs. */
  cycles: number;
  /** Per source: fetch durations (ms) from the events that carry one. */
  durations: Record<string, number[]>;
  /** Per source: failed checks. */
  failures: Record<string, number>;
  /** Per kind: recorded changes. */
  changes: Record<string, number>;
  alerts: { pending: number; dead: number };
  sourcesBroken: number;
  sources: number;
}

export interface HistoryOptions {
  /** Plans, sources and where the store is (`storage`; the fs store in `storageDir` without it). */
  config: Pick<Config, "storageDir" | "plans" | "sources"> & Partial<Pick<Config, "storage">>;
  /** A store to read instead of opening the configured one read-only (tests, memory store). */
  store?: SnapshotStore;
}

/**
 * Lookups answer `undefined` for an unknown plan, version, snapshot, clause or source, so
 * callers choose between 404 and an error of their own.
 */
export interface History {
  plans(): Promise<PlanSummary[]>;
  plan(planId: string): Promise<PlanTimeline | undefined>;
  /** `from` and `to` are version labels (`v2`) or snapshot ids (16 hex digits) of the plan's sources. */
  compare(planId: string, from: string, to: string): Promise<Comparison | undefined>;
  /**
   * One clause through every version, followed through renumbering. `key` is its key in
   * `options.version`, or by default in the first version that has a clause with that key.
   */
  clause(planId: string, key: string, options?: { version?: string }): Promise<ClauseTimeline | undefined>;
  /** A version's (or snapshot's) full text with its provenance, for exports. */
  text(planId: string, ref: string): Promise<CompareSide | undefined>;
  sources(): Promise<SourceSummary[]>;
  source(sourceId: string): Promise<SourceHistory | undefined>;
  /** A snapshot of the source with its raw body as fetched. */
  snapshotBody(
    sourceId: string,
    snapshotId: string,
  ): Promise<{ snapshot: SnapshotRecord; body: Buffer } | undefined>;
  /** The raw body with this sha256, when stored. */
  body(hash: string): Promise<Buffer | undefined>;
  metrics(): Promise<HistoryMetrics>;
  /** Whether the store can be read now (`/healthz`). */
  readable(): Promise<boolean>;
  close(): Promise<void>;
}

const SNAPSHOT_ID = /^[0-9a-f]{16}$/;
const VERSION_LABEL = /^v\d+$/;
const BODY_HASH = /^[0-9a-f]{64}$/;
const DIFF_CACHE_SIZE = 64;

function provenanceOf(record: SnapshotRecord): Provenance {
  const optional = <K extends keyof Provenance>(key: K, value: Provenance[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    snapshotId: record.id,
    sourceId: record.sourceId,
    url: record.url,
    finalUrl: record.finalUrl,
    status: record.status,
    fetchedAt: record.fetchedAt,
    bodyHash: record.bodyHash,
    clauseSetHash: record.clauseSetHash,
    extractorVersion: record.extractorVersion,
    ...optional("contentType", record.contentType),
    ...optional("charset", record.charset),
    ...optional("etag", record.etag),
    ...optional("lastModified", record.lastModified),
  };
}

function changedCount(summary: VersionRecord["summary"]): number {
  if (!summary) return 0;
  const { modified, removed, added, split, merged, moved } = summary;
  return modified + removed + added + split + merged + moved;
}

function sighting(record: WitnessRecord): WitnessSighting {
  return {
    sourceId: record.sourceId,
    snapshotId: record.snapshotId,
    at: record.at,
    relation: record.relation,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.departures ? { departures: record.departures } : {}),
  };
}

function sourceRef(source: SourceConfig): SourceRef {
  return {
    id: source.id,
    ...(source.title ? { title: source.title } : {}),
    url: source.url,
    role: source.role,
    plan: source.plan,
  };
}

/** Opens the configured store's history read-only (no lock, no migration; safe beside running workers). */
export async function openHistory(options: HistoryOptions): Promise<History> {
  const { config } = options;
  const settings = config.storage ?? { driver: "fs", dir: config.storageDir };
  const store = options.store ?? (await openConfiguredStore(settings, { readOnly: true }));
  const ownsStore = options.store === undefined;
  // Snapshots are immutable, so their diffs can be kept; the cache is bounded, oldest out first.
  const diffs = new Map<string, DiffResult>();

  const planConfig = (planId: string) => config.plans.find((plan) => plan.id === planId);
  const sourceConfig = (sourceId: string): SourceConfig | undefined => {
    const configured = config.sources.find((source) => source.id === sourceId);
    if (configured) return configured;
    // A discovered article is a coverage source of its feed's plan.
    const feed = feedOfArticle(config.sources, sourceId);
    return feed
      ? { ...feed, id: sourceId, role: "coverage", title: `${feed.title ?? feed.id}: article` }
      : undefined;
  };
  const planSources = (planId: string) => config.sources.filter((source) => source.plan === planId);

  async function lineageOf(planId: string) {
    const records = await readLineage(store, planId);
    return {
      versions: records.filter((record): record is VersionRecord => record.type === "version"),
      witnesses: records.filter((record): record is WitnessRecord => record.type === "witness"),
    };
  }

  async function coverageOf(planId: string): Promise<CoverageRecord[]> {
    return (await readCoverage(store, planId)).filter((record) => record.planId === planId);
  }

  async function snapshot(id: string): Promise<StoredSnapshot | undefined> {
    if (!SNAPSHOT_ID.test(id)) return undefined;
    // History recorded before outlines reads as outlines too.
    return store
      .getSnapshot(id)
      .then((snapshot) => ({ ...snapshot, clauseSet: upgradeClauseSet(snapshot.clauseSet) }))
      .catch(() => undefined);
  }

  async function snapshotRecord(id: string): Promise<SnapshotRecord | undefined> {
    const found = await snapshot(id);
    if (!found) return undefined;
    const { clauseSet: _clauseSet, ...record } = found;
    return record;
  }

  function diffOf(fromId: string, from: ClauseSet, toId: string, to: ClauseSet): DiffResult {
    const key = `${fromId}..${toId}`;
    const cached = diffs.get(key);
    if (cached) return cached;
    const result = diffClauses(from, to);
    diffs.set(key, result);
    if (diffs.size > DIFF_CACHE_SIZE) {
      const oldest = diffs.keys().next().value;
      if (oldest !== undefined) diffs.delete(oldest);
    }
    return result;
  }

  async function changesOf(filter: { planId: string } | { sourceId: string }): Promise<SourceChange[]> {
    return (await store.listChanges(filter)) as SourceChange[];
  }

  async function resolveSide(planId: string, ref: string): Promise<CompareSide | undefined> {
    const { versions, witnesses } = await lineageOf(planId);
    let snapshotId: string | undefined;
    let version: string | undefined;
    if (VERSION_LABEL.test(ref)) {
      const found = versions.find((candidate) => candidate.id === ref);
      if (!found) return undefined;
      snapshotId = found.snapshotId;
      version = found.id;
    } else if (SNAPSHOT_ID.test(ref)) {
      snapshotId = ref;
      version =
        versions.find((candidate) => candidate.snapshotId === ref)?.id ??
        witnesses.find((witness) => witness.snapshotId === ref)?.version;
    } else {
      return undefined;
    }
    const stored = await snapshot(snapshotId);
    if (!stored) return undefined;
    // A snapshot id names a copy of this plan only when one of its sources (or its lineage) has it.
    const belongs =
      version !== undefined || planSources(planId).some((source) => source.id === stored.sourceId);
    if (!belongs) return undefined;
    const { clauseSet, ...record } = stored;
    return {
      ref,
      ...(version ? { version } : {}),
      snapshotId,
      sourceId: stored.sourceId,
      provenance: provenanceOf(record),
      clauseSet,
    };
  }

  function sourceSummary(source: SourceConfig | undefined, overview: SourceOverview): SourceSummary {
    const { sourceId, state } = overview;
    return {
      id: sourceId,
      ...(source?.title ? { title: source.title } : {}),
      url: source?.url ?? overview.latestUrl ?? "",
      role: source?.role ?? "draft",
      plan: source?.plan ?? "",
      health: state?.health ?? "unknown",
      ...(state?.lastCheckAt ? { lastCheckAt: state.lastCheckAt } : {}),
      ...(state?.lastSuccessAt ? { lastSuccessAt: state.lastSuccessAt } : {}),
      ...(state?.lastChangeAt ? { lastChangeAt: state.lastChangeAt } : {}),
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      ...(state?.lastError ? { lastError: state.lastError } : {}),
      snapshots: overview.snapshots,
    };
  }

  /** Configured sources first (in config order), then any others the store knows, with what it holds. */
  async function overviews(): Promise<SourceOverview[]> {
    const stored = new Map(
      (await store.listSourceOverviews()).map((overview) => [overview.sourceId, overview]),
    );
    const ids = [...new Set([...config.sources.map((source) => source.id), ...stored.keys()])];
    return ids.map((sourceId) => stored.get(sourceId) ?? { sourceId, snapshots: 0 });
  }

  async function knownSourceIds(): Promise<string[]> {
    const stored = await store.listSources();
    return [...new Set([...config.sources.map((source) => source.id), ...stored])];
  }

  const history: History = {
    async plans() {
      const changes = await store.countChanges("planId");
      return Promise.all(
        config.plans.map(async (plan): Promise<PlanSummary> => {
          const { versions } = await lineageOf(plan.id);
          const coverage = await coverageOf(plan.id);
          const latest = versions[versions.length - 1];
          return {
            id: plan.id,
            title: plan.title,
            ...(plan.description ? { description: plan.description } : {}),
            versions: versions.length,
            ...(latest ? { latest: { id: latest.id, firstSeen: latest.firstSeen } } : {}),
            sources: planSources(plan.id).map((source) => source.id),
            changes: changes[plan.id] ?? 0,
            reportedVariants: coverage.filter((record) => record.type === "variant").length,
          };
        }),
      );
    },

    async plan(planId) {
      const plan = planConfig(planId);
      if (!plan) return undefined;
      const { versions, witnesses } = await lineageOf(planId);
      const coverage = await coverageOf(planId);
      const summaries = await Promise.all(
        versions.map(async (version): Promise<VersionSummary> => {
          const record = await snapshotRecord(version.snapshotId);
          const seen = witnesses.filter((witness) => witness.version === version.id);
          return {
            id: version.id,
            firstSeen: version.firstSeen,
            sourceId: version.sourceId,
            snapshotId: version.snapshotId,
            fingerprint: version.fingerprint,
            clauses: version.clauses,
            ...(version.parent ? { parent: version.parent } : {}),
            ...(version.headline ? { headline: version.headline } : {}),
            ...(version.summary ? { summary: version.summary } : {}),
            changes: changedCount(version.summary),
            ...(record ? { provenance: provenanceOf(record) } : {}),
            witnesses: seen.filter((witness) => witness.relation !== "divergent").map(sighting),
            divergent: seen.filter((witness) => witness.relation === "divergent").map(sighting),
          };
        }),
      );
      return {
        plan,
        versions: summaries,
        reported: coverage
          .filter((record): record is VariantRecord => record.type === "variant")
          .map((record) => ({ ...record, reported: true as const })),
        mismatches: coverage.filter((record): record is MismatchRecord => record.type === "mismatch"),
        mentions: coverage.filter((record) => record.type === "mention").length,
        changes: await changesOf({ planId }),
        sources: planSources(planId).map(sourceRef),
        discovered: await discoveredArticles(store, config.sources, planId),
      };
    },

    async compare(planId, from, to) {
      if (!planConfig(planId)) return undefined;
      const [fromSide, toSide] = await Promise.all([resolveSide(planId, from), resolveSide(planId, to)]);
      if (!fromSide || !toSide) return undefined;
      return {
        planId,
        from: fromSide,
        to: toSide,
        diff: diffOf(fromSide.snapshotId, fromSide.clauseSet, toSide.snapshotId, toSide.clauseSet),
        noun: clauseNoun(toSide.clauseSet),
      };
    },

    async text(planId, ref) {
      if (!planConfig(planId)) return undefined;
      return resolveSide(planId, ref);
    },

    async clause(planId, key, options = {}) {
      if (!planConfig(planId)) return undefined;
      const { versions } = await lineageOf(planId);
      const texts = new Map<string, ClauseSet>();
      for (const version of versions) {
        const stored = await snapshot(version.snapshotId);
        if (stored) texts.set(version.id, stored.clauseSet);
      }
      const has = (versionId: string, clauseKey: string) =>
        texts.get(versionId)?.clauses.some((clause) => clause.key === clauseKey) ?? false;
      const anchor = options.version
        ? versions.find((version) => version.id === options.version && has(version.id, key))
        : versions.find((version) => has(version.id, key));
      if (options.version && !anchor) return undefined;

      // Each version is compared with the one it derives from: its lineage parent, else the one before.
      const previousOf = new Map<string, VersionRecord>();
      for (const [index, version] of versions.entries()) {
        const previous = version.parent
          ? versions.find((candidate) => candidate.id === version.parent)
          : versions[index - 1];
        if (previous && texts.has(previous.id) && texts.has(version.id)) previousOf.set(version.id, previous);
      }
      const diffFrom = (version: VersionRecord): DiffResult | undefined => {
        const previous = previousOf.get(version.id);
        const from = previous && texts.get(previous.id);
        const to = texts.get(version.id);
        return previous && from && to ? diffOf(previous.snapshotId, from, version.snapshotId, to) : undefined;
      };

      // Follow the clause through renumbering, forwards and backwards along the comparisons.
      const keyIn = new Map<string, string>();
      if (anchor) keyIn.set(anchor.id, key);
      for (let grew = anchor !== undefined; grew; ) {
        grew = false;
        for (const version of versions) {
          const previous = previousOf.get(version.id);
          const diff = previous && diffFrom(version);
          if (!previous || !diff) continue;
          const oldKey = keyIn.get(previous.id);
          const newKey = keyIn.get(version.id);
          if (oldKey !== undefined && newKey === undefined) {
            const next = diff.entries.find((entry) => entry.old.includes(oldKey))?.new[0];
            if (next !== undefined) {
              keyIn.set(version.id, next);
              grew = true;
            }
          } else if (newKey !== undefined && oldKey === undefined) {
            const before = diff.entries.find((entry) => entry.new.includes(newKey))?.old[0];
            if (before !== undefined) {
              keyIn.set(previous.id, before);
              grew = true;
            }
          }
        }
      }

      const rows = versions.map((version): ClauseAtVersion => {
        const base: ClauseAtVersion = {
          version: version.id,
          firstSeen: version.firstSeen,
          snapshotId: version.snapshotId,
        };
        const ownKey = keyIn.get(version.id);
        const previous = previousOf.get(version.id);
        const previousKey = previous ? keyIn.get(previous.id) : undefined;
        const diff = diffFrom(version);
        const entry =
          ownKey !== undefined
            ? diff?.entries.find((candidate) => candidate.new.includes(ownKey))
            : previousKey !== undefined
              ? diff?.entries.find((candidate) => candidate.old.includes(previousKey))
              : undefined;
        const clause =
          ownKey === undefined ? undefined : texts.get(version.id)?.clauses.find((c) => c.key === ownKey);
        return {
          ...base,
          ...(clause
            ? {
                key: clause.key,
                printed: clause.printed,
                text: clause.text,
                ...(clause.heading ? { heading: clause.heading } : {}),
                ...(clause.page === undefined ? {} : { page: clause.page }),
              }
            : {}),
          ...(previous && entry ? { against: previous.id } : {}),
          ...(entry
            ? {
                kind: entry.kind,
                severity: entry.severity,
                ...(entry.flags ? { flags: entry.flags } : {}),
                ...(entry.redline ? { redline: entry.redline } : {}),
              }
            : {}),
        };
      });
      const coverage = await coverageOf(planId);
      const related = coverage.filter((record) =>
        keyIn.has(record.version)
          ? keyIn.get(record.version) === record.clauseKey
          : !anchor && record.clauseKey === key,
      );
      if (!anchor && related.length === 0) return undefined;
      const anchorSet = anchor ? texts.get(anchor.id) : undefined;
      return {
        planId,
        key,
        ...(anchor ? { anchor: anchor.id } : {}),
        noun: anchorSet ? clauseNoun(anchorSet) : "Point",
        versions: rows,
        mentions: related.filter((record): record is MentionRecord => record.type === "mention"),
        reported: related
          .filter((record): record is VariantRecord => record.type === "variant")
          .map((record) => ({ ...record, reported: true as const })),
        mismatches: related.filter((record): record is MismatchRecord => record.type === "mismatch"),
      };
    },

    async sources() {
      return (await overviews()).map((overview) => sourceSummary(sourceConfig(overview.sourceId), overview));
    },

    async source(sourceId) {
      const ids = await knownSourceIds();
      if (!ids.includes(sourceId)) return undefined;
      const source = sourceConfig(sourceId);
      const [state, events, records] = await Promise.all([
        store.getSourceState(sourceId),
        store.readEvents(sourceId),
        store.listSnapshots(sourceId),
      ]);
      const latestUrl = records[records.length - 1]?.url;
      const summary = sourceSummary(source, {
        sourceId,
        ...(state ? { state } : {}),
        snapshots: records.length,
        ...(latestUrl ? { latestUrl } : {}),
      });
      const witnesses = source
        ? (await store.readPlanLog<WitnessRecord>(source.plan, "lineage", { sourceId })).filter(
            (record) => record.type === "witness",
          )
        : [];
      const snapshots = await Promise.all(
        records.map(async (record): Promise<SnapshotEntry> => {
          const stored = await snapshot(record.id);
          const witness = witnesses.find((candidate) => candidate.snapshotId === record.id);
          return {
            ...provenanceOf(record),
            ...(witness ? { lineage: { version: witness.version, relation: witness.relation } } : {}),
            clauses: stored?.clauseSet.clauses.length ?? 0,
            ...(stored?.clauseSet.title ? { title: stored.clauseSet.title } : {}),
          };
        }),
      );
      return {
        source: summary,
        ...(state ? { state } : {}),
        events,
        snapshots,
        changes: await changesOf({ sourceId }),
      };
    },

    async snapshotBody(sourceId, snapshotId) {
      const record = await snapshotRecord(snapshotId);
      if (!record || record.sourceId !== sourceId) return undefined;
      const body = await history.body(record.bodyHash);
      return body ? { snapshot: record, body } : undefined;
    },

    async body(hash) {
      if (!BODY_HASH.test(hash)) return undefined;
      if (!(await store.hasBody(hash))) return undefined;
      return store.getBody(hash);
    },

    async metrics() {
      const ids = await knownSourceIds();
      const runs = new Set<string>();
      const durations: Record<string, number[]> = {};
      const failures: Record<string, number> = {};
      let sourcesBroken = 0;
      for (const id of ids) {
        const events = await store.readEvents(id);
        durations[id] = [];
        failures[id] = 0;
        for (const event of events) {
          if (typeof event.run === "string") runs.add(event.run);
          if (typeof event.durationMs === "number") durations[id].push(event.durationMs);
          if (event.type === "failed") failures[id] += 1;
        }
        if ((await store.getSourceState(id))?.health === "broken") sourcesBroken += 1;
      }
      const changes = await store.countChanges("kind");
      const [pending, dead] = await Promise.all([
        listAlerts(store, { status: "pending" }),
        listAlerts(store, { status: "dead" }),
      ]);
      return {
        cycles: runs.size,
        durations,
        failures,
        changes,
        alerts: { pending: pending.length, dead: dead.length },
        sourcesBroken,
        sources: ids.length,
      };
    },

    async readable() {
      if (settings.driver === "fs") {
        return stat(settings.dir).then(
          (entry) => entry.isDirectory(),
          () => false,
        );
      }
      return store.listPlans().then(
        () => true,
        () => false,
      );
    },

    async close() {
      if (ownsStore) await store.close();
    },
  };
  return history;
}
