import { romanValue } from "../clauses/labels.js";
import { wordTokens } from "../clauses/normalize.js";
import type { Clause } from "../types.js";
import { settleEquivalents } from "./equivalents.js";
import { REFERENCE_WORDS } from "./quantities.js";
import {
  buildCorpus,
  type Corpus,
  candidatePairs,
  containment,
  contentCosine,
  cosine,
  union,
  type Vector,
} from "./similarity.js";

/** How a pair was found; decides how confident later stages may be. */
export type PairVia = "exact" | "words" | "similar" | "position";

export interface Pair {
  a: number;
  b: number;
  via: PairVia;
  similarity: number;
  moved: boolean;
}

export interface Group {
  old: number[];
  new: number[];
  similarity: number;
}

export interface Alignment {
  pairs: Pair[];
  splits: Group[];
  merges: Group[];
  removed: number[];
  added: number[];
  corpus: Corpus;
}

/** Below this a pair found anywhere in the document is not trusted; inside the same gap it may be. */
const MATCH_ANYWHERE = 0.55;
const MATCH_IN_GAP = 0.3;
const SAME_SLOT_PAIRING = 0.05;
const ALL_PAIRS_LIMIT = 40_000;

function pairEqualKeys(
  oldClauses: Clause[],
  newClauses: Clause[],
  keyOf: (clause: Clause) => string,
  usedA: Set<number>,
  usedB: Set<number>,
  via: PairVia,
  pairs: Pair[],
): void {
  const waiting = new Map<string, number[]>();
  oldClauses.forEach((clause, a) => {
    if (usedA.has(a)) return;
    const key = keyOf(clause);
    const list = waiting.get(key);
    if (list) list.push(a);
    else waiting.set(key, [a]);
  });
  newClauses.forEach((clause, b) => {
    if (usedB.has(b)) return;
    const queue = waiting.get(keyOf(clause));
    const a = queue?.shift();
    if (a === undefined) return;
    usedA.add(a);
    usedB.add(b);
    pairs.push({ a, b, via, similarity: 1, moved: false });
  });
}

/** Titles pair with titles, headings with headings, everything else with everything else. */
function kindClass(clause: Clause): "title" | "heading" | "text" {
  return clause.kind === "title" ? "title" : clause.kind === "heading" ? "heading" : "text";
}

/**
 * Enumerators of a list run into a sentence ("may: (i) sell, (ii) lease", "(a) pumps and (b)
 * valves") are numbering, not wording: re-lettered lists compare equal. An enumerator is one of a
 * run (the one before or after it in the same text too); a number cited ("subsection (2)",
 * "Article 3(1)", "paragraph (a)") or a figure in brackets ("thirty (30) days", "a term of (2)
 * years") is wording.
 */
const INLINE_ENUMERATOR = /(?<![\p{L}\p{N}(])\(([ivxlcdm]{1,6}|[a-z]|\d{1,3})\)(?=\s+\p{L})/gu;
/** A citation's word (and number) right before a bracketed label: "subsection (2)", "Article 3 (1)". */
const CITING_WORD = new RegExp(`\\b(?:${REFERENCE_WORDS})\\s*(?:\\d[\\w.]*\\s*)?$`, "iu");
/** The places an enumerator's value takes in each numbering it can belong to: `a3` (the letter c), `r100` (Roman c), `d3`. */
function enumeratorPlaces(value: string): string[] {
  if (/^\d+$/.test(value)) return [`d${Number(value)}`];
  const places = value.length === 1 ? [`a${value.charCodeAt(0) - 96}`] : [];
  const roman = romanValue(value);
  return roman === undefined ? places : [...places, `r${roman}`];
}

function withoutEnumerators(norm: string): string {
  if (!norm.includes("(")) return norm;
  const found: Array<{ start: number; end: number; places: string[] }> = [];
  for (const match of norm.matchAll(INLINE_ENUMERATOR)) {
    const start = match.index;
    if (CITING_WORD.test(norm.slice(Math.max(0, start - 32), start))) continue;
    found.push({ start, end: start + match[0].length, places: enumeratorPlaces(match[1] as string) });
  }
  if (found.length < 2) return norm;
  const taken = new Set(found.flatMap((item) => item.places));
  const neighbour = (place: string, step: number) => `${place[0]}${Number(place.slice(1)) + step}`;
  let out = "";
  let at = 0;
  for (const item of found) {
    if (!item.places.some((place) => taken.has(neighbour(place, 1)) || taken.has(neighbour(place, -1))))
      continue;
    out += `${norm.slice(at, item.start)} `;
    at = item.end;
  }
  return at === 0 ? norm : out + norm.slice(at);
}

/**
 * The clause's words with typography, case, inline enumerators and equivalent ways of writing a
 * figure, a date or "and" set aside.
 */
export function wordsKey(norm: string): string {
  return wordTokens(settleEquivalents(withoutEnumerators(norm))).join(" ");
}

/** Longest increasing run of new positions, by old order: the pairs that kept their relative place. */
function increasingSpine(pairs: Pair[]): Set<Pair> {
  const sorted = [...pairs].sort((x, y) => x.a - y.a);
  const tails: number[] = [];
  const tailPair: Pair[] = [];
  const previous = new Map<Pair, Pair | undefined>();
  for (const pair of sorted) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tails[mid] as number) < pair.b) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = pair.b;
    tailPair[lo] = pair;
    previous.set(pair, lo > 0 ? tailPair[lo - 1] : undefined);
  }
  const spine = new Set<Pair>();
  for (let pair = tailPair[tails.length - 1]; pair; pair = previous.get(pair)) spine.add(pair);
  return spine;
}

/** For each index, the number of the anchor gap it falls in (anchors sorted, strictly increasing). */
function gapIndex(anchors: number[], length: number): Int32Array {
  const gaps = new Int32Array(length).fill(-1);
  let gap = 0;
  let next = 0;
  for (let i = 0; i < length; i++) {
    if (anchors[next] === i) {
      gap = next + 1;
      next++;
      continue;
    }
    gaps[i] = gap;
  }
  return gaps;
}

function unused(length: number, used: Set<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) if (!used.has(i)) out.push(i);
  return out;
}

/** Index of each clause's parent in its own list (-1 at the top). */
function parentIndexes(clauses: Clause[]): Int32Array {
  const at = new Map<string, number>();
  clauses.forEach((clause, index) => {
    at.set(clause.key, index);
  });
  const out = new Int32Array(clauses.length).fill(-1);
  clauses.forEach((clause, index) => {
    if (clause.parent !== undefined) out[index] = at.get(clause.parent) ?? -1;
  });
  return out;
}

/** Where each old clause went (-1: nowhere yet), from pairs and groups. */
function oldToNew(length: number, pairs: Pair[], groups: Group[]): Int32Array {
  const out = new Int32Array(length).fill(-1);
  for (const pair of pairs) out[pair.a] = pair.b;
  for (const group of groups) for (const a of group.old) out[a] = Math.min(...group.new);
  return out;
}

/** The old parent of `a`, carried to the new side: the new clause it became (-1 for the top, -2 for none). */
function carriedParent(a: number, oldParents: Int32Array, mapping: Int32Array): number {
  const parent = oldParents[a] as number;
  if (parent < 0) return -1;
  const target = mapping[parent] as number;
  return target < 0 ? -2 : target;
}

/**
 * Moves, judged where a reader sees them: among the children of one parent. A clause whose parent
 * is the counterpart of its old parent moved only if it left the in-order spine of its siblings;
 * one that changed parent moved. A section moved with its children is one move, not many.
 */
function markMoves(
  pairs: Pair[],
  groups: Group[],
  oldParents: Int32Array,
  newParents: Int32Array,
  oldLength: number,
): void {
  const mapping = oldToNew(oldLength, pairs, groups);
  // Leftovers were paired inside one gap between anchors: in place by construction.
  const anchored = pairs.filter((pair) => pair.via !== "position");
  const inOrder = increasingSpine(anchored);
  const bySibling = new Map<number, Pair[]>();
  for (const pair of anchored) {
    const newParent = newParents[pair.b] as number;
    if (carriedParent(pair.a, oldParents, mapping) !== newParent) {
      // Read under another parent but still in the same place in the text (the nesting was read
      // differently): its path changed, it did not move.
      pair.moved = !inOrder.has(pair);
      continue;
    }
    const list = bySibling.get(newParent) ?? [];
    list.push(pair);
    bySibling.set(newParent, list);
  }
  for (const siblings of bySibling.values()) {
    const spine = increasingSpine(siblings);
    for (const pair of siblings) pair.moved = !spine.has(pair);
  }
}

function scoredCandidates(
  corpus: Corpus,
  freeA: number[],
  freeB: number[],
): Array<{ a: number; b: number; score: number }> {
  if (freeA.length * freeB.length <= ALL_PAIRS_LIMIT) {
    const out: Array<{ a: number; b: number; score: number }> = [];
    for (const a of freeA) {
      for (const b of freeB) {
        const score = cosine(corpus.oldVector(a), corpus.newVector(b));
        if (score > 0) out.push({ a, b, score });
      }
    }
    return out;
  }
  return candidatePairs(corpus, freeA, freeB, 6);
}

/** Runs of free indexes next to `center` (the candidate split parts or merge sources). */
function windowsAround(center: number, free: Set<number>, limit: number): number[][] {
  const out: number[][] = [];
  for (let start = center - 2; start <= center; start++) {
    for (let size = 2; size <= 3; size++) {
      const run: number[] = [];
      for (let i = start; i < start + size; i++) run.push(i);
      if (run.includes(center) && run.every((i) => i >= 0 && i < limit && free.has(i))) out.push(run);
    }
  }
  return out;
}

/**
 * One clause on one side whose words are spread over 2–3 adjacent clauses on the other side, each
 * of which is mostly made of the first one's words: a split (or, mirrored, a merge).
 */
function findGroups(
  fromVector: (index: number) => Vector,
  toVector: (index: number) => Vector,
  toLength: number,
  candidates: Array<{ from: number; to: number; score: number }>,
  freeFrom: Set<number>,
  freeTo: Set<number>,
): Array<{ from: number; to: number[]; similarity: number }> {
  const best = new Map<number, { to: number; score: number }>();
  for (const candidate of candidates) {
    const current = best.get(candidate.from);
    if (!current || candidate.score > current.score)
      best.set(candidate.from, { to: candidate.to, score: candidate.score });
  }
  const found: Array<{ from: number; to: number[]; similarity: number; gain: number }> = [];
  for (const [from, top] of best) {
    // No shortcut on a high score: one part of a split can carry most of the weight; the checks
    // below (every part inside the whole, a real coverage gain) already reject a mere edit.
    if (!freeFrom.has(from)) continue;
    const whole = fromVector(from);
    const single = containment(whole, [toVector(top.to)]);
    for (const run of windowsAround(top.to, freeTo, toLength)) {
      const parts = run.map((i) => toVector(i));
      const coverage = containment(whole, parts);
      const partsInside = parts.every((part) => containment(part, [whole]) >= 0.6);
      if (partsInside && coverage >= 0.75 && coverage - single >= 0.15) {
        found.push({
          from,
          to: run,
          similarity: cosine(whole, union(parts)),
          gain: coverage - single + coverage,
        });
      }
    }
  }
  found.sort((x, y) => y.gain - x.gain);
  const accepted: Array<{ from: number; to: number[]; similarity: number }> = [];
  for (const group of found) {
    if (!freeFrom.has(group.from) || !group.to.every((i) => freeTo.has(i))) continue;
    freeFrom.delete(group.from);
    for (const i of group.to) freeTo.delete(i);
    accepted.push({ from: group.from, to: group.to, similarity: group.similarity });
  }
  return accepted;
}

/**
 * Aligns two clause lists: exact fingerprints, then equal words (typography aside), then
 * similarity with candidate pruning and a preference for the same slot, splits and merges,
 * moves from the longest in-order spine, and finally same-slot pairing of what is left in each gap
 * so a clause rewritten in place reads as one modification, not a removal plus an addition.
 */
export function alignClauses(oldClauses: Clause[], newClauses: Clause[]): Alignment {
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: Pair[] = [];
  pairEqualKeys(oldClauses, newClauses, (clause) => clause.fingerprint, usedA, usedB, "exact", pairs);
  pairEqualKeys(oldClauses, newClauses, (clause) => wordsKey(clause.norm), usedA, usedB, "words", pairs);

  const sameNorm = new Int32Array(newClauses.length).fill(-1);
  for (const pair of pairs) if (pair.via === "exact") sameNorm[pair.b] = pair.a;
  const corpus = buildCorpus(oldClauses, newClauses, sameNorm);
  const oldParents = parentIndexes(oldClauses);
  const newParents = parentIndexes(newClauses);
  const anchored = oldToNew(oldClauses.length, pairs, []);
  const anchorSpine = [...increasingSpine(pairs)].sort((x, y) => x.a - y.a);
  const gapsA = gapIndex(
    anchorSpine.map((pair) => pair.a),
    oldClauses.length,
  );
  const gapsB = gapIndex(
    anchorSpine.map((pair) => pair.b),
    newClauses.length,
  );

  const freeA = unused(oldClauses.length, usedA);
  const freeB = unused(newClauses.length, usedB);
  const candidates = scoredCandidates(corpus, freeA, freeB).map((candidate) => {
    const sameGap = gapsA[candidate.a] === gapsB[candidate.b];
    const oldClause = oldClauses[candidate.a] as Clause;
    const newClause = newClauses[candidate.b] as Clause;
    const sameKey = oldClause.key === newClause.key;
    const sameParent = carriedParent(candidate.a, oldParents, anchored) === newParents[candidate.b];
    const sameKind = kindClass(oldClause) === kindClass(newClause);
    return {
      ...candidate,
      sameGap,
      priority:
        candidate.score +
        (sameGap ? 0.15 : 0) +
        (sameKey ? 0.03 : 0) +
        (sameParent ? 0.05 : 0) -
        (sameKind ? 0 : 0.2),
    };
  });

  const freeASet = new Set(freeA);
  const freeBSet = new Set(freeB);
  const splits = findGroups(
    corpus.oldVector,
    corpus.newVector,
    newClauses.length,
    candidates.map((c) => ({ from: c.a, to: c.b, score: c.score })),
    freeASet,
    freeBSet,
  ).map((group): Group => ({ old: [group.from], new: group.to, similarity: group.similarity }));
  const merges = findGroups(
    corpus.newVector,
    corpus.oldVector,
    oldClauses.length,
    candidates.map((c) => ({ from: c.b, to: c.a, score: c.score })),
    freeBSet,
    freeASet,
  ).map((group): Group => ({ old: group.to, new: [group.from], similarity: group.similarity }));

  candidates.sort((x, y) => y.priority - x.priority);
  for (const candidate of candidates) {
    if (!freeASet.has(candidate.a) || !freeBSet.has(candidate.b)) continue;
    if (candidate.score < (candidate.sameGap ? MATCH_IN_GAP : MATCH_ANYWHERE)) continue;
    if ((oldClauses[candidate.a]?.kind === "title") !== (newClauses[candidate.b]?.kind === "title")) continue;
    freeASet.delete(candidate.a);
    freeBSet.delete(candidate.b);
    pairs.push({ a: candidate.a, b: candidate.b, via: "similar", similarity: candidate.score, moved: false });
  }

  // The document's title is one slot: two titles pair whatever their wording.
  const oldTitle = [...freeASet].find((a) => oldClauses[a]?.kind === "title");
  const newTitle = [...freeBSet].find((b) => newClauses[b]?.kind === "title");
  if (oldTitle !== undefined && newTitle !== undefined) {
    freeASet.delete(oldTitle);
    freeBSet.delete(newTitle);
    pairs.push({
      a: oldTitle,
      b: newTitle,
      via: "position",
      similarity: cosine(corpus.oldVector(oldTitle), corpus.newVector(newTitle)),
      moved: false,
    });
  }

  const spine = increasingSpine(pairs);
  pairLeftoversBySlot(
    corpus,
    [oldClauses.length, newClauses.length],
    [...spine],
    splits,
    merges,
    freeASet,
    freeBSet,
    pairs,
    { oldParents, newParents, oldClauses, newClauses },
  );
  markMoves(pairs, [...splits, ...merges], oldParents, newParents, oldClauses.length);

  return {
    pairs,
    splits,
    merges,
    removed: [...freeASet].sort((x, y) => x - y),
    added: [...freeBSet].sort((x, y) => x - y),
    corpus,
  };
}

interface Outline {
  oldParents: Int32Array;
  newParents: Int32Array;
  oldClauses: Clause[];
  newClauses: Clause[];
}

/** Most clauses on one side of a gap that may still be paired by position alone. */
const SLOT_GAP = 4;

/**
 * Within each gap between in-order anchors, leftovers are paired by similarity first, then — when
 * as many old as new clauses are left — by position: same slot, replaced meaning. Only true
 * neighbours pair: clauses under the same (carried) parent, of the same kind, in a small gap.
 */
function pairLeftoversBySlot(
  corpus: Corpus,
  [oldLength, newLength]: [number, number],
  spine: Pair[],
  splits: Group[],
  merges: Group[],
  freeA: Set<number>,
  freeB: Set<number>,
  pairs: Pair[],
  outline: Outline,
): void {
  const mapping = oldToNew(oldLength, pairs, [...splits, ...merges]);
  const neighbours = (a: number, b: number) =>
    carriedParent(a, outline.oldParents, mapping) === outline.newParents[b] &&
    kindClass(outline.oldClauses[a] as Clause) === kindClass(outline.newClauses[b] as Clause);
  const anchors = [
    ...spine.map((pair) => ({ a: pair.a, b: pair.b })),
    ...[...splits, ...merges].map((group) => ({ a: Math.min(...group.old), b: Math.min(...group.new) })),
  ].sort((x, y) => x.a - y.a || x.b - y.b);
  const monotone: Array<{ a: number; b: number }> = [];
  for (const anchor of anchors) {
    const last = monotone[monotone.length - 1];
    if (!last || (anchor.a > last.a && anchor.b > last.b)) monotone.push(anchor);
  }
  const gapsA = gapIndex(
    monotone.map((anchor) => anchor.a),
    oldLength,
  );
  const gapsB = gapIndex(
    monotone.map((anchor) => anchor.b),
    newLength,
  );
  const byGap = new Map<number, { a: number[]; b: number[] }>();
  for (const a of [...freeA].sort((x, y) => x - y)) {
    const gap = gapsA[a] as number;
    if (gap < 0) continue;
    const entry = byGap.get(gap) ?? { a: [], b: [] };
    entry.a.push(a);
    byGap.set(gap, entry);
  }
  for (const b of [...freeB].sort((x, y) => x - y)) {
    const entry = byGap.get(gapsB[b] as number);
    entry?.b.push(b);
  }
  for (const { a: olds, b: news } of byGap.values()) {
    if (news.length === 0 || olds.length === 0) continue;
    const leftA = new Set(olds);
    const leftB = new Set(news);
    const take = (a: number, b: number, similarity: number) => {
      leftA.delete(a);
      leftB.delete(b);
      freeA.delete(a);
      freeB.delete(b);
      // Children paired after their parent see it carried over.
      mapping[a] = b;
      pairs.push({ a, b, via: "position", similarity, moved: false });
    };
    // 1. By shared content words, best first (bounded: a huge gap is an insertion, not a reordering).
    if (olds.length * news.length <= ALL_PAIRS_LIMIT) {
      const scored: Array<{ a: number; b: number; score: number; similarity: number }> = [];
      for (const a of olds) {
        for (const b of news) {
          const oldVector = corpus.oldVector(a);
          const newVector = corpus.newVector(b);
          const score = contentCosine(oldVector, newVector);
          if (score >= SAME_SLOT_PAIRING)
            scored.push({ a, b, score, similarity: cosine(oldVector, newVector) });
        }
      }
      scored.sort((x, y) => y.score - x.score);
      for (const { a, b, similarity } of scored) {
        if (leftA.has(a) && leftB.has(b) && neighbours(a, b)) take(a, b, similarity);
      }
    }
    // 2. The same number (or the same item under the same parent) in the same gap: one slot,
    //    however differently it is worded.
    const byKey = new Map<string, number>();
    for (const b of leftB)
      if (!outline.newClauses[b]?.context) byKey.set(outline.newClauses[b]?.key as string, b);
    for (const a of [...leftA]) {
      const clause = outline.oldClauses[a] as Clause;
      const b = clause.context ? undefined : byKey.get(clause.key);
      if (b !== undefined && leftB.has(b) && neighbours(a, b))
        take(a, b, cosine(corpus.oldVector(a), corpus.newVector(b)));
    }
    // 3. By position, when as many clauses of a kind are left on each side; page text and document apart.
    for (const context of [false, true]) {
      const restA = [...leftA].filter((a) => (outline.oldClauses[a]?.context === true) === context);
      const restB = [...leftB].filter((b) => (outline.newClauses[b]?.context === true) === context);
      if (restA.length === 0 || restA.length !== restB.length || restA.length > SLOT_GAP) continue;
      if (!restA.every((a, i) => neighbours(a, restB[i] as number))) continue;
      restA.forEach((a, i) => {
        const b = restB[i] as number;
        take(a, b, cosine(corpus.oldVector(a), corpus.newVector(b)));
      });
    }
  }
}
