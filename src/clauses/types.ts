import type { TextBlock } from "../types.js";

/** Input formats the clause reader understands. */
export type InputFormat = "text" | "markdown" | "html";

/** How a line's label counts: one numbering scheme per family, so chains never mix `1.` with `(a)`. */
export type LabelFamily =
  | "decimal"
  | "roman-upper"
  | "roman-lower"
  | "alpha-upper"
  | "alpha-lower"
  | "bullet";

export interface LabelMatch {
  family: LabelFamily;
  /** Ordinal value (1-based); 0 for bullets. */
  value: number;
  /** Letter suffix of inserted clauses (`10a`, `10bis`). */
  suffix: string;
  /** A word before the number (`point`, `article`, `§`), lower-cased; empty when none. */
  word: string;
  /** Punctuation after the label: `.`, `)`, `()`, `:`, `-`, ` ` (none) … */
  delimiter: string;
  /** The label as printed, trimmed (`"26."`, `"Point 26:"`). */
  printed: string;
  /** Text after the label. */
  rest: string;
  /** Multi-level label (`1.2`, `3.1.4`): always a sub-item of its first number. */
  multilevel: boolean;
  /** Labels without delimiter (`3 Text`) count for less when choosing the document's list. */
  weak: boolean;
}

/** One physical line (text input) or block (HTML input) with its layout facts. */
export interface Line {
  text: string;
  kind: TextBlock["kind"];
  /** Leading spaces in text input; list depth × 2 for HTML items. */
  indent: number;
  /** Preceded by a blank line (text) — HTML blocks are always separate. */
  blankBefore: boolean;
  /** The line came from structured HTML blocks rather than running text. */
  structured: boolean;
  level?: number;
  list?: number;
  /** Page of a paged document (PDF) the line is printed on. */
  page?: number;
  labels: LabelMatch[];
}
