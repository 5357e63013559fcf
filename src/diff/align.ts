import { wordTokens } from "../clauses/normalize.js";
import type { Clause } from "../types.js";
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
  pairEqualKeys(
    oldClauses,
    newClauses,
    (clause) => wordTokens(clause.norm).join(" "),
    usedA,
    usedB,
    "words",
    pairs,
  );

  const corpus = buildCorpus(oldClauses, newClauses);
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
    const sameKey = oldClauses[candidate.a]?.key === newClauses[candidate.b]?.key;
    return { ...candidate, sameGap, priority: candidate.score + (sameGap ? 0.15 : 0) + (sameKey ? 0.03 : 0) };
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
    freeASet.delete(candidate.a);
    freeBSet.delete(candidate.b);
    pairs.push({ a: candidate.a, b: candidate.b, via: "similar", similarity: candidate.score, moved: false });
  }

  const spine = increasingSpine(pairs);
  for (const pair of pairs) pair.moved = !spine.has(pair);
  pairLeftoversBySlot(
    corpus,
    [oldClauses.length, newClauses.length],
    [...spine],
    splits,
    merges,
    freeASet,
    freeBSet,
    pairs,
  );

  return {
    pairs,
    splits,
    merges,
    removed: [...freeASet].sort((x, y) => x - y),
    added: [...freeBSet].sort((x, y) => x - y),
    corpus,
  };
}

/**
 * Within each gap between in-order anchors, leftovers are paired by similarity first, then — when
 * as many old as new clauses are left — by position: same slot, replaced meaning.
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
): void {
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
    if (news.length === 0) continue;
    const scored: Array<{ a: number; b: number; score: number; similarity: number }> = [];
    for (const a of olds) {
      for (const b of news) {
        const oldVector = corpus.oldVector(a);
        const newVector = corpus.newVector(b);
        scored.push({
          a,
          b,
          score: contentCosine(oldVector, newVector),
          similarity: cosine(oldVector, newVector),
        });
      }
    }
    scored.sort((x, y) => y.score - x.score);
    const leftA = new Set(olds);
    const leftB = new Set(news);
    const take = (a: number, b: number, similarity: number) => {
      leftA.delete(a);
      leftB.delete(b);
      freeA.delete(a);
      freeB.delete(b);
      pairs.push({ a, b, via: "position", similarity, moved: false });
    };
    for (const { a, b, score, similarity } of scored) {
      if (score >= SAME_SLOT_PAIRING && leftA.has(a) && leftB.has(b)) take(a, b, similarity);
    }
    if (leftA.size !== leftB.size) continue;
    const restA = [...leftA];
    const restB = [...leftB];
    restA.forEach((a, i) => {
      const b = restB[i] as number;
      take(a, b, cosine(corpus.oldVector(a), corpus.newVector(b)));
    });
  }
}
