/** The record of what extraction left out and why, so a reader can tune `select` and `ignore`. */
import type { AnyNode, Element } from "domhandler";
import { parseLabels } from "../clauses/labels.js";
import { excerpt } from "../errors.js";
import { childElements, hasAncestorIn, isElement, isText } from "./dom.js";
import type { RefineReason } from "./refine.js";

/** Why markup was left out, and why a finished block was (`RefineReason`). */
export type RemovalReason =
  | "ignore"
  | "boilerplate"
  | "outside content"
  | "link list"
  | "teaser"
  | "controls"
  | RefineReason;

export interface Removal {
  reason: RemovalReason;
  /** The rule's detail: the tag (`<nav>`), class/id word or role, or the `ignore` selector. */
  rule?: string;
  /** The element, as `tag#id.class.class` (absent for a block removed after reading). */
  element?: string;
  /** Words of visible text removed. */
  words: number;
  /** The start of that text. */
  text: string;
}

const SILENT = new Set(["script", "style", "noscript", "template", "head", "title"]);

/** Visible text of an element, without the subtrees in `skip`. */
export function visibleText(element: Element, skip: Set<Element> = new Set()): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [element];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (isText(node)) parts.push(node.data);
    else if (isElement(node) && !SILENT.has(node.name) && (node === element || !skip.has(node))) {
      parts.push(" ");
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
    }
  }
  return parts.join("").replace(/\s+/g, " ").trim();
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

export function describeElement(element: Element): string {
  const id = element.attribs.id ? `#${element.attribs.id}` : "";
  const classes = (element.attribs.class ?? "")
    .split(/\s+/)
    .filter((name) => name !== "")
    .slice(0, 3)
    .map((name) => `.${name}`)
    .join("");
  return excerpt(`${element.name}${id}${classes}`, 80);
}

/** A removal record for an element, or undefined when it had no visible text to lose. */
export function removalOf(
  element: Element,
  reason: RemovalReason,
  rule: string | undefined,
  skip: Set<Element>,
): Removal | undefined {
  const text = visibleText(element, skip);
  const words = countWords(text);
  if (words === 0) return undefined;
  return {
    reason,
    ...(rule === undefined ? {} : { rule }),
    element: describeElement(element),
    words,
    text: excerpt(text),
  };
}

/** The outermost elements under `body` that hold none of `roots` and are not already skipped. */
export function outsideContent(body: Element, roots: Element[], skipped: Set<Element>): Element[] {
  const onPath = new Set<Element>();
  for (const root of roots) {
    let current: AnyNode | null = root;
    while (current !== null && isElement(current)) {
      onPath.add(current);
      if (current === body) break;
      current = current.parent;
    }
  }
  const rootSet = new Set(roots);
  const outside: Element[] = [];
  const stack = [body];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    if (rootSet.has(element)) continue;
    for (const child of childElements(element)) {
      if (skipped.has(child) || rootSet.has(child)) continue;
      if (onPath.has(child)) stack.push(child);
      else outside.push(child);
    }
  }
  return outside;
}

/** The start of an element's visible text, up to about `limit` characters, without reading the rest. */
export function leadingText(element: Element, skip: Set<Element>, limit = 80): string {
  let text = "";
  const stack: AnyNode[] = [element];
  while (stack.length > 0 && text.length < limit) {
    const node = stack.pop() as AnyNode;
    if (isText(node)) text += node.data;
    else if (isElement(node) && !SILENT.has(node.name) && (node === element || !skip.has(node))) {
      text += " ";
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
    }
  }
  return text.replace(/\s+/g, " ").trim();
}

/** Text left out of the content read that starts like a numbered clause: perhaps the document's own. */
export interface SetAside {
  /** The number it starts with (`3.`, `(4)`, `Article 5`). */
  number: number;
  /** The rule that left it out (`<aside>`, `<footer>`, a class/id word). */
  rule: string;
  /** The element, as `tag#id.class`. */
  element: string;
  /** The start of its text. */
  lead: string;
}

/** Words a clause's number may follow at the start of a left-out block: "Article 5", "§ 6". */
const CLAUSE_WORDS = new Set(["", "article", "section", "clause", "point", "paragraph", "§"]);

/** The number a text starts with as a clause's label (`3.`, `(4)`, `Article 5`), as the outline reads labels. */
function clauseNumberAtStart(text: string): number | undefined {
  const label = parseLabels(text)[0];
  if (label?.family !== "decimal" || label.weak || (label.parts?.length ?? 1) > 1) return undefined;
  return CLAUSE_WORDS.has(label.word) ? label.value : undefined;
}

/** Rules that leave text out for what it is, not where it stands: never a document's clause. */
const NEVER_CLAUSES = new Set([
  "hidden",
  "struck",
  "<nav>",
  "<form>",
  "<dialog>",
  "<button>",
  "<select>",
  "<input>",
  "<textarea>",
  "controls",
  "link list",
]);

/**
 * Elements left out inside the content read, as furniture (an `<aside>`, a `<footer>`, a class
 * word), whose text starts with a clause's number: whether they are the document's is for the
 * outline to judge against its own numbering.
 */
export function numberedSetAside(
  reasons: Map<Element, string>,
  skipped: Set<Element>,
  roots: Element[],
): SetAside[] {
  const rootSet = new Set(roots);
  const out: SetAside[] = [];
  for (const [element, rule] of reasons) {
    if (NEVER_CLAUSES.has(rule) || !hasAncestorIn(element, rootSet) || hasAncestorIn(element, skipped))
      continue;
    const lead = leadingText(element, skipped);
    const number = clauseNumberAtStart(lead);
    if (number === undefined) continue;
    out.push({
      number,
      rule,
      element: describeElement(element),
      lead: excerpt(lead, 60),
    });
  }
  return out;
}
