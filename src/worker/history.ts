import type { SourceState } from "../store/index.js";

export type VersionHistory = "new" | "reversion" | "flapping" | "still-flapping";

/**
 * Places a new text in the source's recent history: a text seen before is a reversion (reported,
 * never skipped); swinging between two texts (A B A B) is flapping, summarised once.
 */
export function classifyVersion(
  state: SourceState,
  hash: string,
  window: number,
): { history: VersionHistory; recent: string[] } {
  // Flapping needs the last four versions, whatever shorter window the config asks for.
  const recent = [...state.recentClauseSetHashes, hash].slice(-Math.max(window, 4));
  const seenBefore = state.recentClauseSetHashes.slice(-window).slice(0, -1).includes(hash);
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
