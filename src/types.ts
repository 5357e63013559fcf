/**
 * Shared domain types: what flows between pipeline stages.
 * Stage-specific contracts live in each stage's `types.ts`.
 */

/** One block of text as the extractor saw it, in document order. */
export interface TextBlock {
  kind: "heading" | "paragraph" | "item" | "pre";
  /** Visible text with inner whitespace collapsed (line breaks kept only for `pre`). */
  text: string;
  /** Heading level (1–6) for headings; list nesting depth (1 = top) for items. */
  level?: number;
  /** Items of the same HTML list share this id (document order, from 1). */
  list?: number;
  /** The marker a browser would render for an item of an ordered list (`"3."`) or `"•"` for unordered lists. */
  marker?: string;
  /** Page (from 1) the block starts on, for paged documents (PDF). */
  page?: number;
  /** Printed as a footnote: placed after its page's text, never part of a clause's running text. */
  footnote?: boolean;
}

/** A sub-item of a clause (`a)`, `—`, `•` …), kept with its parent. */
export interface SubItem {
  /** Label as printed without punctuation (`"a"`, `"ii"`), or `"•"` for bullets. */
  label: string;
  text: string;
  norm: string;
}

export interface Clause {
  /** Stable key within its set: the normalized label (`"26"`, `"IV"`, `"#3"` for unnumbered lists). */
  key: string;
  /** Label as printed, trimmed (`"26."`, `"Point 26:"`, `"§ 4"`). */
  printed: string;
  /** Position in the set, from 0. */
  index: number;
  /** Display text as printed (wrapped lines joined), without the label, sub-items excluded. */
  text: string;
  items: SubItem[];
  /** Normalized comparison text of the whole clause including sub-items. */
  norm: string;
  /** Hash of `norm`: equal fingerprints mean typographically equivalent clauses. */
  fingerprint: string;
  /** Page (from 1) the clause starts on, for paged documents (PDF). */
  page?: number;
}

export interface ClauseSet {
  /** Where the text came from (path, URL, `-`, source id). */
  source: string;
  /** Title or heading found before the list, when there is one. */
  title?: string;
  /** Label style of the top level (`"decimal"`, `"roman"`, `"alpha"`, `"position"`). */
  style: "decimal" | "roman" | "alpha" | "position";
  clauses: Clause[];
}
