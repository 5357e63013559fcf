/**
 * One cycle of a discovery source (a coverage source with `discover`): read the feed or sitemap
 * (conditional GET), judge the entries not seen before against the plan, fetch each new relevant
 * article once and record it as coverage of that outlet, check the articles still in their
 * re-check window for updates, and retire the rest. The feed's own failures follow the usual
 * per-source health rules; an article that fails is noted on the article and tried again next
 * cycle, never failing the feed or another article.
 */
import { createHash } from "node:crypto";
import { collect, type FetchedOutcome } from "../collect/index.js";
import type { DiscoverSettings, SourceConfig } from "../config/index.js";
import { readFetched } from "../document.js";
import { ExtractError } from "../errors.js";
import { readLineage, type VersionRecord } from "../lineage/index.js";
import { sourceLogger } from "../log.js";
import type { ClauseSet } from "../types.js";
import { markFailed, recordFetchedCopy } from "../worker/check-source.js";
import { finish, markHealthy, type Step, startStep } from "../worker/step.js";
import type { SourceChange, SourceOutcome, WorkerContext } from "../worker/types.js";
import { type ListingEntry, parseListing } from "./listing.js";
import { canonicalUrl, declaredCanonical, judgeEntry, planVocabulary, urlKey } from "./relevance.js";
import {
  articleSourceId,
  type DiscoveredArticle,
  type DiscoveryState,
  discoveryOf,
  type FeedState,
} from "./state.js";

const HOUR = 3_600_000;
/** Judged entries remembered at most, newest first; a feed that lists more is read newest first anyway. */
const MAX_SEEN = 20_000;

interface Tally {
  entries: number;
  judged: number;
  relevant: number;
  fetched: number;
  duplicates: number;
  deferred: number;
  rechecked: number;
  retired: number;
  failed: number;
}

interface Run {
  step: Step;
  settings: DiscoverSettings;
  discovery: DiscoveryState;
  changes: SourceChange[];
  tally: Tally;
  /** Canonical URLs, body and text hashes of every article the plan's discovery sources know. */
  known: { urls: Map<string, string>; hashes: Map<string, string> };
}

/** The source an article is recorded under: the outlet's settings, the article's address. */
function articleSource(feed: SourceConfig, article: DiscoveredArticle): SourceConfig {
  const { discover: _discover, ...rest } = feed;
  return {
    ...rest,
    id: article.id,
    url: article.url,
    role: "coverage",
    format: feed.format === "pdf" || feed.format === "docx" ? feed.format : "auto",
    title: `${feed.title ?? feed.id}: ${article.title ?? article.url}`,
    enabled: false,
  };
}

function passagesHash(set: ClauseSet): string {
  return createHash("sha256")
    .update(set.clauses.map((clause) => clause.norm).join("\n"))
    .digest("hex");
}

async function latestVersion(ctx: WorkerContext, planId: string): Promise<ClauseSet | undefined> {
  const versions = (await readLineage(ctx.config.storageDir, planId)).filter(
    (record): record is VersionRecord => record.type === "version",
  );
  const latest = versions[versions.length - 1];
  if (!latest) return undefined;
  return (await ctx.store.getSnapshot(latest.snapshotId).catch(() => undefined))?.clauseSet;
}

/** Articles of every discovery source of the plan (the others' from the store), for dedupe across feeds. */
async function knownArticles(
  ctx: WorkerContext,
  feed: SourceConfig,
  own: DiscoveryState,
): Promise<Run["known"]> {
  const urls = new Map<string, string>();
  const hashes = new Map<string, string>();
  for (const source of ctx.config.sources) {
    if (source.plan !== feed.plan) continue;
    if (!source.discover) {
      urls.set(canonicalUrl(source.url), source.id);
      continue;
    }
    const state = source.id === feed.id ? undefined : await ctx.store.getSourceState(source.id);
    const articles = source.id === feed.id ? own.articles : discoveryOf(state ?? ({} as FeedState)).articles;
    for (const article of articles) {
      if (article.status === "duplicate") continue;
      urls.set(article.canonical, article.id);
      if (article.bodyHash) hashes.set(article.bodyHash, article.id);
      if (article.textHash) hashes.set(article.textHash, article.id);
    }
  }
  return { urls, hashes };
}

function remember(run: Run, article: DiscoveredArticle): void {
  run.known.urls.set(article.canonical, article.id);
  if (article.bodyHash) run.known.hashes.set(article.bodyHash, article.id);
  if (article.textHash) run.known.hashes.set(article.textHash, article.id);
}

/** Fetches an article (conditionally) and records a new text of it; returns false when it failed. */
async function checkArticle(run: Run, article: DiscoveredArticle, fresh: boolean): Promise<void> {
  const { step } = run;
  const feed = step.source;
  const source = articleSource(feed, article);
  article.lastCheckAt = step.at;
  article.checks += 1;
  try {
    const outcome = await collect(
      {
        sourceId: article.id,
        url: article.url,
        headers: feed.http.headers,
        ...(article.etag ? { etag: article.etag } : {}),
        ...(article.lastModified ? { lastModified: article.lastModified } : {}),
        ...(article.bodyHash && article.lastSnapshotId ? { previousBodyHash: article.bodyHash } : {}),
        ...(feed.render ? { render: feed.render } : {}),
      },
      {
        timeoutMs: feed.http.timeoutMs,
        maxBytes: feed.http.maxBytes,
        maxRedirects: feed.http.maxRedirects,
        userAgent: feed.http.userAgent,
        retries: feed.http.retries,
      },
      step.ctx.limiter,
    );
    if (outcome.etag) article.etag = outcome.etag;
    if (outcome.lastModified) article.lastModified = outcome.lastModified;
    delete article.lastError;
    if (outcome.kind !== "fetched") return;
    if (
      fresh &&
      isDuplicate(run, article, outcome, await readFetched(outcome, source, step.ctx.config.documents))
    ) {
      return;
    }
    const recorded = await recordFetchedCopy(step.ctx, source, step.runId, outcome);
    article.bodyHash = outcome.bodyHash;
    if (recorded.snapshotId) {
      article.lastSnapshotId = recorded.snapshotId;
      article.textHash = passagesHash((await step.ctx.store.getSnapshot(recorded.snapshotId)).clauseSet);
    }
    run.changes.push(...recorded.changes);
    if (fresh) remember(run, article);
  } catch (error) {
    run.tally.failed += 1;
    const message = error instanceof Error ? error.message : String(error);
    article.lastError = { message, at: step.at };
    sourceLogger(step.ctx.logger, feed.id, step.runId).warn(
      { err: { message }, article: article.url },
      "article check failed",
    );
  }
}

/** A new article that repeats a known one (same canonical page, same bytes, same passages) is kept as a duplicate. */
function isDuplicate(
  run: Run,
  article: DiscoveredArticle,
  outcome: FetchedOutcome,
  passages: ClauseSet,
): boolean {
  const declared = outcome.binary ? undefined : declaredCanonical(outcome.text, outcome.finalUrl);
  if (declared) article.canonical = declared;
  const textHash = passagesHash(passages);
  const original =
    run.known.urls.get(article.canonical) ??
    run.known.hashes.get(outcome.bodyHash) ??
    run.known.hashes.get(textHash);
  if (original === undefined || original === article.id) return false;
  article.status = "duplicate";
  article.duplicateOf = original;
  run.tally.duplicates += 1;
  return true;
}

function newestFirst(a: ListingEntry, b: ListingEntry): number {
  return (b.published ?? "").localeCompare(a.published ?? "");
}

async function discoverEntries(run: Run, entries: ListingEntry[]): Promise<void> {
  const { step, settings, discovery } = run;
  const now = Date.parse(step.at);
  const vocabulary = settings.planVocabulary
    ? planVocabulary(step.plan?.title ?? step.source.plan, await latestVersion(step.ctx, step.source.plan))
    : undefined;
  const unseen: Array<{ entry: ListingEntry; key: string; matched: string[] }> = [];
  for (const entry of [...entries].sort(newestFirst)) {
    const canonical = canonicalUrl(entry.url);
    const key = urlKey(canonical);
    if (discovery.seen[key] !== undefined) {
      discovery.seen[key] = step.at;
      continue;
    }
    const old =
      entry.published !== undefined && now - Date.parse(entry.published) > settings.maxAgeHours * HOUR;
    const { relevant, matched } = old
      ? { relevant: false, matched: [] }
      : judgeEntry(entry, settings.keywords, vocabulary);
    run.tally.judged += 1;
    if (!relevant) {
      discovery.seen[key] = step.at;
      continue;
    }
    run.tally.relevant += 1;
    unseen.push({ entry, key, matched });
  }
  // Beyond the per-cycle cap, relevant entries stay unseen and are taken next cycle, newest first.
  run.tally.deferred = Math.max(0, unseen.length - settings.maxEntriesPerCycle);
  for (const { entry, key, matched } of unseen.slice(0, settings.maxEntriesPerCycle)) {
    discovery.seen[key] = step.at;
    const canonical = canonicalUrl(entry.url);
    const article: DiscoveredArticle = {
      id: articleSourceId(step.source.id, canonical),
      url: entry.url,
      canonical,
      ...(entry.title ? { title: entry.title } : {}),
      ...(entry.published ? { published: entry.published } : {}),
      discoveredAt: step.at,
      matched,
      status: "active",
      checks: 0,
    };
    discovery.articles.unshift(article);
    const original = run.known.urls.get(canonical);
    if (original !== undefined) {
      article.status = "duplicate";
      article.duplicateOf = original;
      run.tally.duplicates += 1;
      continue;
    }
    await checkArticle(run, article, true);
    if (article.status === "active" && article.lastSnapshotId) run.tally.fetched += 1;
  }
}

/** Articles in their window are checked again (conditionally); the others are retired. */
async function recheckArticles(run: Run, skip: Set<string>): Promise<void> {
  const now = Date.parse(run.step.at);
  for (const article of run.discovery.articles) {
    if (article.status !== "active" || skip.has(article.id)) continue;
    if (now - Date.parse(article.discoveredAt) >= run.settings.recheckHours * HOUR) {
      article.status = "retired";
      article.retiredAt = run.step.at;
      run.tally.retired += 1;
      continue;
    }
    run.tally.rechecked += 1;
    await checkArticle(run, article, !article.lastSnapshotId);
  }
}

function prune(discovery: DiscoveryState, settings: DiscoverSettings, at: string): void {
  const horizon = Date.parse(at) - (Math.max(settings.maxAgeHours, settings.recheckHours) + 24) * HOUR;
  const keys = Object.entries(discovery.seen)
    .filter(([, listed]) => Date.parse(listed) >= horizon)
    .sort((a, b) => b[1].localeCompare(a[1]))
    .slice(0, MAX_SEEN);
  discovery.seen = Object.fromEntries(keys);
  const active = discovery.articles.filter((article) => article.status === "active");
  const done = discovery.articles.filter((article) => article.status !== "active");
  discovery.articles = [...active, ...done.slice(0, Math.max(0, settings.maxArticles - active.length))].sort(
    (a, b) =>
      b.discoveredAt.localeCompare(a.discoveredAt) || (b.published ?? "").localeCompare(a.published ?? ""),
  );
}

/**
 * Checks one discovery source inside the per-source boundary: whatever fails is recorded on this
 * source (or on the article) and returned, never thrown.
 */
export async function checkDiscoverySource(
  ctx: WorkerContext,
  source: SourceConfig & { discover: DiscoverSettings },
  runId: string,
): Promise<SourceOutcome> {
  const started = performance.now();
  const step = await startStep(ctx, source, runId, (ctx.now?.() ?? new Date()).toISOString());
  step.state.lastCheckAt = step.at;
  let entries: ListingEntry[] | undefined;
  try {
    const outcome = await collect(
      {
        sourceId: source.id,
        url: source.url,
        headers: source.http.headers,
        ...(step.state.etag ? { etag: step.state.etag } : {}),
        ...(step.state.lastModified ? { lastModified: step.state.lastModified } : {}),
        ...(step.state.lastBodyHash ? { previousBodyHash: step.state.lastBodyHash } : {}),
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
    if (outcome.kind === "fetched") {
      if (outcome.binary) {
        throw new ExtractError(
          `${source.id}: a ${outcome.binary.toUpperCase()} file, not a feed or sitemap`,
          {
            source: source.id,
          },
        );
      }
      entries = parseListing(outcome.text, source.id, outcome.finalUrl).entries;
      step.state.lastBodyHash = outcome.bodyHash;
    }
    const { etag: _etag, lastModified: _lastModified, ...rest } = step.state;
    step.state = {
      ...rest,
      ...(outcome.etag ? { etag: outcome.etag } : {}),
      ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
    };
  } catch (error) {
    return markFailed(step, error, started);
  }

  const discovery = discoveryOf(step.state);
  const run: Run = {
    step,
    settings: source.discover,
    discovery,
    changes: [],
    tally: {
      entries: entries?.length ?? 0,
      judged: 0,
      relevant: 0,
      fetched: 0,
      duplicates: 0,
      deferred: 0,
      rechecked: 0,
      retired: 0,
      failed: 0,
    },
    known: await knownArticles(ctx, source, discovery),
  };
  const before = new Set(discovery.articles.map((article) => article.id));
  if (entries) await discoverEntries(run, entries);
  const fresh = new Set(
    discovery.articles.filter((article) => !before.has(article.id)).map((article) => article.id),
  );
  await recheckArticles(run, fresh);
  prune(discovery, source.discover, step.at);
  step.state = { ...step.state, discovery } as FeedState;
  if (run.tally.deferred > 0) {
    // Entries left for the next cycle are in this listing: read it again then, whatever the validators say.
    const { etag: _etag, lastModified: _lastModified, lastBodyHash: _hash, ...rest } = step.state;
    step.state = rest;
  }
  await markHealthy(step);
  await ctx.store.appendEvent(source.id, { at: step.at, type: "discovery", run: runId, ...run.tally });
  const status =
    run.changes.length > 0 || run.tally.fetched > 0 ? "changed" : entries ? "unchanged" : "not-modified";
  const outcome = await finish(step, status, started);
  return { ...outcome, changes: [...outcome.changes, ...run.changes] };
}
