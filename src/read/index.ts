/**
 * Binary documents (PDF, Word) → text blocks, the shape extraction gives web pages. Each reader
 * runs its parser in a bounded worker thread; see `thread.ts`.
 */

import type { BinaryDocumentKind } from "./detect.js";
import { readDocx } from "./docx.js";
import { readPdf } from "./pdf.js";
import type { DocumentLimits, ReadDocument } from "./types.js";

export type { BinaryDocumentKind, DocumentHints } from "./detect.js";
export { declaresBinaryDocument, isOleFile, sniffBinaryDocument } from "./detect.js";
export { layoutPages, pageLines } from "./pdf-layout.js";
export type { DocumentLimits, ReadDocument } from "./types.js";
export { DEFAULT_DOCUMENT_LIMITS } from "./types.js";

/** Blocks (with pages, for PDF) and title of a PDF or Word file; throws ExtractError naming `source`. */
export function readBinaryDocument(
  kind: BinaryDocumentKind,
  bytes: Uint8Array,
  source: string,
  limits: DocumentLimits,
): Promise<ReadDocument> {
  return kind === "pdf" ? readPdf(bytes, source, limits) : readDocx(bytes, source, limits);
}
