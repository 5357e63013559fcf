/** Titles of numbered units: a section's heading printed as its first line, a bold lead-in, a title-like clause holding paragraphs. */
import { countWords, type OutlineNode } from "./tree.js";
import type { LabelMatch, Unit } from "./types.js";

/** Label words of units that hold text of their own under a title (not points of a list). */
export const SECTION_WORDS = new Set([
  "article",
  "section",
  "subsection",
  "chapter",
  "part",
  "title",
  "§",
  "schedule",
  "annex",
  "appendix",
]);

export function isTitleText(text: string): boolean {
  if (text === "" || text.length > 100 || countWords(text) > 12) return false;
  const upper = text === text.toUpperCase() && /\p{Lu}/u.test(text);
  return upper || !/[.;,!]["”’')\]]?$/.test(text);
}

/** A title phrase closed by a period, as continental codes print them ("Artículo 4. Sanciones."). */
const TITLE_PHRASE = /^\p{Lu}[^.;:!?]*\.$/u;

/**
 * Whether a unit's own text is its title: a title-like line, or for a unit named by a section
 * word ("Article", "Artículo", "§") a short phrase closed by a period ("Sanciones.").
 */
export function hasTitleText(node: OutlineNode, text: string): boolean {
  if (node.titled || isTitleText(text)) return true;
  return (
    node.label !== undefined &&
    SECTION_WORDS.has(node.label.word) &&
    TITLE_PHRASE.test(text) &&
    countWords(text) <= 6
  );
}

/**
 * The title a labelled unit carries: the whole unit when it is printed as one (a heading inside a
 * list item, a bold line), a bold lead-in, or a short first paragraph followed by more text.
 */
export function titleOf(unit: Unit, reading: LabelMatch): { heading?: string; rest: string } {
  if (unit.titled) return { heading: reading.rest, rest: "" };
  if (unit.heading) {
    const at = reading.rest.indexOf(unit.heading);
    if (at >= 0 && at <= 2) {
      const rest = reading.rest.slice(at + unit.heading.length).replace(/^[\s.:–—-]+/, "");
      return { heading: unit.heading, rest };
    }
  }
  const lineBreak = reading.rest.indexOf("\n");
  if (lineBreak > 0) {
    const first = reading.rest.slice(0, lineBreak);
    if (isTitleText(first)) return { heading: first, rest: reading.rest.slice(lineBreak + 1) };
  }
  return { rest: reading.rest };
}

/** A numbered clause that reads as a title and holds paragraphs of its own ("SEC. 2. DEFINITIONS." + text) is a section: its text is its heading. */
export function promoteTitles(root: OutlineNode): void {
  const stack = [...root.children];
  while (stack.length > 0) {
    const node = stack.pop() as OutlineNode;
    stack.push(...node.children);
    if (node.kind !== "numbered" || node.heading !== undefined || node.parts.length !== 1) continue;
    const text = node.parts[0] as string;
    const sectionTitle =
      node.label !== undefined &&
      SECTION_WORDS.has(node.label.word) &&
      node.children.length > 0 &&
      !text.endsWith(":");
    if (isTitleText(text) && (sectionTitle || node.children.some((child) => child.kind === "paragraph"))) {
      node.heading = text.replace(/[.:]$/, "");
      node.parts = [];
    }
  }
}
