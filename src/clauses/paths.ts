/**
 * Paths: how a clause is named wherever it appears (`5.1(a)`, `Article 3(2)(b)`, `Privacy ¶2`,
 * `10 •3`, `Preamble`). Numbered clauses are named as they are cited; unnumbered ones by their
 * heading or their position under it. A heading's name is left out of its clauses' paths while
 * their numbers are unique in the document, and kept when numbering restarts under each heading.
 */
import { circumfixPrefix } from "./cjk.js";
import { labelWord } from "./labels.js";
import { type OutlineNode, ownText } from "./tree.js";

/** Label words whose units are cited by number alone ("point 26", not "Point 26"). */
const BARE_WORDS = new Set(["", "point", "item", "paragraph", "clause", "step"]);
/** Units that contain others the way a heading does: their members are cited on their own. */
const CONTAINER_WORDS = new Set([
  "part",
  "chapter",
  "title",
  "book",
  "division",
  "schedule",
  "annex",
  "appendix",
  "exhibit",
]);

function headingName(text: string): string {
  const clean = text
    .replace(/\s+/g, " ")
    .replace(/[\s.:;,–—-]+$/, "")
    .trim();
  if (clean.length <= 48) return clean || "Heading";
  const cut = clean.slice(0, 48);
  const space = cut.lastIndexOf(" ");
  return `${(space > 24 ? cut.slice(0, space) : cut).trim()}…`;
}

type Segment =
  /** Appended to the parent's path: `.1`, `(a)`, ` •2`, ` ¶3`. */
  | { joins: true; text: string }
  /** A name of its own (`26`, `Article 4`, `Privacy`), qualified by the parent only when it is not unique. */
  | { joins: false; text: string; separator: string };

function labelSegment(node: OutlineNode, parent: OutlineNode | undefined): Segment {
  const label = node.label;
  if (!label) return { joins: false, text: "", separator: " " };
  const name = label.name;
  if (label.parts) return { joins: false, text: name, separator: " " };
  const prefix = circumfixPrefix(label.word);
  if (prefix !== undefined) return { joins: false, text: `${prefix}${name}${label.word}`, separator: " " };
  if (!BARE_WORDS.has(label.word))
    return { joins: false, text: `${labelWord(label)} ${name}`, separator: " " };
  const parentLabel = parent?.label;
  const namedBullet = parentLabel?.family === "bullet" && parent?.heading !== undefined;
  if (!parentLabel || namedBullet || CONTAINER_WORDS.has(parentLabel.word))
    return { joins: false, text: name, separator: " " };
  if (parentLabel.family === "bullet") return { joins: true, text: `(${name})` };
  // A number under a plain number reads as its decimal extension (5 › 1 = 5.1); otherwise in brackets.
  const plainNumber = parentLabel.family === "decimal" && BARE_WORDS.has(parentLabel.word);
  if (label.family === "decimal" && label.delimiter !== "()" && plainNumber)
    return { joins: true, text: `.${name}` };
  return { joins: true, text: `(${name})` };
}

function depthOf(node: OutlineNode): number {
  let depth = 0;
  for (let parent = node.parent; parent?.parent !== undefined; parent = parent.parent) depth++;
  return depth;
}

/** Gives every node (in document order, parents first) a unique path; `~2` marks a second clause that would share one. */
export function assignPaths(nodes: OutlineNode[]): Map<OutlineNode, string> {
  // Per node by its place in `nodes`: its parent's place (-1 at the top), segment and depth.
  const place = new Map<OutlineNode, number>(nodes.map((node, at) => [node, at]));
  const parentAt = new Int32Array(nodes.length);
  const depths = new Int32Array(nodes.length);
  const segments: Segment[] = new Array(nodes.length);
  // Per parent (its place + 1; 0 for the top): how many unnamed clauses of each kind it holds so far.
  const counters = new Map<number, Map<string, number>>();
  const ordinal = (parent: number, kind: string) => {
    let counts = counters.get(parent + 1);
    if (!counts) {
      counts = new Map();
      counters.set(parent + 1, counts);
    }
    const next = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, next);
    return next;
  };

  nodes.forEach((node, at) => {
    const parent = node.parent?.parent === undefined ? undefined : node.parent;
    const up = parent ? (place.get(parent) ?? -1) : -1;
    parentAt[at] = up;
    depths[at] = depthOf(node);
    let segment: Segment;
    if (node.kind === "title") segment = { joins: false, text: "Title", separator: " " };
    else if (node.kind === "contents") {
      const n = ordinal(up, "contents");
      segment = { joins: false, text: n === 1 ? "Contents" : `Contents ${n}`, separator: " " };
    } else if (!parent && (node.role === "preamble" || node.role === "closing")) {
      const base = node.role === "preamble" ? "Preamble" : "Closing";
      const n = ordinal(-1, base);
      segment = { joins: false, text: n === 1 ? base : `${base} ¶${n}`, separator: " " };
    } else if (node.label && (node.kind === "numbered" || node.kind === "heading")) {
      segment = labelSegment(node, parent);
    } else if (node.kind === "heading" || (node.kind === "bullet" && node.heading !== undefined)) {
      segment = { joins: false, text: headingName(node.heading ?? ownText(node)), separator: " › " };
    } else {
      const mark = node.kind === "bullet" ? "•" : node.kind === "row" ? "row " : "¶";
      const n = ordinal(up, mark);
      segment = parent
        ? { joins: true, text: ` ${mark}${n}` }
        : { joins: false, text: `${mark}${n}`, separator: " " };
    }
    segments[at] = segment;
  });

  // Among clauses that would share a name, the shallowest (then the first) keeps it bare.
  const holder = new Map<string, number>();
  segments.forEach((segment, at) => {
    if (segment.joins) return;
    const current = holder.get(segment.text);
    if (current === undefined || (depths[at] as number) < (depths[current] as number))
      holder.set(segment.text, at);
  });

  const named: string[] = new Array(nodes.length);
  const paths = new Map<OutlineNode, string>();
  const used = new Map<string, number>();
  segments.forEach((segment, at) => {
    const up = parentAt[at] as number;
    const parentPath = up >= 0 ? (named[up] as string) : "";
    let path: string;
    if (segment.joins) path = `${parentPath}${segment.text}`;
    else if (parentPath !== "" && holder.get(segment.text) !== at)
      path = `${parentPath}${segment.separator}${segment.text}`;
    else path = segment.text;
    const seen = (used.get(path) ?? 0) + 1;
    used.set(path, seen);
    const unique = seen === 1 ? path : `${path}~${seen}`;
    named[at] = unique;
    paths.set(nodes[at] as OutlineNode, unique);
  });
  return paths;
}
