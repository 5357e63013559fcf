/**
 * Builds the outline tree from reading units. One pass with a stack of open nodes: a label that
 * continues an open sequence (the next number, letter or bullet of the same style) is a sibling;
 * any other accepted label opens a level below; headings close what is under a heading of their
 * rank or deeper; structured lists nest as printed. Labels that could be ordinary text (a bare
 * number, a number inside a line, a lone "2014.") count only when the numbering around them
 * confirms them. Unlabelled prose joins the clause it continues, or becomes a paragraph of the
 * section it stands in, or preamble and closing text at the top.
 */

import { findContents, findTitle } from "./contents.js";
import { BACK_MATTER_WORDS, letteredUnitNumber } from "./labels.js";
import { DELETED_PLACEHOLDER, isOutletNote, isQuotedRemark, PLACEHOLDER_NOTE } from "./notes.js";
import { settleTopLevelProse } from "./prose-roles.js";
import {
  candidateIndex,
  isFirst,
  keyOf,
  MAX_SEQUENCE_VALUE,
  missingLabels,
  relaxedKeyOf,
  sameValue,
  stepGap,
} from "./sequences.js";
import { hasTitleText, isTitleText, promoteTitles, SECTION_WORDS, titleOf } from "./titles.js";
import { countWords, newNode, type OutlineNode, ownText } from "./tree.js";
import type { LabelMatch, Unit } from "./types.js";
import { join } from "./units.js";

export interface Gap {
  /** The node before the gap (undefined when a top-level sequence starts above its first value). */
  before: OutlineNode | undefined;
  after: OutlineNode;
  missing: string[];
}

export interface BuiltOutline {
  root: OutlineNode;
  title?: OutlineNode;
  gaps: Gap[];
  duplicates: OutlineNode[];
  /** Labels of deletion placeholders and notes, and how many words they hold. */
  deleted: string[];
  deletedWords: number;
}

/**
 * Most labels a sequence may skip and still go on: an abridged copy of a plan prints 1, 6 and 26
 * (a note between them or not), and keeps one list with the points it leaves out reported.
 */
const MAX_SKIP = 30;

interface Choice {
  reading: LabelMatch;
  key: string;
  relaxed: string;
  /** Index in the stack of the sibling this label continues. */
  sibling: number;
  gap: number;
  duplicate: boolean;
  rank: number;
  chain?: number;
  popFrom: number;
}

/** Units looked at for the numbers that confirm a bare one. */
const BARE_RUN_WINDOW = 6;

/**
 * Whether the next two bare numbers after unit `at` (within a few units) are the next two values
 * of `reading`'s: "12 …", "13 …", "14 …" is a list; "7 May 1856" then "26 September 1907" is not.
 */
function bareRunFollows(units: Unit[], at: number, reading: LabelMatch): boolean {
  let wanted = reading.value + 1;
  const end = Math.min(units.length, at + 1 + BARE_RUN_WINDOW);
  for (let next = at + 1; next < end && wanted <= reading.value + 2; next++) {
    const bare = (units[next] as Unit).labels.find((label) => label.weak && label.family === "decimal");
    if (bare === undefined) continue;
    if (bare.value !== wanted) return false;
    wanted++;
  }
  return wanted > reading.value + 2;
}

export function buildOutline(units: Unit[], options: { title?: string } = {}): BuiltOutline {
  const root: OutlineNode = {
    kind: "heading",
    chain: -1,
    parts: [],
    parent: undefined,
    children: [],
    container: -1,
    titled: true,
    structured: false,
    at: -1,
    level: 0,
  };
  const stack: OutlineNode[] = [root];
  const gaps: Gap[] = [];
  const duplicates: OutlineNode[] = [];
  const deleted: string[] = [];
  let deletedWords = 0;
  let chains = 0;
  let last: OutlineNode | undefined;
  let structuralSeen = false;
  const lastByKey = new Map<string, OutlineNode>();
  const byNumber = new Map<string, OutlineNode>();

  const titleAt = findTitle(units, options.title);
  const contents = findContents(units);
  const candidates = candidateIndex(units);
  let title: OutlineNode | undefined;
  let contentsNode: OutlineNode | undefined;

  const top = () => stack[stack.length - 1] as OutlineNode;

  const lookahead = (relaxed: string, value: number, from: number): boolean => {
    const list = candidates.get(relaxed);
    if (!list) return false;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as { at: number }).at <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length; i++) {
      const candidate = list[i] as { at: number; value: number };
      if (candidate.at > from + 400) return false;
      if (candidate.value === value) return true;
    }
    return false;
  };

  /** Whether the sequence `node` belongs to goes on after unit `from`, before the next heading. */
  const continuesAfter = (node: OutlineNode, from: number): boolean => {
    const label = node.label;
    if (!label) return false;
    const relaxed = node.sequence ?? "";
    const limit = Math.min(units.length, from + 80);
    for (let at = from + 1; at < limit; at++) {
      const unit = units[at] as Unit;
      if (unit.kind === "heading" && !unit.labels.some((reading) => relaxedKeyOf(reading, unit) === relaxed))
        return false;
      for (const reading of unit.labels) {
        const key = relaxedKeyOf(reading, unit);
        if (key === relaxed) {
          const gap = stepGap(label, reading);
          if (gap !== undefined && gap <= 3) return true;
          // The same style starting over is a new list, not this one going on.
          if (gap === undefined && label.family !== "bullet") return false;
        }
      }
    }
    return false;
  };

  const choose = (unit: Unit, at: number): Choice | undefined => {
    let best: Choice | undefined;
    for (const reading of unit.labels) {
      const key = keyOf(reading, unit);
      const relaxed = relaxedKeyOf(reading, unit);
      let sibling = -1;
      let gap = 0;
      let duplicate = false;
      let exactSibling = false;
      let popFrom = stack.length;
      // The open entry this label continues with the smallest step, its own style before a loose
      // match ("3 Short title" goes on from "2 Observers", not from its "(2)"); a repeated number
      // only when nothing follows on.
      for (let i = stack.length - 1; i >= 1; i--) {
        const entry = stack[i] as OutlineNode;
        if (entry.container < unit.container) break;
        if (entry.label && entry.sequence !== undefined) {
          const exact = entry.key === key;
          const loose = !exact && entry.sequence === relaxed && reading.family !== "bullet";
          if (exact || loose) {
            const step = stepGap(entry.label, reading);
            const fits = step !== undefined && (exact ? step <= 30 : step === 0);
            const better =
              sibling < 0 ||
              duplicate ||
              (step as number) < gap ||
              ((step as number) === gap && exact && !exactSibling);
            if (fits && better) {
              sibling = i;
              gap = step as number;
              duplicate = false;
              exactSibling = exact;
            } else if (exact && sibling < 0 && sameValue(entry.label, reading) && !unit.marked) {
              sibling = i;
              duplicate = true;
            }
          }
        }
        // An earlier list at the same depth is closed by a new list that does not continue it.
        // So is the same list when its numbering starts over.
        if (
          unit.kind === "item" &&
          entry.structured &&
          entry.container === unit.container &&
          (entry.list !== unit.list || (isFirst(reading) && sibling < 0))
        )
          popFrom = i;
        // In running text the same style starting over at its first value is a new list beside the old one.
        if (
          !unit.structured &&
          !entry.structured &&
          entry.key === key &&
          isFirst(reading) &&
          reading.family !== "bullet" &&
          unit.indent <= (entry.indent ?? 0)
        )
          popFrom = i;
      }
      const recent = lastByKey.get(relaxed);
      const recentGap = recent?.label ? stepGap(recent.label, reading) : undefined;
      // A large number ("2014.") only goes on with a sequence that has just reached it.
      const large =
        reading.family !== "bullet" && !reading.parts && reading.value > MAX_SEQUENCE_VALUE && !unit.marked;
      const nextInLine = (missing: number | undefined) => missing !== undefined && missing <= 2;
      if (large && !(sibling >= 0 && !duplicate && nextInLine(gap)) && !nextInLine(recentGap)) continue;
      const strong = !reading.weak && !unit.inline;
      // "(i)" after "(b)" skips letters as a letter but starts a sequence as a roman numeral.
      const romanToo =
        reading.family.startsWith("alpha") && unit.labels.some((other) => other.family.startsWith("roman"));
      let rank = 0;
      if (sibling >= 0 && !duplicate) rank = gap === 0 ? 6 : strong && gap <= MAX_SKIP && !romanToo ? 4 : 0;
      else if (duplicate) rank = 3;
      if (rank === 0 && recentGap === 0 && reading.family !== "bullet") rank = 5;
      if (
        rank === 0 &&
        strong &&
        recentGap !== undefined &&
        recentGap <= MAX_SKIP &&
        reading.family !== "bullet" &&
        !(romanToo && recentGap > 0)
      )
        rank = 3.5;
      if (rank === 0 && reading.family === "bullet" && !unit.inline) rank = sibling >= 0 ? 6 : 2;
      if (rank === 0 && (reading.word !== "" || reading.parts) && strong) rank = 2.5;
      if (rank === 0 && isFirst(reading) && (strong || lookahead(relaxed, 2, at))) rank = 2;
      if (rank === 0 && strong && lookahead(relaxed, reading.value + 1, at)) rank = 1.5;
      // Bare numbers of a partial copy ("12 Ukraine…", "13 Russia…"): the next two confirm them.
      if (rank === 0 && reading.weak && reading.family === "decimal" && bareRunFollows(units, at, reading))
        rank = 1.5;
      // A numbered line on its own ("7. Elections take place:") is still a clause; "2014." is excluded above.
      if (rank === 0 && strong && reading.family !== "bullet" && reading.delimiter !== " ") rank = 1.2;
      if (rank === 0 && unit.marked) rank = 1;
      if (rank === 0) continue;
      if (!best || rank > best.rank) {
        best = {
          reading,
          key,
          relaxed,
          sibling,
          gap: sibling >= 0 ? gap : recentGap !== undefined && rank === 3.5 ? recentGap : 0,
          duplicate,
          rank,
          popFrom: sibling >= 0 ? Math.max(sibling, popFrom) : popFrom,
          ...(sibling < 0 && (rank === 5 || rank === 3.5) && recent ? { chain: recent.chain } : {}),
        };
      }
    }
    return best;
  };

  const popContainers = (unit: Unit) => {
    while (stack.length > 1 && top().container > unit.container) stack.pop();
  };

  const numberOf = (label: LabelMatch, parent: OutlineNode): number[] | undefined => {
    if (label.parts) return label.parts;
    // `ARTICLE II` holds `Section 2.01`, as `Article 2` holds `2.1`.
    if (label.family === "roman-upper" && label.word !== "") return [label.value];
    if (label.family !== "decimal") return undefined;
    if (parent.number && label.word === "") return [...parent.number, label.value];
    return [label.value];
  };

  /**
   * Gives a node its number, by which `5.1.2` finds `5.1`. A lettered unit (`Annex B`) is found by
   * its `B.1` but lends its letter to no other number: its `2.1` belongs to its own `2`.
   */
  const numberNode = (node: OutlineNode, label: LabelMatch, parent: OutlineNode) => {
    const number = numberOf(label, parent);
    if (number) node.number = number;
    const found = number ?? letteredUnitNumber(label);
    if (found) byNumber.set(found.join("."), node);
  };

  const numberParent = (parts: number[]): number => {
    for (let size = parts.length - 1; size >= 1; size--) {
      const wanted = parts.slice(0, size).join(".");
      for (let i = stack.length - 1; i >= 1; i--)
        if ((stack[i] as OutlineNode).number?.join(".") === wanted) return i;
      const elsewhere = byNumber.get(wanted);
      if (elsewhere) {
        // The parent was closed by a heading or a list end: reopen under it.
        const chainToRoot: OutlineNode[] = [];
        for (let node: OutlineNode | undefined = elsewhere; node && node !== root; node = node.parent)
          chainToRoot.unshift(node);
        stack.length = 1;
        stack.push(...chainToRoot);
        return stack.length - 1;
      }
    }
    for (let i = stack.length - 1; i >= 1; i--) if ((stack[i] as OutlineNode).kind === "heading") return i;
    return 0;
  };

  const openLabelled = (unit: Unit, at: number, choice: Choice) => {
    const { reading } = choice;
    let parentIndex: number;
    if (choice.sibling >= 0) parentIndex = choice.sibling - 1;
    else if (reading.parts && !unit.marked)
      parentIndex = Math.min(numberParent(reading.parts), choice.popFrom - 1);
    else parentIndex = choice.popFrom - 1;
    // The first annex after the body closes the body's open sections (a heading above it may hold it).
    if (choice.sibling < 0 && BACK_MATTER_WORDS.has(reading.word)) {
      while (parentIndex > 0 && (stack[parentIndex] as OutlineNode).kind === "numbered") parentIndex--;
    }
    const chain = choice.sibling >= 0 ? (stack[choice.sibling] as OutlineNode).chain : choice.chain;
    stack.length = parentIndex + 1;
    const parent = top();
    const previous = choice.sibling >= 0 ? undefined : lastByKey.get(choice.relaxed);
    const siblingNode = parent.children.findLast((child) => child.key !== undefined && child.chain === chain);
    const { heading, rest } = titleOf(unit, reading);
    const node = newNode(reading.family === "bullet" ? "bullet" : "numbered", unit, at, parent, {
      label: reading,
      key: choice.key,
      sequence: choice.relaxed,
      chain: chain ?? ++chains,
      parts: [rest],
      titled: unit.titled === true,
      indent: unit.indent,
      ...(heading === undefined ? {} : { heading }),
      ...(unit.level === undefined ? {} : { level: unit.level }),
    });
    numberNode(node, reading, parent);
    if (choice.gap > 0) {
      const before = siblingNode ?? previous;
      if (before?.label) gaps.push({ before, after: node, missing: missingLabels(before.label, reading) });
    }
    if (
      choice.sibling < 0 &&
      choice.chain === undefined &&
      parent === root &&
      !isFirst(reading) &&
      reading.family !== "bullet" &&
      !reading.parts
    ) {
      const missing = missingLabels(undefined, reading);
      if (missing.length > 0) gaps.push({ before: undefined, after: node, missing });
    }
    if (choice.duplicate) duplicates.push(node);
    if (reading.family !== "bullet" && DELETED_PLACEHOLDER.test(reading.rest.trim())) {
      node.deleted = true;
      deleted.push(reading.name);
      deletedWords += countWords(reading.printed) + countWords(reading.rest);
      node.parts = [];
    }
    lastByKey.set(choice.relaxed, node);
    stack.push(node);
    last = node;
    structuralSeen = true;
  };

  const openHeading = (unit: Unit, at: number) => {
    const level = unit.level ?? 1;
    const reading = unit.labels[0];
    // A numbered heading that continues an open numbered heading ("## 2. Borrowing", then a bold
    // "3. Fees") is its sibling, whatever rank each was printed at.
    if (reading) {
      const relaxed = relaxedKeyOf(reading, unit);
      for (let i = stack.length - 1; i >= 1; i--) {
        const entry = stack[i] as OutlineNode;
        if (
          entry.kind === "heading" &&
          entry.label &&
          entry.sequence === relaxed &&
          stepGap(entry.label, reading) === 0
        ) {
          stack.length = i;
          break;
        }
      }
    }
    while (stack.length > 1) {
      const entry = top();
      if (entry.container < unit.container) break;
      const rank = entry.kind === "heading" || entry.titled ? (entry.level ?? 7) : Number.POSITIVE_INFINITY;
      if (rank < level) break;
      stack.pop();
    }
    const parent = top();
    const previous = reading ? lastByKey.get(relaxedKeyOf(reading, unit)) : undefined;
    const node = newNode("heading", unit, at, parent, {
      heading: reading ? reading.rest : unit.text,
      titled: true,
      level,
      ...(reading
        ? {
            label: reading,
            key: keyOf(reading, unit),
            sequence: relaxedKeyOf(reading, unit),
            chain: lastByKey.get(relaxedKeyOf(reading, unit))?.chain ?? ++chains,
          }
        : {}),
    });
    if (reading) {
      numberNode(node, reading, parent);
      lastByKey.set(relaxedKeyOf(reading, unit), node);
      // Numbered headings skip numbers as numbered paragraphs do ("2. Scope", then "5. Signatures").
      const gap =
        previous?.label && previous.parent === parent ? stepGap(previous.label, reading) : undefined;
      if (previous?.label && gap !== undefined && gap > 0)
        gaps.push({ before: previous, after: node, missing: missingLabels(previous.label, reading) });
    }
    stack.push(node);
    last = node;
    structuralSeen = true;
  };

  const paragraph = (unit: Unit, at: number, parent: OutlineNode, role?: OutlineNode["role"]) => {
    const lead = unit.heading !== undefined && unit.text.startsWith(unit.heading);
    const node = newNode(unit.kind === "row" ? "row" : "paragraph", unit, at, parent, {
      parts: [lead ? unit.text.slice((unit.heading as string).length).replace(/^[\s.:–—-]+/, "") : unit.text],
      ...(lead ? { heading: unit.heading } : {}),
      ...(role ? { role } : {}),
    });
    last = node;
    return node;
  };

  const sectionLike = (node: OutlineNode): boolean => {
    const parent = node.parent;
    if (!parent) return false;
    const chain = parent.children.filter((child) => child.chain === node.chain);
    if (chain.length <= 1) return true;
    // "Article 2. Term", "Section 4 Remedies": a titled unit named by a section word holds the
    // text that follows it, like its siblings that hold numbered paragraphs.
    if (node.label && SECTION_WORDS.has(node.label.word) && chain.some((child) => child.children.length > 0))
      return true;
    // "3. Ending the agreement" after "1. Definitions" and "2. Payment", each with its sub-sections:
    // titles of sections, so the last one holds the paragraph right after its title, as its
    // siblings hold theirs. Text after its body (a footer, page chrome) stays outside.
    if (
      node.children.length === 0 &&
      chain.some(
        (child) => child !== node && child.children.length > 0 && hasTitleText(child, ownText(child)),
      )
    )
      return true;
    return chain.some(
      (child) => child !== node && child.children.some((grand) => grand.kind === "paragraph"),
    );
  };

  const placeProse = (unit: Unit, at: number) => {
    const note = PLACEHOLDER_NOTE.exec(unit.text.trim());
    if (note) {
      deleted.push(note[1] as string);
      deletedWords += countWords(unit.text);
      return;
    }
    const remark =
      last !== undefined && (last.kind === "numbered" || last.kind === "bullet") && isQuotedRemark(unit.text);
    if (unit.footnote || isOutletNote(unit.text) || remark) {
      // A page's footnote, a photo's caption, an outlet's "Read more:", a quotation printed after a
      // point belong to the section they stand in, as a note of their own beside the text.
      const note = paragraph(
        unit,
        at,
        stack[1] ?? root,
        stack[1] ? undefined : structuralSeen ? "between" : "preamble",
      );
      note.context = true;
      return;
    }
    // A thematic break ends the sections open before it: what follows (a company's footer) is not their text.
    if (unit.breakBefore) stack.length = 1;
    if (unit.soft && last && last.kind !== "heading" && last.kind !== "title" && last.parts.length > 0) {
      const index = last.parts.length - 1;
      last.parts[index] = join(last.parts[index] as string, unit.text);
      return;
    }
    for (;;) {
      const owner = top();
      if (owner === root) {
        paragraph(unit, at, root, structuralSeen ? "between" : "preamble");
        return;
      }
      if (owner.kind === "heading" || owner.kind === "title") {
        paragraph(unit, at, owner);
        return;
      }
      const text = ownText(owner);
      if (text === "" && owner.heading === undefined && owner.children.length === 0) {
        // A label alone on its line ("Article 3") is followed by its title or its text.
        if (isTitleText(unit.text) && !unit.text.endsWith(":")) {
          owner.heading = unit.text;
          owner.titled = true;
        } else owner.parts.push(unit.text);
        last = owner;
        return;
      }
      const titled = hasTitleText(owner, text);
      const continues = continuesAfter(owner, at);
      if (titled && (continues || sectionLike(owner))) {
        paragraph(unit, at, owner);
        return;
      }
      if (!owner.structured && unit.kind !== "row") {
        const open = /[:,;]$/.test(text) || /^\p{Ll}/u.test(unit.text);
        if (continues || open) {
          owner.parts.push(unit.text);
          last = owner;
          return;
        }
      } else if (continues && owner.parent) {
        // Prose between two items of one list (a promo box, a note): beside the list, not inside an item.
        paragraph(unit, at, owner.parent, owner.parent === root ? "between" : undefined);
        return;
      }
      stack.pop();
    }
  };

  units.forEach((unit, at) => {
    if (at === titleAt) {
      title = newNode("title", unit, at, root, { heading: options.title ?? unit.text });
      return;
    }
    const entry = contents.get(at);
    if (entry !== undefined) {
      if (entry === "start" || !contentsNode) {
        contentsNode = newNode("contents", unit, at, top(), { parts: [] });
      }
      const label = unit.labels[0];
      contentsNode.parts.push(label && label.printed !== "" ? `${label.printed} ${label.rest}` : unit.text);
      return;
    }
    if (unit.kind === "heading") {
      openHeading(unit, at);
      return;
    }
    popContainers(unit);
    const choice = unit.labels.length > 0 ? choose(unit, at) : undefined;
    if (choice) openLabelled(unit, at, choice);
    else placeProse(unit, at);
  });

  settleTopLevelProse(root, structuralSeen);
  promoteTitles(root);
  // A number a copy marks as deleted ("[Point 9 removed]") is accounted for, not missing.
  const marked = new Set(deleted);
  const open = gaps
    .map((gap) => ({ ...gap, missing: gap.missing.filter((label) => !marked.has(label)) }))
    .filter((gap) => gap.missing.length > 0);
  return { root, ...(title ? { title } : {}), gaps: open, duplicates, deleted, deletedWords };
}
