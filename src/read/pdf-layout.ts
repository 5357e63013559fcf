/**
 * PDF page text → text blocks in reading order. A PDF only knows positioned runs of glyphs, so
 * this is layout work: runs become lines (superscript footnote markers dropped), two-column pages
 * are read column by column, running headers, footers and page numbers (lines repeated across
 * pages) are dropped, footnotes move after their page's text, and hard-wrapped lines are joined
 * into paragraphs (hyphenated words too) while a list label at a line start opens a new block so
 * clauses are found. Pure: values in, values out.
 */
import { marginNumbered } from "../line-numbers.js";
import type { TextBlock } from "../types.js";
import type { RawItem, RawPage } from "./thread.js";

/** One printed line of one column: what paragraph assembly works on. */
export interface PdfLine {
  text: string;
  page: number;
  /** 0 for single-column text and full-width lines, 1 and 2 for the columns of a two-column page. */
  column: number;
  x0: number;
  x1: number;
  /** Baseline, in PDF units from the page bottom. */
  y: number;
  size: number;
  /** Left and right edge of the text area the line sits in (its column, or the page's body). */
  left: number;
  right: number;
}

interface Run {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
}

const SUPERSCRIPT_MARK = /^[\d*†‡§]{1,3}$/;
/** A list label at a line start: `12.`, `(a)`, `iv)`, `1.2`, a bullet or dash, `Article 5`, `§ 3`. */
const LABEL_START =
  /^(?:[([]?(?:\d{1,4}[a-z]?|[a-z]|[ivxlcdm]{1,7})[.)\]:](?:\s|$)|\d{1,3}(?:\.\d{1,3})+\.?\s|[•▪◦●■□–—*·‣►-]\s|(?:point|article|art\.|section|sec\.|clause|chapter|part|§)\s*\d)/i;
const SENTENCE_END = /[.!?:;]["”’')\]]?$/;
const PAGE_NUMBER = /^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?(?:\s*[-–—])?$/i;
const SUSPENDING_WORDS = new Set(["and", "or", "nor", "to", "und", "oder", "et", "ou", "y", "o"]);
const FOOTNOTE_START = /^[\d*†‡§]{1,3}[.)]?\s/;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
}

/** The most common size, weighted by characters: the body text's size. */
function bodySize(lines: PdfLine[]): number {
  const weight = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.size * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + line.text.length);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, total] of weight) {
    if (total > bestWeight) {
      best = size;
      bestWeight = total;
    }
  }
  return best || 10;
}

interface Item {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

function toItem([text, x, y, width, size]: RawItem): Item {
  return { text, x, y, width, size };
}

/** Items on one baseline (superscripts ride along with their line), top of the page first. */
function rows(items: Item[]): Item[][] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const result: Array<{ y: number; size: number; items: Item[] }> = [];
  for (const item of sorted) {
    const row = result[result.length - 1];
    if (row && Math.abs(row.y - item.y) <= 0.45 * Math.max(row.size, item.size)) {
      row.items.push(item);
      if (item.size > row.size) {
        row.size = item.size;
        row.y = item.y;
      }
    } else {
      result.push({ y: item.y, size: item.size, items: [item] });
    }
  }
  return result.map((row) => row.items.sort((a, b) => a.x - b.x));
}

/** A row split where a wide empty gap opens (a column gutter); text joined with spaces where glyphs do not touch. */
function runsOf(row: Item[]): Run[] {
  const size = Math.max(...row.map((item) => item.size));
  const baseline = row.find((item) => item.size === size)?.y ?? 0;
  const runs: Run[] = [];
  let current: Run | undefined;
  for (const item of row) {
    const raised = item.size < 0.9 * size && item.y > baseline + 0.15 * size;
    if (raised && SUPERSCRIPT_MARK.test(item.text.trim())) continue;
    const gap = current ? item.x - current.x1 : 0;
    if (!current || gap > 1.4 * size) {
      current = { text: item.text, x0: item.x, x1: item.x + item.width, y: baseline, size };
      runs.push(current);
      continue;
    }
    const touching = gap <= 0.15 * size || /\s$/.test(current.text) || /^\s/.test(item.text);
    current.text += touching ? item.text : ` ${item.text}`;
    current.x1 = Math.max(current.x1, item.x + item.width);
  }
  return runs
    .map((run) => ({ ...run, text: run.text.replace(/\s+/g, " ").trim() }))
    .filter((run) => run.text !== "");
}

/**
 * The x of a column gutter: an empty vertical band in the middle of the page with several runs
 * wholly on each side and few runs crossing it (titles, full-width lines). None for one column.
 */
function findGutter(runs: Run[], width: number): number | undefined {
  let best: { x: number; crossing: number } | undefined;
  for (let x = width * 0.3; x <= width * 0.7; x += 2) {
    let left = 0;
    let right = 0;
    let crossing = 0;
    for (const run of runs) {
      if (run.x1 <= x) left += 1;
      else if (run.x0 >= x) right += 1;
      else crossing += 1;
    }
    if (left < 3 || right < 3 || crossing > Math.max(2, runs.length * 0.25)) continue;
    if (!best || crossing < best.crossing) best = { x, crossing };
  }
  return best?.x;
}

/**
 * The runs without the page's margin line numbers (see `marginNumbered`): on each row, a bare
 * number standing first. How many were taken is added to `left`.
 */
function withoutMarginNumbers(rowsOfRuns: Run[][], left: { lineNumbers: number }): Run[] {
  // The number is a run of its own after a wide gap, or the start of the line's one run.
  const numbered = rowsOfRuns.map((row) => {
    const match = row[0] && /^(\d{1,3})(?:\s+(.*))?$/.exec(row[0].text);
    if (!match) return undefined;
    const rest = [match[2] ?? "", ...row.slice(1).map((run) => run.text)].join(" ").trim();
    return { value: Number(match[1]), own: match[2] === undefined, rest };
  });
  const strip = marginNumbered(numbered);
  left.lineNumbers += strip.size;
  return rowsOfRuns.flatMap((row, at) => {
    const number = numbered[at];
    if (!strip.has(at) || !number) return row;
    const [first, ...others] = row as [Run, ...Run[]];
    if (number.own) return others;
    // Where the text starts, by its share of the run's characters.
    const text = first.text.replace(/^\d{1,3}\s+/, "");
    const x0 = first.x1 - ((first.x1 - first.x0) * text.length) / first.text.length;
    return [{ ...first, text, x0 }, ...others];
  });
}

/** One page's lines in reading order: above and between full-width lines, the left column, then the right. */
export function pageLines(page: RawPage, left: { lineNumbers: number } = { lineNumbers: 0 }): PdfLine[] {
  const runs = withoutMarginNumbers(rows(page.items.map(toItem)).map(runsOf), left);
  const gutter = findGutter(runs, page.width);
  const columnOf = (run: Run) => (gutter === undefined ? 0 : run.x1 <= gutter ? 1 : run.x0 >= gutter ? 2 : 0);
  const bounds = new Map<number, { left: number; right: number }>();
  for (const run of runs) {
    const column = columnOf(run);
    const known = bounds.get(column);
    bounds.set(column, {
      left: Math.min(known?.left ?? run.x0, run.x0),
      right: Math.max(known?.right ?? run.x1, run.x1),
    });
  }
  const ordered: Array<{ column: number; runs: Run[] }> = [];
  let pending: Run[][] = [[], []];
  const flush = () => {
    for (const [index, column] of pending.entries())
      if (column.length) ordered.push({ column: index + 1, runs: column });
    pending = [[], []];
  };
  // Runs are sorted top to bottom; a full-width run closes the column stretch above it.
  for (const run of [...runs].sort((a, b) => b.y - a.y || a.x0 - b.x0)) {
    const column = columnOf(run);
    if (column === 0) {
      flush();
      ordered.push({ column: 0, runs: [run] });
    } else {
      (pending[column - 1] as Run[]).push(run);
    }
  }
  flush();
  const lines: PdfLine[] = [];
  for (const group of ordered) {
    const box = bounds.get(group.column) ?? { left: 0, right: page.width };
    for (const row of sameBaseline(group.runs)) {
      lines.push({
        text: row.map((run) => run.text).join(" "),
        page: page.page,
        column: group.column,
        x0: Math.min(...row.map((run) => run.x0)),
        x1: Math.max(...row.map((run) => run.x1)),
        y: row[0]?.y ?? 0,
        size: Math.max(...row.map((run) => run.size)),
        left: box.left,
        right: box.right,
      });
    }
  }
  return lines;
}

/** Runs of one column that share a baseline (a label and its text after a tab) form one line. */
function sameBaseline(runs: Run[]): Run[][] {
  const result: Run[][] = [];
  for (const run of runs) {
    const row = result[result.length - 1];
    const first = row?.[0];
    if (row && first && Math.abs(first.y - run.y) <= 0.45 * Math.max(first.size, run.size)) row.push(run);
    else result.push([run]);
  }
  return result.map((row) => row.sort((a, b) => a.x0 - b.x0));
}

function repeatKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
}

/**
 * Drops running headers and footers: lines at the top or bottom edge of a page whose text, digits
 * aside, repeats on at least half of the pages; and bare page numbers there.
 */
export function dropRunningLines(pages: PdfLine[][], body: number): PdfLine[][] {
  const edgeLines = (lines: PdfLine[]) => {
    const byHeight = [...lines].sort((a, b) => b.y - a.y);
    const edges = [...byHeight.slice(0, 2), ...byHeight.slice(-2)];
    return [...new Set(edges)].filter((line) => line.size <= body * 1.1);
  };
  const seenOn = new Map<string, number>();
  for (const lines of pages) {
    for (const key of new Set(edgeLines(lines).map((line) => repeatKey(line.text)))) {
      seenOn.set(key, (seenOn.get(key) ?? 0) + 1);
    }
  }
  const repeated = (key: string) => {
    const count = seenOn.get(key) ?? 0;
    return pages.length >= 2 && count >= 2 && count >= pages.length / 2;
  };
  return pages.map((lines) => {
    const edges = new Set(edgeLines(lines));
    return lines.filter(
      (line) => !edges.has(line) || !(repeated(repeatKey(line.text)) || PAGE_NUMBER.test(line.text)),
    );
  });
}

/** Small-print lines below all body text of their page: the page's footnotes, moved after its text. */
function splitFootnotes(lines: PdfLine[], body: number): { text: PdfLine[]; notes: PdfLine[] } {
  const lowestBody = Math.min(...lines.filter((line) => line.size >= body * 0.95).map((line) => line.y));
  const isNote = (line: PdfLine) => line.size <= body * 0.85 && line.y < lowestBody;
  return { text: lines.filter((line) => !isNote(line)), notes: lines.filter(isNote) };
}

interface Draft {
  kind: "heading" | "paragraph";
  footnote: boolean;
  page: number;
  size: number;
  lines: PdfLine[];
}

/** What the document says about words broken at a line end. */
interface Vocabulary {
  /** Words printed whole, and with a hyphen, somewhere in the document (lower case). */
  words: Set<string>;
  compounds: Set<string>;
  /**
   * The writer marks its own breaks with U+2010 or a soft hyphen (Chromium does), so a plain `-`
   * at a line end is a hyphen of the text ("rare-earth"), not a break.
   */
  marksBreaks: boolean;
}

function vocabularyOf(lines: PdfLine[]): Vocabulary {
  const words = new Set<string>();
  const compounds = new Set<string>();
  let marksBreaks = false;
  for (const line of lines) {
    for (const match of line.text.matchAll(/\p{L}+(?:-\p{L}+)*/gu)) {
      (match[0].includes("-") ? compounds : words).add(match[0].toLowerCase());
    }
    if (/\p{L}[\u2010\u00ad]$/u.test(line.text)) marksBreaks = true;
  }
  return { words, compounds, marksBreaks };
}

/** Whether a word broken as `head-` / `tail` keeps its hyphen when joined. */
function keepsHyphen(head: string, tail: string, mark: string, vocabulary: Vocabulary): boolean {
  if (mark !== "-") return false;
  if (vocabulary.marksBreaks) return true;
  const whole = `${head}${tail}`.toLowerCase();
  if (vocabulary.compounds.has(`${head}-${tail}`.toLowerCase())) return true;
  if (vocabulary.words.has(whole)) return false;
  // "US-led", "G7-style": no syllable break ends in capitals or digits.
  return /^[\p{Lu}\d]+$/u.test(head);
}

function joinLines(lines: PdfLine[], vocabulary: Vocabulary): string {
  let text = "";
  for (const line of lines) {
    const broken = /(\p{L}+)([-\u2010\u00ad])$/u.exec(text);
    const next = /^\p{L}+/u.exec(line.text);
    // "Ukrainian- and Russian-language": a hyphen before a conjunction is suspended, the space stays.
    const suspended = broken?.[2] === "-" && next !== null && SUSPENDING_WORDS.has(next[0]);
    if (broken && next && !suspended && (broken[2] !== "-" || /^\p{Ll}/u.test(next[0]))) {
      const keep = keepsHyphen(broken[1] as string, next[0], broken[2] as string, vocabulary);
      text = (keep ? text : text.slice(0, -1)) + line.text;
    } else {
      text = text === "" ? line.text : `${text} ${line.text}`;
    }
  }
  return text.replace(/\u00ad/g, "");
}

/** The first word of `line` would have fitted at the end of `previous`: so `previous` ended on purpose. */
function endedShort(previous: PdfLine, line: PdfLine): boolean {
  const charWidth = (line.x1 - line.x0) / Math.max(line.text.length, 1);
  const firstWord = line.text.split(" ")[0] ?? "";
  return previous.right - previous.x1 > (firstWord.length + 1) * charWidth;
}

function startsBlock(previous: PdfLine, line: PdfLine, pitch: number, body: number): boolean {
  const sameFlow = previous.page === line.page && previous.column === line.column;
  if (sameFlow && previous.y - line.y > pitch * 1.45) return true;
  const short = endedShort(previous, line);
  if (LABEL_START.test(line.text)) {
    // "… by 31 December" / "2026. The parties …": a number opening a line that continues a full one is no label.
    return short || SENTENCE_END.test(previous.text) || line.x0 < previous.x0 - body * 0.5;
  }
  return short;
}

/** Baseline distance between consecutive lines of running text: the document's line pitch. */
function linePitch(lines: PdfLine[], body: number): number {
  const gaps: number[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const previous = lines[index - 1] as PdfLine;
    const line = lines[index] as PdfLine;
    if (previous.page !== line.page || previous.column !== line.column) continue;
    const gap = previous.y - line.y;
    if (gap > 0 && Math.abs(line.size - body) < 0.5) gaps.push(gap);
  }
  return median(gaps) || body * 1.2;
}

function assemble(lines: PdfLine[], body: number, footnotes: Set<PdfLine>): Draft[] {
  const pitch = linePitch(
    lines.filter((line) => !footnotes.has(line)),
    body,
  );
  const drafts: Draft[] = [];
  let previous: PdfLine | undefined;
  for (const line of lines) {
    const footnote = footnotes.has(line);
    const heading = !footnote && line.size >= body * 1.15 && line.text.length < 200;
    const current = drafts[drafts.length - 1];
    const continues =
      current !== undefined &&
      previous !== undefined &&
      current.footnote === footnote &&
      (heading
        ? current.kind === "heading" &&
          Math.abs(current.size - line.size) < 0.5 &&
          previous.page === line.page &&
          previous.y - line.y <= line.size * 1.6
        : current.kind === "paragraph" &&
          (footnote ? !FOOTNOTE_START.test(line.text) : !startsBlock(previous, line, pitch, body)));
    if (continues) current.lines.push(line);
    else
      drafts.push({
        kind: heading ? "heading" : "paragraph",
        footnote,
        page: line.page,
        size: line.size,
        lines: [line],
      });
    previous = line;
  }
  return drafts;
}

/** Text blocks of a whole document, every block with the page it starts on; and how many margin line numbers were left out. */
export function layoutPages(pages: RawPage[]): { blocks: TextBlock[]; lineNumbers: number } {
  const left = { lineNumbers: 0 };
  const perPage = pages.map((page) => pageLines(page, left));
  const body = bodySize(perPage.flat());
  const kept = dropRunningLines(perPage, body);
  const footnotes = new Set<PdfLine>();
  const ordered: PdfLine[] = [];
  for (const lines of kept) {
    if (lines.length === 0) continue;
    const { text, notes } = splitFootnotes(lines, body);
    ordered.push(...text, ...notes);
    for (const note of notes) footnotes.add(note);
  }
  const drafts = assemble(ordered, body, footnotes);
  const vocabulary = vocabularyOf(ordered);
  const headingSizes = [
    ...new Set(drafts.filter((draft) => draft.kind === "heading").map((draft) => Math.round(draft.size))),
  ].sort((a, b) => b - a);
  const blocks = drafts.map((draft): TextBlock => {
    const text = joinLines(draft.lines, vocabulary);
    if (draft.kind === "heading") {
      const level = Math.min(headingSizes.indexOf(Math.round(draft.size)) + 1, 6);
      return { kind: "heading", text, level, page: draft.page };
    }
    return { kind: "paragraph", text, page: draft.page, ...(draft.footnote ? { footnote: true } : {}) };
  });
  return { blocks, lineNumbers: left.lineNumbers };
}
