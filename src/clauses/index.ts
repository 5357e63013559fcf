import { ExtractError, excerpt } from "../errors.js";
import type { Clause, ClauseSet, SubItem, TextBlock } from "../types.js";
import { labelKey } from "./labels.js";
import { linesFromBlocks, linesFromText } from "./lines.js";
import { fingerprint, normalizeForCompare } from "./normalize.js";
import type { LabelMatch, Line } from "./types.js";

export { foldTypography, normalizeForCompare, wordTokens } from "./normalize.js";
export type { InputFormat, LabelMatch, Line } from "./types.js";

export type ClauseInput = (
  | { source: string; format: "text" | "markdown"; text: string }
  | { source: string; format: "html"; blocks: TextBlock[]; title?: string }
) & {
  /**
   * Prose handling: `true` reads a document without any list as one clause per paragraph instead
   * of failing; `"always"` reads every document that way (news coverage, whose lists are quotes).
   */
  prose?: boolean | "always";
};

const DELETION_WORDS =
  "(?:deleted|removed|omitted|dropped|struck(?: out)?|repealed|reserved|void|intentionally (?:left blank|omitted|deleted))(?: in (?:its|their) entirety)?";
/** A counter-proposal's "7. Deleted." or "3. [Intentionally omitted]" keeps the number free; it is no clause of its own. */
const DELETED_PLACEHOLDER = new RegExp(
  `^[\\[(*\\s–—-]*(?:(?:this )?(?:point|article|section|clause|item|paragraph)\\s*(?:\\d+[a-z]?)?\\s*(?:is |was |has been )?)?${DELETION_WORDS}[.\\])*\\s–—-]*$|^\\*{3,}$`,
  "i",
);
/** A stand-alone note such as "[Point 9 removed]" between clauses ends the clause before it. */
const PLACEHOLDER_NOTE = new RegExp(
  `^[\\[(]\\s*(?:point|article|section|clause|item|paragraph)\\s*\\d+[a-z]?\\s*[-–—:]?\\s*(?:is |was |has been )?${DELETION_WORDS}\\.?[\\])]\\.?$`,
  "i",
);

interface ChainLink {
  line: number;
  label: LabelMatch;
  score: number;
  count: number;
  prev: ChainLink | undefined;
}

const MAX_GAP = 3;

function chainKey(label: LabelMatch): string {
  return `${label.family}|${label.word}`;
}

function canLeadChain(label: LabelMatch): boolean {
  return label.family !== "bullet" && !label.multilevel;
}

/** What a label carries: its own text plus what follows it up to the next label of its kind. */
function labelWeight(label: LabelMatch, owned = 0): number {
  const length = Math.min(Math.max(label.rest.length + owned, 8), 300);
  return label.weak ? length / 2 : length;
}

function countBetween(sorted: number[], from: number, to: number): number {
  return lowerBound(sorted, to) - lowerBound(sorted, from + 1);
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Finds the numbered sequence that is the document: the best-scoring chain of labels whose values
 * step by one (small gaps tolerated, `10a` after `10`), weighted by the text each label carries.
 * Sidebars ("Most read 1–5") and stray numbers lose on weight and on the labels a chain skips.
 */
function findChain(lines: Line[]): ChainLink[] {
  const positions = new Map<string, number[]>();
  lines.forEach((line, index) => {
    for (const label of line.labels) {
      if (!canLeadChain(label)) continue;
      const key = chainKey(label);
      const list = positions.get(key) ?? [];
      if (list[list.length - 1] !== index) list.push(index);
      positions.set(key, list);
    }
  });

  const textBefore = [0];
  for (const line of lines) textBefore.push((textBefore[textBefore.length - 1] as number) + line.text.length);
  const ownedText = (key: string, index: number) => {
    const sameKey = positions.get(key) ?? [];
    const next = sameKey[lowerBound(sameKey, index + 1)] ?? lines.length;
    return (textBefore[next] as number) - (textBefore[index + 1] as number);
  };

  const recent = new Map<string, ChainLink[]>();
  let best: ChainLink | undefined;
  lines.forEach((line, index) => {
    for (const label of line.labels) {
      if (!canLeadChain(label)) continue;
      const key = chainKey(label);
      const weight = labelWeight(label, ownedText(key, index));
      let link: ChainLink = {
        line: index,
        label,
        score: weight + (label.value === 1 ? 20 : -10),
        count: 1,
        prev: undefined,
      };
      const sameKey = positions.get(key) ?? [];
      const gaps = label.suffix === "" ? [1, 2, 3] : [0, 1];
      for (const gap of gaps) {
        if (gap > MAX_GAP) continue;
        for (const candidate of recent.get(`${key}#${label.value - gap}`) ?? []) {
          if (gap === 0 && candidate.label.suffix >= label.suffix && candidate.label.suffix !== "") continue;
          const skipped = countBetween(sameKey, candidate.line, index);
          const score =
            candidate.score +
            weight -
            Math.max(0, gap - 1) * 25 -
            skipped * 40 -
            (candidate.label.delimiter === label.delimiter ? 0 : 15) -
            (line.structured && lines[candidate.line]?.list !== line.list && line.kind === "item" ? 5 : 0);
          if (score > link.score)
            link = { line: index, label, score, count: candidate.count + 1, prev: candidate };
        }
      }
      const slot = `${key}#${label.value}`;
      const kept = recent.get(slot) ?? [];
      kept.push(link);
      if (kept.length > 4) kept.shift();
      recent.set(slot, kept);
      if (link.count >= 2 && (best === undefined || link.score > best.score)) best = link;
    }
  });

  const chain: ChainLink[] = [];
  for (let link = best; link; link = link.prev) chain.push(link);
  return chain.reverse();
}

/** Unnumbered lists: the heaviest run of bullet items at one depth becomes the document. */
function findBulletRun(lines: Line[]): ChainLink[] {
  let best: ChainLink[] = [];
  let bestWeight = 0;
  let run: ChainLink[] = [];
  let weight = 0;
  let runIndent = -1;
  let runList: number | undefined;
  const close = () => {
    if (run.length >= 2 && weight > bestWeight) {
      best = run;
      bestWeight = weight;
    }
    run = [];
    weight = 0;
  };
  lines.forEach((line, index) => {
    const bullet = line.labels.find((label) => label.family === "bullet");
    if (!bullet) {
      const continues = !line.structured && !line.blankBefore && line.kind === "paragraph";
      if (!continues && line.indent <= runIndent) close();
      return;
    }
    if (run.length > 0 && (line.indent !== runIndent || (line.structured && line.list !== runList))) {
      if (line.indent > runIndent) return;
      close();
    }
    runIndent = line.indent;
    runList = line.list;
    run.push({
      line: index,
      label: { ...bullet, value: run.length + 1 },
      score: 0,
      count: run.length + 1,
      prev: undefined,
    });
    weight += labelWeight(bullet);
  });
  close();
  return best;
}

/**
 * Prose read paragraph by paragraph: every block that starts a paragraph (an HTML block, a line
 * after a blank one or after a finished sentence) is a positional clause; wrapped lines join it.
 */
function paragraphRun(lines: Line[]): ChainLink[] {
  const startsParagraph = (line: Line, index: number) =>
    line.structured || line.blankBefore || index === 0 || /[.!?:;"”')\]]$/.test(lines[index - 1]?.text ?? "");
  return lines
    .map((line, index) => ({ line, index }))
    .filter(
      ({ line, index }) => line.kind !== "heading" && line.text.trim() !== "" && startsParagraph(line, index),
    )
    .map(({ line, index }, position) => ({
      line: index,
      label: {
        family: "bullet" as const,
        value: position + 1,
        suffix: "",
        word: "",
        delimiter: "",
        printed: "",
        rest: line.text,
        multilevel: false,
        weak: false,
      },
      score: 0,
      count: position + 1,
      prev: undefined,
    }));
}

function isSubItemLabel(label: LabelMatch, lead: LabelMatch, line: Line, leadLine: Line): boolean {
  if (label.family === "bullet" || label.multilevel) return true;
  const deeper = line.structured
    ? (line.level ?? 1) > (leadLine.level ?? 1)
    : line.indent > leadLine.indent + 1;
  if (deeper) return true;
  if (label.weak) return false;
  // Inner numbering under another label kind ("Article 2" → "1.", "2.") belongs to its clause;
  // the same kind of label outside the chain is another list (a sidebar) and ends the clause.
  return !(label.family === lead.family && label.word === lead.word);
}

interface Draft {
  lead: ChainLink;
  parts: string[];
  items: SubItem[];
}

function append(target: string, addition: string): string {
  if (target === "") return addition;
  // A word broken at the line end ("recon-\nstruction") is joined back.
  if (/\p{Ll}-$/u.test(target) && /^\p{Ll}/u.test(addition)) return target.slice(0, -1) + addition;
  return `${target} ${addition}`;
}

const SENTENCE_END = /[.!?:;]["”')\]]?$/;

function collectClause(lines: Line[], lead: ChainLink, end: number, isLast: boolean): Draft {
  const leadLine = lines[lead.line] as Line;
  const leadIsHeading = leadLine.kind === "heading";
  const leadIsBare = lead.label.rest.trim() === "";
  const draft: Draft = { lead, parts: [lead.label.rest], items: [] };
  const lastText = () => {
    const item = draft.items[draft.items.length - 1];
    return item ? item.text : (draft.parts[draft.parts.length - 1] ?? "");
  };
  const appendToTarget = (text: string, asParagraph: boolean) => {
    const item = draft.items[draft.items.length - 1];
    if (item && !asParagraph) item.text = append(item.text, text);
    else if (asParagraph && draft.parts.join("") !== "") draft.parts.push(text);
    else draft.parts[draft.parts.length - 1] = append(draft.parts[draft.parts.length - 1] ?? "", text);
  };

  for (let index = lead.line + 1; index < end; index++) {
    const line = lines[index] as Line;
    if (PLACEHOLDER_NOTE.test(line.text)) break;
    const empty = draft.parts.join("").trim() === "" && draft.items.length === 0;
    if (line.kind === "heading") {
      // A heading clause runs to the next heading of its level; a heading under a list item starts something else.
      if (leadIsHeading && (line.level ?? 1) <= (leadLine.level ?? 1)) break;
      if (!empty && !leadIsHeading) break;
      appendToTarget(line.text, !empty);
      continue;
    }
    const label = line.labels[0];
    const subLabel = line.labels.find((candidate) => isSubItemLabel(candidate, lead.label, line, leadLine));
    const structuredItemBelow = line.structured && line.kind === "item" && leadLine.kind !== "item";
    if (subLabel || (structuredItemBelow && label)) {
      const chosen = subLabel ?? (label as LabelMatch);
      draft.items.push({ label: subItemKey(chosen), text: chosen.rest, norm: "" });
      continue;
    }
    if (label) {
      // "… by 31 December\n2026. The parties …": a number opening a hard-wrapped line continues the sentence.
      const wrapped = !line.structured && !line.blankBefore && !SENTENCE_END.test(lastText());
      if (!wrapped) break;
      appendToTarget(line.text, false);
      continue;
    }
    if (!line.structured) {
      if (!line.blankBefore || empty) appendToTarget(line.text, false);
      else if (!isLast || leadIsHeading) appendToTarget(line.text, true);
      else break;
      continue;
    }
    if (empty || /[:,;]$/.test(lastText()) || /^\p{Ll}/u.test(line.text)) {
      appendToTarget(line.text, false);
      continue;
    }
    // Paragraphs after a <p>-printed clause belong to it up to the next clause; after an <li> they are outside the list.
    if (leadLine.kind !== "item" && (!isLast || leadIsHeading || leadIsBare)) {
      appendToTarget(line.text, true);
      continue;
    }
    break;
  }
  return draft;
}

function subItemKey(label: LabelMatch): string {
  if (label.family === "bullet") return "•";
  if (label.multilevel) return label.printed.replace(/\.$/, "");
  return labelKey(label);
}

function positionalKey(index: number): string {
  return `#${index + 1}`;
}

function styleOf(label: LabelMatch | undefined): ClauseSet["style"] {
  if (!label || label.family === "bullet") return "position";
  if (label.family === "decimal") return "decimal";
  if (label.family.startsWith("roman")) return "roman";
  return "alpha";
}

function findTitle(lines: Line[], firstClauseLine: number): string | undefined {
  const before = lines.slice(0, firstClauseLine);
  const heading = before.find((line) => line.kind === "heading");
  if (heading) return heading.text;
  const first = before[0];
  if (first && first.text.length <= 140 && !/[.!?]["”]?$/.test(first.text)) return first.text;
  return undefined;
}

function finishClause(draft: Draft, index: number, key: string, page: number | undefined): Clause {
  const text = draft.parts.filter((part) => part !== "").join(" ");
  const items = draft.items.map((item) => ({ ...item, norm: normalizeForCompare(item.text) }));
  const norm = [normalizeForCompare(text), ...items.map((item) => item.norm)]
    .filter((part) => part !== "")
    .join(" | ");
  return {
    key,
    printed: draft.lead.label.printed,
    index,
    text,
    items,
    norm,
    fingerprint: fingerprint(norm),
    ...(page === undefined ? {} : { page }),
  };
}

function uniqueKeys(keys: string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((key) => {
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count === 1 ? key : `${key}~${count}`;
  });
}

/**
 * Reads a document (plain text, Markdown or extracted HTML blocks) as a clause set: finds the
 * numbered list that is the document, attaches sub-items, headings and wrapped lines to their
 * clause, and normalizes each clause for comparison.
 */
export function parseClauses(input: ClauseInput): ClauseSet {
  const lines =
    input.format === "html"
      ? linesFromBlocks(input.blocks)
      : linesFromText(input.text, input.format === "markdown");
  let chain = findChain(lines);
  if (chain.length < 2) chain = findBulletRun(lines);
  if (input.prose === "always") chain = paragraphRun(lines);
  else if (chain.length < 2 && input.prose) chain = paragraphRun(lines);
  if (chain.length < 1 || (chain.length < 2 && !input.prose)) {
    const sample = lines.map((line) => line.text).join(" ");
    throw new ExtractError(
      `${input.source}: no numbered or bulleted list found (expected clauses such as "1. …"; text starts "${excerpt(sample, 60)}")`,
      { source: input.source },
    );
  }
  const style = styleOf(chain[0]?.label);
  const drafts = chain.map((lead, position) => {
    const next = chain[position + 1];
    return collectClause(lines, lead, next ? next.line : lines.length, next === undefined);
  });
  const kept = drafts.filter(
    (draft) => !(draft.items.length === 0 && DELETED_PLACEHOLDER.test(draft.parts.join(" ").trim())),
  );
  const keys = uniqueKeys(
    kept.map((draft, index) => (style === "position" ? positionalKey(index) : labelKey(draft.lead.label))),
  );
  const clauses = kept.map((draft, index) =>
    finishClause(draft, index, keys[index] as string, lines[draft.lead.line]?.page),
  );
  const title =
    input.format === "html" && input.title ? input.title : findTitle(lines, (chain[0] as ChainLink).line);
  return { source: input.source, ...(title ? { title } : {}), style, clauses };
}
