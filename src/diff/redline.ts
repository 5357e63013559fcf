import { diffArrays } from "diff";
import { dualPattern } from "../clauses/ascii.js";
import { foldTypography } from "../clauses/normalize.js";
import type { Clause } from "../types.js";
import { memoized } from "./memo.js";
import type { RedlineOp } from "./schema.js";

/** Numbers keep their grouping ("600 000" is one token); words, spaces and marks stand alone. */
const TOKEN = dualPattern(
  /[$€£]?\d{1,3}(?:[ ,.'’\u00A0\u202F]\d{3})+(?!\d)|[$€£]?\d+(?:[.,]\d+)*%?|[\p{L}\p{M}\p{N}]+(?:['’\-‐‑][\p{L}\p{M}\p{N}]+)*|\s+|[^\s]/gu,
);

function tokenize(text: string): string[] {
  return text.match(TOKEN.for(text)) ?? [];
}

const compareKey = memoized((token: string): string => {
  if (/^\s+$/.test(token)) return " ";
  // Plain ASCII words fold to themselves; only other tokens need the full typography fold.
  if (/^[A-Za-z0-9]+$/.test(token)) return token.toLowerCase();
  return foldTypography(token).toLowerCase();
});

/** The text a redline runs over: the clause's heading, then its own text. */
export function clauseDisplay(clause: Pick<Clause, "heading" | "text">): string {
  return clause.heading && clause.text
    ? `${clause.heading}\n${clause.text}`
    : (clause.heading ?? clause.text);
}

function push(ops: RedlineOp[], op: RedlineOp["op"], text: string): void {
  if (text === "") return;
  const last = ops[ops.length - 1];
  if (last && last.op === op) last.text += text;
  else ops.push({ op, text });
}

/**
 * Word-level redline of two texts. Tokens compare by their folded form, so typography never shows
 * as a change; a lone space between two edits is absorbed so "600,000 → 800,000" reads as one
 * replacement, and each run of edits lists its deletion before its insertion.
 */
export function redline(oldText: string, newText: string): RedlineOp[] {
  const before = tokenize(oldText);
  const after = tokenize(newText);
  const changes = diffArrays(before.map(compareKey), after.map(compareKey), { maxEditLength: 20_000 });
  const raw: RedlineOp[] = [];
  if (changes === undefined) {
    push(raw, "delete", oldText);
    push(raw, "insert", newText);
    return raw;
  }
  let oldAt = 0;
  let newAt = 0;
  for (const change of changes) {
    const count = change.count ?? change.value.length;
    if (change.added) {
      raw.push({ op: "insert", text: after.slice(newAt, newAt + count).join("") });
      newAt += count;
    } else if (change.removed) {
      raw.push({ op: "delete", text: before.slice(oldAt, oldAt + count).join("") });
      oldAt += count;
    } else {
      raw.push({ op: "equal", text: after.slice(newAt, newAt + count).join("") });
      oldAt += count;
      newAt += count;
    }
  }
  return tidy(raw);
}

function tidy(raw: RedlineOp[]): RedlineOp[] {
  const absorbed = raw.map((op, i) => {
    const isGlue = op.op === "equal" && /^\s*[\p{P}]?\s*$/u.test(op.text) && op.text.length <= 3;
    const between = i > 0 && i < raw.length - 1 && raw[i - 1]?.op !== "equal" && raw[i + 1]?.op !== "equal";
    return isGlue && between
      ? [
          { op: "delete" as const, text: op.text },
          { op: "insert" as const, text: op.text },
        ]
      : [op];
  });
  const out: RedlineOp[] = [];
  let deleted = "";
  let inserted = "";
  const flush = () => {
    push(out, "delete", deleted);
    push(out, "insert", inserted);
    deleted = "";
    inserted = "";
  };
  for (const op of absorbed.flat()) {
    if (op.op === "delete") deleted += op.text;
    else if (op.op === "insert") inserted += op.text;
    else {
      flush();
      push(out, "equal", op.text);
    }
  }
  flush();
  return out;
}
