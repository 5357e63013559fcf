/**
 * Measures of a tree that content choice is made on: text, link text and *prose* per element,
 * and teaser cards (repeated blocks that each lead with a headline link — "Recent articles",
 * "Next in this series", a stream of other posts — or with a gallery counter such as "3/50"),
 * whose text is never counted as prose.
 */
import type { AnyNode, Element, Text } from "domhandler";
import { BLOCK_TAGS, childElements, classTokens, HEADING_TAGS, isElement, isText } from "./dom.js";

export interface Stats {
  /** Characters of text (whitespace runs trimmed per text node). */
  text: number;
  /** Characters of that text inside links. */
  links: number;
  commas: number;
  /**
   * Characters of non-link text in blocks that read as running text: a block (or the loose text
   * of one) of at least {@link MIN_PROSE_BLOCK} characters with less than a third of it linked.
   */
  prose: number;
  /** Text outside any block descendant, and its link part: what the nearest block reads as its own. */
  loose: number;
  looseLinks: number;
  /** Blocks with text of their own, and the longest such text. */
  blocks: number;
  longest: number;
  /** Holds a table or an ordered list: data or a numbered document, however short its parts. */
  structured: boolean;
}

const MIN_PROSE_BLOCK = 40;
const MAX_PROSE_LINK_SHARE = 0.35;

function countCommas(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // ",", "，" (U+FF0C) and "、" (U+3001): none is half of a surrogate pair.
    if (code === 0x2c || code === 0xff0c || code === 0x3001) count++;
  }
  return count;
}

function proseOf(text: number, links: number): number {
  return text >= MIN_PROSE_BLOCK && links < text * MAX_PROSE_LINK_SHARE ? text - links : 0;
}

/** Stats of `root` and of every element under it that is not in `dropped`. */
export function computeStats(root: Element, dropped: Set<Element>): Map<Element, Stats> {
  const stats = new Map<Element, Stats>();
  const visit = (element: Element): Stats => {
    const own: Stats = {
      text: 0,
      links: 0,
      commas: 0,
      prose: 0,
      loose: 0,
      looseLinks: 0,
      blocks: 0,
      longest: 0,
      structured: element.name === "table" || element.name === "ol",
    };
    const isLink = element.name === "a";
    for (const child of element.children) {
      if (isText(child)) {
        const trimmed = child.data.trim();
        own.text += trimmed.length;
        own.loose += trimmed.length;
        if (isLink) {
          own.links += trimmed.length;
          own.looseLinks += trimmed.length;
        }
        own.commas += countCommas(trimmed);
      } else if (isElement(child) && !dropped.has(child)) {
        const inner = visit(child);
        own.text += inner.text;
        own.commas += inner.commas;
        own.links += isLink ? inner.text : inner.links;
        own.prose += inner.prose;
        own.blocks += inner.blocks;
        own.longest = Math.max(own.longest, inner.longest);
        own.structured ||= inner.structured;
        if (!BLOCK_TAGS.has(child.name)) {
          own.loose += inner.loose;
          own.looseLinks += isLink ? inner.loose : inner.looseLinks;
        }
      }
    }
    if (BLOCK_TAGS.has(element.name)) {
      own.prose += proseOf(own.loose, own.looseLinks);
      if (own.loose > 0) {
        own.blocks += 1;
        own.longest = Math.max(own.longest, own.loose);
      }
      own.loose = 0;
      own.looseLinks = 0;
    }
    stats.set(element, own);
    return own;
  };
  visit(root);
  return stats;
}

export function linkDensity(stats: Stats | undefined): number {
  return stats === undefined || stats.text === 0 ? 0 : stats.links / stats.text;
}

const MAX_TEASER_TEXT = 800;
const MIN_HEADLINE_LINK = 15;
const MIN_CARDS = 3;
const MIN_TEASER_OWN_TEXT = 20;

/** The first text node a reader meets in `element`. */
function firstText(element: Element, stats: Map<Element, Stats>): Text | undefined {
  const stack: AnyNode[] = [element];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (isText(node)) {
      if (node.data.trim() !== "") return node;
      continue;
    }
    if (!isElement(node) || !stats.has(node)) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  return undefined;
}

/** Whether the first text of `element` sits in a link of headline length. */
function leadsWithHeadlineLink(element: Element, first: Text, stats: Map<Element, Stats>): boolean {
  let current: AnyNode | null = first.parent;
  while (current !== null && isElement(current)) {
    if (current.name === "a" && (stats.get(current)?.text ?? 0) >= MIN_HEADLINE_LINK) return true;
    if (current === element) return false;
    current = current.parent;
  }
  return false;
}

/** "3/50", "Image 3 of 8": the counter a gallery slide opens with. */
const SLIDE_COUNTER = /^\s*(?:[\p{L}]+\s+)?\d+\s*(?:\/|of)\s*\d+(?!\d)/iu;

function hasLinkedHeading(element: Element, stats: Map<Element, Stats>): boolean {
  const stack = [element];
  while (stack.length > 0) {
    const current = stack.pop() as Element;
    for (const child of childElements(current)) {
      const own = stats.get(child);
      if (own === undefined) continue;
      if (HEADING_TAGS.has(child.name)) {
        if (own.text >= MIN_HEADLINE_LINK && own.links >= own.text * 0.8) return true;
      } else {
        stack.push(child);
      }
    }
  }
  return false;
}

function isTeaser(element: Element, stats: Map<Element, Stats>): boolean {
  const own = stats.get(element);
  if (own === undefined || own.text === 0 || own.text > MAX_TEASER_TEXT) return false;
  const first = firstText(element, stats);
  if (first === undefined) return false;
  if (SLIDE_COUNTER.test(first.data)) return true;
  // A teaser says something besides its link (a summary, a date); a bare link is a link list's item.
  if (own.text - own.links < MIN_TEASER_OWN_TEXT) return false;
  return hasLinkedHeading(element, stats) || leadsWithHeadlineLink(element, first, stats);
}

function cardKey(element: Element): string {
  return `${element.name}.${classTokens(element)[0] ?? ""}`;
}

/**
 * Teaser cards under `root`: at least {@link MIN_CARDS} siblings of one kind (same tag and first
 * class word) that are most of their parent's children with text, each short and led by a
 * headline link. Cards nested in a card are not looked for.
 */
export function findCards(root: Element, stats: Map<Element, Stats>): Set<Element> {
  const cards = new Set<Element>();
  const stack = [root];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    const children = childElements(element).filter((child) => (stats.get(child)?.text ?? 0) > 0);
    const groups = new Map<string, Element[]>();
    for (const child of children) {
      const key = cardKey(child);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [child]);
      else group.push(child);
    }
    const found = new Set<Element>();
    for (const group of groups.values()) {
      if (group.length < MIN_CARDS || group.length * 2 < children.length) continue;
      const teasers = group.filter((member) => isTeaser(member, stats));
      if (teasers.length >= MIN_CARDS && teasers.length * 4 >= group.length * 3)
        for (const teaser of teasers) found.add(teaser);
    }
    for (const child of children) {
      if (found.has(child)) cards.add(child);
      else stack.push(child);
    }
  }
  return cards;
}

const MIN_CONTROL_BLOCKS = 12;
const MAX_CONTROL_LABEL = 30;

/**
 * A player's or widget's controls ("Auto", "High (HD)", "Aa", font names): many blocks of a few
 * words each, none of them a sentence's length, and no table or numbered list among them.
 */
export function isControlCluster(stats: Stats | undefined): boolean {
  return (
    stats !== undefined &&
    stats.blocks >= MIN_CONTROL_BLOCKS &&
    stats.longest < MAX_CONTROL_LABEL &&
    stats.prose === 0 &&
    !stats.structured
  );
}
