/**
 * Which binary document a body is: PDF and Word (.docx) are read from their bytes, everything else
 * is decoded as text. Decided from the bytes first (a server's content type or a file's name can be
 * wrong), then the declared type and the name. Pure and cheap: collect calls it on every body.
 */

/** Binary documents clausewatch reads. */
export type BinaryDocumentKind = "pdf" | "docx";

/** Media types a PDF or Word file is served as; `application/octet-stream` is decided by the bytes. */
const PDF_TYPES = new Set(["application/pdf", "application/x-pdf", "application/acrobat"]);
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** The PDF header may follow up to 1 KB of junk (the spec lets readers look that far). */
const PDF_HEADER_WINDOW = 1024;
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const WORD_PART = Buffer.from("word/document.xml");

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((byte, index) => bytes[at + index] === byte);
}

function hasPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - PDF_MAGIC.length, PDF_HEADER_WINDOW);
  for (let at = 0; at <= end; at += 1) if (startsWith(bytes, PDF_MAGIC, at)) return true;
  return false;
}

/** A zip whose directory names `word/document.xml` is a Word document, whatever its name says. */
function isWordZip(bytes: Uint8Array): boolean {
  return (
    startsWith(bytes, ZIP_MAGIC) &&
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes(WORD_PART)
  );
}

export interface DocumentHints {
  /** Declared media type (`type/subtype`, lower case, parameters dropped). */
  mediaType?: string | undefined;
  /** File name or URL, for its extension. */
  name?: string | undefined;
}

function extensionOf(name: string | undefined): string {
  const path = (name ?? "").toLowerCase().replace(/[?#].*$/, "");
  return /\.([a-z0-9]+)$/.exec(path)?.[1] ?? "";
}

/** True when the declared type or the name promises a PDF or Word file (before any byte is read). */
export function declaresBinaryDocument(hints: DocumentHints): BinaryDocumentKind | undefined {
  const type = hints.mediaType ?? "";
  if (PDF_TYPES.has(type)) return "pdf";
  if (type === DOCX_TYPE) return "docx";
  const extension = extensionOf(hints.name);
  if (extension === "pdf") return "pdf";
  if (extension === "docx") return "docx";
  return undefined;
}

/** The binary document these bytes are, or undefined for anything else (text, HTML, other binaries). */
export function sniffBinaryDocument(bytes: Uint8Array): BinaryDocumentKind | undefined {
  if (hasPdfHeader(bytes)) return "pdf";
  if (isWordZip(bytes)) return "docx";
  return undefined;
}

/** Legacy Word (.doc) and other OLE files: named in errors so nobody wonders why they are refused. */
export function isOleFile(bytes: Uint8Array): boolean {
  return startsWith(bytes, OLE_MAGIC);
}
