/**
 * Conditions a clause sets on what it says: "if you opt in", "provided that the flat is left
 * clean", "as long as the account is open", ", where the item is returned unused", "after giving
 * notice". A condition that comes or goes widens or narrows the clause, whatever else stays.
 * Exceptions ("unless", "except") are negation cues, read with them.
 */
import type { Flag } from "./schema.js";

/**
 * Words that open a condition. `where` and `once` only at the start of the text or after a comma,
 * semicolon or colon (", where the goods are returned unused"); `when` not after a word for a
 * time ("the day when"); `after`, `before`, `until` and `upon` only before a verb's -ing form
 * ("after giving notice"), not before a date.
 */
const CONDITION =
  /(?:\b(?:only if|if and only if|even if|(?<!\bas )if|provided that|providing that|on condition that|on the condition that|subject to|as long as|so long as|in the event that|in the event of|in case of|in case)\b|(?:^|[,;:]\s*)(?:where|once)\b|(?<!\b(?:time|times|day|days|date|moment|hour|week|month|year|period|case|cases|point)\s)\b(?:when|whenever)\b|\b(?:after|before|until|upon)\s+(?=\p{L}{2,}ing\b))/giu;

/** Words in -ing after "before" or "after" that name a time, not an act ("before morning"). */
const NOT_ACTS =
  /^(?:morning|evening|spring|during|nothing|anything|something|everything|string|thing|king|ring|wing|ceiling|ending)$/i;

/** Where a condition's words end: a stop, a comma or semicolon, a dash, or the text's end. */
const CONDITION_END = /[,;:.!?()\u2013\u2014]|\s-\s/u;
const MAX_WORDS = 8;

interface Condition {
  /** The opening word or words, lower-cased: what is compared. */
  cue: string;
  /** The condition as printed, cut to a few words, for the flag. */
  printed: string;
}

function conditionsIn(text: string): Condition[] {
  const found: Condition[] = [];
  for (const match of text.matchAll(CONDITION)) {
    const opening = match[0].replace(/^[,;:]\s*/, "");
    const start = (match.index ?? 0) + match[0].length - opening.length;
    const rest = text.slice(start + opening.length);
    const end = rest.search(CONDITION_END);
    const words = (end < 0 ? rest : rest.slice(0, end)).trim().split(/\s+/).filter(Boolean);
    if (/^(?:after|before|until|upon)$/i.test(opening.trim()) && NOT_ACTS.test(words[0] ?? "")) continue;
    // "if any", "when" alone at the end: too little to be a condition of the clause.
    if (words.length === 0) continue;
    const printed = `${opening.trim()} ${words.slice(0, MAX_WORDS).join(" ")}${words.length > MAX_WORDS ? " …" : ""}`;
    found.push({ cue: opening.trim().toLowerCase().replace(/\s+/g, " "), printed });
  }
  return found;
}

/** Conditions one text sets and the other does not, compared by their opening words. */
export function conditionFlags(oldText: string, newText: string): Flag[] {
  const before = conditionsIn(oldText);
  const after = conditionsIn(newText);
  if (before.length === 0 && after.length === 0) return [];
  const unmatched = (side: Condition[], other: Condition[]) => {
    const counts = new Map<string, number>();
    for (const condition of other) counts.set(condition.cue, (counts.get(condition.cue) ?? 0) + 1);
    return side.filter((condition) => {
      const left = counts.get(condition.cue) ?? 0;
      if (left > 0) counts.set(condition.cue, left - 1);
      return left === 0;
    });
  };
  const removed = unmatched(before, after).map((condition) => condition.printed);
  const added = unmatched(after, before).map((condition) => condition.printed);
  return removed.length + added.length === 0 ? [] : [{ type: "condition", removed, added }];
}
