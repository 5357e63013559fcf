/** Decides which elements are boilerplate; they are skipped, never mutated, so decisions stay cheap to revise. */
import type { Element } from "domhandler";
import { attr, childElements, classTokens, isElement } from "./dom.js";
import { computeStats, linkDensity, type Stats } from "./prose.js";

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
  "author",
  "authors",
  "timestamp",
  "pubdate",
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

/** Class/id words of a standfirst: part of a long story, but only packaging around a short one. */
export const SUBTITLE_TOKENS = new Set(["subtitle", "subheadline", "standfirst", "strapline", "dek"]);

/** Two-token phrases of boilerplate whose words alone are harmless ("most" + "read"). */
const BOILERPLATE_PAIRS = new Set([
  "most read",
  "most popular",
  "most viewed",
  "most shared",
  "more stories",
  "post meta",
  "entry meta",
  "article meta",
]);

/** Tokens that say "this is the text" (or a formula typeset in it), which outweigh a boilerplate token on the same element. */
const CONTENT_TOKENS = new Set(["article", "articlebody", "content", "main", "story", "math", "katex"]);

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

export function hasContentToken(tokens: readonly string[]): boolean {
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
  "paywall",
  "regwall",
];

/** The boilerplate words among an element's class/id words ("sidebar", "most read"), in order. */
export function boilerplateTokens(tokens: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    if (BOILERPLATE_TOKENS.has(token) || BOILERPLATE_PREFIXES.some((prefix) => token.startsWith(prefix)))
      found.push(token);
    else if (next !== undefined && BOILERPLATE_PAIRS.has(`${token} ${next}`)) found.push(`${token} ${next}`);
  }
  return found;
}

export function hasBoilerplateToken(tokens: readonly string[]): boolean {
  return boilerplateTokens(tokens).length > 0;
}

/**
 * Hidden, and not a collapsed panel of the page's own text: an accordion's or a tab's panel (a
 * region, a tab panel, or an element a toggle names in `aria-controls`) is text the reader opens.
 */
function isHidden(element: Element, controlled: () => ReadonlySet<string>): boolean {
  if (!isHiddenByMarkup(element)) return false;
  const role = attr(element, "role");
  if (role === "region" || role === "tabpanel") return false;
  const id = attr(element, "id");
  if (id !== undefined && controlled().has(id)) return false;
  return !followsToggleHeading(element);
}

/** The element before this one is a heading whose button says it opens and closes (`aria-expanded`). */
function followsToggleHeading(element: Element): boolean {
  let previous = element.prev;
  while (previous !== null && previous.type !== "tag") previous = previous.prev;
  if (previous === null || !HEADING_TAGS.has((previous as Element).name)) return false;
  return childElements(previous as Element).some(
    (child) => child.name === "button" && attr(child, "aria-expanded") !== undefined,
  );
}

function isHiddenByMarkup(element: Element): boolean {
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

/** Why markup marks an element as furniture: its role or a boilerplate class/id word; undefined when it does not. */
function boilerplateMark(element: Element, structural: Set<string>): string | undefined {
  if (NEVER_DROPPED_TAGS.has(element.name)) return undefined;
  const role = attr(element, "role");
  if (role !== undefined && BOILERPLATE_ROLES.has(role.trim().toLowerCase())) return `role "${role.trim()}"`;
  const tokens = classTokens(element);
  if (hasContentToken(tokens)) return undefined;
  const marks = boilerplateTokens(tokens).filter((token) => !structural.has(token));
  return marks.length === 0 ? undefined : `class/id "${marks[0]}"`;
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

/** Minimum text of a declared article that shields its ancestors from class-name rules. */
const PRIMARY_ARTICLE_TEXT = 500;

/** The largest declared article, when it is big enough to be the page's reason to exist. */
function primaryArticle(root: Element, stats: Map<Element, Stats>): Element | undefined {
  let best: Element | undefined;
  let bestLength = PRIMARY_ARTICLE_TEXT - 1;
  for (const candidate of findSemanticContent(root)) {
    // `main` regions commonly hold the sidebars too; only an article speaks for the text itself.
    if (semanticRank(candidate) < 2) continue;
    const length = stats.get(candidate)?.text ?? 0;
    if (length > bestLength) {
      best = candidate;
      bestLength = length;
    }
  }
  return best;
}

/** A fact box's list: at least this many items, of this many characters each on average (sentences, not menu entries). */
const FACT_BOX_ITEMS = 3;
const FACT_BOX_ITEM_TEXT = 40;

/**
 * An aside inside the story that is part of it: a fact box holding a table or a list of at least
 * three items of running text rather than links ("The plan's main points" beside the report). A
 * box of links or of short offers, a pull quote or a lone note stays out, as every aside outside
 * the story does.
 */
function isFactBox(aside: Element, dropped: Set<Element>): boolean {
  const stats = computeStats(aside, dropped);
  if (linkDensity(stats.get(aside)) >= 0.35) return false;
  const stack = [aside];
  while (stack.length > 0) {
    const current = stack.pop() as Element;
    if (!stats.has(current)) continue;
    if (current.name === "table") return true;
    if (current.name === "ol" || current.name === "ul") {
      const items = childElements(current).filter((child) => child.name === "li");
      const text = items.reduce((sum, item) => sum + (stats.get(item)?.text ?? 0), 0);
      if (items.length >= FACT_BOX_ITEMS && text >= items.length * FACT_BOX_ITEM_TEXT) return true;
    }
    stack.push(...childElements(current));
  }
  return false;
}

const HEADING_TAGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "summary", "dt"]);

/** A button that opens a section and carries its title: an accordion's, set in the section's heading. */
function isSectionToggle(element: Element): boolean {
  const parent = element.parent;
  return parent !== null && parent.type === "tag" && HEADING_TAGS.has((parent as Element).name);
}

/** The ids toggles name in `aria-controls` ("panel-2", or several separated by spaces). */
function controlledIds(root: Element): Set<string> {
  const ids = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    const controls = attr(element, "aria-controls");
    if (controls !== undefined) for (const id of controls.split(/\s+/)) if (id !== "") ids.add(id);
    stack.push(...childElements(element));
  }
  return ids;
}

const STRUCK_TAGS = new Set(["del", "s", "strike"]);

/** Elements never read whatever their class: junk tags, hidden elements, forms that are not the page. */
function dropReasonByTag(element: Element, controlled: () => ReadonlySet<string>): string | undefined {
  const name = element.name;
  if (name === "html" || name === "body") return undefined;
  if (name === "button" && isSectionToggle(element)) return undefined;
  if (JUNK_TAGS.has(name)) return `<${name}>`;
  if (name === "form") return isContentForm(element) ? undefined : "<form>";
  // Struck text (a redline's deletions, "was 5 km") is not what the copy says now.
  if (STRUCK_TAGS.has(name)) return "struck";
  if (isHidden(element, controlled)) return "hidden";
  return undefined;
}

/** Share of the page's prose above which class/id words cannot mark something as furniture. */
const MOST_PROSE = 0.5;

/**
 * Class/id words that cover most of the page's prose on this page (Blogger's "widget" around the
 * post, Elementor's "elementor-widget" on every text block): a naming scheme here, not a mark of
 * furniture.
 */
function structuralTokens(root: Element, stats: Map<Element, Stats>): Set<string> {
  const pageProse = stats.get(root)?.prose ?? 0;
  const covered = new Map<string, number>();
  const visit = (element: Element, active: Set<string>): void => {
    const own = boilerplateTokens(classTokens(element)).filter((token) => !active.has(token));
    for (const token of own) covered.set(token, (covered.get(token) ?? 0) + (stats.get(element)?.prose ?? 0));
    const next = own.length === 0 ? active : new Set([...active, ...own]);
    for (const child of childElements(element)) if (stats.has(child)) visit(child, next);
  };
  visit(root, new Set());
  const structural = new Set<string>();
  for (const [token, prose] of covered)
    if (pageProse > 0 && prose >= pageProse * MOST_PROSE && !DISCUSSION_TOKENS.has(token))
      structural.add(token);
  return structural;
}

const DISCUSSION_TOKENS = new Set(["comment", "comments", "disqus", "replies", "discussion"]);

function isDiscussion(element: Element): boolean {
  return classTokens(element).some((token) => DISCUSSION_TOKENS.has(token));
}

/** Words of an embedded post (a quoted tweet or toot is part of the story, its share bar is not). */
const SOCIAL_TOKENS = new Set(["social", "share", "sharing", "embed", "embedded"]);

function isEmbeddedPost(element: Element, stats: Map<Element, Stats>): boolean {
  if (!classTokens(element).some((token) => SOCIAL_TOKENS.has(token))) return false;
  const stack = [element];
  while (stack.length > 0) {
    const current = stack.pop() as Element;
    if (current.name === "blockquote") {
      const own = stats.get(current);
      if (own !== undefined && own.text - own.links >= 40) return true;
    }
    for (const child of childElements(current)) if (stats.has(child)) stack.push(child);
  }
  return false;
}

/** An id made from a heading ("sharing-with-a-single-developer") on a section that starts with one. */
function isHeadingSection(element: Element): boolean {
  const id = attr(element, "id") ?? "";
  if (id.split(/[-_]/).filter((word) => word !== "").length < 4) return false;
  const first = childElements(element)[0];
  return first !== undefined && /^h[1-6]$/.test(first.name);
}

/**
 * Elements to skip as boilerplate, each with the reason. `keep` holds elements that must survive
 * (the reader's `select` matches and their ancestors): junk *inside* them still goes.
 */
export function findDropped(root: Element, keep: Set<Element>): Map<Element, string> {
  const dropped = new Map<Element, string>();
  const asides: Element[] = [];
  // Walked for only on a page with hidden elements, at the first one.
  let ids: Set<string> | undefined;
  const controlled = () => {
    ids ??= controlledIds(root);
    return ids;
  };
  const byTag = (element: Element, inStory: boolean): void => {
    const reason = keep.has(element) ? undefined : dropReasonByTag(element, controlled);
    if (reason !== undefined) dropped.set(element, reason);
    else if (element.name === "aside" && !keep.has(element) && !inStory) dropped.set(element, "<aside>");
    else {
      if (element.name === "aside" && !keep.has(element)) asides.push(element);
      const story = inStory || isSemanticContent(element);
      for (const child of childElements(element)) byTag(child, story);
    }
  };
  byTag(root, false);
  // Asides inside the story are decided once the junk inside them is known.
  for (const aside of asides) if (!isFactBox(aside, new Set(dropped.keys()))) dropped.set(aside, "<aside>");
  const stats = computeStats(root, new Set(dropped.keys()));
  const pageProse = stats.get(root)?.prose ?? 0;
  const structural = structuralTokens(root, stats);
  const primary = primaryArticle(root, stats);
  const shells = collectKeepers(primary === undefined ? [] : [primary]);
  // Outside the article, a "sidebar"-classed element holding half the page is a layout shell
  // ("two-col-sidebar" wrappers); inside it, a class-marked gallery or widget is still furniture.
  const wrapperThreshold = (stats.get(root)?.text ?? 0) * 0.5;
  const byClass = (element: Element, insideArticle: boolean): void => {
    const own = stats.get(element);
    if (own === undefined) return;
    const mark =
      keep.has(element) || shells.has(element) || isSemanticContent(element)
        ? undefined
        : boilerplateMark(element, structural);
    // Readers' comments are prose a class name rightly calls furniture, however much of it there is.
    const protectedBySize =
      !isDiscussion(element) &&
      ((!insideArticle && own.text > wrapperThreshold) ||
        (pageProse > 0 && own.prose >= pageProse * MOST_PROSE));
    if (
      mark !== undefined &&
      !protectedBySize &&
      !isEmbeddedPost(element, stats) &&
      !isHeadingSection(element)
    ) {
      dropped.set(element, mark);
      return;
    }
    const inside = insideArticle || element === primary;
    for (const child of childElements(element)) byClass(child, inside);
  };
  byClass(root, false);
  return dropped;
}
