/**
 * Whether a copy is the known version, a divergent copy of it, or a new version — decided on the
 * document's meaning-bearing content, not on how much its wording differs. Figures, references and
 * points added or removed make a new version however the rest is worded; a copy that only words
 * things differently is a witness (divergent when it rewords most points); a copy with points
 * missing is a partial witness, not a removal of them.
 */
import type { DiffEntry, DiffResult } from "../diff/index.js";
import type { LineageRules, WitnessRecord } from "./types.js";

export interface Judgement {
  relation: "new-version" | "witness" | "divergent";
  reason?: WitnessRecord["reason"];
  /** For divergent copies: the clauses where the copy departs (or, when partial, those it lacks). */
  departures?: string[];
  /** The decision in words ("new version: 3 figures changed, 1 point removed"). */
  explanation: string;
}

const MEANING_FLAGS = new Set([
  "number",
  "reference",
  "entity",
  "negation",
  "modality",
  "obligation",
  "condition",
  "rewrite",
]);

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "3 points and 2 sub-items": top-level clauses are points, deeper ones sub-items. */
function points(entries: DiffEntry[]): string {
  const top = entries.filter((entry) => entry.depth === 0).length;
  const deeper = entries.length - top;
  const parts = [
    ...(top > 0 ? [plural(top, "point")] : []),
    ...(deeper > 0 ? [plural(deeper, "sub-item")] : []),
  ];
  return parts.join(" and ");
}

function isDocument(entry: DiffEntry): boolean {
  return !entry.context && !entry.old.includes("Title") && !entry.new.includes("Title");
}

/** Paths a copy says it lacks: the labels in its numbering gaps. */
function lacking(side: DiffResult["old"]): Set<string> {
  return new Set(
    side.warnings.flatMap((warning) => (warning.code === "numbering-gap" ? (warning.missing ?? []) : [])),
  );
}

/** Removed points the copy lacks by its own numbering (gaps), or that fall past its end (a truncated copy). */
function missingByPartiality(diff: DiffResult, entries: DiffEntry[]): Set<string> {
  const gaps = lacking(diff.new);
  let lastKept = -1;
  entries.forEach((entry, index) => {
    if (entry.new.length > 0) lastKept = index;
  });
  const out = new Set<string>();
  entries.forEach((entry, index) => {
    if (entry.kind !== "removed") return;
    const path = entry.old[0] as string;
    const top = path.split(/[.\s(]/)[0] as string;
    if (index > lastKept || gaps.has(path) || gaps.has(top)) out.add(path);
  });
  return out;
}

function figureChanges(entries: DiffEntry[]): number {
  let count = 0;
  for (const entry of entries) {
    for (const flag of entry.flags ?? []) {
      if (flag.type === "number" && flag.old !== undefined && flag.new !== undefined) count++;
      if (flag.type === "reference") count++;
    }
  }
  return count;
}

/** The explicit rule, applied to the diff from a known version to a new copy. */
export function judgeCopy(diff: DiffResult, rules: LineageRules): Judgement {
  const entries = diff.entries.filter(isDocument);
  const total = Math.max(1, entries.filter((entry) => entry.kind !== "added").length);
  const changed = entries.filter((entry) => entry.severity === "minor" || entry.severity === "substantive");
  const removed = entries.filter((entry) => entry.kind === "removed" && entry.severity !== "cosmetic");
  const added = entries.filter((entry) => entry.kind === "added" && entry.severity !== "cosmetic");
  const partial = missingByPartiality(diff, entries);
  const trulyRemoved = removed.filter((entry) => !partial.has(entry.old[0] as string));
  // Points that fill the known copy's own gaps complete it; they are not additions.
  const knownGaps = lacking(diff.old);
  const trulyAdded = added.filter((entry) => {
    const path = entry.new[0] as string;
    return !knownGaps.has(path) && !knownGaps.has(path.split(/[.\s(]/)[0] as string);
  });
  const structural = entries.filter((entry) => entry.kind === "split" || entry.kind === "merged");
  const figures = figureChanges(entries);
  const reworded = changed.filter((entry) => entry.kind === "modified" || entry.kind === "moved");
  const meaning = reworded.filter((entry) =>
    (entry.flags ?? []).some(
      (flag) => MEANING_FLAGS.has(flag.type) || (flag.type === "terms" && flag.swapped),
    ),
  );

  // A point removed with its sub-items is one point removed.
  const roots = (list: DiffEntry[], side: "old" | "new") => {
    const paths = new Set(list.map((entry) => entry[side][0] as string));
    return list.filter((entry) => entry.parent === undefined || !paths.has(entry.parent));
  };
  const removedPoints = roots(trulyRemoved, "old");
  const addedPoints = roots(trulyAdded, "new");
  const reasons: string[] = [];
  if (figures > 0) reasons.push(`${plural(figures, "figure")} changed`);
  if (removedPoints.length > 0) reasons.push(`${points(removedPoints)} removed`);
  if (addedPoints.length > 0) reasons.push(`${points(addedPoints)} added`);
  if (structural.length > 0) reasons.push(`${points(structural)} split or merged`);
  const share = reworded.length / total;
  // A copy reworded throughout (a paraphrase, a translation) may also cut or join a few items;
  // with the figures all kept, that is how it is worded, not a new text.
  const reshaped = removedPoints.length + addedPoints.length + structural.length;
  const paraphrase = share >= rules.divergentShare && figures === 0 && reshaped <= Math.floor(0.1 * total);
  if (reasons.length > 0 && !paraphrase) {
    if (meaning.length > 0) reasons.push(`${points(meaning)} changed in meaning`);
    return { relation: "new-version", explanation: `new version: ${reasons.join(", ")}` };
  }

  if (paraphrase) {
    return {
      relation: "divergent",
      reason: "paraphrase",
      departures: meaning.flatMap((entry) => entry.old),
      explanation: `divergent copy (paraphrased): ${reworded.length} of ${total} clauses reworded, no figures changed${
        reshaped > 0 ? `, ${plural(reshaped, "item")} cut or joined` : ""
      }`,
    };
  }
  if (meaning.length > 0) {
    return {
      relation: "new-version",
      explanation: `new version: ${points(meaning)} changed in meaning (${meaning
        .slice(0, 3)
        .map((entry) => entry.new[0] ?? entry.old[0])
        .join(", ")})`,
    };
  }
  if (partial.size > 0) {
    const missing = roots(
      removed.filter((entry) => partial.has(entry.old[0] as string)),
      "old",
    ).map((entry) => entry.old[0] as string);
    return {
      relation: "divergent",
      reason: "truncated",
      departures: missing,
      explanation: `partial copy of the same version: ${plural(missing.length, "point")} missing (${missing.slice(0, 6).join(", ")}${missing.length > 6 ? " …" : ""})`,
    };
  }
  return {
    relation: "witness",
    explanation:
      reworded.length === 0
        ? "same version"
        : `same version: ${points(reworded)} reworded, no figures changed`,
  };
}
