import type { DiffEntry, DiffResult, Flag } from "../diff/index.js";
import type { ClauseSet } from "../types.js";

/** How a document names its clauses in headlines ("Point 6", "Article 4", "§ 3"). */
export function clauseNoun(set: Pick<ClauseSet, "clauses">): string {
  const printed = set.clauses[0]?.printed ?? "";
  const word = /^(§|¶|[\p{L}]+\.?)\s*[\dIVXLCDM]/iu.exec(printed)?.[1];
  if (!word) return "Point";
  if (word === "§" || word === "¶") return word;
  const bare = word.replace(/\.$/, "").toLowerCase();
  const full = { art: "article", sec: "section", para: "paragraph" }[bare] ?? bare;
  return full.charAt(0).toUpperCase() + full.slice(1);
}

function name(noun: string, key: string): string {
  return `${noun} ${key}`;
}

function list(keys: string[]): string {
  if (keys.length <= 1) return keys.join("");
  return `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]}`;
}

function plural(noun: string): string {
  return noun === "§" || noun === "¶" ? `${noun}${noun}` : `${noun}s`;
}

function describeFlags(flags: Flag[]): string | undefined {
  const numbers = flags.filter((flag) => flag.type === "number");
  const first = numbers[0];
  if (first && numbers.length <= 2) {
    return numbers
      .map((flag) => {
        const unit = flag.context ? ` ${flag.context}` : "";
        if (flag.old && flag.new) return `${flag.old} → ${flag.new}${unit}`;
        if (flag.old) return `"${flag.old}${unit}" dropped`;
        return `"${flag.new}${unit}" added`;
      })
      .join("; ");
  }
  for (const flag of flags) {
    if (flag.type === "modality" && flag.old.length > 0 && flag.new.length > 0) {
      return `${flag.old[0]} → ${flag.new[0]}`;
    }
    if (flag.type === "negation") {
      return flag.added.length > 0
        ? `negation added ("${flag.added[0]}")`
        : `negation removed ("${flag.removed[0]}")`;
    }
    if (flag.type === "entity" && flag.removed.length <= 2 && flag.added.length <= 2) {
      if (flag.removed.length > 0 && flag.added.length > 0)
        return `${flag.removed.join(", ")} → ${flag.added.join(", ")}`;
      if (flag.removed.length > 0) return `${flag.removed.join(", ")} removed`;
      return `${flag.added.join(", ")} added`;
    }
  }
  return undefined;
}

/** One line a desk can read at a glance, e.g. "Point 6 (now 5): 600,000 → 800,000 people". */
export function entryHeadline(entry: DiffEntry, noun = "Point"): string {
  const oldKey = entry.old[0] ?? "";
  const newKey = entry.new[0] ?? "";
  switch (entry.kind) {
    case "removed":
      return `${name(noun, oldKey)} removed`;
    case "added":
      return `${name(noun, newKey)} added`;
    case "split":
      return `${name(noun, oldKey)} split into ${list(entry.new)}`;
    case "merged":
      return `${plural(noun)} ${list(entry.old)} merged into ${newKey}`;
    case "moved": {
      const base = `${name(noun, oldKey)} moved to ${newKey}`;
      const detail = describeFlags(entry.flags ?? []);
      return detail ? `${base}: ${detail}` : base;
    }
    case "unchanged":
    case "renumbered":
    case "modified": {
      const who = oldKey === newKey ? name(noun, newKey) : `${name(noun, oldKey)} (now ${newKey})`;
      if (entry.severity === "none")
        return oldKey === newKey ? `${who} unchanged` : `${name(noun, oldKey)} renumbered ${newKey}`;
      if (entry.severity === "cosmetic") return `${who}: typography only`;
      const flags = entry.flags ?? [];
      if (flags.some((flag) => flag.type === "rewrite")) return `${who} rewritten`;
      const detail = describeFlags(flags);
      return detail ? `${who}: ${detail}` : `${who} modified`;
    }
  }
}

/** Entries worth a headline: anything above cosmetic. */
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

/** A headline of at most `max` characters joining the most important changes, for alerts and subjects. */
export function digestHeadline(
  result: DiffResult,
  options: { noun?: string; prefix?: string; max?: number } = {},
): string {
  const max = options.max ?? 140;
  const prefix = options.prefix ? `${options.prefix}: ` : "";
  const notable = notableEntries(result).sort(
    (x, y) => Number(y.severity === "substantive") - Number(x.severity === "substantive"),
  );
  if (notable.length === 0) return `${prefix}no substantive change`;
  const noun = options.noun ?? "Point";
  let text = prefix;
  let shown = 0;
  for (const entry of notable) {
    const line = entryHeadline(entry, shown === 0 ? noun : noun.toLowerCase());
    const more = notable.length - shown - 1;
    const tail = more > 0 ? `; +${more} more` : "";
    const candidate = `${text}${shown === 0 ? "" : "; "}${line}`;
    if (candidate.length + tail.length > max && shown > 0) break;
    text = candidate;
    shown++;
  }
  const rest = notable.length - shown;
  const suffix = rest > 0 ? `; +${rest} more` : "";
  const full = `${text}${suffix}`;
  return full.length <= max ? full : `${full.slice(0, max - 1)}…`;
}
