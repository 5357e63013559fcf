/**
 * The extract stage: HTML → ordered text blocks (main content, boilerplate removed), plus helpers
 * that give plain text and Markdown the same shape. Pure: no I/O.
 */
import type { CheerioAPI } from "cheerio";
import { load } from "cheerio";
import type { AnyNode, Document, Element } from "domhandler";
import { ExtractError, excerpt } from "../errors.js";
import type { TextBlock } from "../types.js";
import { blocksFromRoots } from "./blocks.js";
import { collectKeepers, findDropped } from "./clean.js";
import { isElement, tidy } from "./dom.js";
import { contentChoices, readableText } from "./main-content.js";
import { parseHtml } from "./parse.js";
import { textToBlocks } from "./plain-text.js";
import type { ExtractOptions } from "./types.js";

export { textToBlocks } from "./plain-text.js";
export type { ExtractOptions } from "./types.js";

/** Bump when the output for the same HTML changes; stored with snapshots so old ones can be re-extracted. */
export const EXTRACTOR_VERSION = "1";

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

function hasAncestorIn(element: Element, set: Set<Element>): boolean {
  let current = element.parent;
  while (current !== null) {
    if (isElement(current) && set.has(current)) return true;
    current = current.parent;
  }
  return false;
}

/**
 * Ordered text blocks of a page: the `select`ed parts, or else the detected main content, with
 * navigation, ads, sidebars, hidden and `ignore`d elements left out.
 * @throws ExtractError when `select` matches nothing or a selector is not valid CSS.
 */
export function extractBlocks(html: string, options: ExtractOptions = {}): TextBlock[] {
  return extractDocument(html, options).blocks;
}

/** Blocks and title from one parse of the page (the title read before `ignore` removes anything). */
export function extractDocument(
  html: string,
  options: ExtractOptions = {},
): { blocks: TextBlock[]; title?: string } {
  const page = parseHtml(html);
  if (page.kind === "flat") return { blocks: textToBlocks(page.text) };
  return extractTree(page, options);
}

/** Extraction from a tree already built (by {@link parseHtml}, or by another parser for comparison). */
export function extractTree(
  tree: { document: Document; html: Element; body: Element },
  options: ExtractOptions = {},
): { blocks: TextBlock[]; title?: string } {
  const $ = load(tree.document);
  const title = titleOf($);
  return { blocks: blocksOf($, tree.html, tree.body, options), ...(title === undefined ? {} : { title }) };
}

function blocksOf(
  $: CheerioAPI,
  documentElement: Element,
  body: Element,
  options: ExtractOptions,
): TextBlock[] {
  for (const selector of options.ignore ?? []) $(query($, selector, "ignore")).remove();

  let roots: Element[] | undefined;
  if (options.select !== undefined) {
    const matches = query($, options.select, "select");
    if (matches.length === 0) throw new ExtractError(`select "${excerpt(options.select)}" matched nothing`);
    const matchSet = new Set(matches);
    roots = matches.filter((match) => !hasAncestorIn(match, matchSet));
  }
  const dropped = new Set(findDropped(documentElement, collectKeepers(roots ?? [])).keys());
  if (roots !== undefined) return blocksFromRoots(roots, dropped);
  const available = readableText(body, dropped);
  let blocks: TextBlock[] = [];
  for (const choice of contentChoices(body, dropped)) {
    blocks = blocksFromRoots(choice.roots, new Set([...dropped, ...choice.furniture.keys()]));
    if (!nearlyEmpty(blocks, available)) break;
  }
  return blocks;
}

/** Fewer than {@link NEARLY_EMPTY} characters while the page had four times as much readable text. */
const NEARLY_EMPTY = 100;

function nearlyEmpty(blocks: TextBlock[], available: number): boolean {
  const length = blocks.reduce((sum, block) => sum + block.text.length, 0);
  return length < NEARLY_EMPTY && length * 4 < available;
}

/** The page's title: `og:title`, else the first `<h1>`, else `<title>`. */
function titleOf($: CheerioAPI): string | undefined {
  const candidates = [
    $('meta[property="og:title"], meta[name="og:title"]').first().attr("content"),
    $("h1").first().text(),
    $("title").first().text(),
  ];
  for (const candidate of candidates) {
    const title = tidy(candidate ?? "");
    if (title !== "") return title;
  }
  return undefined;
}
