/**
 * The read model of the history: plans, versions, comparisons, clause timelines, the clause ×
 * version map, search and source records, assembled from the store, the lineage, the coverage log
 * and the outbox. It never writes and never takes the store lock, so it runs beside a live worker.
 * Everything returned is plain JSON (the web view's API serves these objects as they are; their
 * types are in types.ts). Snapshots are immutable, so what is derived from them (clause sets,
 * comparisons) is kept in bounded caches.
 */

import { stat } from "node:fs/promises";
import { listAlerts } from "../alert/index.js";
import { upgradeClauseSet } from "../clauses/legacy.js";
import type { SourceConfig } from "../config/index.js";
import { readCoverage } from "../coverage/index.js";
import type { CoverageRecord, MismatchRecord, VariantRecord } from "../coverage/types.js";
import { type DiffResult, diffClauses } from "../diff/index.js";
import { discoveredArticles } from "../discover/read.js";
import { feedOfArticle } from "../discover/state.js";
import type { VersionRecord, WitnessRecord } from "../lineage/index.js";
import { readLineage } from "../lineage/index.js";
import { clauseNoun, outlineSize } from "../report/headline.js";
import {
  openConfiguredStore,
  type SnapshotRecord,
  type SourceOverview,
  type StoredSnapshot,
} from "../store/index.js";
import type { ClauseSet } from "../types.js";
import type { SourceChange } from "../worker/types.js";
import { createWeightedCache } from "./cache.js";
import { buildClauseTimeline } from "./clause-timeline.js";
import { type Edge, edgeFromDiff } from "./edges.js";
import { chronological } from "./export.js";
import { buildChart, buildClauseMap, MAP_COLUMNS, MAP_ROWS_PER_PAGE, mapWindow } from "./map.js";
import { changedCount, groupBy, provenanceOf, sighting, sourceRef } from "./records.js";
import { type PassageInput, searchPlan } from "./search.js";
import type {
  CompareSide,
  History,
  HistoryOptions,
  PlanSummary,
  SnapshotEntry,
  SourceSummary,
  VersionCopy,
  VersionSummary,
} from "./types.js";
import { buildVersionView } from "./version.js";

export type * from "./types.js";

const SNAPSHOT_ID = /^[0-9a-f]{16}$/;
const VERSION_LABEL = /^v\d+$/;
const BODY_HASH = /^[0-9a-f]{64}$/;
/** Full comparisons (with redlines) kept for the comparison pages. */
const DIFF_CACHE_SIZE = 64;
/** Clause sets kept, counted in clauses: a thousand versions of a 56-clause plan, 80 of 3,000 clauses. */
const SNAPSHOT_CACHE_CLAUSES = 250_000;
/** Comparisons without redlines kept for timelines and the map, counted in entries. */
const EDGE_CACHE_ENTRIES = 400_000;

/** Opens the configured store's history read-only (no lock, no migration; safe beside running workers). */
export async function openHistory(options: HistoryOptions): Promise<History> {
  const { config } = options;
  const settings = config.storage ?? { driver: "fs", dir: config.storageDir };
  const store = options.store ?? (await openConfiguredStore(settings, { readOnly: true }));
  const ownsStore = options.store === undefined;
  // Snapshots are immutable, so their diffs can be kept; the caches are bounded, oldest out first.
  const diffs = new Map<string, DiffResult>();
  const snapshots = createWeightedCache<StoredSnapshot>(SNAPSHOT_CACHE_CLAUSES);
  const edges = createWeightedCache<Edge>(EDGE_CACHE_ENTRIES);

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
    const versions = records.filter((record): record is VersionRecord => record.type === "version");
    return {
      versions,
      witnesses: records.filter((record): record is WitnessRecord => record.type === "witness"),
      /** In order of first sight: the order of the map's columns and of a version's neighbours. */
      chronological: chronological(versions),
    };
  }

  async function coverageOf(planId: string): Promise<CoverageRecord[]> {
    return (await readCoverage(store, planId)).filter((record) => record.planId === planId);
  }

  async function snapshot(id: string): Promise<StoredSnapshot | undefined> {
    if (!SNAPSHOT_ID.test(id)) return undefined;
    const cached = snapshots.get(id);
    if (cached) return cached;
    // History recorded before outlines reads as outlines too.
    const found = await store
      .getSnapshot(id)
      .then((stored) => ({ ...stored, clauseSet: upgradeClauseSet(stored.clauseSet) }))
      .catch(() => undefined);
    if (found) snapshots.set(id, found, found.clauseSet.clauses.length + 1);
    return found;
  }

  async function snapshotRecord(id: string): Promise<SnapshotRecord | undefined> {
    const found = await snapshot(id);
    if (!found) return undefined;
    const { clauseSet: _clauseSet, ...record } = found;
    return record;
  }

  /** The clause sets of these versions by version id (a version whose snapshot is missing is left out). */
  async function textsOf(versions: VersionRecord[]): Promise<Map<string, ClauseSet>> {
    const found = await Promise.all(versions.map((version) => snapshot(version.snapshotId)));
    const texts = new Map<string, ClauseSet>();
    versions.forEach((version, index) => {
      const stored = found[index];
      if (stored) texts.set(version.id, stored.clauseSet);
    });
    return texts;
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

  /** The comparison without redlines, from the full one when that is at hand. */
  function edgeOf(fromId: string, from: ClauseSet, toId: string, to: ClauseSet): Edge {
    const key = `${fromId}..${toId}`;
    const cached = edges.get(key);
    if (cached) return cached;
    const edge = edgeFromDiff(diffs.get(key) ?? diffClauses(from, to, { redlines: false }), clauseNoun(to));
    edges.set(key, edge, edge.entries.length + 1);
    return edge;
  }

  function versionEdge(texts: Map<string, ClauseSet>, from: VersionRecord, to: VersionRecord) {
    const old = texts.get(from.id);
    const now = texts.get(to.id);
    return old && now ? edgeOf(from.snapshotId, old, to.snapshotId, now) : undefined;
  }

  async function changesOf(filter: { planId: string } | { sourceId: string }): Promise<SourceChange[]> {
    return (await store.listChanges(filter)) as SourceChange[];
  }

  async function resolveSide(planId: string, ref: string): Promise<CompareSide | undefined> {
    const { versions, witnesses } = await lineageOf(planId);
    let snapshotId: string | undefined;
    let version: VersionRecord | undefined;
    if (VERSION_LABEL.test(ref)) {
      version = versions.find((candidate) => candidate.id === ref);
      if (!version) return undefined;
      snapshotId = version.snapshotId;
    } else if (SNAPSHOT_ID.test(ref)) {
      snapshotId = ref;
      const label =
        versions.find((candidate) => candidate.snapshotId === ref)?.id ??
        witnesses.find((witness) => witness.snapshotId === ref)?.version;
      version = versions.find((candidate) => candidate.id === label);
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
      ...(version ? { version: version.id, firstSeen: version.firstSeen } : {}),
      snapshotId,
      sourceId: stored.sourceId,
      provenance: provenanceOf(record),
      clauseSet,
    };
  }

  async function copyOf(witness: WitnessRecord): Promise<VersionCopy> {
    const record = await snapshotRecord(witness.snapshotId);
    const title = sourceConfig(witness.sourceId)?.title;
    return {
      ...sighting(witness),
      ...(title ? { title } : {}),
      ...(record ? { url: record.url, bodyHash: record.bodyHash } : {}),
    };
  }

  /** Every passage of the plan's coverage: the coverage log's, and each coverage article's as stored. */
  async function passagesOf(planId: string, coverage: CoverageRecord[]): Promise<PassageInput[]> {
    const passages: PassageInput[] = [];
    const articles = [
      ...planSources(planId)
        .filter((source) => source.role === "coverage" && !source.discover)
        .map((source) => ({ id: source.id, title: source.title })),
      ...(await discoveredArticles(store, config.sources, planId)).map((article) => ({
        id: article.id,
        title: article.title,
      })),
    ];
    const titles = new Map(articles.map((article) => [article.id, article.title]));
    for (const record of coverage) {
      const title = titles.get(record.sourceId) ?? sourceConfig(record.sourceId)?.title;
      passages.push({
        sourceId: record.sourceId,
        ...(title ? { title } : {}),
        snapshotId: record.snapshotId,
        at: record.at,
        passage: record.passage,
        clause: { version: record.version, key: record.clauseKey, via: record.type },
      });
    }
    for (const article of articles) {
      for (const record of await store.listSnapshots(article.id).catch(() => [])) {
        const stored = await snapshot(record.id);
        const title = article.title ?? stored?.clauseSet.title;
        for (const clause of stored?.clauseSet.clauses ?? []) {
          const passage = clause.heading ? `${clause.heading}\n${clause.text}` : clause.text;
          if (passage.trim() === "") continue;
          passages.push({
            sourceId: article.id,
            ...(title ? { title } : {}),
            url: record.url,
            snapshotId: record.id,
            at: record.fetchedAt,
            passage,
          });
        }
      }
    }
    return passages;
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

    async plan(planId, options = {}) {
      const plan = planConfig(planId);
      if (!plan) return undefined;
      const { versions, witnesses } = await lineageOf(planId);
      // Newest first, as the timeline pages through them.
      const perPage = options.perPage ?? versions.length;
      const firstShown = options.page ? versions.length - options.page * perPage : 0;
      const lastShown = options.page ? firstShown + perPage - 1 : versions.length - 1;
      const described = (index: number) => index >= firstShown && index <= lastShown;
      const coverage = await coverageOf(planId);
      const texts = await textsOf(versions);
      const byId = new Map(versions.map((version) => [version.id, version]));
      const seenBy = groupBy(witnesses, (witness) => witness.version);
      const summaries = await Promise.all(
        versions.map(async (version, index): Promise<VersionSummary> => {
          const record = await snapshotRecord(version.snapshotId);
          const seen = seenBy.get(version.id) ?? [];
          const parent = version.parent && described(index) ? byId.get(version.parent) : undefined;
          const edge = parent ? versionEdge(texts, parent, version) : undefined;
          const text = texts.get(version.id);
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
            ...(edge ? { whatChanged: edge.whatChanged } : {}),
            ...(text ? { size: outlineSize(text) } : {}),
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
        chart: buildChart(
          versions,
          coverage.filter((record) => record.type === "mention").map((record) => record.at),
        ),
      };
    },

    async compare(planId, from, to) {
      if (!planConfig(planId)) return undefined;
      const [fromSide, toSide] = await Promise.all([resolveSide(planId, from), resolveSide(planId, to)]);
      if (!fromSide || !toSide) return undefined;
      const { versions } = await lineageOf(planId);
      return {
        planId,
        planTitle: planConfig(planId)?.title ?? planId,
        versions: versions.map((version) => version.id),
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

    async version(planId, ref) {
      const plan = planConfig(planId);
      if (!plan) return undefined;
      const side = await resolveSide(planId, ref);
      if (!side) return undefined;
      const { versions, witnesses, chronological: ordered } = await lineageOf(planId);
      const record = versions.find((version) => version.id === side.version);
      const parent = record?.parent ? versions.find((version) => version.id === record.parent) : undefined;
      const parentText = parent ? (await snapshot(parent.snapshotId))?.clauseSet : undefined;
      const whatChanged =
        record && parent && parentText
          ? edgeOf(parent.snapshotId, parentText, record.snapshotId, side.clauseSet).whatChanged
          : undefined;
      const seen = record ? witnesses.filter((witness) => witness.version === record.id) : [];
      return buildVersionView({
        planId,
        planTitle: plan.title,
        side,
        chronological: ordered,
        ...(whatChanged ? { whatChanged } : {}),
        witnesses: await Promise.all(seen.filter((witness) => witness.relation !== "divergent").map(copyOf)),
        divergent: await Promise.all(seen.filter((witness) => witness.relation === "divergent").map(copyOf)),
      });
    },

    async map(planId, options = {}) {
      const plan = planConfig(planId);
      if (!plan) return undefined;
      const { chronological: ordered } = await lineageOf(planId);
      const columns = Math.max(1, Math.min(options.columns ?? MAP_COLUMNS, 200));
      const window = mapWindow(ordered, options.from, columns);
      if (!window) return undefined;
      const wanted = ordered.slice(Math.max(0, window.start - 1), window.end);
      const texts = await textsOf(wanted);
      const coverage = await coverageOf(planId);
      const newest = ordered[window.end - 1];
      const newestText = newest ? texts.get(newest.id) : undefined;
      return buildClauseMap({
        planId,
        planTitle: plan.title,
        noun: newestText ? clauseNoun(newestText) : "Point",
        versions: ordered,
        start: window.start,
        end: window.end,
        sets: texts,
        edge: (index) => {
          const from = ordered[index - 1];
          const to = ordered[index];
          return from && to ? versionEdge(texts, from, to) : undefined;
        },
        rows: options.rows ?? "all",
        page: options.page ?? 1,
        perPage: options.rowsPerPage ?? MAP_ROWS_PER_PAGE,
        chart: buildChart(
          ordered,
          coverage.filter((record) => record.type === "mention").map((record) => record.at),
        ),
      });
    },

    async search(planId, query) {
      const plan = planConfig(planId);
      if (!plan) return undefined;
      const { chronological: ordered } = await lineageOf(planId);
      const texts = await textsOf(ordered);
      const coverage = await coverageOf(planId);
      const newest = ordered[ordered.length - 1];
      const newestText = newest ? texts.get(newest.id) : undefined;
      return searchPlan({
        planId,
        planTitle: plan.title,
        noun: newestText ? clauseNoun(newestText) : "Point",
        query,
        versions: ordered.flatMap((version) => {
          const set = texts.get(version.id);
          return set ? [{ id: version.id, set }] : [];
        }),
        passages: await passagesOf(planId, coverage),
      });
    },

    async clause(planId, key, options = {}) {
      if (!planConfig(planId)) return undefined;
      const { versions } = await lineageOf(planId);
      const texts = await textsOf(versions);
      const full = (from: VersionRecord, to: VersionRecord) =>
        diffOf(
          from.snapshotId,
          texts.get(from.id) as ClauseSet,
          to.snapshotId,
          texts.get(to.id) as ClauseSet,
        );
      return buildClauseTimeline({
        planId,
        key,
        ...(options.version ? { version: options.version } : {}),
        versions,
        texts,
        edge: (from, to) => versionEdge(texts, from, to) as Edge,
        diff: full,
        coverage: await coverageOf(planId),
      });
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
