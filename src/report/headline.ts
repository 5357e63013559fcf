import { cutAtWord, entryHeadline, headlineNoun } from "../diff/headline.js";
import type { DiffEntry, DiffResult } from "../diff/index.js";
import type { ClauseSet } from "../types.js";

export { clauseName, describeFlags, entryHeadline } from "../diff/headline.js";

/** How a document names its clauses in headlines ("Point 6", "Article 4", "§ 3"). */
export function clauseNoun(set: Pick<ClauseSet, "clauses">): string {
  return headlineNoun(set);
}

/**
 * "28 points" for a document whose top level is numbered, "28 points, 56 clauses" when the points
 * have sub-items, "14 clauses" for anything else: the size a reader recognises first.
 */
export function outlineSize(set: Pick<ClauseSet, "clauses">): string {
  const own = set.clauses.filter((clause) => !clause.context && clause.kind !== "title");
  const points = own.filter((clause) => clause.depth === 0 && clause.kind === "numbered").length;
  const all = `${own.length} ${own.length === 1 ? "clause" : "clauses"}`;
  if (points === 0) return all;
  const noun = headlineNoun(set).toLowerCase();
  const top =
    noun === "§" || noun === "¶" ? `${points} ${noun}` : `${points} ${noun}${points === 1 ? "" : "s"}`;
  return points === own.length ? top : `${top}, ${all}`;
}

/** Entries worth a headline: anything above cosmetic, the document's own clauses before the text around it. */
export function notableEntries(result: DiffResult): DiffEntry[] {
  return result.entries.filter((entry) => entry.severity === "minor" || entry.severity === "substantive");
}

/** "9 modified · 2 removed · 12 renumbered" — only the kinds that occurred. */
export function summaryLine(result: DiffResult): string {
  const parts = Object.entries(result.summary)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  return parts.length > 0 ? parts.join(" · ") : "no clauses";
}

/** Figures first, then points that came or went, then other changes of meaning, then wording; page text last. */
function rank(entry: DiffEntry): number {
  const figures = (entry.flags ?? []).some((flag) => flag.type === "number" && flag.old && flag.new);
  const base =
    entry.severity !== "substantive"
      ? 1
      : figures
        ? 4
        : entry.kind === "removed" || entry.kind === "added"
          ? 3
          : 2;
  return entry.context ? base - 0.5 : base;
}

/** A headline of at most `max` characters joining the most important changes, for alerts and subjects. */
export function digestHeadline(
  result: DiffResult,
  options: { noun?: string; prefix?: string; max?: number } = {},
): string {
  const max = options.max ?? 140;
  const prefix = options.prefix ? `${options.prefix}: ` : "";
  // A point removed (or added) with its sub-items is one line.
  const whole = new Set(
    result.entries
      .filter((entry) => entry.kind === "removed" || entry.kind === "added")
      .flatMap((e) => [...e.old, ...e.new]),
  );
  const notable = notableEntries(result)
    .filter(
      (entry) =>
        !(entry.kind === "removed" || entry.kind === "added") || !entry.parent || !whole.has(entry.parent),
    )
    .sort((x, y) => rank(y) - rank(x));
  if (notable.length === 0) return `${prefix}no substantive change`;
  const noun = options.noun ?? "Point";
  let text = prefix;
  let shown = 0;
  for (const entry of notable) {
    const line = entry.headline ?? entryHeadline(entry, noun);
    const more = notable.length - shown - 1;
    const tail = more > 0 ? `; +${more} more` : "";
    const candidate = `${text}${shown === 0 ? "" : "; "}${line}`;
    if (candidate.length + tail.length > max && shown > 0) break;
    text = candidate;
    shown++;
  }
  const rest = notable.length - shown;
  const suffix = rest > 0 ? `; +${rest} more` : "";
  return cutAtWord(`${text}${suffix}`, max);
}
