import { parseClauses } from "./clauses/index.js";
import type { InputFormat } from "./clauses/types.js";
import type { FetchedOutcome } from "./collect/types.js";
import type { SourceConfig } from "./config/types.js";
import { ExtractError, excerpt } from "./errors.js";
import { extractDocument, type FlatReason, type SetAside } from "./extract/index.js";
import { MAX_DEPTH } from "./extract/parse.js";
import { detectFormat, type FormatHints } from "./format.js";
import { lineNumbersWarning } from "./line-numbers.js";
import type { BinaryDocumentKind } from "./read/detect.js";
import { declaresBinaryDocument, isOleFile, sniffBinaryDocument } from "./read/detect.js";
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from "./read/types.js";
import type { ClauseSet, OutlineWarning } from "./types.js";

/** Every format a document can be read as: text formats and binary documents. */
export type DocumentFormat = InputFormat | BinaryDocumentKind;

export interface DocumentOptions extends FormatHints {
  /** CSS selector for the content (HTML only). */
  select?: string;
  /** CSS selectors removed before extraction (HTML only). */
  ignore?: string[];
  /** Prose handling (see ClauseInput.prose): `"always"` for coverage articles. @default false */
  prose?: boolean | "always";
}

/** Options of `readDocument`: any format, and bounds on reading PDF and Word files. */
export interface ReadDocumentOptions extends Omit<DocumentOptions, "format"> {
  /** @default "auto": the bytes, then the content type, the name and the content decide */
  format?: DocumentFormat | "auto";
  /** @default DEFAULT_DOCUMENT_LIMITS */
  limits?: DocumentLimits;
}

/** A fetched or read text document as a clause set: extraction (for HTML), then clause parsing. */
export function readClauseSet(body: string, options: DocumentOptions): ClauseSet {
  const format = detectFormat(body, options);
  const prose = options.prose ?? false;
  if (format !== "html") return parseClauses({ source: options.source, format, text: body, prose });
  // One parse for blocks and title: parsing is most of the cost of reading a page.
  const { blocks, title, flattened, setAside } = extractDocument(body, {
    source: options.source,
    ...(options.select ? { select: options.select } : {}),
    ...(options.ignore ? { ignore: options.ignore } : {}),
  });
  const set = parseClauses({
    source: options.source,
    format: "html",
    blocks,
    prose,
    ...(title ? { title } : {}),
  });
  const leftOut = leftOutClauseWarnings(set, setAside);
  if (!flattened && leftOut.length === 0) return set;
  return { ...set, warnings: [...(flattened ? [flatWarning(flattened)] : []), ...set.warnings, ...leftOut] };
}

/**
 * Nothing silent: furniture left out of the page's content (an `<aside>`, a `<footer>`, a block a
 * class word marks as related links) whose text starts with a number the document's own
 * numbering lacks — the next one, or one in a gap — may be the document's clause.
 */
function leftOutClauseWarnings(set: ClauseSet, setAside: SetAside[]): OutlineWarning[] {
  if (setAside.length === 0) return [];
  const top = set.clauses.filter((clause) => clause.depth === 0 && clause.label !== null && !clause.context);
  const numbers = new Map<number, string>();
  for (const clause of top) {
    const value = Number(/\d+$/.exec(clause.label ?? "")?.[0]);
    if (Number.isInteger(value)) numbers.set(value, clause.key);
  }
  if (numbers.size === 0) return [];
  const lowest = Math.min(...numbers.keys());
  let highest = Math.max(...numbers.keys());
  const warnings: OutlineWarning[] = [];
  // In number order, so that points 3 and 4 set aside after a copy's 1 and 2 are both named.
  for (const aside of [...setAside].sort((a, b) => a.number - b.number)) {
    if (numbers.has(aside.number) || aside.number <= lowest || aside.number > highest + 1) continue;
    const after = numbers.get(Math.max(...[...numbers.keys()].filter((value) => value < aside.number)));
    warnings.push({
      code: "left-out-clause",
      message: `text left out as page furniture (${aside.element}, rule ${aside.rule}) starts like clause ${aside.number}, which the copy lacks: "${aside.lead}"; if it is the document's, set select or ignore for this source`,
      ...(after === undefined ? {} : { at: after }),
    });
    highest = Math.max(highest, aside.number);
  }
  return warnings;
}

/** Nothing silent: a page read as flat text has lost its lists and headings, and says so. */
function flatWarning(reason: FlatReason): OutlineWarning {
  const why =
    reason === "depth"
      ? `its elements are nested more than ${MAX_DEPTH} deep`
      : "building its element tree would cost too much";
  return {
    code: "flat-markup",
    message: `the page was read as flat text because ${why}; its lists, headings and tables may be lost`,
  };
}

function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(";")[0]?.trim().toLowerCase() || undefined;
}

const KIND_NAMES: Record<BinaryDocumentKind, string> = { pdf: "PDF", docx: "Word (.docx)" };

/**
 * How a body is to be read. Bytes are looked at first (a PDF served as `text/html` is still a
 * PDF); a body declared as PDF or Word that is not one, a legacy `.doc` or other binary data is
 * refused with an ExtractError naming the source.
 */
export function documentFormat(body: string | Uint8Array, options: ReadDocumentOptions): DocumentFormat {
  const declared = options.format && options.format !== "auto" ? options.format : undefined;
  if (typeof body === "string") {
    if (declared === "pdf" || declared === "docx") {
      throw new ExtractError(`${options.source}: a ${KIND_NAMES[declared]} document must be read as bytes`, {
        source: options.source,
      });
    }
    return detectFormat(body, { ...options, format: declared ?? "auto" });
  }
  const sniffed = sniffBinaryDocument(body);
  if (declared) return declared;
  if (sniffed) return sniffed;
  const promised = declaresBinaryDocument({
    mediaType: mediaTypeOf(options.contentType),
    name: options.source,
  });
  const start = excerpt(Buffer.from(body.subarray(0, 24)).toString("latin1"), 24);
  if (promised) {
    throw new ExtractError(
      `${options.source}: declared as ${KIND_NAMES[promised]} but the bytes are not one (they start "${start}")`,
      { source: options.source },
    );
  }
  if (isOleFile(body)) {
    throw new ExtractError(
      `${options.source}: a legacy Word (.doc) or other OLE file; save it as .docx or PDF to have it read`,
      { source: options.source },
    );
  }
  if (body.subarray(0, 1024).includes(0)) {
    throw new ExtractError(
      `${options.source}: not a text, PDF or Word document (binary data starting "${start}")`,
      {
        source: options.source,
      },
    );
  }
  return detectFormat(Buffer.from(body).toString("utf8"), { ...options, format: "auto" });
}

/**
 * Reads any document — text, Markdown, HTML, PDF or Word, as a string or as bytes — as a clause
 * set. PDF clauses carry the page they start on. The entry point of the worker and the CLI.
 * @throws ExtractError when the document cannot be read or has no clauses.
 */
export async function readDocument(
  body: string | Uint8Array,
  options: ReadDocumentOptions,
): Promise<ClauseSet> {
  const format = documentFormat(body, options);
  if (format !== "pdf" && format !== "docx") {
    const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
    return readClauseSet(text, { ...options, format });
  }
  // The PDF and Word readers (PDF.js, mammoth) load only when such a document comes along.
  const { readBinaryDocument } = await import("./read/index.js");
  const read = await readBinaryDocument(
    format,
    body as Uint8Array,
    options.source,
    options.limits ?? DEFAULT_DOCUMENT_LIMITS,
  );
  const set = parseClauses({
    source: options.source,
    format: "html",
    blocks: read.blocks,
    prose: options.prose ?? false,
    ...(read.title ? { title: read.title } : {}),
  });
  if (!read.lineNumbers) return set;
  return { ...set, warnings: [...set.warnings, lineNumbersWarning(read.lineNumbers)] };
}

/** A fetched body read the way its source is configured: the worker's one call into this stage. */
export function readFetched(
  outcome: FetchedOutcome,
  source: Pick<SourceConfig, "id" | "format" | "select" | "ignore" | "role">,
  limits: DocumentLimits,
): Promise<ClauseSet> {
  return readDocument(outcome.binary ? outcome.body : outcome.text, {
    source: source.id,
    format: source.format,
    ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
    ...(source.select ? { select: source.select } : {}),
    ignore: source.ignore,
    prose: source.role === "coverage" ? "always" : false,
    limits,
  });
}
