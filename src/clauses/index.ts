/**
 * The clause stage: a document (plain text, Markdown or extracted HTML blocks) read as an outline
 * of clauses that covers every word — title, preamble, headings, numbered sections at any depth,
 * bullets, tables, closing text — each with a stable path, plus what the reader noticed.
 */

import { ExtractError } from "../errors.js";
import { lineNumbersWarning } from "../line-numbers.js";
import type { Clause, ClauseSet, OutlineWarning, TextBlock } from "../types.js";
import { BACK_MATTER_WORDS } from "./labels.js";
import type { LeftOut } from "./lines.js";
import { unitsFromMarkdown } from "./markdown.js";
import { fingerprint, normalizeForCompare } from "./normalize.js";
import { type BuiltOutline, buildOutline, type Gap } from "./outline.js";
import { assignPaths } from "./paths.js";
import { hasTitleText } from "./titles.js";
import { countWords, type OutlineNode, ownText, preorder } from "./tree.js";
import type { Unit } from "./types.js";
import { unitsFromBlocks, unitsFromText } from "./units.js";

export { foldTypography, normalizeForCompare, wordTokens } from "./normalize.js";
export type { InputFormat, LabelMatch } from "./types.js";

/** Bump when the same input reads as different clauses; stored clause sets of older versions are read again. */
export const OUTLINE_VERSION = 6;

export type ClauseInput = (
  | { source: string; format: "text" | "markdown"; text: string }
  | { source: string; format: "html"; blocks: TextBlock[]; title?: string }
) & {
  /** `"always"`: read every paragraph as a clause of its own, structure aside (news coverage, whose lists are quotes). */
  prose?: boolean | "always";
};

function unitsOf(input: ClauseInput, left: LeftOut): Unit[] {
  if (input.format === "html") return unitsFromBlocks(input.blocks, left);
  if (input.format === "markdown") return unitsFromMarkdown(input.text);
  return unitsFromText(input.text, undefined, left);
}

/** A word hyphenated at a line end ("negoti-" / "ations", a margin line number between): the reader joins its halves into one. */
const HYPHENATED_AT_WRAP = /\p{Ll}-[ \t]*\r?\n[ \t]*(?:\d{1,3}[ \t]+)?\p{Ll}/gu;

function wrapJoins(text: string): number {
  return /-[ \t]*\r?\n/.test(text) ? (text.match(HYPHENATED_AT_WRAP)?.length ?? 0) : 0;
}

/** Words of the input as a reader counts them, markup aside: what coverage is measured against. */
function sourceWords(input: ClauseInput, units: Unit[]): number {
  if (input.format !== "html") return plainWords(input) - wrapJoins(input.text);
  return units.reduce((sum, unit) => sum + countWords(unit.text), 0);
}

function plainWords(input: ClauseInput & { format: "text" | "markdown" }): number {
  if (input.format === "markdown") {
    // Each pattern is tried only when its telltale is in the text: most documents have few links and no HTML.
    let visible = input.text;
    if (visible.includes("](")) visible = visible.replace(/!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, " $1 ");
    if (visible.includes("]:")) visible = visible.replace(/^\s{0,3}\[[^\]]+\]:\s*\S+.*$/gm, " ");
    if (visible.includes("<")) visible = visible.replace(/<\/?[a-z!][^<>]*>/gi, " ");
    return countWords(visible);
  }
  return countWords(input.text);
}

/** A node's own words (label, heading, text), counted once per node: context marking and coverage both ask. */
type WordCount = (node: OutlineNode) => number;

function wordCounter(): WordCount {
  const counted = new Map<OutlineNode, number>();
  return (node) => {
    let words = counted.get(node);
    if (words === undefined) {
      words =
        countWords(node.label?.printed ?? "") + countWords(node.heading ?? "") + countWords(ownText(node));
      counted.set(node, words);
    }
    return words;
  };
}

function subtreeWords(node: OutlineNode, words: WordCount): number {
  let total = words(node);
  for (const child of node.children) total += subtreeWords(child, words);
  return total;
}

function mark(node: OutlineNode): void {
  node.context = true;
  for (const child of node.children) mark(child);
}

/**
 * A document whose top level is one numbered (or bulleted) list and no headings is a list
 * document: the list is the document. What stands around it — the page title, an outlet's
 * introduction and closing paragraphs, a "most read" sidebar, a second list — is context: read
 * and compared, never taken for the document (a plan printed inside a news article).
 */
/** "Last updated: 3 September 2024", "Effective as of …", "Version 4.2": when the text was issued, not what it says. */
const DATELINE =
  /^(?:(?:last|recently)\s+)?(?:updated|revised|modified|amended|effective|published|posted|version|in force)(?:\s+(?:on|as of|from|date|since))?\b[\s:.-]*[\p{L}\p{N} ,./-]{0,40}$/iu;

function isDateline(node: OutlineNode): boolean {
  if (node.kind !== "paragraph") return false;
  const text = ownText(node);
  return text.length <= 80 && /\d/.test(text) && DATELINE.test(text.replace(/^[*_\s]+|[*_\s]+$/g, ""));
}

/**
 * The publisher's note on what a new version changed ("What's changed", "Summary of changes"),
 * set above or beside the terms: about the document, not part of it.
 */
const UPDATE_NOTE = new RegExp(
  `^(?:${[
    "what(?:'s| has| have)? (?:changed|new)",
    "(?:a )?summary of (?:the )?(?:changes|updates|what(?:'s| has) changed)",
    "(?:key|main|recent|notable) (?:changes|updates)",
    "(?:changes|updates) (?:in|to) this (?:version|update|release)",
    "highlights of (?:the|this) (?:changes|update)",
    "was (?:ist neu|hat sich geändert|ändert sich)",
    "zusammenfassung der änderungen",
    "(?:ce qui (?:change|a changé)|quoi de neuf|résumé des (?:modifications|changements))",
    "(?:qué ha cambiado|qué cambia|novedades|resumen de (?:los )?cambios)",
    "(?:cosa (?:cambia|è cambiato)|novità|riepilogo delle modifiche)",
    "(?:co się zmieniło|podsumowanie zmian)",
    "(?:що змінилося|що нового|что изменилось|что нового)",
  ].join("|")})\\s*[?:.!]?$`,
  "iu",
);

function isUpdateNote(node: OutlineNode): boolean {
  return (
    node.kind === "heading" &&
    node.label === undefined &&
    node.heading !== undefined &&
    UPDATE_NOTE.test(node.heading.replace(/[’‘]/g, "'").replace(/[*_]/g, "").trim())
  );
}

/**
 * A section with a title of its own: a heading, or a short title line ("1. Accounts") that holds
 * sub-items of its own. A point that leads into its sub-items ("…as follows:") is no title.
 */
function isTitledSection(node: OutlineNode): boolean {
  if (node.heading !== undefined) return true;
  const text = ownText(node);
  return node.children.length > 0 && !text.endsWith(":") && hasTitleText(node, text);
}

function markContext(built: BuiltOutline, count: WordCount): void {
  const top = built.root.children;
  for (const node of preorder(built.root))
    if (node.kind === "contents" || isDateline(node) || isUpdateNote(node)) mark(node);
  const byChain = new Map<number, OutlineNode[]>();
  for (const node of top) {
    if (node.kind !== "numbered" && node.kind !== "bullet") continue;
    const list = byChain.get(node.chain) ?? [];
    list.push(node);
    byChain.set(node.chain, list);
  }
  let main: OutlineNode[] = [];
  let mainWords = 0;
  // Annexes, schedules and appendices follow a document's body: never the document beside it,
  // and never context around it.
  const appended = (node: OutlineNode) => BACK_MATTER_WORDS.has(node.label?.word ?? "");
  const chains = [...byChain.values()];
  const body = chains.filter((nodes) => !appended(nodes[0] as OutlineNode));
  for (const nodes of body.length > 0 ? body : chains) {
    const words = nodes.reduce((sum, node) => sum + subtreeWords(node, count), 0);
    if (words > mainWords) {
      main = nodes;
      mainWords = words;
    }
  }
  if (main.length < 2) return;
  // Numbered sections with titles of their own ("1. Accounts", "Article 3 — Penalties") are the
  // sections of a document, and the prose around them is the document's too.
  if (main.filter(isTitledSection).length * 2 >= main.length) return;
  // Headings between the list's items make the document an outline of sections, not one list.
  const first = top.indexOf(main[0] as OutlineNode);
  const last = top.indexOf(main[main.length - 1] as OutlineNode);
  if (top.slice(first, last + 1).some((node) => node.kind === "heading")) return;
  // Nor is it one list when sections stand beside it and hold more than it does.
  const sections = top
    .filter((node) => node.kind === "heading")
    .reduce((sum, node) => sum + subtreeWords(node, count), 0);
  if (sections > mainWords) return;
  const inMain = new Set(main);
  for (const node of top) if (!inMain.has(node) && !appended(node)) mark(node);
}

function plural(node: OutlineNode): string {
  const word = node.label?.word ?? "";
  if (word !== "" && word !== "§" && word !== "¶") return `${word}s`;
  if (node.parent?.parent === undefined) return "points";
  return node.label?.family.startsWith("alpha") ? "letters" : "items";
}

function range(missing: string[]): string {
  if (missing.length <= 1) return missing.join("");
  return `${missing[0]}–${missing[missing.length - 1]}`;
}

/** How a missing sibling would be named: beside the clause after the gap (`5.3` beside `5.4`, `Article 3(2)` beside `(3)`). */
function missingPath(parentPath: string, label: string, after: OutlineNode): string {
  const name = after.label?.name ?? "";
  if (after.label?.parts) return label;
  return /\(\w+\)$/.test(name) || !/^\d/.test(label) ? `${parentPath}(${label})` : `${parentPath}.${label}`;
}

function warningsOf(built: BuiltOutline, paths: Map<OutlineNode, string>): OutlineWarning[] {
  const warnings: OutlineWarning[] = [];
  for (const gap of built.gaps as Gap[]) {
    const what = `${plural(gap.after)} ${range(gap.missing)}`;
    const before = gap.before ? paths.get(gap.before) : undefined;
    const where = before ? `after ${before}` : `before ${paths.get(gap.after)}`;
    const parent = gap.after.parent?.parent === undefined ? undefined : paths.get(gap.after.parent);
    const missing = gap.missing.map((label) => (parent ? missingPath(parent, label, gap.after) : label));
    warnings.push({
      code: "numbering-gap",
      message: `${what} missing (${where}): partial copy?`,
      ...(before ? { at: before } : { at: paths.get(gap.after) as string }),
      missing,
    });
  }
  for (const node of built.duplicates) {
    const path = paths.get(node) as string;
    warnings.push({
      code: "duplicate-label",
      message: `label ${node.label?.printed ?? ""} appears again at ${path}`,
      at: path,
    });
  }
  if (built.deleted.length > 0) {
    warnings.push({
      code: "deleted-placeholder",
      message: `marked deleted in this copy: ${built.deleted.join(", ")}`,
    });
  }
  return warnings;
}

function styleOf(nodes: OutlineNode[]): ClauseSet["style"] {
  const first = nodes.find(
    (node) => node.parent?.parent === undefined && node.label && node.kind !== "heading",
  )?.label;
  if (!first || first.family === "bullet") return "position";
  if (first.family === "decimal") return "decimal";
  if (first.family.startsWith("roman")) return "roman";
  return "alpha";
}

function toClause(
  node: OutlineNode,
  index: number,
  text: string,
  path: string,
  parent: string | undefined,
  depth: number,
): Clause {
  const heading = node.heading;
  const headingNorm = heading ? normalizeForCompare(heading) : "";
  const textNorm = normalizeForCompare(text);
  const norm = headingNorm === "" ? textNorm : textNorm === "" ? headingNorm : `${headingNorm} | ${textNorm}`;
  const key = path;
  const label = node.label && node.label.family !== "bullet" ? node.label.name : null;
  const printed = node.label?.printed ?? "";
  const kind = node.kind;
  const hash = fingerprint(kind === "heading" || kind === "title" ? `#${norm}` : norm);
  // Whole literals in the order the stored JSON lists the fields (one shape each, no property added later).
  const clause: Clause =
    parent === undefined
      ? heading
        ? { key, label, printed, kind, depth, heading, index, text, norm, fingerprint: hash }
        : { key, label, printed, kind, depth, index, text, norm, fingerprint: hash }
      : heading
        ? { key, label, printed, kind, depth, parent, heading, index, text, norm, fingerprint: hash }
        : { key, label, printed, kind, depth, parent, index, text, norm, fingerprint: hash };
  if (node.context) clause.context = true;
  if (node.page !== undefined) clause.page = node.page;
  return clause;
}

function depthOf(node: OutlineNode): number {
  let depth = 0;
  for (let parent = node.parent; parent?.parent !== undefined; parent = parent.parent) depth++;
  return depth;
}

/** Each paragraph a clause of its own: news coverage, read for what it says about the plan. */
function proseOutline(units: Unit[]): BuiltOutline {
  const built = buildOutline([]);
  for (const [at, unit] of units.entries()) {
    built.root.children.push({
      kind: unit.kind === "heading" ? "heading" : "paragraph",
      chain: -1,
      parts: unit.kind === "heading" ? [] : [unit.text],
      ...(unit.kind === "heading" ? { heading: unit.text } : {}),
      parent: built.root,
      children: [],
      container: 0,
      titled: false,
      structured: unit.structured,
      at,
      ...(unit.page === undefined ? {} : { page: unit.page }),
    });
  }
  return built;
}

/**
 * Reads a document as an outline of clauses: every word in exactly one clause, each clause with
 * its path, kind, depth, heading and own text, normalized for comparison; with the coverage of
 * the reading and warnings (numbering gaps, repeated labels, deletion placeholders).
 * @throws ExtractError when the document holds no text at all.
 */
export function parseClauses(input: ClauseInput): ClauseSet {
  const left: LeftOut = { furniture: [], lineNumbers: 0 };
  const units = unitsOf(input, left);
  const { furniture } = left;
  if (units.every((unit) => unit.text.trim() === "")) {
    throw new ExtractError(
      `${input.source}: no text to read (the document is empty once markup is removed)`,
      {
        source: input.source,
      },
    );
  }
  const title = input.format === "html" ? input.title : undefined;
  const built =
    input.prose === "always"
      ? proseOutline(units)
      : buildOutline(units, title === undefined ? {} : { title });
  const count = wordCounter();
  if (input.prose !== "always") markContext(built, count);
  const nodes = preorder(built.root).filter((node) => !(node.deleted && node.children.length === 0));
  const paths = assignPaths(nodes);
  // Page numbers, running headers and margin line numbers are read and left out on purpose: no text lost.
  let placed =
    built.deletedWords + left.lineNumbers + furniture.reduce((sum, line) => sum + countWords(line), 0);
  const clauses = nodes.map((node, index) => {
    const text = ownText(node);
    placed += count(node);
    const parent = node.parent?.parent === undefined ? undefined : paths.get(node.parent);
    return toClause(node, index, text, paths.get(node) as string, parent, depthOf(node));
  });
  const words = Math.max(sourceWords(input, units), placed);
  const warnings = warningsOf(built, paths);
  if (furniture.length > 0) {
    warnings.push({
      code: "page-furniture",
      message: `${furniture.length} line${furniture.length === 1 ? "" : "s"} of page numbers and running headers or footers left out (such as "${furniture[0]}")`,
    });
  }
  if (left.lineNumbers > 0) warnings.push(lineNumbersWarning(left.lineNumbers));
  if (placed < words * 0.99) {
    warnings.push({
      code: "unplaced-text",
      message: `${words - placed} of ${words} words could not be placed in a clause`,
    });
  }
  const documentTitle = title ?? built.title?.heading;
  return {
    source: input.source,
    ...(documentTitle ? { title: documentTitle } : {}),
    style: styleOf(nodes),
    clauses,
    coverage: { words, placed },
    warnings,
    ...(built.deleted.length > 0 ? { deleted: built.deleted } : {}),
    outline: OUTLINE_VERSION,
  };
}
