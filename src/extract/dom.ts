/** Small helpers over the domhandler tree that cheerio builds; walking nodes directly is much faster than wrapping each one. */
import type { AnyNode, Element, Text } from "domhandler";

export function isElement(node: AnyNode): node is Element {
  const type: string = node.type;
  return type === "tag" || type === "script" || type === "style";
}

export function isText(node: AnyNode): node is Text {
  const type: string = node.type;
  return type === "text";
}

export function childElements(element: Element): Element[] {
  return element.children.filter(isElement);
}

/** Whether any ancestor of `element` is in `set`. */
export function hasAncestorIn(element: Element, set: Set<Element>): boolean {
  let current = element.parent;
  while (current !== null) {
    if (isElement(current) && set.has(current)) return true;
    current = current.parent;
  }
  return false;
}

export function attr(element: Element, name: string): string | undefined {
  return element.attribs[name];
}

/** Several rules read the same element's words; attributes never change while a page is read. */
const tokenCache = new WeakMap<Element, readonly string[]>();
const NO_TOKENS: readonly string[] = Object.freeze([]);

/** Splits class and id into lowercase words: on `-`, `_`, spaces and camelCase humps. */
export function classTokens(element: Element): readonly string[] {
  // Most elements have neither attribute: no cache entry (and no garbage) for them.
  const { attribs } = element;
  if (attribs.class === undefined && attribs.id === undefined) return NO_TOKENS;
  const cached = tokenCache.get(element);
  if (cached !== undefined) return cached;
  const tokens = splitTokens(element);
  tokenCache.set(element, tokens);
  return tokens;
}

function splitTokens(element: Element): string[] {
  const raw = `${attr(element, "class") ?? ""} ${attr(element, "id") ?? ""}`;
  if (raw.trim() === "") return [];
  return raw
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[\s_\-:]+/)
    .filter((token) => token !== "");
}

/** Collapses HTML whitespace (not U+00A0, which the clause normalizer handles) to single spaces. */
export function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f\v]+/g, " ");
}

/** Trims, and treats text made only of spaces (U+00A0 included) as empty. */
export function tidy(text: string): string {
  return collapse(text).trim();
}

export const HEADING_TAGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
export const LIST_TAGS = new Set(["ol", "ul", "menu", "dir"]);

/** Tags a browser lays out as blocks: their edges end the paragraph being built. */
export const BLOCK_TAGS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "caption",
  "center",
  "dd",
  "details",
  "dialog",
  "dir",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "html",
  "legend",
  "li",
  "main",
  "menu",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

/** All text under an element, as printed (iterative: deep pages never overflow the stack). */
export function textOf(element: Element): string {
  let out = "";
  const stack: AnyNode[] = [element];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (isText(node)) out += node.data;
    else if (isElement(node))
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  return out;
}
