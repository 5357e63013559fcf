/**
 * Rules over the finished blocks, where repetition and page furniture show as text: the headline
 * (it is the title, not the text), paragraphs repeated on the page (captions, promos) counted
 * once, gallery counters ("Image 3 of 8") and advertising labels.
 */
import type { TextBlock } from "../types.js";

export type RefineReason = "headline" | "repeated" | "gallery counter" | "ad label";

export interface RefinedBlocks {
  blocks: TextBlock[];
  removed: Array<{ reason: RefineReason; block: TextBlock }>;
}

/** "3/8", "3 of 8", "Image 3 of 8", "Photo 3 / 8" alone on a line. */
const COUNTER = /^(?:[\p{L}]+\s+)?\d+\s*(?:\/|of)\s*\d+$/iu;

/** Labels that only mark where an advertisement sits. */
const AD_LABELS = new Set([
  "ad",
  "advertisement",
  "advertisements",
  "advertising",
  "sponsored",
  "skip advertisement",
  "story continues below advertisement",
  "continue reading below",
  "scroll to continue with content",
]);

const MAX_CAPTION = 200;

/** How far into the blocks the headline is looked for. */
const HEADLINE_WINDOW = 8;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}

/** The headline repeats one of the page's titles: nearly all its words are in it, and most of the title's are in it. */
function repeatsTitle(heading: string, titles: string[]): boolean {
  const own = new Set(words(heading));
  if (own.size === 0) return false;
  return titles.some((title) => {
    const other = new Set(words(title));
    if (other.size === 0) return false;
    let shared = 0;
    for (const word of own) if (other.has(word)) shared++;
    return shared >= own.size * 0.75 && shared >= other.size * 0.5;
  });
}

/** A `<title>` is often "Headline | Site" or "Site - Headline": each part is a title too. */
function titleVariants(titles: string[]): string[] {
  const variants = new Set<string>();
  for (const title of titles) {
    variants.add(title);
    for (const part of title.split(/\s+[|–—·:»-]\s+|\s+::\s+/))
      if (part.trim() !== "") variants.add(part.trim());
  }
  return [...variants];
}

/**
 * A paragraph seen before is furniture (a caption, a promo line) when it is not a sentence; a
 * caption-length sentence counts as furniture from its third showing (a gallery's caption on
 * every slide). Long paragraphs are text, however often they repeat.
 */
function isRepeat(text: string, seen: Map<string, number>): boolean {
  const count = seen.get(text) ?? 0;
  if (count === 0) return false;
  return (count >= 2 && text.length <= MAX_CAPTION) || !/[.!?…。！？]["'”’)]*$/u.test(text);
}

export function refineBlocks(blocks: TextBlock[], titles: string[]): RefinedBlocks {
  const kept: TextBlock[] = [];
  const removed: RefinedBlocks["removed"] = [];
  const seen = new Map<string, number>();
  const variants = titleVariants(titles);
  let headlineFound = false;
  for (const [index, block] of blocks.entries()) {
    const text = block.text;
    const isHeadline =
      !headlineFound &&
      index < HEADLINE_WINDOW &&
      block.kind === "heading" &&
      (block.level ?? 1) <= 2 &&
      repeatsTitle(text, variants);
    let reason: RefineReason | undefined;
    if (isHeadline) {
      headlineFound = true;
      reason = "headline";
    } else if (block.kind === "paragraph" && COUNTER.test(text)) {
      reason = "gallery counter";
    } else if (block.kind === "paragraph" && AD_LABELS.has(text.toLowerCase().replace(/[.:…]+$/, ""))) {
      reason = "ad label";
    } else if (block.kind === "paragraph" && isRepeat(text, seen)) {
      reason = "repeated";
    }
    if (reason !== undefined) {
      if (reason === "repeated") seen.set(text, (seen.get(text) ?? 0) + 1);
      removed.push({ reason, block });
      continue;
    }
    if (block.kind === "paragraph") seen.set(text, (seen.get(text) ?? 0) + 1);
    kept.push(block);
  }
  return { blocks: kept, removed };
}
