/** The outline as a tree of nodes, before paths are given and clauses are made. */
import type { ClauseKind } from "../types.js";
import type { LabelMatch, Unit } from "./types.js";

export type ProseRole = "preamble" | "closing" | "between";

export interface OutlineNode {
  kind: ClauseKind;
  /** The label reading that made this node (numbered and bullet nodes, numbered headings). */
  label?: LabelMatch;
  /** Siblings in one numbered sequence share a chain id. */
  chain: number;
  /** Sequence key: label family, word and delimiter (bullets: their mark and depth). */
  key?: string;
  /** The same key without the delimiter: labels that differ only in punctuation may still continue a sequence. */
  sequence?: string;
  heading?: string;
  /** Own text parts (paragraphs of the clause), joined with "\n" when the clause is made. */
  parts: string[];
  parent: OutlineNode | undefined;
  children: OutlineNode[];
  /** Structural depth of the unit that opened the node (list items enclosing it). */
  container: number;
  /** Indentation of the opening line (text input). */
  indent?: number;
  /** Heading rank, for headings (7 for bold title lines). */
  level?: number;
  /** The node owns the prose that follows it (a heading, a title-like item). */
  titled: boolean;
  /** Opened by a structured list item (HTML `<li>`, Markdown list item). */
  structured: boolean;
  list?: number;
  /** Position of the opening unit in the unit list. */
  at: number;
  page?: number;
  /** Multi-level number of the node (`5.1` → [5, 1]), for `5.1.2`'s parent. */
  number?: number[];
  role?: ProseRole;
  context?: boolean;
  /** A "7. Deleted." placeholder: it keeps the number, it is no clause. */
  deleted?: boolean;
}

export function newNode(
  kind: ClauseKind,
  unit: Unit,
  at: number,
  parent: OutlineNode | undefined,
  fields: Partial<OutlineNode> = {},
): OutlineNode {
  const node: OutlineNode = {
    kind,
    chain: -1,
    parts: [],
    parent,
    children: [],
    container: unit.container,
    titled: false,
    structured: unit.structured && unit.kind === "item",
    at,
  };
  if (unit.page !== undefined) node.page = unit.page;
  if (unit.list !== undefined) node.list = unit.list;
  Object.assign(node, fields);
  parent?.children.push(node);
  return node;
}

export function ownText(node: OutlineNode): string {
  const parts = node.parts;
  if (parts.length === 1) return parts[0] as string;
  return parts.filter((part) => part !== "").join("\n");
}

/** Nodes in document order (pre-order), the root left out. */
export function preorder(root: OutlineNode): OutlineNode[] {
  const out: OutlineNode[] = [];
  const stack = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as OutlineNode;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as OutlineNode);
  }
  return out;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** 1 for ASCII letters and digits. */
const ASCII_WORD_CHAR = Uint8Array.from({ length: 128 }, (_, code) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ? 1 : 0,
);

/** Words as a reader counts them: runs of letters and digits, of any script. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    let wordChar: number;
    if (code < 0x80) wordChar = ASCII_WORD_CHAR[code] as number;
    else {
      const point = text.codePointAt(i) as number;
      if (point > 0xffff) i++;
      wordChar = LETTER_OR_DIGIT.test(String.fromCodePoint(point)) ? 1 : 0;
    }
    if (wordChar > inWord) count++;
    inWord = wordChar;
  }
  return count;
}
