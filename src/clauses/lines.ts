/**
 * Plain text as lines, and what printed pages add to them that is no part of the text: page
 * numbers, running headers and footers, and margin line numbers. Each is left out, and counted so
 * coverage and the warnings can say what was left out.
 */
import { marginNumbered } from "../line-numbers.js";
import { decodeEntities } from "./normalize.js";

export const SENTENCE_END = /[.!?:;]["”’')\]»]?$/;

export interface RawLine {
  text: string;
  indent: number;
  blankBefore: boolean;
  /** A form feed came before this line. */
  pageBreak?: boolean;
  page?: number;
}

export function rawLines(text: string): RawLine[] {
  const out: RawLine[] = [];
  let blankBefore = false;
  let pageBreak = false;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n|\u2028|\u2029/)) {
    // A form feed ends a printed page: a marker for the running lines around it.
    if (raw.includes("\f")) pageBreak = true;
    if (/^[\s\u00A0\u200B\u00AD]*$/.test(raw)) {
      blankBefore = true;
      continue;
    }
    const expanded = raw.replace(/\f/g, "").replace(/\t/g, "    ");
    const indent = expanded.length - expanded.trimStart().length;
    const line: RawLine = { text: decodeEntities(expanded.trim()), indent, blankBefore };
    if (pageBreak) line.pageBreak = true;
    out.push(line);
    blankBefore = false;
    pageBreak = false;
  }
  return out;
}

/** A page's number as printed on it: "Page 3 of 12", "- 4 -", "5/12", "Seite 2 von 9", "Стор. 3". */
const WORDED_PAGE_NUMBER =
  "(?:page|pg\\.?|p\\.|seite|página|pagina|strona|str\\.|сторінка|стор\\.|страница|стр\\.)\\s*\\d{1,4}(?:\\s*(?:of|\\/|von|de|di|z|з|із|из)\\s*\\d{1,4})?|[-–—]\\s*\\d{1,4}\\s*[-–—]";
const PAGE_NUMBER = new RegExp(`^(?:${WORDED_PAGE_NUMBER}|\\d{1,4}\\s*\\/\\s*\\d{1,4})$`, "iu");
/**
 * A page number set on one line with a running title or a date (`Draft Fare Policy 2026      Page 1
 * of 3`, `Page 2 | Consultation draft`): apart from the words by a wide gap or a separator, or
 * "Page N of M" in full at the line's end. A bare `3/12` beside words may be a table's figure.
 */
const PAGE_NUMBER_BESIDE = new RegExp(
  `^(?:${WORDED_PAGE_NUMBER})(?:\\s{3,}|\\s[|·•]\\s).{1,80}$|^.{1,80}(?:\\s{3,}|\\s[|·•]\\s)(?:${WORDED_PAGE_NUMBER})$|^[^.!?]{1,80}\\spage\\s\\d{1,4}\\sof\\s\\d{1,4}$`,
  "iu",
);
/** A number alone this far in from the margin is centred on its line: a page number, as bills print them. */
const CENTRED = 20;
/** Lines within this distance of a page marker may be the page's running header or footer. */
const RUNNING_REACH = 2;
/** A running header or footer repeats on at least this many pages. */
const RUNNING_PAGES = 3;

/**
 * The lines of a printed page's furniture: page numbers, and short lines that repeat beside them
 * on several pages (a running title, "CONFIDENTIAL — DRAFT", a dated footer), the digits of a
 * line aside. Without page numbers or form feeds nothing is taken for furniture.
 */
function pageFurniture(lines: RawLine[]): Set<number> {
  const markers: number[] = [];
  lines.forEach((line, at) => {
    if (
      PAGE_NUMBER.test(line.text) ||
      PAGE_NUMBER_BESIDE.test(line.text) ||
      (line.indent >= CENTRED && /^\d{1,4}$/.test(line.text))
    )
      markers.push(at);
    else if (line.pageBreak) markers.push(at - 0.5);
  });
  const furniture = new Set<number>();
  if (markers.length === 0) return furniture;
  for (const at of markers) if (Number.isInteger(at)) furniture.add(at);
  // How many pages: their printed numbers, else the breaks between them.
  const pages = furniture.size > 0 ? furniture.size : markers.length + 1;
  // The first page starts with the document and the last ends with it.
  markers.push(-0.5, lines.length - 0.5);
  // Short lines near a marker, grouped by their wording with digits masked.
  const near = new Map<string, number[]>();
  for (const marker of markers) {
    for (let at = Math.ceil(marker - RUNNING_REACH); at <= Math.floor(marker + RUNNING_REACH); at++) {
      const line = lines[at];
      if (!line || furniture.has(at) || line.text.length > 80) continue;
      const key = line.text.replace(/\d+/g, "#");
      const seen = near.get(key) ?? [];
      if (!seen.includes(at)) seen.push(at);
      near.set(key, seen);
    }
  }
  // A line the same word for word on every page, or on every page but the first (a continuation
  // header), may be a running line on fewer pages: "•HR 4471 IH" on both pages of two. "Article 3"
  // and "Article 4" are not one line.
  const running = (seen: number[]) =>
    seen.length >= RUNNING_PAGES ||
    (seen.length === 2 && pages <= 3 && lines[seen[0] as number]?.text === lines[seen[1] as number]?.text);
  for (const [, seen] of near) if (running(seen)) for (const at of seen) furniture.add(at);
  return furniture;
}

/** What a reading of printed text leaves out on purpose, so coverage and the warnings can account for it. */
export interface LeftOut {
  /** The lines of page furniture: page numbers, running headers and footers. */
  furniture: string[];
  /** Margin line numbers taken off the lines they numbered. */
  lineNumbers: number;
}

/** A line that starts with a bare number (no dot, no bracket) before its text, or is the number alone. */
const NUMBERED_LINE = /^(\d{1,3})(?:(\s+)(\S.*))?$/s;

/**
 * The lines with their margin line numbers taken off (see `marginNumbered`): a line that was only
 * a number is a blank line. The numbers are counted in `left`.
 */
export function withoutLineNumbers(lines: RawLine[], left: LeftOut | undefined): RawLine[] {
  const numbers = lines.map((line) => {
    const match = NUMBERED_LINE.exec(line.text);
    if (!match) return undefined;
    const digits = match[1] as string;
    return { value: Number(digits), gap: digits.length + (match[2]?.length ?? 0), rest: match[3] ?? "" };
  });
  const strip = marginNumbered(numbers);
  if (strip.size === 0) return lines;
  if (left) left.lineNumbers += strip.size;
  // Indents count from the text's own margin, right of the numbers' gutter.
  let gutter = Number.POSITIVE_INFINITY;
  for (const at of strip) {
    const number = numbers[at];
    if (number && number.rest !== "") gutter = Math.min(gutter, (lines[at] as RawLine).indent + number.gap);
  }
  const out: RawLine[] = [];
  let blank = false;
  lines.forEach((line, at) => {
    const number = numbers[at];
    if (!strip.has(at) || number === undefined) {
      out.push(blank ? { ...line, blankBefore: true } : line);
      blank = false;
      return;
    }
    if (number.rest === "") {
      blank = true;
      return;
    }
    out.push({
      ...line,
      text: number.rest,
      indent: line.indent + number.gap - gutter,
      blankBefore: line.blankBefore || blank,
    });
    blank = false;
  });
  return out;
}

/**
 * The lines without the page furniture (whose text goes to `left`), a text that runs on across
 * the page break joined up again: a line in lower case after one that ends mid-sentence.
 */
export function withoutFurniture(lines: RawLine[], left: LeftOut | undefined): RawLine[] {
  const furniture = pageFurniture(lines);
  if (furniture.size === 0) return lines;
  const out: RawLine[] = [];
  let dropped = false;
  lines.forEach((line, at) => {
    if (furniture.has(at)) {
      left?.furniture.push(line.text);
      dropped = true;
      return;
    }
    const previous = out[out.length - 1];
    if (dropped && previous && !SENTENCE_END.test(previous.text) && /^\p{Ll}/u.test(line.text))
      out.push({ ...line, blankBefore: false });
    else out.push(line);
    dropped = false;
  });
  return out;
}
