/**
 * Word (.docx) → text blocks: mammoth (in a bounded worker thread) turns the document into plain
 * HTML — headings from Word's heading styles, numbered and bulleted paragraphs as nested lists —
 * and that HTML goes through the same extraction as a web page. Footnote references are dropped
 * from the running text and the footnotes become paragraphs after it, as in a printed copy.
 */
import { load } from "cheerio";
import { ExtractError } from "../errors.js";
import { extractDocument } from "../extract/index.js";
import { convertDocxToHtml, ThreadFailed } from "./thread.js";
import type { DocumentLimits, ReadDocument } from "./types.js";

const NOTE_REFERENCE = 'sup:has(> a[href^="#footnote-"]), sup:has(> a[href^="#endnote-"])';
const NOTE_ITEM = 'li[id^="footnote-"], li[id^="endnote-"]';

/** Footnotes as paragraphs after the text, their back-links and the in-text markers gone. */
function settleNotes(html: string): string {
  const $ = load(html);
  $(NOTE_REFERENCE).remove();
  $('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"]').remove();
  $("ol")
    .filter((_, list) => $(list).children(NOTE_ITEM).length > 0)
    .each((_, list) => {
      const notes = $(list)
        .children(NOTE_ITEM)
        .toArray()
        .map((item, index) => `<p>${index + 1} ${$(item).text().trim()}</p>`);
      $(list).replaceWith(notes.join(""));
    });
  return $("body").html() ?? "";
}

function failureMessage(source: string, failure: ThreadFailed["failure"], limits: DocumentLimits): string {
  switch (failure.reason) {
    case "timeout":
      return `${source}: reading the Word document took longer than documents.timeoutMs (${limits.timeoutMs} ms)`;
    case "memory":
      return `${source}: reading the Word document needed more memory than documents.maxMemoryMb (${limits.maxMemoryMb} MiB)`;
    case "password":
    case "too-many-pages":
      return `${source}: the Word document cannot be read`;
    default:
      return `${source}: not a readable Word document (${failure.message})`;
  }
}

/**
 * Reads a .docx file as blocks and title.
 * @throws ExtractError for a broken, oversized or text-less document.
 */
export async function readDocx(
  bytes: Uint8Array,
  source: string,
  limits: DocumentLimits,
): Promise<ReadDocument> {
  let html: string;
  try {
    html = await convertDocxToHtml(new Uint8Array(bytes), limits);
  } catch (error) {
    if (!(error instanceof ThreadFailed)) throw error;
    throw new ExtractError(failureMessage(source, error.failure, limits), { source, cause: error });
  }
  // A Word file has no navigation or ads: all of it is content, so main-content detection is skipped.
  const { blocks, title } = extractDocument(`<!doctype html><html><body>${settleNotes(html)}</body></html>`, {
    select: "body",
  });
  if (blocks.length === 0) throw new ExtractError(`${source}: the Word document has no text`, { source });
  return { blocks, ...(title === undefined ? {} : { title }) };
}
