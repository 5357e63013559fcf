import type { TextBlock } from "../types.js";
import { parseLabels } from "./labels.js";
import { decodeEntities } from "./normalize.js";
import type { Line } from "./types.js";

const MARKDOWN_HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** Strips inline Markdown so `**will**` and `will` read the same. */
function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/(^|[\s(])([*_])(?=\S)(.+?)(?<=\S)\2(?=[\s.,;:!?)]|$)/g, "$1$3")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, "$1")
    .replace(/ {2,}$/, "");
}

/**
 * Markdown renders an ordered list from its first number on, whatever the later items print
 * ("1." on every line is common), so items of one list are renumbered as a reader sees them.
 */
function renumberMarkdownLists(lines: Line[]): void {
  let indent = -1;
  let next = 0;
  for (const line of lines) {
    const label = line.labels[0];
    const ordered =
      label?.family === "decimal" &&
      label.word === "" &&
      (label.delimiter === "." || label.delimiter === ")");
    if (label && ordered && line.kind === "paragraph") {
      if (line.indent === indent) {
        line.labels = [{ ...label, value: next }];
        next++;
      } else if (indent < 0 || line.indent < indent) {
        indent = line.indent;
        next = label.value + 1;
      }
      continue;
    }
    const insideItem = line.indent > indent && indent >= 0;
    if (line.kind === "heading" || (!insideItem && line.blankBefore && !label)) indent = -1;
  }
}

/** Splits running text (plain or Markdown) into lines, keeping indentation and blank-line breaks. */
export function linesFromText(text: string, markdown: boolean): Line[] {
  const lines: Line[] = [];
  let blankBefore = false;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n|\u2028|\u2029/)) {
    if (/^[\s\u00A0\u200B]*$/.test(raw)) {
      blankBefore = true;
      continue;
    }
    if (markdown && /^\s*([-*_])(\s*\1){2,}\s*$/.test(raw)) {
      blankBefore = true;
      continue;
    }
    const expanded = raw.replace(/\t/g, "    ");
    const indent = expanded.length - expanded.trimStart().length;
    let content = decodeEntities(expanded.trim());
    let kind: Line["kind"] = "paragraph";
    let level: number | undefined;
    if (markdown) {
      const heading = MARKDOWN_HEADING.exec(content);
      if (heading) {
        kind = "heading";
        level = heading[1]?.length;
        content = heading[2] ?? "";
      }
      content = stripInlineMarkdown(content.replace(/^>\s?/, ""));
    }
    lines.push({
      text: content,
      kind,
      indent,
      blankBefore,
      structured: false,
      ...(level === undefined ? {} : { level }),
      labels: kind === "heading" ? headingLabels(content) : parseLabels(content),
    });
    blankBefore = false;
  }
  if (markdown) renumberMarkdownLists(lines);
  return lines;
}

/** Headings label clauses only when they carry a word label (`## Article 4`), not a bare number. */
function headingLabels(text: string): Line["labels"] {
  return parseLabels(text).filter((label) => label.word !== "" || label.family === "decimal");
}

/** Lines from extracted HTML blocks: list items carry the marker a browser would render. */
export function linesFromBlocks(blocks: TextBlock[]): Line[] {
  // Footnotes are printed apart from the running text; read into a clause they would move with page breaks.
  return blocks
    .filter((block) => !block.footnote)
    .map((block) => {
      const level = block.level ?? 1;
      const own = block.kind === "heading" ? headingLabels(block.text) : parseLabels(block.text);
      return {
        text: block.text,
        kind: block.kind,
        indent: block.kind === "item" ? (level - 1) * 2 : 0,
        blankBefore: true,
        structured: true,
        ...(block.level === undefined ? {} : { level: block.level }),
        ...(block.list === undefined ? {} : { list: block.list }),
        ...(block.page === undefined ? {} : { page: block.page }),
        labels: block.kind === "item" ? itemLabels(block, own) : own,
      };
    });
}

/**
 * An `<ol>` item is labelled by its rendered marker; when the text repeats the same number
 * (`<li>3. …</li>` in a `<ol start=3>`), the printed copy is dropped so it is not read twice.
 */
function itemLabels(block: TextBlock, own: Line["labels"]): Line["labels"] {
  const marker = block.marker;
  if (marker === undefined || marker === "•") {
    if (own.length > 0) return own;
    return [
      {
        family: "bullet",
        value: 0,
        suffix: "",
        word: "",
        delimiter: "•",
        printed: "•",
        rest: block.text,
        multilevel: false,
        weak: false,
      },
    ];
  }
  const fromMarker = parseLabels(`${marker} x`).map((label) => ({
    ...label,
    printed: marker,
    rest: block.text,
  }));
  const repeated = own.find((label) =>
    fromMarker.some((m) => m.family === label.family && m.value === label.value),
  );
  if (repeated) return fromMarker.map((label) => ({ ...label, rest: repeated.rest }));
  // A number printed inside an <ol> item that disagrees with the marker is the author's numbering.
  if (own.some((label) => label.family === "decimal" && !label.weak)) return own;
  return fromMarker;
}
