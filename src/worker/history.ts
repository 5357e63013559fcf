import { createHash } from "node:crypto";
import type { SourceState } from "../store/index.js";
import type { ClauseSet } from "../types.js";

export type VersionHistory = "new" | "reversion" | "flapping" | "still-flapping";

/**
 * Identity of a text for the source's history: clause keys and fingerprints (normalized text),
 * so two copies that differ only in typography — spaced thousands, no-break spaces, quotes — are
 * the same text. The clause-set hash, which keeps the printed text, tells them apart.
 */
export function textIdentity(set: ClauseSet): string {
  const hash = createHash("sha256");
  for (const clause of set.clauses) hash.update(`${clause.key}\u0000${clause.fingerprint}\n`);
  return hash.digest("hex").slice(0, 32);
}

/**
 * Places a new text (its `textIdentity`) in the source's recent history: a text seen before is a
 * reversion (reported, never skipped); swinging between two texts (A B A B) is flapping,
 * summarised once.
 */
export function classifyVersion(
  state: SourceState,
  identity: string,
  window: number,
): { history: VersionHistory; recent: string[] } {
  const known = state.recentTexts ?? [];
  // Flapping needs the last four versions, whatever shorter window the config asks for.
  const recent = [...known, identity].slice(-Math.max(window, 4));
  const seenBefore = known.slice(-window).slice(0, -1).includes(identity);
  const lastFour = recent.slice(-4);
  const pair = new Set(lastFour);
  const alternating =
    lastFour.length === 4 && pair.size === 2 && lastFour.every((h, i) => i < 2 || h === lastFour[i - 2]);
  if (alternating) {
    const already = state.flapping?.hashes.every((h) => pair.has(h)) === true;
    return { history: already ? "still-flapping" : "flapping", recent };
  }
  return { history: seenBefore ? "reversion" : "new", recent };
}
