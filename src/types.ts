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
  /** A table row, its cells joined by `" | "`. */
  row?: true;
  /** Page (from 1) the block starts on, for paged documents (PDF). */
  page?: number;
  /** Printed as a footnote: placed after its page's text, read as a paragraph of its own. */
  footnote?: boolean;
  /** A figure's caption (`<figcaption>`): read as a note of its own beside the text, never a clause's words. */
  caption?: true;
  /** The term an item of a definition list defines (its text starts with it): the item's title. */
  term?: string;
  /** The document's last rule (`<hr>`) stands before this paragraph, and only paragraphs follow: trailing text, not the last section's. */
  breakBefore?: true;
}

/** What a clause is in the outline. */
export type ClauseKind =
  /** The document's title line. */
  | "title"
  /** A heading (Markdown, HTML `h1`–`h6`, a bold title line), numbered or not. */
  | "heading"
  /** A numbered or lettered unit (`5.`, `(a)`, `Article 3`, `iv)`). */
  | "numbered"
  /** An unnumbered list item. */
  | "bullet"
  /** Unnumbered prose: preamble, a paragraph under a heading, closing text. */
  | "paragraph"
  /** A table row. */
  | "row"
  /** A table of contents: navigation that repeats the headings. */
  | "contents";

export interface Clause {
  /**
   * Stable path, unique within its set, used wherever the clause is named: `26`, `5.1(a)`,
   * `Article 3(2)(b)`, `Privacy ¶2`, `Preamble`, `10 •3`.
   */
  key: string;
  /** The number or letter as printed, without punctuation (`"7"`, `"b"`, `"IV"`, `"5.1"`); null when unnumbered. */
  label: string | null;
  /** Label as printed, trimmed (`"26."`, `"Point 26:"`, `"§ 4"`); `""` when unnumbered. */
  printed: string;
  kind: ClauseKind;
  /** Depth in the outline, 0 at the top. */
  depth: number;
  /** Path of the enclosing clause; absent at the top. */
  parent?: string;
  /** The clause's heading (a section title, a bold lead-in printed as a title). */
  heading?: string;
  /** Position in the set (document order), from 0. */
  index: number;
  /** The clause's own words as printed (wrapped lines joined), label and children excluded. */
  text: string;
  /** Normalized comparison text of heading and own text. */
  norm: string;
  /** Hash of `norm`: equal fingerprints mean typographically equivalent clauses. */
  fingerprint: string;
  /**
   * Text around the document rather than of it: the page's prose around an embedded numbered
   * list (a plan printed inside a news article), another list on the page, a table of contents.
   */
  context?: true;
  /** Page of a paginated source (PDF) where the clause starts. */
  page?: number;
}

/** Something the reader noticed about a copy: where it is and what it may mean. */
export interface OutlineWarning {
  code:
    | "numbering-gap"
    | "duplicate-label"
    | "unplaced-text"
    | "shorter-copy"
    | "stale-reference"
    | "left-out-clause"
    | "deleted-placeholder"
    | "page-furniture"
    | "line-numbers"
    | "flat-markup";
  message: string;
  /** Path of the clause the warning is about (or after which something is missing). */
  at?: string;
  /** Numbering gaps: the labels the copy lacks, as paths would name them. */
  missing?: string[];
}

export interface ClauseSet {
  /** Where the text came from (path, URL, `-`, source id). */
  source: string;
  /** Title of the document, when there is one. */
  title?: string;
  /** Label style of the document's top level (`"decimal"`, `"roman"`, `"alpha"`, `"position"`). */
  style: "decimal" | "roman" | "alpha" | "position";
  /** Every clause in document order; children follow their parent. */
  clauses: Clause[];
  /** Words of the main content, and how many of them landed in clauses. */
  coverage: { words: number; placed: number };
  warnings: OutlineWarning[];
  /** Labels a copy marks as deleted ("7. Deleted."): the numbers stay, the clauses are gone. */
  deleted?: string[];
  /**
   * Version of the reading that made this set (`OUTLINE_VERSION`). A set without it predates
   * outlines: the worker reads its snapshot again from the stored body before comparing with it.
   */
  outline?: number;
}
