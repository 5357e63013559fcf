/**
 * Finds the part of a page that is the document: the declared article when the page has one worth
 * the name, otherwise a readability-style score, and the whole cleaned body when both look wrong.
 */
import type { Element } from "domhandler";
import {
  hasBoilerplateToken,
  hasContentToken,
  isSemanticContent,
  SUBTITLE_TOKENS,
  semanticRank,
} from "./clean.js";
import {
  BLOCK_TAGS,
  childElements,
  classTokens,
  HEADING_TAGS,
  hasAncestorIn,
  isElement,
  LIST_TAGS,
} from "./dom.js";
import { computeStats, findCards, isControlCluster, linkDensity, type Stats } from "./prose.js";

/** Tunables, gathered so the bench can be read against them. */
const MIN_SEMANTIC_TEXT = 200;
const SEMANTIC_SHARE_OF_BODY = 0.3;
const ARTICLE_BODY_SHARE_OF_BODY = 0.15;
const PREFER_INNER_SHARE = 0.85;
/** Of several articles, the first worth this share of the best one is the page's own. */
const LEAD_SHARE = 0.5;
/** A sibling of the top candidate's own tag with this share of its prose continues the text, however short. */
const SIBLING_PEER_SHARE = 0.5;
/** A main region is narrowed to its scored container when that holds this much of its prose. */
const NARROW_MAIN_PROSE_SHARE = 0.8;
const MIN_CONTENT_SHARE_OF_BODY = 0.2;
const MIN_SCORED_TEXT = 25;
const LINK_BLOCK_DENSITY = 0.5;
const LINK_LIST_DENSITY = 0.9;
const SIBLING_PROSE_SHARE = 0.5;
const MIN_CROSS_LINK = 20;
const MAX_CROSS_LINK = 200;
const CROSS_LINK_DENSITY = 0.8;
const SIBLING_LINK_DENSITY = 0.25;
/** A link-dense wrapper holding this much prose is a page wrapper with link lists in it, not a link list. */
const LINK_BLOCK_MAX_PROSE = 200;

function effectiveText(stats: Stats | undefined): number {
  return stats === undefined ? 0 : stats.text - stats.links;
}

/** What a candidate is worth: its prose, plus a quarter of its other unlinked text (short list items, table cells). */
function weight(stats: Stats | undefined): number {
  if (stats === undefined) return 0;
  return stats.prose + (effectiveText(stats) - stats.prose) / 4;
}

function totalWeight(elements: Element[], stats: Map<Element, Stats>): number {
  return elements.reduce((sum, element) => sum + weight(stats.get(element)), 0);
}

function isAncestor(ancestor: Element, element: Element): boolean {
  let current = element.parent;
  while (current !== null) {
    if (current === ancestor) return true;
    current = current.parent;
  }
  return false;
}

function parentElement(element: Element): Element | undefined {
  const parent = element.parent;
  return parent !== null && isElement(parent) ? parent : undefined;
}

function semanticCandidates(root: Element, stats: Map<Element, Stats>): Element[] {
  const found: Element[] = [];
  const visit = (element: Element): void => {
    if (isSemanticContent(element)) found.push(element);
    for (const child of childElements(element)) if (stats.has(child)) visit(child);
  };
  visit(root);
  return found;
}

/**
 * The first of `items` (in document order) worth at least {@link LEAD_SHARE} of the best: on a
 * page that loads the next story below the first, the first is the one the address is about.
 */
function leading<T>(items: T[], worth: (item: T) => number): T | undefined {
  const best = items.reduce((max, item) => Math.max(max, worth(item)), 0);
  return items.find((item) => worth(item) >= best * LEAD_SHARE && worth(item) > 0) ?? items[0];
}

function largest(elements: Element[], stats: Map<Element, Stats>): Element | undefined {
  return leading(elements, (element) => weight(stats.get(element)));
}

function nearestArticle(element: Element): Element | undefined {
  let current = parentElement(element);
  while (current !== undefined && semanticRank(current) !== 2) current = parentElement(current);
  return current;
}

/**
 * `articleBody` parts of one article (sites split the body around ads and paywalls). Bodies of
 * different articles (an infinite-scroll page) are not mixed: the first article worth half the
 * best one wins.
 */
function articleBodies(candidates: Element[], stats: Map<Element, Stats>): Element[] {
  const bodies = candidates.filter((element) => semanticRank(element) === 3);
  const bodySet = new Set(bodies);
  const outer = bodies.filter((body) => !hasAncestorIn(body, bodySet));
  const groups = new Map<Element | undefined, Element[]>();
  for (const body of outer) {
    const article = nearestArticle(body);
    const group = groups.get(article);
    if (group === undefined) groups.set(article, [body]);
    else group.push(body);
  }
  return leading([...groups.values()], (group) => totalWeight(group, stats)) ?? [];
}

/**
 * The declared article body, else the article worth most, else the main region worth most
 * (narrowed to an article holding nearly all of it, or to the scored container holding most of
 * its prose: main regions hold players, streams and rails too).
 */
function pickSemantic(root: Element, stats: Map<Element, Stats>): Element[] | undefined {
  const candidates = semanticCandidates(root, stats).filter((element) => element !== root);
  const bodyWeight = weight(stats.get(root));
  const bodies = articleBodies(candidates, stats);
  const bodiesWeight = totalWeight(bodies, stats);
  if (bodiesWeight >= MIN_SEMANTIC_TEXT && bodiesWeight >= bodyWeight * ARTICLE_BODY_SHARE_OF_BODY)
    return bodies;

  for (const rank of [2, 1]) {
    let chosen = largest(
      candidates.filter((element) => semanticRank(element) === rank),
      stats,
    );
    if (chosen === undefined) continue;
    for (const candidate of candidates) {
      const share = weight(stats.get(candidate)) / Math.max(1, weight(stats.get(chosen)));
      if (share >= PREFER_INNER_SHARE && isAncestor(chosen, candidate)) chosen = candidate;
    }
    const worth = weight(stats.get(chosen));
    if (worth < MIN_SEMANTIC_TEXT || worth < bodyWeight * SEMANTIC_SHARE_OF_BODY) continue;
    if (semanticRank(chosen) !== 1) return [chosen];
    const inner = pickByScore(chosen, stats);
    const prose = stats.get(chosen)?.prose ?? 0;
    const innerProse = inner?.reduce((sum, element) => sum + (stats.get(element)?.prose ?? 0), 0) ?? 0;
    return inner !== undefined && innerProse >= prose * NARROW_MAIN_PROSE_SHARE
      ? withProseAround(inner, chosen, stats)
      : [chosen];
  }
  return undefined;
}

/** A paragraph or quotation of plain text: some words with few links, or a short line with none. */
function isPlainProse(element: Element, stats: Map<Element, Stats>): boolean {
  if (element.name !== "p" && element.name !== "blockquote") return false;
  const own = stats.get(element);
  const text = own?.text ?? 0;
  const density = linkDensity(own);
  return (text > 80 && density < 0.25) || (text > 0 && text <= 80 && density === 0);
}

/**
 * The parts of a main region chosen as its text, with the plain paragraphs the region itself sets
 * beside them ("The English and French texts are equally authentic." before a bilingual text, the line
 * it was signed on after it): the region's own prose, not the players and rails narrowing leaves out.
 */
function withProseAround(inner: Element[], main: Element, stats: Map<Element, Stats>): Element[] {
  if (!inner.every((root) => root !== main && isAncestor(main, root))) return inner;
  const path = new Set<Element>();
  for (const root of inner)
    for (let at = parentElement(root); at !== undefined; at = parentElement(at)) {
      path.add(at);
      if (at === main) break;
    }
  const chosen = new Set(inner);
  const out: Element[] = [];
  const visit = (element: Element): void => {
    for (const child of childElements(element)) {
      if (!stats.has(child)) continue;
      // Paragraphs of the region itself: deeper down, a paragraph beside the text is a widget's.
      if (chosen.has(child) || (element === main && !path.has(child) && isPlainProse(child, stats)))
        out.push(child);
      else if (path.has(child)) visit(child);
    }
  };
  visit(main);
  return out;
}

function tagWeight(name: string): number {
  if (name === "div" || name === "article" || name === "main" || name === "section") return 5;
  if (name === "pre" || name === "td" || name === "blockquote") return 3;
  if (
    name === "form" ||
    LIST_TAGS.has(name) ||
    name === "li" ||
    name === "dl" ||
    name === "dd" ||
    name === "dt"
  )
    return -3;
  if (HEADING_TAGS.has(name) || name === "th") return -5;
  return 0;
}

function classWeight(element: Element): number {
  const tokens = classTokens(element);
  let weight = 0;
  if (hasContentToken(tokens)) weight += 25;
  if (hasBoilerplateToken(tokens)) weight -= 25;
  return weight;
}

function hasBlockChild(element: Element): boolean {
  return childElements(element).some((child) => BLOCK_TAGS.has(child.name));
}

/** Elements whose own text is a paragraph's worth of content. */
function isScoredElement(element: Element): boolean {
  const name = element.name;
  if (name === "p" || name === "pre" || name === "td" || name === "li" || name === "blockquote") return true;
  return (name === "div" || name === "section") && !hasBlockChild(element);
}

/** List items score for the list's container, so a long reference list never wins on its own. */
function scoringParent(element: Element): Element | undefined {
  let parent = parentElement(element);
  if (element.name !== "li") return parent;
  while (parent !== undefined && (LIST_TAGS.has(parent.name) || parent.name === "li"))
    parent = parentElement(parent);
  return parent;
}

function pickByScore(root: Element, stats: Map<Element, Stats>): Element[] | undefined {
  const scores = new Map<Element, number>();
  const visit = (element: Element): void => {
    const own = stats.get(element);
    if (own !== undefined && isScoredElement(element) && own.text >= MIN_SCORED_TEXT) {
      const score = 1 + own.commas + Math.min(Math.floor(own.text / 100), 3);
      let ancestor = scoringParent(element);
      for (let level = 0; level < 5 && ancestor !== undefined; level++) {
        const base = scores.get(ancestor) ?? tagWeight(ancestor.name) + classWeight(ancestor);
        scores.set(ancestor, base + score / (level === 0 ? 1 : level === 1 ? 2 : level * 3));
        if (ancestor === root) break;
        ancestor = parentElement(ancestor);
      }
    }
    if (element.name === "li") return;
    for (const child of childElements(element)) if (stats.has(child)) visit(child);
  };
  visit(root);

  let top: Element | undefined;
  let topScore = Number.NEGATIVE_INFINITY;
  for (const [element, score] of scores) {
    const final = score * (1 - linkDensity(stats.get(element)));
    scores.set(element, final);
    if (final > topScore) {
      top = element;
      topScore = final;
    }
  }
  if (top === undefined) return undefined;

  top = widenTop(top, topScore, root, scores);
  // A lone child adds nothing of its own: its parent is the same content with its headings.
  let parent = parentElement(top);
  while (
    top !== root &&
    parent !== undefined &&
    childElements(parent).filter((c) => stats.has(c)).length === 1
  ) {
    top = parent;
    parent = parentElement(top);
  }
  topScore = Math.max(topScore, scores.get(top) ?? 0);
  if (top === root || parent === undefined) return [top];
  return withSiblings(top, topScore, parent, stats, scores);
}

/**
 * Content split over several containers makes several near-equal candidates: their common
 * ancestor is the article. A parent scoring higher than the candidate is also a sign of more text.
 */
function widenTop(top: Element, topScore: number, root: Element, scores: Map<Element, number>): Element {
  const alternatives = [...scores]
    .filter(([element, score]) => element !== top && score >= topScore * 0.75)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([element]) => element);
  let widened = top;
  if (alternatives.length >= 3) {
    let ancestor = parentElement(top);
    while (ancestor !== undefined && ancestor !== root) {
      const container = ancestor;
      if (alternatives.filter((alternative) => isAncestor(container, alternative)).length >= 3) {
        widened = ancestor;
        break;
      }
      ancestor = parentElement(ancestor);
    }
  }
  let lastScore = scores.get(widened) ?? topScore;
  const floor = lastScore / 3;
  let parent = parentElement(widened);
  while (parent !== undefined && parent !== root) {
    const parentScore = scores.get(parent);
    if (parentScore !== undefined) {
      if (parentScore < floor) break;
      if (parentScore > lastScore) return parent;
      lastScore = parentScore;
    }
    parent = parentElement(parent);
  }
  return widened;
}

/** The top candidate plus siblings that continue it (the article split across several containers). */
function withSiblings(
  top: Element,
  topScore: number,
  parent: Element,
  stats: Map<Element, Stats>,
  scores: Map<Element, number>,
): Element[] {
  const threshold = Math.max(10, topScore * 0.2);
  const topClass = top.attribs.class ?? "";
  const topDensity = linkDensity(stats.get(top));
  const topProse = stats.get(top)?.prose ?? 0;
  const siblings = childElements(parent).filter((child) => stats.has(child));
  const included = siblings.map((sibling) => {
    if (sibling === top) return true;
    const own = stats.get(sibling);
    // Only prose of the same kind continues the text: not a grid of teasers that shares its class.
    const sameKind =
      own !== undefined &&
      own.prose >= effectiveText(own) * SIBLING_PROSE_SHARE &&
      linkDensity(own) <= Math.max(SIBLING_LINK_DENSITY, topDensity + 0.1);
    const bonus = sameKind && topClass !== "" && sibling.attribs.class === topClass ? topScore * 0.2 : 0;
    if (sameKind && (scores.get(sibling) ?? 0) + bonus >= threshold) return true;
    // A short page's sections (`<section>` 1 and 2, each a heading and a short paragraph) score
    // under the floor, or not at all: one like the top one, with nearly as much prose, is the text going on.
    if (sameKind && sibling.name === top.name && own.prose >= topProse * SIBLING_PEER_SHARE) return true;
    const text = own?.text ?? 0;
    const density = linkDensity(own);
    if (sibling.name === "p" || LIST_TAGS.has(sibling.name) || sibling.name === "blockquote") {
      if (text > 80 && density < 0.25) return true;
      if (text > 0 && text <= 80 && density === 0) return true;
    }
    return false;
  });
  // A heading directly before included content introduces it.
  for (let i = siblings.length - 2; i >= 0; i--) {
    const sibling = siblings[i] as Element;
    if (HEADING_TAGS.has(sibling.name) && included[i + 1] === true) included[i] = true;
  }
  return siblings.filter((_, i) => included[i]);
}

/** Why a part of the chosen content is left out: a kind of furniture, or the class/id word that marks it. */
export type FurnitureReason = "link list" | "teaser" | "controls" | `class/id "${string}"`;

/** A story shorter than this (characters of prose) is one its standfirst only packages. */
const SHORT_TEXT = 1000;

/** What to read: the roots in document order, and parts inside them to skip, each with the reason. */
export interface ContentChoice {
  roots: Element[];
  /**
   * Link collections ("Related", tag lists), teaser cards (other posts' headline and summary) and
   * control clusters (a player's settings) inside the chosen content.
   */
  furniture: Map<Element, FurnitureReason>;
}

const LINK_BLOCK_TAGS = new Set(["ul", "ol", "div", "section", "dl"]);

/** A short paragraph that is nearly all link ("Read more: <another story>"): a pointer away, not text. */
function isCrossLink(element: Element, own: Stats): boolean {
  return (
    element.name === "p" &&
    own.text >= MIN_CROSS_LINK &&
    own.text <= MAX_CROSS_LINK &&
    own.links >= own.text * CROSS_LINK_DENSITY
  );
}

function findFurniture(
  roots: Element[],
  stats: Map<Element, Stats>,
  cards: Set<Element>,
): Map<Element, FurnitureReason> {
  const found = new Map<Element, FurnitureReason>();
  const visit = (element: Element, inStructure: boolean): void => {
    for (const child of childElements(element)) {
      if (cards.has(child)) {
        found.set(child, "teaser");
        continue;
      }
      const own = stats.get(child);
      if (own === undefined) continue;
      // Lists of links can be content (references, changelogs): only all-link lists go.
      const threshold = LIST_TAGS.has(child.name) ? LINK_LIST_DENSITY : LINK_BLOCK_DENSITY;
      const nestedList = LIST_TAGS.has(child.name) && element.name === "li";
      const linkList = own.text > 0 && linkDensity(own) >= threshold && own.prose < LINK_BLOCK_MAX_PROSE;
      if (LINK_BLOCK_TAGS.has(child.name) && !nestedList && linkList) {
        found.set(child, "link list");
        continue;
      }
      if (isCrossLink(child, own)) {
        found.set(child, "link list");
        continue;
      }
      if (!inStructure && isControlCluster(own)) {
        found.set(child, "controls");
        continue;
      }
      visit(child, inStructure || child.name === "table" || child.name === "ol");
    }
  };
  for (const root of roots) visit(root, false);
  return withTheirHeadings(found, roots, stats);
}

/**
 * A container left holding only headings once its furniture is gone ("Recent articles" over a
 * grid of teasers) goes with it: a heading that introduces nothing is not text.
 */
function withTheirHeadings(
  found: Map<Element, FurnitureReason>,
  roots: Element[],
  stats: Map<Element, Stats>,
): Map<Element, FurnitureReason> {
  const rootSet = new Set(roots);
  const parents = new Map<Element, FurnitureReason>();
  for (const [element, reason] of found) {
    const parent = parentElement(element);
    if (parent !== undefined && !parents.has(parent)) parents.set(parent, reason);
  }
  for (const [parent, reason] of parents) {
    if (rootSet.has(parent) || found.has(parent)) continue;
    let left = stats.get(parent)?.text ?? 0;
    let headings = 0;
    for (const child of childElements(parent)) {
      const own = stats.get(child);
      if (own === undefined) continue;
      if (found.has(child)) left -= own.text;
      else if (HEADING_TAGS.has(child.name)) {
        left -= own.text;
        headings++;
      }
    }
    if (headings > 0 && left <= 0) found.set(parent, reason);
  }
  return found;
}

/**
 * The elements to read, best guess first; the caller moves on to the next when one yields
 * (nearly) nothing: teaser cards left in, then the whole cleaned body.
 */
export function* contentChoices(body: Element, dropped: Set<Element>): Generator<ContentChoice> {
  const withCards = computeStats(body, dropped);
  const cards = findCards(body, withCards);
  if (cards.size > 0) yield chooseFrom(body, computeStats(body, new Set([...dropped, ...cards])), cards);
  yield chooseFrom(body, withCards, new Set());
  yield { roots: [body], furniture: new Map() };
}

/** Unlinked characters of text in the cleaned body: what "nearly nothing" is measured against. */
export function readableText(body: Element, dropped: Set<Element>): number {
  return effectiveText(computeStats(body, dropped).get(body));
}

function chooseFrom(body: Element, stats: Map<Element, Stats>, cards: Set<Element>): ContentChoice {
  const roots = findContentRoots(body, stats);
  const furniture = findFurniture(roots, stats, cards);
  const prose = roots.reduce((sum, root) => sum + (stats.get(root)?.prose ?? 0), 0);
  if (prose < SHORT_TEXT)
    for (const [subtitle, word] of subtitles(roots, stats, furniture))
      furniture.set(subtitle, `class/id "${word}"`);
  return { roots, furniture };
}

/** Elements under `roots` marked as a standfirst by class or id (with the word), outside furniture already found. */
function subtitles(
  roots: Element[],
  stats: Map<Element, Stats>,
  furniture: Map<Element, FurnitureReason>,
): Array<[Element, string]> {
  const found: Array<[Element, string]> = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    for (const child of childElements(element)) {
      if (!stats.has(child) || furniture.has(child)) continue;
      const word = classTokens(child).find((token) => SUBTITLE_TOKENS.has(token));
      if (word !== undefined) found.push([child, word]);
      else stack.push(child);
    }
  }
  return found;
}

function findContentRoots(body: Element, stats: Map<Element, Stats>): Element[] {
  const bodyWeight = weight(stats.get(body));
  if (bodyWeight === 0) return [body];
  const semantic = pickSemantic(body, stats);
  if (semantic !== undefined) return semantic;
  const scored = pickByScore(body, stats);
  if (scored === undefined) return [body];
  return totalWeight(scored, stats) < bodyWeight * MIN_CONTENT_SHARE_OF_BODY ? [body] : scored;
}
