import type { DiffEntry, RedlineOp } from "../diff/index.js";
import { entryHeadline } from "../report/headline.js";
import type { SourceChange } from "../worker/types.js";
import { ALERT_SCHEMA, type Alert, type AlertClauseChange } from "./types.js";

export interface BuildOptions {
  planTitle: string;
  sourceTitle?: string;
  /** Word for clauses in headlines ("Point", "Article"). @default "Point" */
  noun?: string;
  /** Base URL of the public history view; adds a comparison link. */
  publicBaseUrl?: string;
  /** Page each clause starts on, by key, in the old and new copy (PDF sources). */
  pages?: { old: Record<string, number>; new: Record<string, number> };
}

/** "page 4" (or "pages 3 → 4") after a clause headline, when the copies are paged. */
function pageOf(entry: DiffEntry, pages: BuildOptions["pages"]): AlertClauseChange["page"] | undefined {
  const old = entry.old[0] === undefined ? undefined : pages?.old[entry.old[0]];
  const now = entry.new[0] === undefined ? undefined : pages?.new[entry.new[0]];
  if (old === undefined && now === undefined) return undefined;
  return { ...(old === undefined ? {} : { old }), ...(now === undefined ? {} : { new: now }) };
}

function pageNote(page: AlertClauseChange["page"]): string {
  if (!page) return "";
  if (page.old !== undefined && page.new !== undefined && page.old !== page.new)
    return ` (pages ${page.old} → ${page.new})`;
  return ` (page ${page.new ?? page.old})`;
}

const SNIPPET = 240;
const CONTEXT_WORDS = 8;

/** The words around a change on one side of a redline, trimmed to a readable excerpt. */
function snippet(redline: RedlineOp[], side: "old" | "new"): string | undefined {
  const changed = side === "old" ? "delete" : "insert";
  const ops = redline.filter((op) => op.op === "equal" || op.op === changed);
  if (!ops.some((op) => op.op === changed)) return undefined;
  const parts = ops.map((op, index) => {
    if (op.op !== "equal") return op.text;
    const words = op.text.split(/(\s+)/);
    const keep = CONTEXT_WORDS * 2;
    if (words.length <= keep * 2) return op.text;
    if (index === 0) return `…${words.slice(-keep).join("")}`;
    if (index === ops.length - 1) return `${words.slice(0, keep).join("")}…`;
    return `${words.slice(0, keep).join("")} … ${words.slice(-keep).join("")}`;
  });
  const text = parts.join("").replace(/\s+/g, " ").trim();
  return text.length <= SNIPPET ? text : `${text.slice(0, SNIPPET - 1)}…`;
}

const RANK = { substantive: 3, minor: 2, cosmetic: 1, none: 0 } as const;

function clauseChange(entry: DiffEntry, noun: string, pages: BuildOptions["pages"]): AlertClauseChange {
  const old = entry.redline ? snippet(entry.redline, "old") : undefined;
  const now = entry.redline ? snippet(entry.redline, "new") : undefined;
  const page = pageOf(entry, pages);
  return {
    headline: `${entryHeadline(entry, noun)}${pageNote(page)}`,
    kind: entry.kind,
    old: entry.old,
    new: entry.new,
    severity: entry.severity,
    flags: entry.flags ?? [],
    snippet: { ...(old ? { old } : {}), ...(now ? { new: now } : {}) },
    ...(entry.redline ? { redline: entry.redline } : {}),
    ...(page ? { page } : {}),
  };
}

/** The alert for a stored change; undefined for changes that are never sent (baselines). */
export function buildAlert(change: SourceChange, options: BuildOptions): Alert | undefined {
  if (change.kind === "baseline") return undefined;
  const noun = options.noun ?? "Point";
  const changes = (change.entries ?? [])
    .filter((entry) => entry.severity === "minor" || entry.severity === "substantive")
    .map((entry) => clauseChange(entry, noun, options.pages))
    .sort((x, y) => RANK[y.severity] - RANK[x.severity]);
  const base = options.publicBaseUrl?.replace(/\/+$/, "");
  const link =
    base && change.fromSnapshot && change.toSnapshot
      ? `${base}/plans/${encodeURIComponent(change.planId)}/compare/${change.fromSnapshot}..${change.toSnapshot}`
      : undefined;
  return {
    schema: ALERT_SCHEMA,
    id: change.key,
    kind: change.kind,
    severity: change.severity,
    detectedAt: change.at,
    plan: { id: change.planId, title: options.planTitle },
    source: {
      id: change.sourceId,
      url: change.url,
      ...(options.sourceTitle ? { title: options.sourceTitle } : {}),
    },
    headline: change.headline.length <= 140 ? change.headline : `${change.headline.slice(0, 139)}…`,
    changes,
    ...(change.summary ? { summary: change.summary } : {}),
    provenance: {
      url: change.url,
      seenAt: change.at,
      ...(change.fromSnapshot ? { fromSnapshot: change.fromSnapshot } : {}),
      ...(change.toSnapshot ? { toSnapshot: change.toSnapshot } : {}),
    },
    ...(link ? { link } : {}),
    ...(change.error ? { error: change.error } : {}),
  };
}
