/** Walks the chosen content in document order and turns it into `TextBlock`s. */
import type { AnyNode, Element } from "domhandler";
import type { TextBlock } from "../types.js";
import {
  attr,
  BLOCK_TAGS,
  childElements,
  HEADING_TAGS,
  isElement,
  isText,
  LIST_TAGS,
  textOf,
  tidy,
} from "./dom.js";
import {
  type ClassListStyles,
  formatMarker,
  type MarkerStyle,
  parseInteger,
  styleFromInlineCss,
  styleFromTypeAttribute,
} from "./markers.js";

interface ListState {
  /** Assigned when the list's first non-empty item is emitted, so ids stay dense. */
  id: number | undefined;
  ordered: boolean;
  style: MarkerStyle;
  next: number;
  step: 1 | -1;
  level: number;
}

/** Tags whose content a browser never shows as text. */
const SILENT_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "title",
  "img",
  "video",
  "audio",
]);

function linksWithin(node: Element): boolean {
  return node.children.some((child) => isElement(child) && (child.name === "a" || linksWithin(child)));
}

const SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/**
 * What a `<sup>` reads as after `before` (the text so far): nothing for a footnote marker
 * (`…600,000<sup><a href="#fn1">1</a></sup>`, `month<sup>2</sup>`), whose digits glued on would
 * change the figure it follows; superscript digits for a power (`10<sup>6</sup>`, `km<sup>2</sup>`); undefined for
 * anything else, which is read as it stands.
 */
function superscriptText(sup: Element, before: string): string | undefined {
  const text = textOf(sup).trim();
  if (!/^\[?(?:\d{1,3}|[a-z]|[*†‡§]{1,3})\]?$/i.test(text)) return undefined;
  // A power follows a figure or a unit of length ("10³", "km²"); a footnote marker follows a word.
  const raises = /(?:\d|\b(?:[kcmµ]?m|ft))$/.test(before);
  if (linksWithin(sup) || !raises || !/^\d+$/.test(text)) return "";
  return text.replace(/\d/g, (digit) => SUPERSCRIPT_DIGITS[Number(digit)] as string);
}

/** Text of a subtree flattened to one line: block edges and `<br>` become spaces (or `breaks`). */
function inlineText(element: Element, dropped: Set<Element>, skipLists: boolean, breaks = " "): string {
  let out = "";
  const visit = (node: AnyNode): void => {
    if (isText(node)) {
      out += node.data;
      return;
    }
    if (!isElement(node) || dropped.has(node) || SILENT_TAGS.has(node.name)) return;
    if (skipLists && LIST_TAGS.has(node.name)) return;
    if (node.name === "br") {
      out += breaks;
      return;
    }
    const sup = node.name === "sup" ? superscriptText(node, out) : undefined;
    if (sup !== undefined) {
      out += sup;
      return;
    }
    const block = BLOCK_TAGS.has(node.name);
    if (block) out += " ";
    for (const child of node.children) visit(child);
    if (block) out += " ";
  };
  for (const child of element.children) visit(child);
  return out;
}

/** Text of a `<pre>` with its line breaks; only blank edges and trailing spaces go. */
function preText(element: Element, dropped: Set<Element>): string {
  let out = "";
  const visit = (node: AnyNode): void => {
    if (isText(node)) {
      out += node.data;
      return;
    }
    if (!isElement(node) || dropped.has(node) || SILENT_TAGS.has(node.name)) return;
    if (node.name === "br") {
      out += "\n";
      return;
    }
    for (const child of node.children) visit(child);
  };
  for (const child of element.children) visit(child);
  const lines = out
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd());
  while (lines.length > 0 && (lines[0] as string).trim() === "") lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === "") lines.pop();
  return lines.join("\n");
}

/** A line that opens with an item's label: "(a)", "ii)", "3.", "•". */
const ITEM_LINE = /^\s*(?:\((?:[a-z]|[ivx]{1,5}|\d{1,3})\)|(?:[a-z]|[ivx]{1,5}|\d{1,3})[.)]|[•▪◦–-])\s/i;

/**
 * A cell's lines split before each line that opens with an item's label, the text before the
 * first as the first part; none when no line after the first opens with one.
 */
function itemLines(text: string): string[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  if (!lines.slice(1).some((line) => ITEM_LINE.test(line))) return [];
  const parts: string[] = [];
  for (const line of lines) {
    if (parts.length === 0 || ITEM_LINE.test(line)) parts.push(line);
    else parts[parts.length - 1] += ` ${line}`;
  }
  return parts;
}

/** Descendants of `root` that belong to it rather than to a nested element of the same family. */
function ownedDescendants(
  root: Element,
  dropped: Set<Element>,
  wanted: (element: Element) => boolean,
  barrier: (element: Element) => boolean,
): Element[] {
  const found: Element[] = [];
  const visit = (element: Element): void => {
    for (const child of childElements(element)) {
      if (dropped.has(child)) continue;
      if (wanted(child)) found.push(child);
      else if (!barrier(child)) visit(child);
    }
  };
  visit(root);
  return found;
}

function ownedItems(list: Element, dropped: Set<Element>): Element[] {
  return ownedDescendants(
    list,
    dropped,
    (element) => element.name === "li",
    (element) => LIST_TAGS.has(element.name),
  );
}

const LAYOUT_CONTENT_TAGS = new Set([
  "table",
  "p",
  "ul",
  "ol",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "pre",
  "blockquote",
  "dl",
]);

function containsTag(element: Element, tags: Set<string>): boolean {
  for (const child of childElements(element)) {
    if (tags.has(child.name) || containsTag(child, tags)) return true;
  }
  return false;
}

/** A table used to lay out a page (cells holding paragraphs and lists) is read as blocks, not rows. */
function isLayoutTable(table: Element, cells: Element[]): boolean {
  const role = attr(table, "role");
  if (role === "presentation" || role === "none") return true;
  return cells.some((cell) => containsTag(cell, LAYOUT_CONTENT_TAGS));
}

/** The `dt` and `dd` elements of a definition list, in order, also inside the `div`s that may group them. */
function definitionEntries(list: Element, dropped: Set<Element>): Element[] {
  const out: Element[] = [];
  for (const child of childElements(list)) {
    if (dropped.has(child)) continue;
    if (child.name === "dt" || child.name === "dd") out.push(child);
    else if (child.name === "div") out.push(...definitionEntries(child, dropped));
  }
  return out;
}

function isCell(element: Element): boolean {
  return element.name === "td" || element.name === "th";
}

/** Converts the content under `roots` (in order) to blocks, skipping `dropped` subtrees. */
export function blocksFromRoots(
  roots: Element[],
  dropped: Set<Element>,
  classStyles?: ClassListStyles,
): TextBlock[] {
  const blocks: TextBlock[] = [];
  const lists: ListState[] = [];
  /** Google Docs lists by class (`lst-kix_<id>-<level>`): one state per level, across sibling `<ol>`s. */
  const docsLists = new Map<string, ListState>();
  let listCount = 0;
  let buffer = "";
  /** Position of the block after the last `<hr>` that follows a paragraph. */
  let lastBreak: number | undefined;

  const flush = (): void => {
    const text = tidy(buffer);
    buffer = "";
    if (text !== "") blocks.push({ kind: "paragraph", text });
  };

  const walkChildren = (element: Element): void => {
    for (const child of element.children) walk(child);
  };

  const emitItem = (item: Element): void => {
    const state = lists[lists.length - 1];
    let marker: string | undefined;
    if (state !== undefined) {
      const value = state.ordered ? parseInteger(attr(item, "value")) : undefined;
      const ordinal = value ?? state.next;
      state.next = ordinal + state.step;
      const style =
        styleFromInlineCss(attr(item, "style")) ??
        (state.ordered ? styleFromTypeAttribute(attr(item, "type")) : undefined) ??
        state.style;
      marker = formatMarker(style, ordinal);
    }
    const text = tidy(inlineText(item, dropped, true));
    if (text !== "") {
      const block: TextBlock = { kind: "item", text, level: state?.level ?? 1 };
      if (state !== undefined) {
        if (state.id === undefined) {
          listCount += 1;
          state.id = listCount;
        }
        block.list = state.id;
      }
      if (marker !== undefined) block.marker = marker;
      blocks.push(block);
    }
    const nested = ownedDescendants(
      item,
      dropped,
      (element) => LIST_TAGS.has(element.name),
      () => false,
    );
    for (const list of nested) walkList(list);
  };

  const walkList = (list: Element): void => {
    const ordered = list.name === "ol";
    const classes = (attr(list, "class") ?? "").split(/\s+/).filter(Boolean);
    const baseStyle: MarkerStyle = ordered
      ? (styleFromTypeAttribute(attr(list, "type")) ?? "decimal")
      : "bullet";
    const style =
      styleFromInlineCss(attr(list, "style")) ??
      (classes.length > 0 ? classStyles?.(classes) : undefined) ??
      baseStyle;
    const reversed = ordered && attr(list, "reversed") !== undefined;
    const given = ordered ? parseInteger(attr(list, "start")) : undefined;
    const docs = lists.length === 0 ? docsListOf(classes) : undefined;
    const state =
      docs === undefined
        ? undefined
        : continueDocsList(
            docs,
            { id: undefined, ordered, style, next: given ?? 1, step: 1, level: docs.level },
            given,
          );
    lists.push(
      state ?? {
        id: undefined,
        ordered,
        style,
        next: given ?? (reversed ? ownedItems(list, dropped).length : 1),
        step: reversed ? -1 : 1,
        level: lists.length + 1,
      },
    );
    walkChildren(list);
    flush();
    lists.pop();
  };

  /**
   * A Google Docs export writes every level of a list as a flat `<ol>` of its own, the level in
   * its class, and continues a level's numbering with `start`. The level's list goes on across
   * its deeper levels' lists, and a new item above a level closes that level's list, as nesting
   * would.
   */
  const continueDocsList = (
    docs: { list: string; level: number },
    fresh: ListState,
    given: number | undefined,
  ): ListState => {
    for (const [key, open] of docsLists)
      if (key.startsWith(`${docs.list}-`) && open.level > docs.level) docsLists.delete(key);
    const key = `${docs.list}-${docs.level}`;
    const open = docsLists.get(key);
    if (open === undefined) {
      docsLists.set(key, fresh);
      return fresh;
    }
    if (given !== undefined) open.next = given;
    return open;
  };

  /**
   * A definition list: each term with its definitions is one item of the list, titled by the term
   * (`Term` › "The period of 24 months…"), and text after the list is no longer the last term's.
   */
  const walkDefinitions = (list: Element): void => {
    let id: number | undefined;
    const level = lists.length + 1;
    let terms: string[] = [];
    let definitions: string[] = [];
    const emit = () => {
      const term = terms.join(", ");
      if (definitions.length === 0) {
        // A term with no definition titles what follows the list (a wiki's `;Government` line), as a bold title line does (rank 7, below h6).
        for (const text of terms) blocks.push({ kind: "heading", text, level: 7 });
      } else if (terms.length === 0) {
        // Definitions without a term are indented paragraphs (a wiki's `:` lines, a displayed formula).
        for (const text of definitions) blocks.push({ kind: "paragraph", text });
      } else {
        if (id === undefined) {
          listCount += 1;
          id = listCount;
        }
        blocks.push({
          kind: "item",
          text: tidy(`${term} ${definitions.join(" ")}`),
          level,
          list: id,
          marker: "•",
          term,
        });
      }
      terms = [];
      definitions = [];
    };
    for (const entry of definitionEntries(list, dropped)) {
      const text = tidy(inlineText(entry, dropped, false));
      if (text === "") continue;
      if (entry.name === "dt") {
        if (definitions.length > 0) emit();
        terms.push(text);
      } else definitions.push(text);
    }
    emit();
  };

  const walkTable = (table: Element): void => {
    const rows = ownedDescendants(
      table,
      dropped,
      (element) => element.name === "tr",
      (element) => element.name === "table",
    );
    const cellsByRow = rows.map((row) =>
      childElements(row).filter((cell) => isCell(cell) && !dropped.has(cell)),
    );
    if (isLayoutTable(table, cellsByRow.flat())) {
      walkChildren(table);
      flush();
      return;
    }
    for (const caption of childElements(table).filter((child) => child.name === "caption")) {
      buffer = inlineText(caption, dropped, false);
      flush();
    }
    for (const cells of cellsByRow) {
      const texts = cells.map((cell) => tidy(inlineText(cell, dropped, false)));
      if (texts.every((text) => text === "")) continue;
      // Items set on lines of their own in the last cell ("…of any plan to:<br>(a) …<br>(b) …")
      // are read as in a paragraph: each its own block after the row.
      const last = cells[cells.length - 1];
      const items = last ? itemLines(inlineText(last, dropped, false, "\n")) : [];
      if (items.length > 0) texts[texts.length - 1] = tidy(items.shift() as string);
      blocks.push({ kind: "paragraph", text: texts.join(" | "), row: true });
      for (const item of items) blocks.push({ kind: "paragraph", text: tidy(item) });
    }
  };

  const walk = (node: AnyNode): void => {
    if (isText(node)) {
      buffer += node.data;
      return;
    }
    if (!isElement(node) || dropped.has(node) || SILENT_TAGS.has(node.name)) return;
    const name = node.name;
    const sup = name === "sup" ? superscriptText(node, buffer) : undefined;
    if (sup !== undefined) {
      buffer += sup;
      return;
    }
    if (name === "br" || name === "hr") {
      flush();
      if (name === "hr" && blocks[blocks.length - 1]?.kind === "paragraph") lastBreak = blocks.length;
      return;
    }
    if (HEADING_TAGS.has(name)) {
      flush();
      const text = tidy(inlineText(node, dropped, false));
      if (text !== "") blocks.push({ kind: "heading", text, level: Number(name.slice(1)) });
      return;
    }
    if (name === "li") {
      flush();
      emitItem(node);
      return;
    }
    if (name === "figcaption") {
      // A photo's caption and credit: a note beside the text it stands in, never part of a clause.
      flush();
      const text = tidy(inlineText(node, dropped, false));
      if (text !== "") blocks.push({ kind: "paragraph", text, caption: true });
      return;
    }
    if (name === "dl") {
      flush();
      walkDefinitions(node);
      return;
    }
    if (name === "dt") {
      // A defined term titles its definitions, as a bold title line does (rank 7, below h6).
      flush();
      const text = tidy(inlineText(node, dropped, false));
      if (text !== "") blocks.push({ kind: "heading", text, level: 7 });
      return;
    }
    if (LIST_TAGS.has(name)) {
      flush();
      walkList(node);
      return;
    }
    if (name === "pre") {
      flush();
      const text = preText(node, dropped);
      if (text.trim() !== "") blocks.push({ kind: "pre", text });
      return;
    }
    if (name === "table") {
      flush();
      walkTable(node);
      return;
    }
    const block = BLOCK_TAGS.has(name);
    if (block) flush();
    walkChildren(node);
    if (block) flush();
  };

  for (const root of roots) {
    walk(root);
    flush();
  }
  // Only the last rule, and only before trailing paragraphs (a company's footer): rules between the
  // parts of one section leave the text after them in the section.
  const after = lastBreak === undefined ? [] : blocks.slice(lastBreak);
  if (after.length > 0 && after.every((block) => block.kind === "paragraph" && !block.row))
    (after[0] as TextBlock).breakBefore = true;
  return blocks;
}

/** The list and level of a Google Docs export's flat list, from its class `lst-kix_<list>-<level>`. */
function docsListOf(classes: readonly string[]): { list: string; level: number } | undefined {
  for (const name of classes) {
    const match = /^lst-kix_([\w]+)-(\d)$/.exec(name);
    if (match?.[1] !== undefined) return { list: match[1], level: Number(match[2]) + 1 };
  }
  return undefined;
}
