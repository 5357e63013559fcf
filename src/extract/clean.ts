/** Decides which elements are boilerplate; they are skipped, never mutated, so decisions stay cheap to revise. */
import type { Element } from "domhandler";
import { attr, childElements, isElement, isText } from "./dom.js";

/** Never content, whatever they contain. */
const JUNK_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "canvas",
  "iframe",
  "object",
  "embed",
  "button",
  "input",
  "select",
  "textarea",
  "nav",
  "footer",
  "aside",
  "head",
  "link",
  "meta",
  "dialog",
]);

/** Class/id tokens of page furniture around the text. */
const BOILERPLATE_TOKENS = new Set([
  "ad",
  "ads",
  "adv",
  "advert",
  "adverts",
  "advertisement",
  "advertising",
  "adslot",
  "adunit",
  "adsense",
  "dfp",
  "promo",
  "promos",
  "promotion",
  "sponsor",
  "sponsored",
  "newsletter",
  "subscribe",
  "subscription",
  "signup",
  "share",
  "sharing",
  "sharebar",
  "social",
  "related",
  "recommended",
  "recommendations",
  "popular",
  "trending",
  "comment",
  "comments",
  "disqus",
  "cookie",
  "cookies",
  "consent",
  "gdpr",
  "banner",
  "breadcrumb",
  "breadcrumbs",
  "byline",
  "footer",
  "sidebar",
  "outbrain",
  "taboola",
  "widget",
  "widgets",
  "masthead",
  "menu",
  "navbar",
  "pagination",
  "pager",
  "popup",
  "modal",
  "toolbar",
]);

/** Two-token phrases of boilerplate whose words alone are harmless ("most" + "read"). */
const BOILERPLATE_PAIRS = new Set([
  "most read",
  "most popular",
  "most viewed",
  "most shared",
  "more stories",
]);

/** Tokens that say "this is the text", which outweigh a boilerplate token on the same element. */
const CONTENT_TOKENS = new Set(["article", "articlebody", "content", "main", "story"]);

const BOILERPLATE_ROLES = new Set([
  "navigation",
  "complementary",
  "contentinfo",
  "search",
  "menu",
  "menubar",
  "dialog",
  "alertdialog",
]);

const NEVER_DROPPED_TAGS = new Set(["html", "body", "article", "main"]);

/** Splits class and id into lowercase words: on `-`, `_`, spaces and camelCase humps. */
export function classTokens(element: Element): string[] {
  const raw = `${attr(element, "class") ?? ""} ${attr(element, "id") ?? ""}`;
  if (raw.trim() === "") return [];
  return raw
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[\s_\-:]+/)
    .filter((token) => token !== "");
}

export function hasContentToken(tokens: string[]): boolean {
  return tokens.some((token) => CONTENT_TOKENS.has(token));
}

/** Words that stay boilerplate when glued to another ("relatedposts", "advertisementbox"). */
const BOILERPLATE_PREFIXES = [
  "related",
  "advert",
  "sponsor",
  "newsletter",
  "outbrain",
  "taboola",
  "breadcrumb",
  "sidebar",
];

export function hasBoilerplateToken(tokens: string[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (BOILERPLATE_TOKENS.has(token)) return true;
    if (BOILERPLATE_PREFIXES.some((prefix) => token.startsWith(prefix))) return true;
    const next = tokens[i + 1];
    if (next !== undefined && BOILERPLATE_PAIRS.has(`${token} ${next}`)) return true;
  }
  return false;
}

function isHidden(element: Element): boolean {
  if (attr(element, "hidden") !== undefined) return true;
  if (attr(element, "aria-hidden") === "true") return true;
  const style = attr(element, "style");
  if (style === undefined) return false;
  return /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i.test(style);
}

/** A form that wraps a whole page (ASP.NET does this) holds the content; a search or signup form does not. */
function isContentForm(element: Element): boolean {
  let paragraphs = 0;
  const stack = [...childElements(element)];
  while (stack.length > 0) {
    const current = stack.pop() as Element;
    const name = current.name;
    if (name === "article" || name === "main") return true;
    if (name === "p" || name === "li") paragraphs++;
    if (paragraphs >= 3) return true;
    stack.push(...childElements(current));
  }
  return false;
}

function isBoilerplate(element: Element): boolean {
  if (NEVER_DROPPED_TAGS.has(element.name)) return false;
  const role = attr(element, "role");
  if (role !== undefined && BOILERPLATE_ROLES.has(role.trim().toLowerCase())) return true;
  const tokens = classTokens(element);
  return hasBoilerplateToken(tokens) && !hasContentToken(tokens);
}

/** Elements that are, or lead to, content the reader asked for or the page declares as its article. */
export function collectKeepers(roots: Element[]): Set<Element> {
  const keep = new Set<Element>();
  for (const root of roots) {
    let current: Element | null = root;
    while (current !== null && !keep.has(current)) {
      keep.add(current);
      const parent: unknown = current.parent;
      current = parent !== null && isElement(parent as Element) ? (parent as Element) : null;
    }
  }
  return keep;
}

/**
 * How strongly markup declares an element to be the text: 3 for `articleBody` (microdata or RDFa),
 * 2 for `article`, 1 for `main`, 0 for anything else.
 */
export function semanticRank(element: Element): 0 | 1 | 2 | 3 {
  const declared = `${attr(element, "itemprop") ?? ""} ${attr(element, "property") ?? ""}`;
  if (/\barticleBody\b/i.test(declared)) return 3;
  const role = attr(element, "role");
  if (element.name === "article" || role === "article") return 2;
  if (element.name === "main" || role === "main") return 1;
  return 0;
}

export function isSemanticContent(element: Element): boolean {
  return semanticRank(element) > 0;
}

/** Every `article`, `main`, `[role=main]` or `[itemprop=articleBody]` in the tree. */
export function findSemanticContent(root: Element): Element[] {
  const found: Element[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const current = stack.pop() as Element;
    if (isSemanticContent(current)) found.push(current);
    const children = childElements(current);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Element);
  }
  return found;
}

/** Visible-ish text length of a subtree, before any cleaning (script and style text excluded). */
function rawTextLength(element: Element): number {
  let length = 0;
  const stack: Element[] = [element];
  while (stack.length > 0) {
    const current = stack.pop() as Element;
    for (const child of current.children) {
      if (isText(child)) length += child.data.trim().length;
      else if (isElement(child) && child.name !== "script" && child.name !== "style") stack.push(child);
    }
  }
  return length;
}

/** Minimum text of a declared article that shields its ancestors from class-name rules. */
const PRIMARY_ARTICLE_TEXT = 500;

/** The largest declared article, when it is big enough to be the page's reason to exist. */
function primaryArticle(root: Element): Element | undefined {
  let best: Element | undefined;
  let bestLength = PRIMARY_ARTICLE_TEXT - 1;
  for (const candidate of findSemanticContent(root)) {
    // `main` regions commonly hold the sidebars too; only an article speaks for the text itself.
    if (semanticRank(candidate) < 2) continue;
    const length = rawTextLength(candidate);
    if (length > bestLength) {
      best = candidate;
      bestLength = length;
    }
  }
  return best;
}

/**
 * Elements to skip as boilerplate. `keep` holds elements that must survive (the reader's `select`
 * matches and their ancestors): junk *inside* them still goes.
 */
export function findDropped(root: Element, keep: Set<Element>): Set<Element> {
  const dropped = new Set<Element>();
  const primary = primaryArticle(root);
  const shells = collectKeepers(primary === undefined ? [] : [primary]);
  // Outside the article, a "sidebar"-classed element holding half the page is a layout shell
  // ("two-col-sidebar" wrappers); inside it, a class-marked gallery or widget is still furniture.
  const wrapperThreshold = rawTextLength(root) * 0.5;
  const visit = (element: Element, insideArticle: boolean): void => {
    const threshold = insideArticle ? Number.POSITIVE_INFINITY : wrapperThreshold;
    if (!keep.has(element) && shouldDrop(element, threshold, shells)) {
      dropped.add(element);
      return;
    }
    const inside = insideArticle || element === primary;
    for (const child of childElements(element)) visit(child, inside);
  };
  visit(root, false);
  return dropped;
}

function shouldDrop(element: Element, wrapperThreshold: number, shells: Set<Element>): boolean {
  const name = element.name;
  if (name === "html" || name === "body") return false;
  if (JUNK_TAGS.has(name)) return true;
  if (name === "form") return !isContentForm(element);
  if (isHidden(element)) return true;
  if (!isBoilerplate(element) || shells.has(element) || isSemanticContent(element)) return false;
  return wrapperThreshold === Number.POSITIVE_INFINITY || rawTextLength(element) <= wrapperThreshold;
}
