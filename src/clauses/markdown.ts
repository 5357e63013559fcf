/**
 * Markdown read with markdown-it's block parser, so nested lists, list items holding headings and
 * paragraphs, underlined headings, tables and escapes are read as CommonMark defines them. Inline
 * markup is stripped here (the inline parser would cost more than the whole outline).
 */
import { createRequire } from "node:module";
import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { isBoldLine, stripInlineMarkdown } from "./inline.js";
import { parseLabels } from "./labels.js";
import { decodeEntities, oneSpaced } from "./normalize.js";
import type { LabelMatch, Unit } from "./types.js";
import { extend, headingLabels, itemLabels, splitInline, splitStacked } from "./units.js";

let parser: MarkdownIt | undefined;

function markdown(): MarkdownIt {
  if (parser) return parser;
  // Required on first use, so processes that never read Markdown (the worker's main thread) skip it.
  const Parser = createRequire(import.meta.url)("markdown-it") as typeof MarkdownIt;
  const md = new Parser("commonmark", { html: true });
  md.enable("table");
  // Indented text is a nested list item's continuation in these documents, never code.
  md.disable("code");
  md.core.ruler.disable(["inline", "text_join"]);
  parser = md;
  return md;
}

interface ListFrame {
  id: number;
  ordered: boolean;
  next: number;
  delimiter: string;
  /** Every item printed with the same number ("1." throughout): numbered as rendered, not as printed. */
  lazy: boolean;
}

/** The numbers an ordered list's own items print, in order. */
function printedNumbers(tokens: Token[], open: number): number[] {
  const level = (tokens[open] as Token).level;
  const out: number[] = [];
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.level === level && token.type === "ordered_list_close") break;
    if (token.type === "list_item_open" && token.level === level + 1) out.push(Number(token.info));
  }
  return out;
}

interface ItemFrame {
  /** Index of the item's unit once its first content arrived. */
  unit: number | undefined;
  marker: string | undefined;
  /** Title-like item (its first content is a heading or a bold line): later paragraphs are its body. */
  titled: boolean;
  depth: number;
  list: number;
}

/**
 * A bold lead-in that titles the paragraph it opens (`**Eligibility.** To use…`, `4.2 **Payments.** We…`):
 * the title, without its label, when what follows is the paragraph's text.
 */
function runInHeading(raw: string): string | undefined {
  const line = raw.trim();
  if (!/^(?:\\?[^\s*_]{1,12}\s+)?(?:\*\*|__)\S/.test(line)) return undefined;
  const match = /^((?:\\?[^\s*_]{1,12}\s+)?)(\*\*|__)(?=\S)([^*_\n]{1,160}?)(?<=\S)\2([^\n]*)/.exec(line);
  if (!match) return undefined;
  const inner = match[3] as string;
  const after = match[4] as string;
  // A run-in title ends with its own stop ("**Eligibility.**") or one right after it ("**Eligibility**.").
  if (!/[.:]$/.test(inner) && !/^\s*[.:–—-]/.test(after)) return undefined;
  const rest = cleanLine(after).replace(/^[.:–—-]\s*/, "");
  if (rest === "" || /^[,;]/.test(rest)) return undefined;
  const bold = cleanLine(inner);
  const labels = parseLabels(bold).filter((label) => label.family !== "bullet");
  const title = (labels[0]?.rest ?? bold).replace(/[.:]\s*$/, "").trim();
  if (title === "" || title.length > 120 || title.split(/\s+/).length > 14) return undefined;
  return title;
}

function cleanLine(line: string): string {
  return oneSpaced(decodeEntities(stripInlineMarkdown(line))).trim();
}

const HTML_TAGS = /<\/?[a-z!][^<>]*>/gi;
const FOOTNOTE_DEFINITION = /^\[\^[^\]\s]+\]:\s*/;

/** Units of a Markdown document. */
export function unitsFromMarkdown(text: string): Unit[] {
  const tokens = markdown().parse(text.replace(/^\uFEFF/, ""), {});
  const units: Unit[] = [];
  const lists: ListFrame[] = [];
  const items: ItemFrame[] = [];
  let listCount = 0;
  let headingLevel: number | undefined;
  let rowCells: string[] | undefined;
  let cellText = "";
  let inCell = false;

  /** Position of the unit after the last thematic break that follows prose. */
  let lastBreak: number | undefined;

  const container = () => items.length;

  const push = (unit: Unit) => {
    units.push(...splitInline(unit));
  };

  /** A paragraph's lines: each line that starts with a label starts a unit of its own. */
  const paragraphUnits = (content: string, depth: number, first: Unit | undefined): void => {
    const lines = content.split("\n");
    let current = first;
    for (const raw of lines) {
      const cleaned = cleanLine(raw);
      // A footnote's text (`[^1]: …`) is a note of its own, whatever its marker.
      const footnote = FOOTNOTE_DEFINITION.test(cleaned);
      const line = footnote ? cleaned.replace(FOOTNOTE_DEFINITION, "") : cleaned;
      if (line === "") continue;
      const labels = parseLabels(line);
      if (current && labels.length === 0 && !footnote) {
        extend(current, line);
        continue;
      }
      const lead = runInHeading(raw);
      const unit: Unit = {
        kind: "paragraph",
        text: line,
        container: depth,
        indent: 0,
        blankBefore: current === undefined,
        structured: true,
        labels,
      };
      if (current !== undefined && !footnote) unit.soft = true;
      if (lead) unit.heading = lead;
      const pieces = splitStacked(unit) ?? [unit];
      current = pieces[pieces.length - 1];
      units.push(...pieces);
    }
  };

  const itemUnit = (item: ItemFrame, text: string, level: number | undefined, titled: boolean): Unit => {
    const { labels, marked } = itemLabels(item.marker, text);
    const unit: Unit = {
      kind: "item",
      text,
      container: item.depth - 1,
      list: item.list,
      indent: 0,
      blankBefore: true,
      structured: true,
      labels,
    };
    if (marked) unit.marked = marked;
    if (titled) unit.titled = titled;
    if (level !== undefined) unit.level = level;
    return unit;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    switch (token.type) {
      case "bullet_list_open":
      case "ordered_list_open": {
        const ordered = token.type === "ordered_list_open";
        const start = Number(token.attrGet("start") ?? 1);
        const printed = ordered ? printedNumbers(tokens, i) : [];
        const lazy = printed.length > 1 && printed.every((value) => value === printed[0]);
        lists.push({
          id: ++listCount,
          ordered,
          next: Number.isFinite(start) ? start : 1,
          delimiter: token.markup,
          lazy,
        });
        break;
      }
      case "bullet_list_close":
      case "ordered_list_close":
        lists.pop();
        break;
      case "list_item_open": {
        const list = lists[lists.length - 1];
        let marker: string | undefined;
        if (list?.ordered) {
          // Converted pages print the numbers their readers saw; hand-written Markdown often prints "1." throughout.
          const printed = Number(token.info);
          const value = list.lazy || !Number.isFinite(printed) || token.info === "" ? list.next : printed;
          marker = `${value}${list.delimiter === ")" ? ")" : "."}`;
          list.next++;
        }
        items.push({ unit: undefined, marker, titled: false, depth: items.length + 1, list: list?.id ?? 0 });
        break;
      }
      case "list_item_close": {
        const item = items.pop();
        // An item with no text of its own still holds its place in the numbering.
        if (item && item.unit === undefined && item.marker !== undefined)
          units.push(itemUnit(item, "", undefined, false));
        break;
      }
      case "hr":
        // After prose only: "1. Introduction" underlined with dashes is a title, the dashes read as a break.
        if (units[units.length - 1]?.kind === "paragraph") lastBreak = units.length;
        break;
      case "heading_open":
        headingLevel = Number(token.tag.slice(1));
        break;
      case "heading_close":
        headingLevel = undefined;
        break;
      case "tr_open":
        rowCells = [];
        break;
      case "th_open":
      case "td_open":
        inCell = true;
        cellText = "";
        break;
      case "th_close":
      case "td_close":
        inCell = false;
        rowCells?.push(cleanLine(cellText));
        break;
      case "tr_close": {
        const cells = rowCells ?? [];
        rowCells = undefined;
        if (cells.every((cell) => cell === "")) break;
        const rowText = cells.join(" | ");
        units.push({
          kind: "row",
          text: rowText,
          container: container(),
          indent: 0,
          blankBefore: true,
          structured: true,
          labels: parseLabels(rowText).filter((label) => label.family !== "bullet"),
        });
        break;
      }
      case "inline": {
        if (inCell) {
          cellText += token.content;
          break;
        }
        const item = items[items.length - 1];
        const firstOfItem = item !== undefined && item.unit === undefined;
        if (headingLevel !== undefined) {
          const textOf = cleanLine(token.content);
          if (textOf === "") break;
          if (item && firstOfItem) {
            item.titled = true;
            item.unit = units.length;
            units.push(itemUnit(item, textOf, headingLevel, true));
            break;
          }
          units.push({
            kind: "heading",
            text: textOf,
            level: headingLevel,
            container: container(),
            indent: 0,
            blankBefore: true,
            structured: true,
            labels: headingLabels(textOf),
          });
          break;
        }
        const bold =
          isBoldLine(token.content) && token.content.length <= 160 && !token.content.includes("\n");
        if (item && firstOfItem) {
          const [firstLine = "", ...rest] = token.content.split("\n");
          item.titled = bold;
          item.unit = units.length;
          const unit = itemUnit(item, cleanLine(firstLine), undefined, bold);
          const lead = bold ? undefined : runInHeading(firstLine);
          if (lead) unit.heading = lead;
          push(unit);
          paragraphUnits(rest.join("\n"), container(), units[units.length - 1]);
          break;
        }
        if (item && !item.titled) {
          const owner = units[item.unit as number] as Unit;
          const firstLine = cleanLine(token.content.split("\n")[0] ?? "");
          if (parseLabels(firstLine).length === 0) {
            // A further paragraph of the same item: its own words, not a clause of its own.
            const lines = token.content
              .split("\n")
              .map(cleanLine)
              .filter((line) => line !== "");
            const labelled = lines.findIndex((line) => parseLabels(line).length > 0);
            const own = labelled < 0 ? lines : lines.slice(0, labelled);
            extend(owner, own.join(" "), "\n");
            if (labelled >= 0) paragraphUnits(lines.slice(labelled).join("\n"), container(), undefined);
            break;
          }
        }
        if (bold && !(item && !item.titled)) {
          const textOf = cleanLine(token.content);
          if (textOf !== "" && !/[,;]$/.test(textOf)) {
            units.push({
              kind: "heading",
              text: textOf,
              level: 7,
              container: container(),
              indent: 0,
              blankBefore: true,
              structured: true,
              titled: true,
              labels: headingLabels(textOf),
            });
            break;
          }
        }
        paragraphUnits(token.content, container(), undefined);
        break;
      }
      case "html_block": {
        const plain = token.content.replace(HTML_TAGS, " ");
        paragraphUnits(plain, container(), undefined);
        break;
      }
      case "fence": {
        const code = token.content.replace(/\n+$/, "");
        if (code.trim() !== "")
          units.push({
            kind: "pre",
            text: code,
            container: container(),
            indent: 0,
            blankBefore: true,
            structured: true,
            labels: [] as LabelMatch[],
          });
        break;
      }
      default:
        break;
    }
  }
  // Only the last break, and only before trailing prose (a company's footer): sites also print
  // breaks between the parts of one section, and the text after those is still the section's.
  const after = lastBreak === undefined ? [] : units.slice(lastBreak);
  if (after.length > 0 && after.every((unit) => unit.kind === "paragraph" && unit.labels.length === 0))
    (after[0] as Unit).breakBefore = true;
  return units;
}
