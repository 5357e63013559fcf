import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { SourceConfig } from "../config/index.js";
import { closeBrowser } from "../render/index.js";
import { checkSource } from "./check-source.js";
import type { CycleReport, SourceOutcome, WorkerContext } from "./types.js";

export interface CycleOptions {
  /** Only these sources (ids); all enabled sources when absent. */
  sourceIds?: string[];
  /** Sources checked at once (hosts are limited separately). @default config.concurrency */
  concurrency?: number;
  /** Wait a random 0…jitterSeconds before each source, so sources on one schedule do not start together. @default false */
  jitter?: boolean;
  /** Stops starting new sources (a shutdown); sources in flight finish. */
  signal?: AbortSignal;
  /** Cuts short the sources in flight (a shutdown past its grace); they record nothing. */
  stopping?: AbortSignal;
  /** Called as each source's check ends. */
  onOutcome?: (outcome: SourceOutcome) => void;
}

async function runPool<T>(
  items: T[],
  concurrency: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await worker(item);
    }
  });
  await Promise.all(lanes);
}

/** Feed and sitemap sources (src/discover); their parsers load only when a config has such a source. */
async function checkDiscovery(
  ctx: WorkerContext,
  source: SourceConfig & { discover: NonNullable<SourceConfig["discover"]> },
  runId: string,
): Promise<SourceOutcome> {
  const { checkDiscoverySource } = await import("../discover/check-feed.js");
  return checkDiscoverySource(ctx, source, runId);
}

/** The sources a cycle covers, in config order; unknown ids are the caller's mistake to report. */
export function selectSources(sources: SourceConfig[], ids?: string[]): SourceConfig[] {
  if (!ids || ids.length === 0) return sources.filter((source) => source.enabled);
  return sources.filter((source) => ids.includes(source.id));
}

/**
 * One cycle: every selected source through collect → extract → compare → store, each inside its
 * own boundary, so one failing source never stops the others. `check --once` and the scheduler
 * both call this.
 */
export async function runCycle(ctx: WorkerContext, options: CycleOptions = {}): Promise<CycleReport> {
  const runId = randomUUID().slice(0, 8);
  const startedAt = (ctx.now?.() ?? new Date()).toISOString();
  const sources = selectSources(ctx.config.sources, options.sourceIds);
  const outcomes = new Map<string, SourceOutcome>();
  ctx.logger.info({ run: runId, sources: sources.length }, "cycle started");
  const lanes = options.concurrency ?? ctx.config.concurrency ?? 16;
  // With more sources than lanes, sources waiting for a parsing thread to start would hold up
  // the others: the thread starts beside the first fetches instead.
  if (sources.length > lanes) ctx.reader?.warm();
  await runPool(sources, lanes, async (source) => {
    if (options.signal?.aborted) return;
    if (options.jitter && source.jitterSeconds > 0) {
      await sleep(Math.random() * source.jitterSeconds * 1000, undefined, { signal: options.signal }).catch(
        () => undefined,
      );
      if (options.signal?.aborted) return;
    }
    const outcome = source.discover
      ? await checkDiscovery(ctx, { ...source, discover: source.discover }, runId)
      : await checkSource(ctx, source, runId, options.stopping);
    outcomes.set(source.id, outcome);
    options.onOutcome?.(outcome);
  });
  // The browser of `render: browser` sources lives for one cycle (checks never throw, so this runs).
  await closeBrowser();
  const ordered = sources.flatMap((source) => outcomes.get(source.id) ?? []);
  const finishedAt = (ctx.now?.() ?? new Date()).toISOString();
  const failed = ordered.filter((outcome) => outcome.status === "failed").length;
  const changed = ordered.filter((outcome) => outcome.status === "changed").length;
  ctx.logger.info({ run: runId, checked: ordered.length, changed, failed }, "cycle finished");
  return { runId, startedAt, finishedAt, outcomes: ordered };
}
