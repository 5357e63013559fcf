import { isUtf8 } from "node:buffer";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { CharsetSource } from "./types.js";

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

/** Why a body could not become text; the caller turns it into a FetchError naming the URL. */
export class DecodeProblem extends Error {
  override name = "DecodeProblem";
  readonly reason: "too-large" | "bad-encoding" | "binary" | "invalid-text";
  constructor(reason: DecodeProblem["reason"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** Undoes `Content-Encoding` (applied in the order listed, so undone in reverse), capping the output. */
export async function decodeContent(raw: Buffer, contentEncoding: string | undefined, maxBytes: number) {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  let body = raw;
  for (const coding of codings.reverse()) {
    body = await decodeOne(body, coding, maxBytes);
  }
  return body;
}

async function decodeOne(input: Buffer, coding: string, maxBytes: number): Promise<Buffer> {
  // maxOutputLength stops a compression bomb before it is inflated in memory.
  const limits = { maxOutputLength: maxBytes };
  try {
    switch (coding) {
      case "gzip":
      case "x-gzip":
        return await gunzip(input, limits);
      case "br":
        return await brotliDecompress(input, limits);
      case "deflate":
        // "deflate" means zlib-wrapped, but some servers send raw deflate; only the wrapped form
        // starts with a header naming method 8 whose two bytes are a multiple of 31.
        return hasZlibHeader(input) ? await inflate(input, limits) : await inflateRaw(input, limits);
      default:
        throw new DecodeProblem("bad-encoding", `unsupported Content-Encoding "${coding}"`);
    }
  } catch (error) {
    if (error instanceof DecodeProblem) throw error;
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new DecodeProblem("too-large", `decoded ${coding} body exceeds ${formatBytes(maxBytes)} limit`, {
        cause: error,
      });
    }
    throw new DecodeProblem(
      "bad-encoding",
      `body could not be decoded as ${coding}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function hasZlibHeader(input: Buffer): boolean {
  const cmf = input[0];
  const flg = input[1];
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
}

export interface MediaType {
  /** Lowercased `type/subtype`, parameters dropped. */
  essence: string;
  charset: string | undefined;
}

export function parseContentType(header: string | undefined): MediaType | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const [essence = "", ...params] = header.split(";");
  let charset: string | undefined;
  for (const param of params) {
    const match = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(param);
    if (match?.[1] !== undefined) charset = match[1];
  }
  return { essence: essence.trim().toLowerCase(), charset };
}

const BINARY_TYPES = new Set([
  "application/octet-stream",
  "application/pdf",
  "application/zip",
  "application/gzip",
  "application/x-gzip",
  "application/x-tar",
  "application/x-7z-compressed",
  "application/x-rar-compressed",
  "application/vnd.rar",
  "application/x-bzip2",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/x-shockwave-flash",
  "application/wasm",
]);

/** True for media types that are never text documents, decided before any byte is read. */
export function isBinaryMediaType(essence: string): boolean {
  const [type = "", subtype = ""] = essence.split("/");
  if (["image", "audio", "video", "font"].includes(type)) return true;
  if (BINARY_TYPES.has(essence)) return true;
  // Office Open XML and similar containers are zip files whatever their name says.
  return type === "application" && (subtype.endsWith("zip") || subtype.startsWith("vnd.openxmlformats"));
}

const MAGIC: Array<[string, number[]]> = [
  ["PDF", [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ["PNG", [0x89, 0x50, 0x4e, 0x47]],
  ["GIF", [0x47, 0x49, 0x46, 0x38]],
  ["JPEG", [0xff, 0xd8, 0xff]],
  ["ZIP", [0x50, 0x4b, 0x03, 0x04]],
  ["gzip", [0x1f, 0x8b]],
];

/** Names what the bytes look like when they are not text (magic number or NUL in the first KB). */
export function sniffBinary(body: Buffer): string | undefined {
  for (const [name, magic] of MAGIC) {
    if (magic.every((byte, index) => body[index] === byte)) return `${name} data`;
  }
  const head = body.subarray(0, 1024);
  return head.includes(0) ? "NUL bytes in the first KB" : undefined;
}

export interface DecodedText {
  charset: string;
  charsetSource: CharsetSource;
  text: string;
  /** The header and the document declared different charsets; which one was used and why. */
  conflict?: CharsetConflict;
}

export interface CharsetConflict {
  header: string;
  document: string;
  used: "header" | "document";
  why: string;
}

/**
 * When the Content-Type header and the document's own `<meta>` disagree, the header wins (as in
 * browsers) unless the header's charset yields invalid or implausible text where the document's
 * decodes cleanly: a server configured for windows-1252 in front of UTF-8 pages, or UTF-8 claimed
 * for an old windows-1251 page.
 */
function settleConflict(body: Buffer, header: string, document: string): CharsetConflict {
  const asAscii = !body.some((byte) => byte >= 0x80);
  if (asAscii) return { header, document, used: "header", why: "the body is ASCII, so both read the same" };
  if (header === "utf-8") {
    const { invalid } = scanUtf8(body);
    return invalid > 0
      ? {
          header,
          document,
          used: "document",
          why: `${invalid} invalid UTF-8 sequences under the header's charset`,
        }
      : { header, document, used: "header", why: "the body is valid UTF-8" };
  }
  if (document === "utf-8") {
    return isUtf8(body)
      ? { header, document, used: "document", why: `the body is valid UTF-8, which ${header} would garble` }
      : { header, document, used: "header", why: "the body is not valid UTF-8" };
  }
  if (document === "windows-1251" && looksCyrillic(body)) {
    return { header, document, used: "document", why: "the body's letters are Cyrillic in windows-1251" };
  }
  return { header, document, used: "header", why: "neither reads more plausibly" };
}

/**
 * Decodes with the first charset that is known, in browser order: a BOM (unambiguous bytes beat
 * any label), the Content-Type header, a `<meta>` or XML declaration in the first 4 KB, then
 * sniffing (valid UTF-8, else Cyrillic windows-1251, else windows-1252). A header that disagrees
 * with the document's declaration loses when its text is invalid or implausible and the
 * document's is not (see settleConflict); the outcome says so in `conflict`.
 */
export function decodeText(body: Buffer, media: MediaType | undefined): DecodedText {
  const bom = bomCharset(body);
  const declared = bom === undefined ? canonicalCharset(media?.charset) : undefined;
  const isUtf16 = bom?.startsWith("utf-16") || declared?.startsWith("utf-16");
  if (!isUtf16) {
    const binary = sniffBinary(body);
    if (binary !== undefined) {
      throw new DecodeProblem(
        "binary",
        `is not a text document (content-type ${media?.essence ?? "none"}, ${binary})`,
      );
    }
  }

  let charset: string;
  let charsetSource: CharsetSource;
  let conflict: CharsetConflict | undefined;
  const inDocumentOf = () =>
    media === undefined || /html|xml/.test(media.essence) ? prescanCharset(body) : undefined;
  const inDocument = declared !== undefined ? inDocumentOf() : undefined;
  if (bom !== undefined) {
    charset = bom;
    charsetSource = "bom";
  } else if (declared !== undefined && inDocument !== undefined && inDocument !== declared) {
    conflict = settleConflict(body, declared, inDocument);
    charset = conflict.used === "header" ? declared : inDocument;
    charsetSource = conflict.used === "header" ? "header" : "meta";
  } else if (declared !== undefined) {
    charset = declared;
    charsetSource = "header";
  } else {
    const fromDocument = inDocumentOf();
    if (fromDocument !== undefined) {
      charset = fromDocument;
      charsetSource = "meta";
    } else {
      charset = sniffCharset(body);
      charsetSource = "sniff";
    }
  }

  if (charset === "utf-8") checkUtf8(body);
  // The decoder drops a BOM matching its own encoding, which is exactly the BOM case above.
  const decoded = new TextDecoder(charset).decode(body);
  const text = charset === "windows-1252" ? repairWindows1252(decoded) : decoded;
  return { charset, charsetSource, text, ...(conflict ? { conflict } : {}) };
}

/** windows-1252 characters for bytes 0x80–0x9F; the five bytes it leaves undefined stay C1 controls. */
const WINDOWS_1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/**
 * Some Node versions (20.x among them) decode "windows-1252" as ISO-8859-1, turning € and curly
 * quotes into C1 controls; mapping those back is a no-op where the decoder is right.
 */
function repairWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_C1[char.charCodeAt(0) - 0x80] ?? char);
}

function bomCharset(body: Buffer): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return "utf-8";
  if (body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  if (body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  return undefined;
}

/** The WHATWG name for a label, or undefined for labels no decoder knows. */
export function canonicalCharset(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_.:-]+)/i;
const XML_ENCODING = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([a-z0-9_.:-]+)["']/i;

function prescanCharset(body: Buffer): string | undefined {
  const head = body.subarray(0, 4096).toString("latin1");
  const label = META_CHARSET.exec(head)?.[1] ?? XML_ENCODING.exec(head)?.[1];
  const charset = canonicalCharset(label);
  // A document readable as ASCII cannot really be UTF-16; browsers read such pages as UTF-8.
  if (charset?.startsWith("utf-16")) return "utf-8";
  if (charset === "x-user-defined") return "windows-1252";
  return charset;
}

function sniffCharset(body: Buffer): string {
  if (isUtf8(body)) return "utf-8";
  return looksCyrillic(body) ? "windows-1251" : "windows-1252";
}

/**
 * In windows-1251 text, letters are bytes 0xC0–0xFF (plus Ё/ё) and come in whole words, so high
 * bytes sit next to each other; in windows-1252 text an accented letter is usually alone inside
 * an ASCII word ("café", "Müller").
 */
function looksCyrillic(body: Buffer): boolean {
  let letters = 0;
  let paired = 0;
  const isLetter = (byte: number | undefined) =>
    byte !== undefined && (byte >= 0xc0 || byte === 0xa8 || byte === 0xb8);
  for (let index = 0; index < body.length; index += 1) {
    if (!isLetter(body[index])) continue;
    letters += 1;
    if (isLetter(body[index - 1]) || isLetter(body[index + 1])) paired += 1;
  }
  return letters >= 2 && paired / letters >= 0.6;
}

/** Replacement characters tolerated before a UTF-8 body is refused: a few stray bytes happen. */
const MAX_INVALID_RATIO = 0.01;
const MIN_INVALID_REFUSED = 4;

function checkUtf8(body: Buffer): void {
  if (isUtf8(body)) return;
  const { invalid, firstOffset } = scanUtf8(body);
  if (invalid < MIN_INVALID_REFUSED || invalid <= body.length * MAX_INVALID_RATIO) return;
  throw new DecodeProblem(
    "invalid-text",
    `body declared as UTF-8 has ${invalid} invalid byte sequences (more than 1%), the first at byte offset ${firstOffset}`,
  );
}

/** Counts maximal invalid subsequences the way TextDecoder replaces them with U+FFFD. */
export function scanUtf8(bytes: Uint8Array): { invalid: number; firstOffset: number } {
  let invalid = 0;
  let firstOffset = -1;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0;
    let need = 0;
    let low = 0x80;
    let high = 0xbf;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    }
    let next = index + 1;
    let ok = need > 0;
    for (let seen = 0; ok && seen < need; seen += 1) {
      const byte = bytes[next];
      if (byte === undefined || byte < low || byte > high) {
        ok = false;
        break;
      }
      low = 0x80;
      high = 0xbf;
      next += 1;
    }
    if (!ok) {
      invalid += 1;
      if (firstOffset < 0) firstOffset = index;
    }
    index = next;
  }
  return { invalid, firstOffset };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
