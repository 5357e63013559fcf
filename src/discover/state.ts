/**
 * What a discovery source remembers between cycles, kept inside its source state (plain JSON, so
 * every store driver holds it): the entries already judged, and the articles found, each with its
 * own validators and status.
 */
import { createHash } from "node:crypto";
import type { SourceState } from "../store/index.js";

export type ArticleStatus = "active" | "retired" | "duplicate";

export interface DiscoveredArticle {
  /** Source id the article's snapshots and coverage records are kept under: `<feed id>.<hash>`. */
  id: string;
  url: string;
  /** The URL after canonicalisation (and the page's own rel=canonical, once fetched). */
  canonical: string;
  title?: string;
  published?: string;
  discoveredAt: string;
  /** Keywords or plan terms that made it relevant. */
  matched: string[];
  status: ArticleStatus;
  /** For duplicates: the article (possibly of another feed) it repeats. */
  duplicateOf?: string;
  retiredAt?: string;
  lastCheckAt?: string;
  checks: number;
  lastSnapshotId?: string;
  bodyHash?: string;
  /** sha256 of the article's passages, for duplicates under other URLs. */
  textHash?: string;
  etag?: string;
  lastModified?: string;
  lastError?: { message: string; at: string };
}

export interface DiscoveryState {
  /** Entries already judged (relevant or not), by URL key, with when they were last listed. */
  seen: Record<string, string>;
  /** Newest first. */
  articles: DiscoveredArticle[];
}

/** The state of a discovery source with its discovery part. */
export type FeedState = SourceState & { discovery?: DiscoveryState };

export function discoveryOf(state: SourceState): DiscoveryState {
  const found = (state as FeedState).discovery;
  return { seen: { ...(found?.seen ?? {}) }, articles: [...(found?.articles ?? [])] };
}

/** Source ids are at most 64 characters: the feed id is cut to leave room for the article hash. */
export function articleSourceId(feedId: string, canonical: string): string {
  const hash = createHash("sha256").update(canonical).digest("hex").slice(0, 10);
  return `${feedId.slice(0, 53)}.${hash}`;
}

/** The discovery source an article id belongs to, among the configured ones. */
export function feedOfArticle<T extends { id: string; discover?: unknown }>(
  sources: T[],
  id: string,
): T | undefined {
  return sources.find(
    (source) =>
      source.discover !== undefined &&
      id.startsWith(`${source.id.slice(0, 53)}.`) &&
      id.length === Math.min(source.id.length, 53) + 11,
  );
}
