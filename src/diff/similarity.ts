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
  /** Vector of an old clause, built on first use (most clauses match exactly and never need one). */
  oldVector: (index: number) => Vector;
  newVector: (index: number) => Vector;
  idf: (term: string) => number;
}

/**
 * `pairedOld[b]`: the old clause the new clause `b` has the same normalized text as (-1: none).
 * Such a pair is read once and counted for both; and since clauses matched exactly rarely need a
 * vector, only the tokens of the others are kept (the rest are read again if ever asked for).
 */
export function buildCorpus(oldClauses: Clause[], newClauses: Clause[], pairedOld?: Int32Array): Corpus {
  const counted = new Uint8Array(oldClauses.length).fill(1);
  const shared = new Uint8Array(newClauses.length);
  newClauses.forEach((clause, b) => {
    const a = pairedOld?.[b] ?? -1;
    if (a >= 0 && oldClauses[a]?.norm === clause.norm && counted[a] === 1) {
      counted[a] = 2;
      shared[b] = 1;
    }
  });
  // Terms numbered as first seen; per term number, in how many clauses it appears and the last
  // clause counted: typed arrays, so counting allocates nothing per token.
  const ids = new Map<string, number>();
  let frequency = new Int32Array(4096);
  let lastSeen = new Int32Array(4096);
  let document = 0;
  const count = (tokens: string[], times: number) => {
    document++;
    for (const token of tokens) {
      let id = ids.get(token);
      if (id === undefined) {
        id = ids.size;
        ids.set(token, id);
        if (id === frequency.length) {
          const grown = new Int32Array(id * 2);
          grown.set(frequency);
          frequency = grown;
          const seen = new Int32Array(id * 2);
          seen.set(lastSeen);
          lastSeen = seen;
        }
      }
      if (lastSeen[id] !== document) {
        lastSeen[id] = document;
        frequency[id] = (frequency[id] as number) + times;
      }
    }
  };
  const oldTokens: Array<string[] | undefined> = oldClauses.map((clause, a) => {
    const tokens = wordTokens(clause.norm);
    count(tokens, counted[a] as number);
    return counted[a] === 1 ? tokens : undefined;
  });
  const newTokens: Array<string[] | undefined> = newClauses.map((clause, b) => {
    if (shared[b] === 1) return undefined;
    const tokens = wordTokens(clause.norm);
    count(tokens, 1);
    return tokens;
  });
  document = oldClauses.length + newClauses.length;
  const df = (term: string) => {
    const id = ids.get(term);
    return id === undefined ? 0 : (frequency[id] as number);
  };
  const idfCache = new Map<string, number>();
  const idf = (term: string) => {
    let value = idfCache.get(term);
    if (value === undefined) {
      value = Math.log((1 + document) / (1 + df(term))) + 0.1;
      idfCache.set(term, value);
    }
    return value;
  };
  const vector = (tokens: string[]): Vector => {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    const weights = new Map<string, number>();
    let squares = 0;
    let total = 0;
    // forEach, not for…of: no entry array per term.
    counts.forEach((count, term) => {
      const weight = (count === 1 ? 1 : 1 + Math.log(count)) * idf(term);
      weights.set(term, weight);
      squares += weight * weight;
      total += weight;
    });
    return { weights, norm: Math.sqrt(squares), total };
  };
  const lazy = (tokens: Array<string[] | undefined>, clauses: Clause[]) => {
    const built = new Map<number, Vector>();
    return (index: number) => {
      let found = built.get(index);
      if (found === undefined) {
        found = vector(tokens[index] ?? wordTokens(clauses[index]?.norm ?? ""));
        built.set(index, found);
      }
      return found;
    };
  };
  return { oldVector: lazy(oldTokens, oldClauses), newVector: lazy(newTokens, newClauses), idf };
}

export function cosine(a: Vector, b: Vector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const small = a.weights.size <= b.weights.size ? a.weights : b.weights;
  const large = small === a.weights ? b.weights : a.weights;
  let dot = 0;
  small.forEach((weight, term) => {
    const other = large.get(term);
    if (other !== undefined) dot += weight * other;
  });
  return Math.min(1, dot / (a.norm * b.norm));
}

/** Cosine over content words only: in a small gap, sharing "the" and "of" says nothing about the slot. */
export function contentCosine(a: Vector, b: Vector): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  a.weights.forEach((weight, term) => {
    if (STOPWORDS.has(term)) return;
    normA += weight * weight;
    const other = b.weights.get(term);
    if (other !== undefined) dot += weight * other;
  });
  b.weights.forEach((weight, term) => {
    if (!STOPWORDS.has(term)) normB += weight * weight;
  });
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** Share of `part`'s weight found in the union of `whole` vectors (how much of part survives in whole). */
export function containment(part: Vector, whole: Vector[]): number {
  if (part.total === 0) return 0;
  let found = 0;
  part.weights.forEach((weight, term) => {
    for (const vector of whole) {
      if (vector.weights.has(term)) {
        found += weight;
        return;
      }
    }
  });
  return found / part.total;
}

/** Union of several clauses' vectors (the parts of a split or merge), weights summed per term. */
export function union(vectors: Vector[]): Vector {
  const weights = new Map<string, number>();
  for (const vector of vectors) {
    vector.weights.forEach((weight, term) => {
      weights.set(term, (weights.get(term) ?? 0) + weight);
    });
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
 * The `count` entries of highest value, highest first; among equal values the first in map order
 * (what a stable sort of all entries would keep), without sorting them all.
 */
function topEntries<K>(map: Map<K, number>, count: number): Array<[K, number]> {
  const top: Array<[K, number]> = [];
  for (const entry of map) {
    if (top.length === count && entry[1] <= (top[count - 1] as [K, number])[1]) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as [K, number])[1] < entry[1]) at--;
    top.splice(at, 0, entry);
    if (top.length > count) top.pop();
  }
  return top;
}

/** Terms of a clause looked up in the index: its most informative ones, so work per clause stays bounded. */
const PROBES = 8;

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
    for (const term of corpus.newVector(b).weights.keys()) {
      const list = postings.get(term);
      if (list) list.push(b);
      else postings.set(term, [b]);
    }
  }
  const tooCommon = Math.max(25, Math.ceil(newIndexes.length * 0.05));
  const out: Array<{ a: number; b: number; score: number }> = [];
  const hits = new Map<number, number>();
  for (const a of oldIndexes) {
    const vector = corpus.oldVector(a);
    hits.clear();
    for (const [term, weight] of topEntries(vector.weights, PROBES)) {
      const list = postings.get(term);
      if (!list || list.length > tooCommon) continue;
      for (const b of list) hits.set(b, (hits.get(b) ?? 0) + weight);
    }
    for (const [b] of topEntries(hits, perClause))
      out.push({ a, b, score: cosine(vector, corpus.newVector(b)) });
  }
  return out;
}
