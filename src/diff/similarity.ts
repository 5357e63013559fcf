import { wordTokens } from "../clauses/normalize.js";
import type { Clause } from "../types.js";
import { STOPWORDS } from "./words.js";

/** A clause as a weighted bag of words: TF-IDF over both versions, so shared boilerplate counts little. */
export interface Vector {
  weights: Map<string, number>;
  norm: number;
  total: number;
}

export interface Corpus {
  old: Vector[];
  new: Vector[];
  idf: (term: string) => number;
}

function termCounts(clause: Clause): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of wordTokens(clause.norm)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

export function buildCorpus(oldClauses: Clause[], newClauses: Clause[]): Corpus {
  const oldCounts = oldClauses.map(termCounts);
  const newCounts = newClauses.map(termCounts);
  const df = new Map<string, number>();
  for (const counts of [...oldCounts, ...newCounts]) {
    for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const documents = oldCounts.length + newCounts.length;
  const idf = (term: string) => Math.log((1 + documents) / (1 + (df.get(term) ?? 0))) + 0.1;
  const vector = (counts: Map<string, number>): Vector => {
    const weights = new Map<string, number>();
    let squares = 0;
    let total = 0;
    for (const [term, count] of counts) {
      const weight = (1 + Math.log(count)) * idf(term);
      weights.set(term, weight);
      squares += weight * weight;
      total += weight;
    }
    return { weights, norm: Math.sqrt(squares), total };
  };
  return { old: oldCounts.map(vector), new: newCounts.map(vector), idf };
}

export function cosine(a: Vector, b: Vector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small.weights) {
    const other = large.weights.get(term);
    if (other !== undefined) dot += weight * other;
  }
  return Math.min(1, dot / (a.norm * b.norm));
}

/** Cosine over content words only: in a small gap, sharing "the" and "of" says nothing about the slot. */
export function contentCosine(a: Vector, b: Vector): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [term, weight] of a.weights) {
    if (STOPWORDS.has(term)) continue;
    normA += weight * weight;
    const other = b.weights.get(term);
    if (other !== undefined) dot += weight * other;
  }
  for (const [term, weight] of b.weights) if (!STOPWORDS.has(term)) normB += weight * weight;
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** Share of `part`'s weight found in the union of `whole` vectors (how much of part survives in whole). */
export function containment(part: Vector, whole: Vector[]): number {
  if (part.total === 0) return 0;
  let found = 0;
  for (const [term, weight] of part.weights) {
    if (whole.some((vector) => vector.weights.has(term))) found += weight;
  }
  return found / part.total;
}

/** Union of several clauses' vectors (the parts of a split or merge), weights summed per term. */
export function union(vectors: Vector[]): Vector {
  const weights = new Map<string, number>();
  for (const vector of vectors) {
    for (const [term, weight] of vector.weights) weights.set(term, (weights.get(term) ?? 0) + weight);
  }
  let squares = 0;
  let total = 0;
  for (const weight of weights.values()) {
    squares += weight * weight;
    total += weight;
  }
  return { weights, norm: Math.sqrt(squares), total };
}

/**
 * Candidate pairs by shared rare terms through an inverted index, so large documents never build
 * an all-pairs matrix: each old clause meets only new clauses it shares informative words with.
 */
export function candidatePairs(
  corpus: Corpus,
  oldIndexes: number[],
  newIndexes: number[],
  perClause: number,
): Array<{ a: number; b: number; score: number }> {
  const postings = new Map<string, number[]>();
  for (const b of newIndexes) {
    for (const term of (corpus.new[b] as Vector).weights.keys()) {
      const list = postings.get(term);
      if (list) list.push(b);
      else postings.set(term, [b]);
    }
  }
  const tooCommon = Math.max(25, Math.ceil(newIndexes.length * 0.05));
  const out: Array<{ a: number; b: number; score: number }> = [];
  const dots = new Map<number, number>();
  for (const a of oldIndexes) {
    const vector = corpus.old[a] as Vector;
    dots.clear();
    for (const [term, weight] of vector.weights) {
      const list = postings.get(term);
      if (!list || list.length > tooCommon) continue;
      for (const b of list) {
        dots.set(b, (dots.get(b) ?? 0) + weight * ((corpus.new[b] as Vector).weights.get(term) ?? 0));
      }
    }
    const ranked = [...dots.entries()]
      .map(([b, dot]) => ({ a, b, score: dot / (vector.norm * (corpus.new[b] as Vector).norm || 1) }))
      .sort((x, y) => y.score - x.score)
      .slice(0, perClause);
    for (const pair of ranked) out.push({ ...pair, score: cosine(vector, corpus.new[pair.b] as Vector) });
  }
  return out;
}
