/**
 * PDF → text blocks with page numbers: PDF.js (legacy build, in a bounded worker thread) gives the
 * positioned text runs, `pdf-layout.ts` turns them into blocks in reading order. Every refusal is
 * an ExtractError naming the document and what is wrong with it, and nothing is returned to store.
 */
import { ExtractError } from "../errors.js";
import { layoutPages } from "./pdf-layout.js";
import { extractPdfPages, type RawPage, ThreadFailed } from "./thread.js";
import type { DocumentLimits, ReadDocument } from "./types.js";

/** Fewer visible characters than this per page on average: the pages are images (a scan). */
const MIN_CHARACTERS_PER_PAGE = 16;
const EOF_MARKER = Buffer.from("%%EOF");
/** Writers put `%%EOF` at the very end; a little trailing whitespace or junk is tolerated. */
const EOF_WINDOW = 1024;

function visibleCharacters(pages: RawPage[]): number {
  let count = 0;
  for (const page of pages) for (const [text] of page.items) count += text.replace(/\s+/g, "").length;
  return count;
}

function failureMessage(source: string, failure: ThreadFailed["failure"], limits: DocumentLimits): string {
  switch (failure.reason) {
    case "password":
      return `${source}: the PDF is encrypted and needs a password to open; clausewatch cannot read it`;
    case "invalid":
      return `${source}: not a readable PDF (${failure.message})`;
    case "too-many-pages":
      return `${source}: the PDF has ${failure.pages} pages, more than documents.maxPages (${limits.maxPages}); raise the limit if it is real`;
    case "timeout":
      return `${source}: reading the PDF took longer than documents.timeoutMs (${limits.timeoutMs} ms)`;
    case "memory":
      return `${source}: reading the PDF needed more memory than documents.maxMemoryMb (${limits.maxMemoryMb} MiB)`;
    case "crashed":
      return `${source}: the PDF reader failed (${failure.message})`;
  }
}

/**
 * Reads a PDF's text layer as blocks with pages.
 * @throws ExtractError for a truncated, encrypted, broken, oversized or scanned (text-less) PDF.
 */
export async function readPdf(
  bytes: Uint8Array,
  source: string,
  limits: DocumentLimits,
): Promise<ReadDocument> {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).subarray(-EOF_WINDOW);
  if (!tail.includes(EOF_MARKER)) {
    throw new ExtractError(
      `${source}: the PDF is truncated (no %%EOF end marker in its last ${EOF_WINDOW} bytes; ${bytes.length} bytes read)`,
      { source },
    );
  }
  let pages: RawPage[];
  try {
    // The thread gets its own copy: PDF.js takes ownership of the bytes it is given.
    pages = await extractPdfPages(new Uint8Array(bytes), limits.maxPages, limits);
  } catch (error) {
    if (!(error instanceof ThreadFailed)) throw error;
    throw new ExtractError(failureMessage(source, error.failure, limits), { source, cause: error });
  }
  if (visibleCharacters(pages) < MIN_CHARACTERS_PER_PAGE * Math.max(pages.length, 1)) {
    throw new ExtractError(
      `${source}: the PDF has no text layer (${pages.length} page${pages.length === 1 ? "" : "s"} of images, a scan?); run it through OCR first`,
      { source },
    );
  }
  const { blocks, lineNumbers } = layoutPages(pages);
  const title = blocks.find((block) => block.kind === "heading")?.text;
  return {
    blocks,
    pages: pages.length,
    ...(title === undefined ? {} : { title }),
    ...(lineNumbers > 0 ? { lineNumbers } : {}),
  };
}
