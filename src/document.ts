import { parseClauses } from "./clauses/index.js";
import type { InputFormat } from "./clauses/types.js";
import { extractBlocks, extractTitle } from "./extract/index.js";
import type { ClauseSet } from "./types.js";

export interface DocumentOptions {
  /** Name used in messages and in the diff's `source` fields. */
  source: string;
  /** Format of the body; `auto` decides from the content type, the file name and the content itself. @default "auto" */
  format?: InputFormat | "auto";
  /** Content type reported by the server, when the body came over HTTP. */
  contentType?: string;
  /** CSS selector for the content (HTML only). */
  select?: string;
  /** CSS selectors removed before extraction (HTML only). */
  ignore?: string[];
  /** Accept prose without a list, one clause per paragraph (coverage articles). @default false */
  prose?: boolean;
}

/** Decides how to read a body: declared format, then content type, then extension, then a look at the content. */
export function detectFormat(
  body: string,
  options: Pick<DocumentOptions, "source" | "format" | "contentType">,
): InputFormat {
  if (options.format && options.format !== "auto") return options.format;
  const type = options.contentType?.toLowerCase() ?? "";
  if (type.includes("html") || type.includes("xml")) return "html";
  if (type.includes("markdown")) return "markdown";
  const name = options.source.toLowerCase().replace(/[?#].*$/, "");
  if (/\.(html?|xhtml|php|aspx?)$/.test(name)) return "html";
  if (/\.(md|markdown)$/.test(name)) return "markdown";
  if (/\.txt$/.test(name)) return "text";
  if (/^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>])/i.test(body)) return "html";
  return "text";
}

/** A fetched or read document as a clause set: extraction (for HTML), then clause parsing. */
export function readClauseSet(body: string, options: DocumentOptions): ClauseSet {
  const format = detectFormat(body, options);
  const prose = options.prose ?? false;
  if (format !== "html") return parseClauses({ source: options.source, format, text: body, prose });
  const blocks = extractBlocks(body, {
    ...(options.select ? { select: options.select } : {}),
    ...(options.ignore ? { ignore: options.ignore } : {}),
  });
  const title = extractTitle(body);
  return parseClauses({ source: options.source, format: "html", blocks, prose, ...(title ? { title } : {}) });
}
