/**
 * Rules over the finished blocks, where repetition and page furniture show as text: the headline
 * (it is the title, not the text), paragraphs repeated on the page (captions, promos) counted
 * once, gallery counters ("Image 3 of 8"), advertising labels, the outlet's calls to share or
 * follow it, and a byline's reading time.
 */
import type { TextBlock } from "../types.js";

export type RefineReason =
  | "headline"
  | "repeated"
  | "gallery counter"
  | "ad label"
  | "social prompt"
  | "reading time";

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

/** Networks and channels an outlet asks readers to share on or follow it on. */
const CHANNEL_NAMES = [
  "facebook",
  "twitter",
  "x",
  "whatsapp",
  "instagram",
  "telegram",
  "linkedin",
  "tiktok",
  "youtube",
  "threads",
  "bluesky",
  "mastodon",
  "reddit",
  "viber",
  "e-?mail",
  "newsletter",
  "rss",
  "app",
  "google news",
];
const CHANNELS = new RegExp(`(?<![\\p{L}\\p{N}])(?:${CHANNEL_NAMES.join("|")})(?![\\p{L}\\p{N}])`, "giu");
/**
 * How a call to share or follow opens, in the languages the coverage comes in: addressed to the
 * reader about the outlet or the story ("Share this article", "Follow us", "Sign up for our
 * newsletter"), so a clause on sharing data with a network ("Share your location with …") is no
 * such call.
 */
const PROMPT_OPENING =
  /^(?:share (?:this|the) (?:article|story|post|page|link)|share (?:on|via)\b|share:|follow us|like us|join us on|subscribe to (?:our|the)|sign up (?:for|to) (?:our|the)|get our|download (?:our|the) app|teilen sie (?:diesen|den) artikel|folgen sie uns|partagez cet article|suivez-nous|comparte (?:esta|este)|síguenos|condividi (?:questo|l'articolo)|seguici|udostępnij|obserwuj nas|поділіться|підписуйтеся на|поделитесь|подписывайтесь на)/iu;
/** What else a share bar's text holds beside the channels' names ("Share: Facebook · X · Email"). */
const SHARE_BAR_WORDS = new Set(["share", "on", "via", "or", "copy", "link", "print", "this", "article"]);
/** The words a share bar can open with: one of those, or a channel's first word (`e` of `e-mail`). */
const SHARE_BAR_OPENINGS = new Set([
  ...SHARE_BAR_WORDS,
  ...CHANNEL_NAMES.map((name) => name.split(/[^a-z]/)[0] as string),
  "email",
]);
/** A call to share or follow is short: a line, not a paragraph of the story. */
const MAX_PROMPT_WORDS = 25;
/** "3 min read", "5-minute read", "Lesezeit 4 Minuten": how long the story takes, printed in its byline. */
const READING_TIME =
  /(?<![\p{L}\p{N}])(?:\d+[\s-]*(?:min|mins|minutes?)\.?\s+read|lesezeit:?\s*\d+\s*min(?:uten)?|\d+\s*min(?:utes)?\s+de lecture|lectura de \d+\s*min(?:utos)?)(?![\p{L}\p{N}])/iu;
/** A byline is short; a sentence of the story that mentions a reading time is text. */
const MAX_BYLINE_WORDS = 16;

/** The first word as `words` splits them. */
const FIRST_WORD = /[\p{L}\p{N}]+/u;

/** "Share this article: Facebook · X · WhatsApp", "Follow us on Instagram for more": the outlet's, not the story's. */
function isSocialPrompt(text: string): boolean {
  // Most paragraphs are the story's: its first word rules them out before any counting.
  const opening = PROMPT_OPENING.test(text);
  if (!opening && !SHARE_BAR_OPENINGS.has(FIRST_WORD.exec(text)?.[0].toLowerCase() ?? "")) return false;
  if (words(text).length > MAX_PROMPT_WORDS) return false;
  const channels = text.match(CHANNELS)?.length ?? 0;
  if (opening) return channels > 0;
  // A bare share bar: two or more channels and nothing else.
  const others = words(text.replace(CHANNELS, " ")).filter((word) => !SHARE_BAR_WORDS.has(word));
  return channels >= 2 && others.length === 0;
}

/** A byline or meta line that gives a reading time ("Staff reporter · 5 May 2026 · 3 min read"). */
function isReadingTime(text: string): boolean {
  return READING_TIME.test(text) && words(text).length <= MAX_BYLINE_WORDS && !/[.!?]["'”’)]*$/u.test(text);
}

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
    } else if (block.kind === "paragraph" && isSocialPrompt(text)) {
      reason = "social prompt";
    } else if (block.kind === "paragraph" && isReadingTime(text)) {
      reason = "reading time";
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
