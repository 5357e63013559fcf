/** Contracts of the binary-document readers (PDF, Word). */
import type { TextBlock } from "../types.js";

/** Bounds on reading one binary document, so a hostile file costs a bounded slice of the worker. */
export interface DocumentLimits {
  /**
   * A PDF with more pages is refused before any page is read (a page-count bomb).
   * @default 2000
   */
  maxPages: number;
  /**
   * Deadline of reading one document (PDF or Word), parser start to last page.
   * @default 60000
   */
  timeoutMs: number;
  /**
   * Heap of the parser thread in MiB; a document that needs more is refused.
   * @default 512
   */
  maxMemoryMb: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = Object.freeze({
  maxPages: 2000,
  timeoutMs: 60_000,
  maxMemoryMb: 512,
});

/** What a reader makes of a document: blocks in reading order, and the title when it has one. */
export interface ReadDocument {
  blocks: TextBlock[];
  title?: string;
  /** Pages of a PDF; absent for formats without pages. */
  pages?: number;
  /** Margin line numbers the PDF's lines were printed with, left out of the blocks. */
  lineNumbers?: number;
}
