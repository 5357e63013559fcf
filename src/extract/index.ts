/**
 * The extract stage: HTML → ordered text blocks (main content, boilerplate removed), plus helpers
 * that give plain text and Markdown the same shape. Pure: no I/O.
 */
import type { CheerioAPI } from "cheerio";
// The htmlparser2-only entry: the full one also loads parse5 and undici (for fromURL), which
// every parsing thread would pay for at start.
import { load } from "cheerio/slim";
import type { AnyNode, Document, Element } from "domhandler";
import { ExtractError, excerpt } from "../errors.js";
import type { TextBlock } from "../types.js";
import { blocksFromRoots } from "./blocks.js";
import { collectKeepers, findDropped } from "./clean.js";
import { hasAncestorIn, isElement } from "./dom.js";
import {
  countWords,
  numberedSetAside,
  outsideContent,
  type Removal,
  removalOf,
  type SetAside,
  visibleText,
} from "./explain.js";
import { contentChoices, readableText } from "./main-content.js";
import { type ClassListStyles, classListStyles } from "./markers.js";
import { readMetadata } from "./metadata.js";
import { type FlatReason, parseHtml } from "./parse.js";
import { textToBlocks } from "./plain-text.js";
import { refineBlocks } from "./refine.js";
import type { ExtractOptions } from "./types.js";

export type { Removal, RemovalReason, SetAside } from "./explain.js";
export type { FlatReason } from "./parse.js";
export { textToBlocks } from "./plain-text.js";
export type { ExtractOptions } from "./types.js";

export { EXTRACTOR_VERSION } from "./version.js";

/** Everything extraction learns about a page. */
export interface ExtractedPage {
  title?: string;
  byline?: string;
  /** Publication date, ISO 8601 when the page states one a parser reads. */
  date?: string;
  blocks: TextBlock[];
  /** What was left out and why; filled only when asked for (`explain`), as are byline and date. */
  removed: Removal[];
  /** Set when the page was too deep or too costly to build as a tree and was read as flat text. */
  flattened?: FlatReason;
  /** Furniture inside the content read whose text starts like a numbered clause; absent when none. */
  setAside?: SetAside[];
}

interface Tree {
  document: Document;
  html: Element;
  body: Element;
}

function query($: CheerioAPI, selector: string, option: "select" | "ignore"): Element[] {
  try {
    // find() only ever selects; $() would build new elements from a selector that looks like HTML.
    return $.root()
      .find(selector)
      .toArray()
      .filter((node: AnyNode) => isElement(node));
  } catch (error) {
    throw new ExtractError(`${option} "${excerpt(selector)}" is not a valid CSS selector`, { cause: error });
  }
}

/**
 * Ordered text blocks of a page: the `select`ed parts, or else the detected main content, with
 * navigation, ads, sidebars, hidden and `ignore`d elements left out.
 * @throws ExtractError when `select` matches nothing, a selector is not valid CSS, or the page has no readable text.
 */
export function extractBlocks(html: string, options: ExtractOptions = {}): TextBlock[] {
  return extractPage(html, options).blocks;
}

/**
 * Blocks and title from one parse of the page (the title read before `ignore` removes anything),
 * and `flattened` when the page was too deep or too costly to build and was read as flat text.
 */
export function extractDocument(
  html: string,
  options: ExtractOptions = {},
): { blocks: TextBlock[]; title?: string; flattened?: FlatReason; setAside: SetAside[] } {
  const { blocks, title, flattened, setAside } = extractPage(html, options);
  return {
    blocks,
    setAside: setAside ?? [],
    ...(title === undefined ? {} : { title }),
    ...(flattened === undefined ? {} : { flattened }),
  };
}

/**
 * The page's main text with its title; with `explain`, also its byline and date, and every part
 * left out with the rule that left it out.
 * @throws ExtractError as {@link extractBlocks} does.
 */
export function extractPage(html: string, options: ExtractOptions = {}, explain = false): ExtractedPage {
  const page = parseHtml(html);
  if (page.kind === "tree") return extractTree(page, options, explain);
  const blocks = textToBlocks(page.text);
  if (blocks.length === 0)
    throw nothingReadable(options, "the page is nested too deeply to read and has no text");
  return { blocks, removed: [], flattened: page.reason };
}

/** Extraction from a tree already built (by {@link parseHtml}, or by another parser for comparison). */
export function extractTree(tree: Tree, options: ExtractOptions = {}, explain = false): ExtractedPage {
  const $ = load(tree.document);
  const { titles, ...metadata } = readMetadata(tree.html, explain);
  const found: Array<{ element: Element; removal: Removal }> = [];
  const { blocks: read, setAside } = readBlocks($, tree, options, explain ? found : undefined);
  // What a reader selected is read as it stands: block rules are for content found by detection.
  const refined = options.select === undefined ? refineBlocks(read, titles) : { blocks: read, removed: [] };
  const removed = inDocumentOrder(tree.document, found);
  if (explain)
    for (const { reason, block } of refined.removed)
      removed.push({ reason, words: countWords(block.text), text: excerpt(block.text) });
  if (refined.blocks.length === 0) throw nothingReadable(options, whyNothing(tree.body, options));
  return { ...metadata, blocks: refined.blocks, removed, ...(setAside.length > 0 ? { setAside } : {}) };
}

/** Removals sorted as their elements stand in the page; ignored elements, already gone from it, come first. */
function inDocumentOrder(
  document: Document,
  found: Array<{ element: Element; removal: Removal }>,
): Removal[] {
  if (found.length === 0) return [];
  const position = new Map<AnyNode, number>();
  const stack: AnyNode[] = [document];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    position.set(node, position.size);
    if ("children" in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  const at = (element: Element): number => position.get(element) ?? -1;
  return [...found].sort((a, b) => at(a.element) - at(b.element)).map(({ removal }) => removal);
}

function nothingReadable(options: ExtractOptions, why: string): ExtractError {
  const source = options.source ?? "page";
  return new ExtractError(`${source}: no readable text found (${why})`, {
    ...(options.source === undefined ? {} : { source: options.source }),
  });
}

function whyNothing(body: Element, options: ExtractOptions): string {
  if (options.select !== undefined)
    return `select "${excerpt(options.select)}" matched only elements without text`;
  const text = visibleText(body);
  if (text === "") return "the page has no visible text";
  const words = countWords(text);
  return `its ${words === 1 ? "one word was" : `${words} words were all`} left out as navigation, ads or other furniture; text starts "${excerpt(text, 60)}"`;
}

/** The page's class rules for list markers, read from its `<style>` sheets when a list first asks. */
function stylesheetListStyles($: CheerioAPI): ClassListStyles {
  let read: ClassListStyles | undefined;
  return (classes) => {
    read ??= classListStyles(
      $("style")
        .toArray()
        .map((sheet) => $(sheet).text())
        .join("\n"),
    );
    return read(classes);
  };
}

function readBlocks(
  $: CheerioAPI,
  tree: Tree,
  options: ExtractOptions,
  removed: Array<{ element: Element; removal: Removal }> | undefined,
): { blocks: TextBlock[]; setAside: SetAside[] } {
  for (const selector of options.ignore ?? []) {
    const matches = query($, selector, "ignore");
    if (removed !== undefined)
      for (const match of matches) {
        const removal = removalOf(match, "ignore", selector, new Set());
        if (removal !== undefined) removed.push({ element: match, removal });
      }
    $(matches).remove();
  }

  let roots: Element[] | undefined;
  if (options.select !== undefined) {
    const matches = query($, options.select, "select");
    if (matches.length === 0) throw new ExtractError(`select "${excerpt(options.select)}" matched nothing`);
    const matchSet = new Set(matches);
    roots = matches.filter((match) => !hasAncestorIn(match, matchSet));
  }
  const reasons = findDropped(tree.html, collectKeepers(roots ?? []));
  const dropped = new Set(reasons.keys());
  const classStyles = stylesheetListStyles($);
  if (roots !== undefined) {
    if (removed !== undefined) record(removed, reasons, dropped, roots);
    return { blocks: blocksFromRoots(roots, dropped, classStyles), setAside: [] };
  }
  let available: number | undefined;
  let blocks: TextBlock[] = [];
  let setAside: SetAside[] = [];
  for (const choice of contentChoices(tree.body, dropped)) {
    const skipped = new Set([...dropped, ...choice.furniture.keys()]);
    blocks = blocksFromRoots(choice.roots, skipped, classStyles);
    if (nearlyEmpty(blocks, () => (available ??= readableText(tree.body, dropped)))) continue;
    setAside = numberedSetAside(new Map([...reasons, ...choice.furniture]), skipped, choice.roots);
    if (removed !== undefined) {
      record(removed, new Map([...reasons, ...choice.furniture]), skipped, choice.roots);
      for (const element of outsideContent(tree.body, choice.roots, skipped)) {
        const removal = removalOf(element, "outside content", undefined, skipped);
        if (removal !== undefined) removed.push({ element, removal });
      }
    }
    break;
  }
  return { blocks, setAside };
}

/** Records each skipped element once: the outermost, inside the content read or on the way to it. */
function record(
  removed: Array<{ element: Element; removal: Removal }>,
  reasons: Map<Element, string>,
  skipped: Set<Element>,
  roots: Element[],
): void {
  const rootSet = new Set(roots);
  for (const [element, rule] of reasons) {
    if (hasAncestorIn(element, skipped) || rootSet.has(element)) continue;
    const reason =
      rule === "link list" || rule === "teaser" || rule === "controls" ? rule : ("boilerplate" as const);
    const removal = removalOf(element, reason, reason === "boilerplate" ? rule : undefined, skipped);
    if (removal !== undefined) removed.push({ element, removal });
  }
}

/** Fewer than {@link NEARLY_EMPTY} characters while the page had four times as much readable text. */
const NEARLY_EMPTY = 100;

function nearlyEmpty(blocks: TextBlock[], available: () => number): boolean {
  const length = blocks.reduce((sum, block) => sum + block.text.length, 0);
  return length < NEARLY_EMPTY && length * 4 < available();
}
