/** The document's title and its tables of contents: navigation, read apart from the numbering. */
import { normalizeForCompare } from "./normalize.js";
import type { Unit } from "./types.js";

/** The unit that is the document's title: the page title, a leading top heading, or a short first line. */
export function findTitle(units: Unit[], title: string | undefined): number | undefined {
  if (title !== undefined) {
    const wanted = normalizeForCompare(title);
    const at = units
      .slice(0, 4)
      .findIndex((unit) => unit.kind === "heading" && normalizeForCompare(unit.text) === wanted);
    return at >= 0 ? at : undefined;
  }
  const first = units[0];
  if (!first || units.length < 2) return undefined;
  if (first.kind === "heading") {
    const level = first.level ?? 1;
    const rivals = units.some((unit, at) => at > 0 && unit.kind === "heading" && (unit.level ?? 1) <= level);
    // "Part I — General" before "Part II — Fees": the first of the document's numbered sections.
    const numbered = (unit: Unit) => unit.labels.some((label) => label.family !== "bullet");
    const sibling = units.some(
      (unit, at) => at > 0 && unit.kind === "heading" && (unit.level ?? 1) === level && numbered(unit),
    );
    if (numbered(first) && sibling) return undefined;
    return rivals && level > 1 ? undefined : 0;
  }
  if (first.kind !== "paragraph" || first.labels.length > 0 || first.text.length > 140) return undefined;
  if (/[.!?;,]["”’')\]]?$/.test(first.text) || first.text.includes("\n")) return undefined;
  // A sentence cut where a list opens inside it ("…sets out 1. Kyiv…") is an introduction, not a title.
  if (units[1]?.inline) return undefined;
  return 0;
}

interface Openings {
  /** Each unit's first words, normalized. */
  openings: string[];
  /** Units by the first word of their opening. */
  byFirstWord: Map<string, number[]>;
}

function openingsOf(units: Unit[]): Openings {
  const openings = units.map((unit) =>
    normalizeForCompare((unit.labels[0]?.rest ?? unit.text).slice(0, 160)),
  );
  const byFirstWord = new Map<string, number[]>();
  openings.forEach((opening, at) => {
    const word = /^[\p{L}\p{N}]+/u.exec(opening)?.[0];
    if (!word) return;
    const list = byFirstWord.get(word);
    if (list) list.push(at);
    else byFirstWord.set(word, [at]);
  });
  return { openings, byFirstWord };
}

/** What a table of contents is called above its entries, in the languages labels are read in. */
const CONTENTS_TITLE =
  /^(?:table of contents|contents|index|зміст|содержание|оглавление|inhalt|inhaltsverzeichnis|sommaire|table des matières|índice|indice|sumário|spis treści)[:.]?$/iu;

/** A contents line's dot leader (or tab, or run of spaces) and page number: `…… 12`, `\t12`, `.... iv`. */
const CONTENTS_LEADER = /(?:\s*[.…·_]{2,}\s*|\s{2,}|\t+)(?:\d{1,4}|[ivxlc]{1,6})$/;

/**
 * Tables of contents: three or more short list lines whose texts come back later as the opening
 * words of headings or clauses. They are navigation, read as one clause, and never join the numbering.
 */
export function findContents(units: Unit[]): Map<number, "start" | "more"> {
  const found = new Map<number, "start" | "more">();
  // Built on first need: most documents have no run of entry-like lines to look for.
  let lookup: Openings | undefined;
  const index = (): Openings => {
    lookup ??= openingsOf(units);
    return lookup;
  };
  const comesBack = (entry: string, after: number): boolean => {
    const word = /^[\p{L}\p{N}]+/u.exec(entry)?.[0];
    if (!word) return false;
    const { openings, byFirstWord } = index();
    for (const at of byFirstWord.get(word) ?? []) {
      if (at < after) continue;
      const opening = openings[at] as string;
      if (opening.startsWith(entry) && !/^[\p{L}\p{N}]/u.test(opening.slice(entry.length))) return true;
    }
    return false;
  };
  let start = -1;
  const close = (end: number) => {
    if (start < 0) return;
    const length = end - start;
    if (length >= 3 && length <= 300) {
      let hits = 0;
      for (let at = start; at < end; at++) {
        // "Payment ........ 3": the dot leader and page number are the contents' own typesetting.
        const unit = units[at] as Unit;
        const printed = (unit.labels[0]?.rest ?? unit.text).slice(0, 160);
        const entry = CONTENTS_LEADER.test(printed)
          ? normalizeForCompare(printed.replace(CONTENTS_LEADER, "")).replace(/[.:]$/, "")
          : (index().openings[at] as string).replace(/[.:]$/, "");
        if (entry !== "" && comesBack(entry, end)) hits++;
      }
      if (hits >= Math.ceil(length * 0.6)) {
        // A "Contents" line just before the entries is their title, part of the same navigation.
        const titled = start > 0 && CONTENTS_TITLE.test((units[start - 1] as Unit).text.trim());
        const first = titled ? start - 1 : start;
        for (let at = first; at < end; at++) found.set(at, at === first ? "start" : "more");
      }
    }
    start = -1;
  };
  let previous: Unit | undefined;
  units.forEach((unit, at) => {
    const rest = unit.labels[0]?.rest ?? "";
    const entryLike =
      (unit.kind === "item" || unit.kind === "paragraph") &&
      unit.labels.length > 0 &&
      !unit.text.includes("\n") &&
      rest.length <= 90 &&
      !/[.;!?]$/.test(rest);
    // A run is one list: it ends where another list begins or the numbering starts over.
    const sameRun =
      previous !== undefined &&
      previous.list === unit.list &&
      !((unit.labels[0]?.value ?? 0) > 0 && (unit.labels[0]?.value ?? 0) <= (previous.labels[0]?.value ?? 0));
    if (entryLike && start >= 0 && !sameRun) close(at);
    if (entryLike) {
      if (start < 0) start = at;
    } else close(at);
    previous = unit;
  });
  close(units.length);
  return found;
}
