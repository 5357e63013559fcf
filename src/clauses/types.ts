/** Input formats the clause reader understands. */
export type InputFormat = "text" | "markdown" | "html";

/** How a line's label counts: one numbering scheme per family, so sequences never mix `1.` with `(a)`. */
export type LabelFamily =
  | "decimal"
  | "roman-upper"
  | "roman-lower"
  | "alpha-upper"
  | "alpha-lower"
  | "bullet";

export interface LabelMatch {
  family: LabelFamily;
  /** Ordinal value (1-based); 0 for bullets. For multi-level numbers, the first part. */
  value: number;
  /** Letter suffix of inserted clauses (`10a`, `10bis`). */
  suffix: string;
  /** A word before the number (`point`, `article`, `§`), canonical and lower-cased; empty when none. */
  word: string;
  /** Punctuation after the label: `.`, `)`, `()`, `:`, `-`, ` ` (none), `|` … */
  delimiter: string;
  /** The label as printed, trimmed (`"26."`, `"Point 26:"`). */
  printed: string;
  /** The number or letter as printed, without punctuation (`"7"`, `"b"`, `"IV"`, `"5.1"`, `""` for bullets). */
  name: string;
  /** Text after the label. */
  rest: string;
  /** Parts of a multi-level number (`5.1.2` → [5, 1, 2]): such a label sits under the number it extends. */
  parts?: number[];
  /** Labels without delimiter (`3 Text`) count only when the sequence around them confirms them. */
  weak: boolean;
  /** Letters of another alphabet than the Latin one (`а)`, `б)`): their values follow that alphabet. */
  script?: "cyrillic";
}

/** Kinds of reading units, before they become clauses. */
export type UnitKind = "heading" | "paragraph" | "item" | "row" | "pre";

/**
 * One unit of reading: a heading, a paragraph (or a line that starts with a label), a list item, a
 * table row. Every word of the document is in exactly one unit.
 */
export interface Unit {
  kind: UnitKind;
  /** Display text with inline markup removed; paragraphs of one list item are joined by "\n". */
  text: string;
  /** Heading rank (1–6); 7 for a line printed entirely in bold, which reads as a heading. */
  level?: number;
  /** How many list items enclose this unit (0 at the top; a nested list's items have 1, …). */
  container: number;
  /** Items of one HTML or Markdown list share this id. */
  list?: number;
  /** Indentation in spaces (text input), for bullets at different depths. */
  indent: number;
  /** Preceded by a blank line (text) or a block edge (structured input). */
  blankBefore: boolean;
  /** From structured input (HTML blocks, Markdown): block edges are explicit. */
  structured: boolean;
  /** A list item or paragraph printed as a title (a heading inside an item, bold only). */
  titled?: boolean;
  /** A bold lead-in printed as the unit's title (`**Eligibility.** To use the service …`). */
  heading?: string;
  /** The label was found inside a line, right after a sentence ended. */
  inline?: boolean;
  /** A line that wraps the one before it when it turns out not to start a clause. */
  soft?: boolean;
  /** Page of a paginated source (PDF), from 1. */
  page?: number;
  /** Label readings at the unit's start. */
  labels: LabelMatch[];
  /** The label came from the list's own numbering (an `<ol>` marker): no reading to doubt. */
  marked?: boolean;
  /** A footnote of a paged document or a figure's caption: a note of its own, never read as a label or joined to a clause. */
  footnote?: boolean;
  /** The document's last thematic break (`---`, `<hr>`) stands before it and only prose follows: not the open section's text. */
  breakBefore?: boolean;
}
