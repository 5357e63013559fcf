/** One line per change that names the most important thing about it. */

import type { ClauseSet } from "../types.js";
import { isExceptionCue, isExemptionCue } from "./modality.js";
import type { DiffEntry, Flag } from "./schema.js";

/**
 * Paths that read as names (`Article 3`, `Privacy ¶2`, `Preamble`, `¶7`, `•2`, `§ 4(1)`) stand
 * alone; numbers take the noun (`Point 26`, `Point 6 ¶1`, `Article IV`).
 */
export function clauseName(path: string, noun: string): string {
  if (/^[^\p{L}\p{N}]/u.test(path) || /^[\p{sc=Han}\p{sc=Hangul}]/u.test(path)) return path;
  if (/^[\p{L}]{2,}/u.test(path) && !/^[IVXLCDM]+(?![\p{L}])/u.test(path)) return path;
  return `${noun} ${path}`;
}

/** Cuts at a word boundary, with an ellipsis, so a headline never ends inside a word. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–—-]+$/, "")}…`;
}

function listOf(keys: string[]): string {
  if (keys.length <= 1) return keys.join("");
  return `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]}`;
}

function quoted(words: string[]): string {
  return words.map((word) => `"${word}"`).join(", ");
}

function numbers(flags: Flag[]): string | undefined {
  const figures = flags.filter((flag): flag is Extract<Flag, { type: "number" }> => flag.type === "number");
  if (figures.length === 0) return undefined;
  const shown = figures.slice(0, 3).map((flag) => {
    const unit = flag.context ? ` ${flag.context}` : "";
    if (flag.old && flag.new) return `${flag.old} → ${flag.new}${unit}`;
    if (flag.old) return `${flag.old}${unit} dropped`;
    return `${flag.new}${unit} added`;
  });
  const more = figures.length > 3 ? `; ${figures.length - 3} more figures` : "";
  return `${shown.join("; ")}${more}`;
}

function swap(removed: string[], added: string[], what: string): string | undefined {
  if (removed.length === 0 && added.length === 0) return undefined;
  if (removed.length > 0 && added.length > 0)
    return `${removed.slice(0, 2).join(", ")} → ${added.slice(0, 2).join(", ")}`;
  const prefix = what === "" ? "" : `${what} `;
  if (removed.length > 0) return `${prefix}${removed.slice(0, 2).join(", ")} removed`;
  return `${prefix}${added.slice(0, 2).join(", ")} added`;
}

/** The most important thing a set of flags says, figures first. */
export function describeFlags(flags: Flag[]): string | undefined {
  const figures = numbers(flags);
  if (figures) return figures;
  for (const flag of flags) {
    if (flag.type === "negation") {
      const cues = [...flag.added, ...flag.removed];
      const what = cues.every(isExceptionCue)
        ? "exception"
        : cues.every(isExemptionCue)
          ? "exemption"
          : "negation";
      if (flag.added.length > 0 && flag.removed.length === 0)
        return `${what} added (${quoted(flag.added.slice(0, 2))})`;
      if (flag.removed.length > 0 && flag.added.length === 0)
        return `${what} removed (${quoted(flag.removed.slice(0, 2))})`;
      return `${what} changed (${quoted(flag.removed.slice(0, 1))} → ${quoted(flag.added.slice(0, 1))})`;
    }
  }
  for (const flag of flags) {
    if (flag.type === "modality") {
      if (flag.old.length > 0 && flag.new.length > 0) return `${flag.old[0]} → ${flag.new[0]}`;
      if (flag.new.length > 0) return `"${flag.new[0]}" added`;
      return `"${flag.old[0]}" removed`;
    }
  }
  for (const flag of flags) {
    if (flag.type === "condition") {
      if (flag.removed.length > 0 && flag.added.length === 0)
        return `condition removed (${quoted(flag.removed.slice(0, 1))})`;
      if (flag.added.length > 0 && flag.removed.length === 0)
        return `condition added (${quoted(flag.added.slice(0, 1))})`;
      return `condition changed (${quoted(flag.removed.slice(0, 1))} → ${quoted(flag.added.slice(0, 1))})`;
    }
  }
  for (const flag of flags) {
    if (flag.type === "obligation") {
      if (flag.removed.length > 0 && flag.added.length === 0)
        return `obligation removed ("${flag.removed[0]}")`;
      if (flag.added.length > 0 && flag.removed.length === 0) return `obligation added ("${flag.added[0]}")`;
    }
  }
  for (const flag of flags) {
    if (flag.type === "entity") return swap(flag.removed, flag.added, "");
    if (flag.type === "reference") return swap(flag.removed, flag.added, "reference");
  }
  for (const flag of flags) {
    if (flag.type === "terms" && flag.swapped) return swap(flag.removed, flag.added, "");
  }
  for (const flag of flags) {
    if (flag.type === "obligation") return `"${flag.removed[0]}" → "${flag.added[0]}"`;
  }
  return undefined;
}

/** The most telling word on each side of a rewrite ("audit → amnesty"). */
function termsSwap(flags: Flag[]): string | undefined {
  const terms = flags.find((flag): flag is Extract<Flag, { type: "terms" }> => flag.type === "terms");
  if (!terms) return undefined;
  return swap(terms.removed.slice(0, 1), terms.added.slice(0, 1), "");
}

/** One line a desk can read at a glance, e.g. "Point 6 (now 5): 600,000 → 800,000 personnel". */
export function entryHeadline(entry: DiffEntry, noun = "Point"): string {
  const oldKey = entry.old[0] ?? "";
  const newKey = entry.new[0] ?? "";
  const flags = entry.flags ?? [];
  let line: string;
  switch (entry.kind) {
    case "removed":
      line = `${clauseName(oldKey, noun)} removed`;
      break;
    case "added":
      line = `${clauseName(newKey, noun)} added`;
      break;
    case "split":
    case "merged":
    case "moved": {
      // What changed in the words on the way (a figure, a negation) leads after the move itself.
      const base =
        entry.kind === "split"
          ? `${clauseName(oldKey, noun)} split into ${listOf(entry.new)}`
          : entry.kind === "moved"
            ? `${clauseName(oldKey, noun)} moved to ${newKey}`
            : entry.old.every((key) => clauseName(key, noun) !== key)
              ? `${noun === "§" || noun === "¶" ? `${noun}${noun}` : `${noun}s`} ${listOf(entry.old)} merged into ${newKey}`
              : `${listOf(entry.old.map((key) => clauseName(key, noun)))} merged into ${newKey}`;
      const detail =
        entry.kind === "moved" || entry.severity === "substantive" ? describeFlags(flags) : undefined;
      line = detail ? `${base}: ${detail}` : base;
      break;
    }
    default: {
      const who =
        oldKey === newKey ? clauseName(newKey, noun) : `${clauseName(oldKey, noun)} (now ${newKey})`;
      if (entry.severity === "none") {
        line = oldKey === newKey ? `${who} unchanged` : `${clauseName(oldKey, noun)} renumbered ${newKey}`;
        break;
      }
      if (entry.severity === "cosmetic") {
        const carried = flags.find(
          (flag): flag is Extract<Flag, { type: "reference" }> =>
            flag.type === "reference" && flag.renumbered === true,
        );
        line = carried
          ? `${who}: ${swap(carried.removed, carried.added, "reference")} (follows the renumbering)`
          : `${who}: typography only`;
        break;
      }
      // A rewrite is the news unless a figure changed value or a name went: a figure or name
      // merely added to a rewritten clause is part of the rewrite.
      const figureChanged = flags.some((flag) => flag.type === "number" && flag.old && flag.new);
      const nameGone = flags.some((flag) => flag.type === "entity" && flag.removed.length > 0);
      if (!figureChanged && !nameGone && flags.some((flag) => flag.type === "rewrite")) {
        const terms = termsSwap(flags);
        line = terms ? `${who} rewritten (${terms})` : `${who} rewritten`;
        break;
      }
      const detail = describeFlags(flags);
      if (detail) {
        line = `${who}: ${detail}`;
        break;
      }
      const terms = flags.find((flag): flag is Extract<Flag, { type: "terms" }> => flag.type === "terms");
      if (entry.severity === "substantive" && terms) {
        line = `${who}: ${swap(terms.removed, terms.added, "") ?? "modified"}`;
        break;
      }
      line = entry.severity === "minor" ? `${who} reworded` : `${who} modified`;
    }
  }
  return cutAtWord(line, 140);
}

/** How the document names its clauses in headlines ("Point", "Article", "Section", "§"). */
export function headlineNoun(set: Pick<ClauseSet, "clauses">): string {
  // The whole word before the number or letter: "Annex A" names annexes, not "Anne" and a roman X.
  const wordOf = (clause: Pick<ClauseSet, "clauses">["clauses"][number] | undefined) =>
    clause ? /^(§|¶|\p{L}{2,}\.?)(?!\p{L})\s*[\p{N}\p{L}]/u.exec(clause.printed)?.[1] : undefined;
  // The clauses named by number print their own word (`Section 1.01` under `ARTICLE I`): that one.
  const numbered = set.clauses.find(
    (clause) => clause.label !== null && !clause.context && clauseName(clause.key, "") !== clause.key,
  );
  const first = set.clauses.find((clause) => clause.label !== null && clause.depth === 0 && !clause.context);
  const word = wordOf(numbered) ?? wordOf(first);
  if (!word) return "Point";
  if (word === "§" || word === "¶") return word;
  const bare = word.replace(/\.$/, "").toLowerCase();
  const full = { art: "article", sec: "section", para: "paragraph" }[bare] ?? bare;
  return full.charAt(0).toUpperCase() + full.slice(1);
}
