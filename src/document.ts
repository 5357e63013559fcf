import { parseClauses } from "./clauses/index.js";
import { extractDocument } from "./extract/index.js";
import { detectFormat, type FormatHints } from "./format.js";
import type { ClauseSet } from "./types.js";

export interface DocumentOptions extends FormatHints {
  /** CSS selector for the content (HTML only). */
  select?: string;
  /** CSS selectors removed before extraction (HTML only). */
  ignore?: string[];
  /** Prose handling (see ClauseInput.prose): `"always"` for coverage articles. @default false */
  prose?: boolean | "always";
}

/** A fetched or read document as a clause set: extraction (for HTML), then clause parsing. */
export function readClauseSet(body: string, options: DocumentOptions): ClauseSet {
  const format = detectFormat(body, options);
  const prose = options.prose ?? false;
  if (format !== "html") return parseClauses({ source: options.source, format, text: body, prose });
  // One parse for blocks and title: parsing is most of the cost of reading a page.
  const { blocks, title } = extractDocument(body, {
    source: options.source,
    ...(options.select ? { select: options.select } : {}),
    ...(options.ignore ? { ignore: options.ignore } : {}),
  });
  return parseClauses({ source: options.source, format: "html", blocks, prose, ...(title ? { title } : {}) });
}
