/** Reading units from plain text and from extracted HTML blocks. */
import type { TextBlock } from "../types.js";
import { inlineLabelOffsets } from "./inline-labels.js";
import { parseLabels } from "./labels.js";
import {
  type LeftOut,
  type RawLine,
  rawLines,
  SENTENCE_END,
  withoutFurniture,
  withoutLineNumbers,
} from "./lines.js";
import { isOutletNote } from "./notes.js";
import type { LabelMatch, Unit } from "./types.js";

/** A dot after these ends no sentence ("Sec. 4.", "No. 7", "St. Petersburg"). */
const ABBREVIATION =
  /(?:^|[\s(])(?:sec|art|no|nos|para|chap|st|mr|mrs|ms|dr|vs|fig|pp?|vol|ch|cf|approx|ca)\.\s*$/i;
const UNDERLINE = /^\s{0,3}(=+|-+)\s*$/;

/**
 * Headings label clauses only when they carry a real label (`## Article 4`, `2. Scope`,
 * `## 4 Sub-processors`: a heading that opens with a number is numbered), not a bullet.
 */
export function headingLabels(text: string): LabelMatch[] {
  return parseLabels(text)
    .filter((label) => label.family !== "bullet" && (!label.weak || label.delimiter === " "))
    .map((label) => (label.weak ? { ...label, weak: false } : label));
}

/**
 * A title line opening with a bare number ("8 Incidents") whose sub-sections follow ("8.1 …")
 * is a numbered section: its number is confirmed by theirs.
 */
function confirmBareSections(units: Unit[]): Unit[] {
  units.forEach((unit, at) => {
    const bare = unit.labels[0];
    if (!bare?.weak || bare.delimiter !== " " || unit.text.includes("\n") || /[.;,]$/.test(unit.text)) return;
    for (const next of units.slice(at + 1, at + 4)) {
      const parts = next.labels[0]?.parts;
      if (parts && parts[0] === bare.value && parts.length >= 2) {
        unit.labels = [{ ...bare, weak: false }];
        return;
      }
    }
  });
  return units;
}

/**
 * Splits a unit at numbered labels that open inside it right after a sentence ends
 * ("…sovereignty.2. Non-aggression…", "The plan reads: 1. Ukraine…"). The pieces are soft: the
 * outline reader joins a piece back when the numbering around it does not confirm its label.
 */
export function splitInline(unit: Unit): Unit[] {
  if (unit.kind !== "paragraph" && unit.kind !== "item") return [unit];
  const stacked = splitStacked(unit);
  if (stacked !== undefined) return [stacked[0], ...splitInline(stacked[1])];
  // A label printed at the start ("SEC. 4.", "Art. 7.") is not split again at its own number.
  const labelled =
    unit.labels[0] && unit.labels[0].rest !== unit.text ? unit.text.length - unit.labels[0].rest.length : 0;
  const offsets = inlineLabelOffsets(unit.text).filter(
    (at) => at >= labelled && !ABBREVIATION.test(unit.text.slice(Math.max(0, at - 8), at)),
  );
  if (offsets.length === 0) return [unit];
  const out: Unit[] = [];
  let start = 0;
  let first = true;
  for (const at of [...offsets, unit.text.length]) {
    const piece = unit.text.slice(start, at).trim();
    if (piece !== "") {
      if (first) {
        // The unit's own labels read the whole line: their text now ends where the next label opens.
        const cut = unit.text.length - at;
        const labels =
          start === 0
            ? unit.labels.map((label) => ({
                ...label,
                rest: label.rest.slice(0, Math.max(0, label.rest.length - cut)).trim(),
              }))
            : parseLabels(piece);
        out.push({ ...unit, text: piece, labels });
      } else {
        out.push({
          kind: "paragraph",
          text: piece,
          container: unit.container,
          indent: unit.indent,
          blankBefore: false,
          structured: unit.structured,
          inline: true,
          soft: true,
          labels: parseLabels(piece).filter((label) => label.family === "decimal"),
          ...(unit.page === undefined ? {} : { page: unit.page }),
        });
      }
      first = false;
    }
    start = at;
  }
  return out;
}

/**
 * "Art. 3. § 1. The parties …", "SEC. 2. (a) IN GENERAL.—…", "Article 5. 1. Each party …": a
 * worded label whose first sub-unit's label follows on the same line is two units, the article and
 * its first paragraph, so that `§ 2` on the next line is that paragraph's sibling, not the
 * article's only child. The paragraph is soft, as an inline label is: numbering around it that
 * does not confirm it joins it back.
 */
export function splitStacked(unit: Unit): [Unit, Unit] | undefined {
  const outer = unit.labels[0];
  if (outer === undefined || outer.word === "" || outer.weak || outer.rest === "") return undefined;
  const labels = parseLabels(outer.rest);
  const inner = labels[0];
  if (
    inner === undefined ||
    inner.weak ||
    inner.value !== 1 ||
    inner.word === outer.word ||
    inner.rest.trim() === ""
  )
    return undefined;
  const head = unit.text.slice(0, unit.text.length - outer.rest.length).trim();
  return [
    {
      ...unit,
      text: head,
      labels: unit.labels
        .filter((label) => label.printed === outer.printed)
        .map((label) => ({ ...label, rest: "" })),
    },
    { ...unit, text: outer.rest, labels, blankBefore: false, inline: true, soft: true },
  ];
}

/**
 * The width text was hard-wrapped at, when it was: most lines that run on into another line end
 * near one common width. Undefined for text with one paragraph per line.
 */
function wrapWidth(lines: RawLine[]): number | undefined {
  const lengths = lines.map((line) => line.text.length + line.indent).sort((a, b) => a - b);
  if (lengths.length < 6) return undefined;
  const width = lengths[Math.floor(lengths.length * 0.9)] as number;
  if (width < 30 || width > 110) return undefined;
  let runOn = 0;
  let nearWidth = 0;
  lines.forEach((line, index) => {
    const next = lines[index + 1];
    if (!next || next.blankBefore) return;
    runOn++;
    if (line.text.length + line.indent >= width * 0.72) nearWidth++;
  });
  return runOn >= 4 && nearWidth >= runOn * 0.5 ? width : undefined;
}

/** A line that ends on a word citing a numbered unit, with no stop after it: the next line starts with the number cited. */
const CITING_END =
  /(?:^|[\s(])(?:sections?|articles?|arts?\.|paragraphs?|paras?\.|subsections?|points?|clauses?|items?|annex|schedule|§§?|absatz|abs\.|ziffer|nr\.|paragraphes?|alinéas?|apartados?|artículos?|articoli?|commi?|ust\.|pkt|пункт[а-я]*|стать[а-я]*|частин[а-я]*)$/iu;

function citesAtEnd(line: string): boolean {
  return CITING_END.test(line.trimEnd());
}

/**
 * Reads plain text as units: a label, a blank line or a finished short line starts a new one.
 * The lines of a printed page's furniture (page numbers, running headers and footers) are left
 * out, and their text is pushed to `left` when given, as are margin line numbers.
 */
export function unitsFromText(text: string, page?: number, left?: LeftOut): Unit[] {
  const lines = withoutFurniture(withoutLineNumbers(rawLines(text), left), left);
  const width = wrapWidth(lines);
  const units: Unit[] = [];
  let previousNote = false;
  lines.forEach((line, index) => {
    // An outlet's line between points ("Photo: …", "Read more: …") stands alone, wrapped or not.
    const note = isOutletNote(line.text);
    const afterNote = previousNote;
    previousNote = note;
    if (UNDERLINE.test(line.text) && units.length > 0) {
      const last = units[units.length - 1] as Unit;
      if (last.kind === "paragraph" && !last.text.includes("\n")) {
        const level = line.text.trim().startsWith("=") ? 1 : 2;
        units[units.length - 1] = { ...last, kind: "heading", level, labels: headingLabels(last.text) };
        return;
      }
    }
    const prevLine = lines[index - 1];
    // "… under paragraph" / "(2) or as required …": a number wrapped after the word that cites it,
    // its sentence going on in lower case. "… these points" / "1. Ukraine …" still opens point 1.
    const read = parseLabels(line.text);
    const cited =
      !line.blankBefore &&
      prevLine !== undefined &&
      citesAtEnd(prevLine.text) &&
      /^[\p{Ll},;)]/u.test(read[0]?.rest ?? "");
    const labels = cited ? [] : read;
    const previous = units[units.length - 1];
    const breaks =
      previous === undefined ||
      previous.kind === "heading" ||
      line.blankBefore ||
      note ||
      afterNote ||
      endsParagraph(prevLine as RawLine, width);
    const startsNew = breaks || labels.length > 0;
    if (!startsNew) {
      extend(previous, line.text);
      return;
    }
    const unit: Unit = {
      kind: "paragraph",
      text: line.text,
      container: 0,
      indent: line.indent,
      blankBefore: line.blankBefore || index === 0,
      structured: false,
      labels,
    };
    // A labelled line inside running text: it wraps the line before if its label is not confirmed.
    if (!breaks) unit.soft = true;
    if (page !== undefined) unit.page = page;
    units.push(unit);
  });
  return capitalHeadings(confirmBareSections(units.flatMap(splitInline)));
}

/** "BAGGAGE", "DELAYS AND CANCELLATIONS": a short line in capitals standing alone. */
function isCapitalLine(unit: Unit): boolean {
  const text = unit.text;
  return (
    unit.kind === "paragraph" &&
    unit.labels.length === 0 &&
    !text.includes("\n") &&
    text.length <= 60 &&
    /\p{Lu}.*\p{Lu}/u.test(text) &&
    text === text.toUpperCase() &&
    !/[.;,!?]$/.test(text)
  );
}

/**
 * Plain text sets its section titles in capitals. Two or more such lines after the first (which
 * may be the document's title) are headings; one alone ("A BILL") may be anything.
 */
function capitalHeadings(units: Unit[]): Unit[] {
  const titles = units.filter(
    (unit, at) =>
      at > 0 &&
      isCapitalLine(unit) &&
      units[at + 1]?.kind === "paragraph" &&
      // "CHAPTER I" / "GENERAL PROVISIONS": the title of the label alone on the line before.
      !isLoneLabel(units[at - 1]),
  );
  if (titles.length < 2) return units;
  for (const unit of titles) {
    unit.kind = "heading";
    unit.level = 2;
  }
  return units;
}

/** A line that is only a label ("CHAPTER II", "Article 3"), whose title or text follows. */
function isLoneLabel(unit: Unit | undefined): boolean {
  return (
    unit !== undefined &&
    unit.kind === "paragraph" &&
    unit.labels.length > 0 &&
    unit.labels.every((label) => label.rest.trim() === "")
  );
}

/** Whether a line ends its paragraph even without a blank line after it. */
function endsParagraph(line: RawLine, width: number | undefined): boolean {
  if (!SENTENCE_END.test(line.text)) {
    // A short title-like line ("Security guarantees") before a new line stands alone.
    return width === undefined && line.text.length < 60;
  }
  // In hard-wrapped text a sentence may end at the wrap; only a line well short of the width ends a paragraph.
  return width === undefined || line.text.length + line.indent < width * 0.72;
}

/** Adds a wrapped line (or, with "\n", a further paragraph) to a unit, label readings included. */
export function extend(unit: Unit, addition: string, separator: " " | "\n" = " "): void {
  const grow = (text: string) =>
    separator === " " ? join(text, addition) : text === "" ? addition : `${text}\n${addition}`;
  unit.text = grow(unit.text);
  unit.labels = unit.labels.map((label) => ({ ...label, rest: grow(label.rest) }));
}

/** Joins a wrapped line to the text before it; a word broken at the line end ("recon-\nstruction") is mended. */
export function join(target: string, addition: string): string {
  if (target === "") return addition;
  if (/\p{Ll}-$/u.test(target) && /^\p{Ll}/u.test(addition)) return target.slice(0, -1) + addition;
  return `${target} ${addition}`;
}

/**
 * An `<ol>` item is labelled by its rendered marker; when the text repeats the same number
 * (`<li>3. …</li>` in a `<ol start=3>`), the printed copy is dropped so it is not read twice.
 */
export function itemLabels(
  marker: string | undefined,
  text: string,
): { labels: LabelMatch[]; marked: boolean } {
  const own = parseLabels(text).filter((label) => !label.weak);
  if (marker === undefined || marker === "•") {
    if (own.length > 0) return { labels: own, marked: false };
    return {
      labels: [
        {
          family: "bullet",
          value: 0,
          suffix: "",
          word: "",
          delimiter: "•",
          printed: "",
          name: "",
          rest: text,
          weak: false,
        },
      ],
      marked: true,
    };
  }
  const fromMarker = parseLabels(`${marker} X`).map((label) => ({ ...label, printed: marker, rest: text }));
  const repeated = own.find((label) =>
    fromMarker.some((m) => m.family === label.family && m.value === label.value),
  );
  if (repeated)
    return { labels: fromMarker.map((label) => ({ ...label, rest: repeated.rest })), marked: true };
  // A number printed inside an <ol> item that disagrees with the marker is the author's numbering.
  if (own.some((label) => label.family === "decimal" && label.word === "" && label.parts === undefined))
    return { labels: own, marked: false };
  return { labels: fromMarker, marked: true };
}

/** A block that is a number or letter alone ("1", "2.", "(c)"): a label the page set in an element of its own. */
const LABEL_ALONE = /^\(?(\d{1,3}|[a-z])[.)]?$/i;

function labelValue(text: string): number | undefined {
  const match = LABEL_ALONE.exec(text.trim());
  if (!match) return undefined;
  const label = match[1] as string;
  return /\d/.test(label) ? Number(label) : label.toLowerCase().charCodeAt(0) - 96;
}

/**
 * Labels set apart from their text (`<span class="num">3</span><div>…</div>`) put back in front of
 * the paragraph or heading that follows them. Only where label and text alternate and the next or
 * previous label is the one before or after in sequence: "3" alone on a page of figures, or the
 * rank column of a table read cell by cell, stays what it is.
 */
function joinLoneLabels(blocks: TextBlock[]): TextBlock[] {
  const labels: Array<{ at: number; value: number }> = [];
  blocks.forEach((block, at) => {
    const value = block.kind === "paragraph" ? labelValue(block.text) : undefined;
    if (value !== undefined) labels.push({ at, value });
  });
  const joining = new Set<number>();
  labels.forEach((label, k) => {
    const next = labels[k + 1];
    const previous = labels[k - 1];
    const text = blocks[label.at + 1];
    if (text === undefined || (text.kind !== "paragraph" && text.kind !== "heading")) return;
    if (
      (next && next.at === label.at + 2 && next.value === label.value + 1) ||
      (previous && previous.at === label.at - 2 && previous.value === label.value - 1)
    )
      joining.add(label.at);
  });
  if (joining.size === 0) return blocks;
  const out: TextBlock[] = [];
  for (let at = 0; at < blocks.length; at++) {
    const block = blocks[at] as TextBlock;
    const next = blocks[at + 1];
    if (joining.has(at) && next) {
      const label = block.text.trim();
      out.push({ ...next, text: `${/[.)]$/.test(label) ? label : `${label}.`} ${next.text}` });
      at++;
    } else out.push(block);
  }
  return out;
}

/**
 * Units from extracted HTML blocks: list items carry the marker a browser would render. A
 * preformatted block is read as plain text, what it leaves out counted in `left` when given.
 */
export function unitsFromBlocks(blocks: TextBlock[], left?: LeftOut): Unit[] {
  const units: Unit[] = [];
  for (const block of joinLoneLabels(blocks)) {
    const page = block.page === undefined ? {} : { page: block.page };
    if (block.kind === "pre") {
      units.push(...unitsFromText(block.text, block.page, left));
      continue;
    }
    if (block.footnote || block.caption) {
      units.push({
        kind: "paragraph",
        text: block.text,
        container: 0,
        indent: 0,
        blankBefore: true,
        structured: true,
        footnote: true,
        labels: [],
        ...page,
      });
      continue;
    }
    if (block.kind === "heading") {
      units.push({
        kind: "heading",
        text: block.text,
        level: block.level ?? 1,
        container: 0,
        indent: 0,
        blankBefore: true,
        structured: true,
        labels: headingLabels(block.text),
        ...page,
      });
      continue;
    }
    if (block.kind === "item") {
      const { labels, marked } = itemLabels(block.marker, block.text);
      units.push(
        ...splitInline({
          kind: "item",
          text: block.text,
          container: Math.max(0, (block.level ?? 1) - 1),
          ...(block.list === undefined ? {} : { list: block.list }),
          indent: 0,
          blankBefore: true,
          structured: true,
          labels,
          ...(marked ? { marked } : {}),
          ...(block.term === undefined ? {} : { heading: block.term }),
          ...page,
        }),
      );
      continue;
    }
    units.push(
      ...splitInline({
        kind: /\s\|\s/.test(block.text) && block.row ? "row" : "paragraph",
        text: block.text,
        container: 0,
        indent: 0,
        blankBefore: true,
        structured: true,
        labels: parseLabels(block.text),
        ...(block.breakBefore ? { breakBefore: true } : {}),
        ...page,
      }),
    );
  }
  return units;
}
