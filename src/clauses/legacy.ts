/**
 * Clause sets stored before outlines (version 1: one flat list, sub-items inside their clause)
 * read as outlines, so history recorded before the upgrade stays readable. The worker reads such
 * snapshots again from their raw bodies before it compares with them; this conversion is for
 * reading only.
 */
import type { Clause, ClauseKind, ClauseSet } from "../types.js";
import { fingerprint, normalizeForCompare } from "./normalize.js";

interface LegacyItem {
  label: string;
  text: string;
}

interface LegacyClause {
  key: string;
  printed?: string;
  index?: number;
  text: string;
  items?: LegacyItem[];
  norm?: string;
  fingerprint?: string;
}

function isOutline(
  set: ClauseSet | (Omit<ClauseSet, "clauses"> & { clauses: LegacyClause[] }),
): set is ClauseSet {
  return set.clauses.every((clause) => "depth" in clause && "kind" in clause);
}

/** A stored clause set in the current shape, whatever version wrote it. */
export function upgradeClauseSet(stored: ClauseSet): ClauseSet {
  const set = stored as ClauseSet | (Omit<ClauseSet, "clauses"> & { clauses: LegacyClause[] });
  if (isOutline(set) && set.coverage && set.warnings) return set;
  const clauses: Clause[] = [];
  for (const old of set.clauses as LegacyClause[]) {
    if ("depth" in old) {
      clauses.push({ ...(old as unknown as Clause), index: clauses.length });
      continue;
    }
    const positional = /^#\d+$/.test(old.key);
    const kind: ClauseKind = positional ? "paragraph" : "numbered";
    const key = positional ? `¶${old.key.slice(1)}` : old.key;
    const norm =
      old.norm !== undefined && !(old.items?.length ?? 0) ? old.norm : normalizeForCompare(old.text);
    clauses.push({
      key,
      label: positional ? null : old.key,
      printed: old.printed ?? "",
      kind,
      depth: 0,
      index: clauses.length,
      text: old.text,
      norm,
      fingerprint: fingerprint(norm),
    });
    let bullets = 0;
    for (const item of old.items ?? []) {
      const bullet = item.label === "•";
      bullets += bullet ? 1 : 0;
      const itemNorm = normalizeForCompare(item.text);
      clauses.push({
        key: bullet ? `${key} •${bullets}` : `${key}(${item.label})`,
        label: bullet ? null : item.label,
        printed: bullet ? "" : `${item.label})`,
        kind: bullet ? "bullet" : "numbered",
        depth: 1,
        parent: key,
        index: clauses.length,
        text: item.text,
        norm: itemNorm,
        fingerprint: fingerprint(itemNorm),
      });
    }
  }
  const words = clauses.reduce((sum, clause) => sum + (clause.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0);
  return {
    source: set.source,
    ...(set.title ? { title: set.title } : {}),
    style: set.style,
    clauses,
    coverage: set.coverage ?? { words, placed: words },
    warnings: set.warnings ?? [],
  };
}
