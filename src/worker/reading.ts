/**
 * How the worker reads a copy, and what it will not take for the document: a draft copy with no
 * structure at all (an error page, a bot wall, a page whose text is built by scripts), or one that
 * lost most of the last copy's words. Stored snapshots read before outlines are read again from
 * their raw bodies, so an upgrade never shows as a change.
 */

import { OUTLINE_VERSION } from "../clauses/index.js";
import { upgradeClauseSet } from "../clauses/legacy.js";
import type { FetchedOutcome } from "../collect/index.js";
import type { SourceConfig } from "../config/index.js";
import { ExtractError, excerpt } from "../errors.js";
import type { StoredSnapshot } from "../store/index.js";
import type { ClauseSet } from "../types.js";
import { inProcessReader } from "./parse-pool.js";
import type { Step } from "./step.js";
import type { WorkerContext } from "./types.js";

/** Reads a fetched copy: PDF and Word files in their own bounded thread, pages in the parsing pool under the deadline. */
export async function readCopy(step: Step, outcome: FetchedOutcome): Promise<ClauseSet> {
  if (outcome.binary) {
    const { readFetched } = await import("../document.js");
    return readFetched(outcome, step.source, step.ctx.config.documents);
  }
  const reader = step.ctx.reader ?? inProcessReader();
  const source = step.source;
  return reader.read(
    outcome.text,
    {
      source: source.id,
      // A page expected to be a PDF or Word file that is not one is read by its content.
      format: source.format === "pdf" || source.format === "docx" ? "auto" : source.format,
      ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
      ...(source.select ? { select: source.select } : {}),
      ignore: source.ignore,
      prose: source.role === "coverage" ? "always" : false,
    },
    step.deadline ? { signal: step.deadline.signal, waiting: step.deadline.paused } : {},
  );
}

const rereads = new Map<string, ClauseSet>();
const REREAD_CACHE = 256;

/**
 * A stored snapshot's clause set as the current reader reads it: the stored one when it is
 * current, else its raw body read again (the source's own settings), else — a body gone, a source
 * no longer configured — the stored set converted to the outline shape.
 */
export async function currentReading(ctx: WorkerContext, snapshot: StoredSnapshot): Promise<ClauseSet> {
  if (snapshot.clauseSet.outline === OUTLINE_VERSION) return snapshot.clauseSet;
  const cached = rereads.get(snapshot.id);
  if (cached) return cached;
  const source = ctx.config.sources.find((candidate) => candidate.id === snapshot.sourceId);
  let set: ClauseSet;
  try {
    if (!source) throw new Error("source no longer configured");
    const body = await ctx.store.getBody(snapshot.bodyHash);
    const binary = snapshot.charset === "binary";
    const { readFetched } = await import("../document.js");
    set = await readFetched(
      {
        kind: "fetched",
        finalUrl: snapshot.finalUrl,
        status: snapshot.status,
        fetchedAt: snapshot.fetchedAt,
        bodyHash: snapshot.bodyHash,
        body,
        text: binary ? "" : body.toString("utf8"),
        charset: snapshot.charset ?? "utf-8",
        ...(snapshot.contentType ? { contentType: snapshot.contentType } : {}),
        ...(binary ? { binary: /pdf/i.test(snapshot.contentType ?? "") ? "pdf" : "docx" } : {}),
      } as FetchedOutcome,
      source,
      ctx.config.documents,
    );
  } catch {
    set = upgradeClauseSet(snapshot.clauseSet);
  }
  if (rereads.size >= REREAD_CACHE) rereads.delete(rereads.keys().next().value as string);
  rereads.set(snapshot.id, set);
  return set;
}

function words(set: ClauseSet): number {
  return set.coverage.words;
}

function structured(set: ClauseSet): boolean {
  return set.clauses.some(
    (clause) => !clause.context && (clause.kind === "heading" || clause.label !== null),
  );
}

/** Below this share of the last copy's words a copy is refused as the document; below `PARTIAL` it is flagged. */
const LOST = 0.25;
const PARTIAL = 0.6;

/**
 * For draft sources: refuses a copy that cannot be the document (nothing numbered, no headings, no
 * lists — or most of the last copy gone), so the source is reported broken rather than the plan
 * reported emptied; marks a copy much shorter than the last one as possibly partial.
 */
export function checkDraftCopy(
  source: SourceConfig,
  set: ClauseSet,
  previous: ClauseSet | undefined,
): ClauseSet {
  if (source.role !== "draft") return set;
  const sample = () => excerpt(set.clauses.map((clause) => clause.heading ?? clause.text).join(" "), 60);
  if (!structured(set) && (previous === undefined || structured(previous))) {
    const flat = set.warnings.find((warning) => warning.code === "flat-markup");
    const why = flat ? `${flat.message}` : "an error page, a bot wall or a page built by scripts?";
    throw new ExtractError(
      `${source.id}: no numbered points, headings or lists found (text starts "${sample()}"): ${why}`,
      { source: source.id },
    );
  }
  if (!previous || words(previous) === 0) return set;
  const share = words(set) / words(previous);
  if (share < LOST) {
    throw new ExtractError(
      `${source.id}: this copy has ${words(set)} of the last copy's ${words(previous)} words (text starts "${sample()}"): an error page or a changed layout?`,
      { source: source.id },
    );
  }
  if (share >= PARTIAL) return set;
  return {
    ...set,
    warnings: [
      ...set.warnings,
      {
        code: "shorter-copy",
        message: `this copy has ${Math.round(share * 100)}% of the last copy's words (${words(set)} of ${words(previous)}): partial copy?`,
      },
    ],
  };
}
