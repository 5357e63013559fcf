import type { InputFormat } from "./clauses/types.js";

/** What tells a body's format: an explicit choice, the server's content type, the name. */
export interface FormatHints {
  /** Name used in messages and in the diff's `source` fields. */
  source: string;
  /** Format of the body; `auto` decides from the content type, the file name and the content itself. @default "auto" */
  format?: InputFormat | "auto";
  /** Content type reported by the server, when the body came over HTTP. */
  contentType?: string;
}

/** Decides how to read a body: declared format, then content type, then extension, then a look at the content. */
export function detectFormat(body: string, options: FormatHints): InputFormat {
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
