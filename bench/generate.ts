/**
 * Seeded generator of numbered plain-text documents and of a revision of each, with the truth of
 * what happened to every clause — so the clause engine can be timed and scored on documents of any
 * size. Word-like synthetic vocabulary keeps the texts free of copied sentences.
 */

/** What became of one old clause in the revision. */
export type FateKind = "unchanged" | "modified" | "moved" | "split" | "merged" | "removed";

export interface ClauseFate {
  kind: FateKind;
  /** New clause numbers this old clause ended up in (empty when removed). */
  new: number[];
}

export interface GeneratedTruth {
  /** Old clause number (1-based) → its fate. Unchanged clauses may carry a new number. */
  fates: Record<number, ClauseFate>;
  /** New clause numbers with no old counterpart, ascending. */
  added: number[];
}

export interface GeneratedPair {
  oldText: string;
  newText: string;
  truth: GeneratedTruth;
}

/** Share of old clauses given each fate (added: share of the old clause count inserted as new). */
export interface FateShares {
  modified: number;
  moved: number;
  split: number;
  /** Old clauses taken by merges (two per merge). */
  merged: number;
  removed: number;
  added: number;
}

export interface GenerateOptions {
  /** Number of clauses in the old document. */
  clauses: number;
  /** PRNG seed: equal seeds give byte-identical documents. */
  seed: number;
  /**
   * Target shares per fate; exact counts are `round(share × clauses)` (merges rounded to pairs).
   * @default { modified: 0.08, moved: 0.03, split: 0.02, merged: 0.03, removed: 0.03, added: 0.02 }
   */
  shares?: Partial<FateShares>;
}

export const defaultShares: FateShares = {
  modified: 0.08,
  moved: 0.03,
  split: 0.02,
  merged: 0.03,
  removed: 0.03,
  added: 0.02,
};

type Random = () => number;

/** mulberry32: tiny, fast, good enough for test data, and the same on every platform. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const FUNCTION_WORDS = (
  "the the the of of of and and to to in in for on with by from at as that which a an or " +
  "their its under between into within upon after before during through over against each any all"
).split(" ");
const MODALS = ["will", "shall", "may", "must", "should", "can"] as const;
/** Words the engine reads as cues (negation, modality, stop words): never minted as vocabulary. */
const RESERVED = new Set([
  ...FUNCTION_WORDS,
  ...MODALS,
  ..."not no never without nor neither none nothing nobody cannot except unless could might would is are be".split(
    " ",
  ),
]);

const ONSETS = "b br c d dr f g gr h j k l m n p pl pr r s st t tr v w z".split(" ");
const NUCLEI = "a e i o u a e o ai ea ou".split(" ");
const CODAS = ["", "", "", "", "", "", "n", "r", "l", "s", "t", "nd", "rk", "m"];

const VOCABULARY_SIZE = 4000;
let vocabularyCache: { words: string[]; cumulative: Float64Array } | undefined;

/** A fixed vocabulary (independent of the document seed) with Zipf-like weights, built once. */
function vocabulary(): { words: string[]; cumulative: Float64Array } {
  if (vocabularyCache) return vocabularyCache;
  const random = mulberry32(0x5eed);
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < VOCABULARY_SIZE) {
    let word = "";
    const syllables = random() < 0.85 ? 2 : 3;
    for (let i = 0; i < syllables; i++)
      word += pick(random, ONSETS) + pick(random, NUCLEI) + pick(random, CODAS);
    if (word.length < 4 || seen.has(word) || RESERVED.has(word)) continue;
    seen.add(word);
    words.push(word);
  }
  const cumulative = new Float64Array(words.length);
  let total = 0;
  words.forEach((_, rank) => {
    total += 1 / (rank + 1) ** 0.8;
    cumulative[rank] = total;
  });
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = (cumulative[i] as number) / total;
  vocabularyCache = { words, cumulative };
  return vocabularyCache;
}

function contentWord(random: Random): string {
  const { words, cumulative } = vocabulary();
  const target = random();
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return words[lo] as string;
}

function formatThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A figure as one token ("600,000", "$100 billion", "50%", "30 days"); `shape` keeps the kind of an edited one. */
function figure(random: Random, shape?: string): string {
  const kind = shape ?? pick(random, ["thousands", "billions", "percent", "days"]);
  switch (kind) {
    case "thousands":
      return formatThousands(randomInt(random, 2, 99) * 10_000);
    case "billions":
      return `$${randomInt(random, 1, 40) * 5} billion`;
    case "percent":
      return `${randomInt(random, 1, 19) * 5}%`;
    default:
      return `${randomInt(random, 2, 36) * 5} days`;
  }
}

function figureShape(token: string): string | undefined {
  if (/^\d{1,3}(,\d{3})+$/.test(token)) return "thousands";
  if (/^\$\d+ billion$/.test(token)) return "billions";
  if (/^\d+%$/.test(token)) return "percent";
  if (/^\d+ days$/.test(token)) return "days";
  return undefined;
}

function isContent(token: string): boolean {
  return /^[a-z]+,?$/.test(token) && !RESERVED.has(token.replace(/,$/, ""));
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Body tokens of a line: a subject, usually a modal verb, function and content words, maybe a figure. */
function lineTokens(random: Random, words: number): string[] {
  const tokens: string[] = [contentWord(random)];
  const modalAt = random() < 0.75 ? randomInt(random, 1, Math.min(3, words - 1)) : -1;
  const figureAt = random() < 0.3 ? randomInt(random, 2, words - 1) : -1;
  for (let i = 1; i < words; i++) {
    if (i === modalAt) tokens.push(pick(random, MODALS));
    else if (i === figureAt) tokens.push(figure(random));
    else if (random() < 0.5) tokens.push(pick(random, FUNCTION_WORDS));
    else tokens.push(random() < 0.06 && i < words - 1 ? `${contentWord(random)},` : contentWord(random));
  }
  return tokens;
}

/** One clause as token lines: line 0 is the clause text, further lines are its `— ` sub-items. */
type ClauseLines = string[][];

function makeClause(random: Random): ClauseLines {
  const words = randomInt(random, 20, 60);
  if (random() >= 0.15) return [lineTokens(random, words)];
  const items = randomInt(random, 2, 4);
  const head = randomInt(random, 6, Math.max(6, Math.floor(words / 3)));
  const lines: ClauseLines = [lineTokens(random, head)];
  const perItem = Math.max(5, Math.floor((words - head) / items));
  for (let i = 0; i < items; i++) lines.push(lineTokens(random, perItem));
  return lines;
}

function renderLines(lines: ClauseLines): string[] {
  const [head = [], ...items] = lines;
  const text = (tokens: string[]) => tokens.join(" ").replace(/,$/, "");
  const out = [`${capitalize(text(head))}${items.length > 0 ? ":" : "."}`];
  items.forEach((item, i) => {
    out.push(`— ${text(item)}${i === items.length - 1 ? "." : ";"}`);
  });
  return out;
}

function renderDocument(title: string, clauses: ClauseLines[]): string {
  const out = [title, ""];
  clauses.forEach((clause, i) => {
    const [first = "", ...rest] = renderLines(clause);
    out.push(`${i + 1}. ${first}`, ...rest);
  });
  return `${out.join("\n")}\n`;
}

type Edit = "words" | "number" | "modal" | "negation";

/** A light edit that keeps most words: a few words swapped, a figure changed, a modal flipped or negated. */
function editClause(random: Random, clause: ClauseLines): ClauseLines {
  const lines = clause.map((line) => [...line]);
  const available: Edit[] = ["words"];
  const all = lines.flat();
  if (all.some((token) => figureShape(token) !== undefined)) available.push("number");
  if (all.some((token) => (MODALS as readonly string[]).includes(token))) available.push("modal", "negation");
  const edits = new Set<Edit>([pick(random, available)]);
  if (random() < 0.3) edits.add(pick(random, available));
  for (const edit of edits) applyEdit(random, lines, edit);
  return lines;
}

function applyEdit(random: Random, lines: ClauseLines, edit: Edit): void {
  const spots: Array<[number, number]> = [];
  lines.forEach((line, l) => {
    line.forEach((token, t) => {
      const fits =
        edit === "words"
          ? isContent(token)
          : edit === "number"
            ? figureShape(token) !== undefined
            : (MODALS as readonly string[]).includes(token) && line[t + 1] !== "not";
      if (fits) spots.push([l, t]);
    });
  });
  if (edit === "words") shuffle(random, spots);
  const count =
    edit === "words" ? Math.min(spots.length, randomInt(random, 2, 3)) : Math.min(spots.length, 1);
  const chosen = edit === "words" ? spots.slice(0, count) : spots.length > 0 ? [pick(random, spots)] : [];
  for (const [l, t] of chosen) {
    const line = lines[l] as string[];
    const token = line[t] as string;
    if (edit === "words") {
      let replacement = contentWord(random);
      while (replacement === token.replace(/,$/, "")) replacement = contentWord(random);
      line[t] = token.endsWith(",") ? `${replacement},` : replacement;
    } else if (edit === "number") {
      let replacement = figure(random, figureShape(token));
      while (replacement === token) replacement = figure(random, figureShape(token));
      line[t] = replacement;
    } else if (edit === "modal") {
      line[t] = pick(
        random,
        MODALS.filter((modal) => modal !== token),
      );
    } else {
      line.splice(t + 1, 0, "not");
    }
  }
}

/** A clause without sub-items cut near its middle into two sentences. */
function splitClause(random: Random, clause: ClauseLines): [ClauseLines, ClauseLines] {
  const tokens = clause[0] as string[];
  const cut = randomInt(random, Math.floor(tokens.length * 0.4), Math.ceil(tokens.length * 0.6));
  const first = tokens.slice(0, cut);
  const second = tokens.slice(cut);
  return [[first], [second]];
}

function mergeClauses(first: ClauseLines, second: ClauseLines): ClauseLines {
  const head = (first[0] as string[]).map((token, i, all) =>
    i === all.length - 1 ? `${token.replace(/,$/, "")}.` : token,
  );
  const tail = [...(second[0] as string[])];
  tail[0] = capitalize(tail[0] as string);
  return [[...head, ...tail]];
}

interface Emitted {
  lines: ClauseLines;
  /** Old indexes (0-based) this new clause came from; empty for additions. */
  from: number[];
  kind: FateKind | "added";
}

function resolveShares(shares: Partial<FateShares> | undefined): FateShares {
  return { ...defaultShares, ...shares };
}

/**
 * A numbered document of `clauses` clauses and a revision with about a fifth of them changed —
 * edited, moved far, split, merged, removed, plus added ones — renumbered 1..M, with the truth.
 * Additions and moved clauses land only between two unchanged neighbours that were already adjacent,
 * so an addition never shares a gap with a removal (which an aligner would rightly pair by position).
 */
export function generatePair(options: GenerateOptions): GeneratedPair {
  const random = mulberry32(options.seed);
  const shares = resolveShares(options.shares);
  const total = options.clauses;

  const seen = new Set<string>();
  const oldClauses: ClauseLines[] = [];
  while (oldClauses.length < total) {
    const clause = makeClause(random);
    const key = renderLines(clause).join("\n");
    if (seen.has(key)) continue;
    seen.add(key);
    oldClauses.push(clause);
  }

  const fate: Array<FateKind> = new Array(total).fill("unchanged");
  const plain = (i: number) => (oldClauses[i] as ClauseLines).length === 1;
  const order = shuffle(
    random,
    Array.from({ length: total }, (_, i) => i),
  );

  const mergeStarts = new Set<number>();
  let merges = Math.round((shares.merged * total) / 2);
  for (const i of order) {
    if (merges === 0) break;
    if (i + 1 >= total || fate[i] !== "unchanged" || fate[i + 1] !== "unchanged") continue;
    if (!plain(i) || !plain(i + 1)) continue;
    fate[i] = "merged";
    fate[i + 1] = "merged";
    mergeStarts.add(i);
    merges--;
  }
  const assign = (kind: FateKind, count: number, fits: (i: number) => boolean) => {
    let left = count;
    for (const i of order) {
      if (left === 0) return;
      if (fate[i] !== "unchanged" || !fits(i)) continue;
      fate[i] = kind;
      left--;
    }
  };
  assign(
    "split",
    Math.round(shares.split * total),
    (i) => plain(i) && (oldClauses[i]?.[0]?.length ?? 0) >= 24,
  );
  assign("moved", Math.round(shares.moved * total), () => true);
  assign("modified", Math.round(shares.modified * total), () => true);
  assign("removed", Math.round(shares.removed * total), () => true);

  const emitted: Emitted[] = [];
  for (let i = 0; i < total; i++) {
    const clause = oldClauses[i] as ClauseLines;
    const kind = fate[i] as FateKind;
    if (kind === "unchanged") emitted.push({ lines: clause, from: [i], kind });
    else if (kind === "modified") emitted.push({ lines: editClause(random, clause), from: [i], kind });
    else if (kind === "split") {
      const [first, second] = splitClause(random, clause);
      emitted.push({ lines: first, from: [i], kind }, { lines: second, from: [i], kind });
    } else if (kind === "merged" && mergeStarts.has(i)) {
      // The second clause of the pair is consumed here and emits nothing of its own.
      emitted.push({ lines: mergeClauses(clause, oldClauses[i + 1] as ClauseLines), from: [i, i + 1], kind });
    }
    // Moved clauses are emitted at their new place below; removed ones never.
  }

  // Insertion slots: between two emitted unchanged clauses that were old neighbours.
  const slots: number[] = [];
  for (let e = 0; e + 1 < emitted.length; e++) {
    const left = emitted[e] as Emitted;
    const right = emitted[e + 1] as Emitted;
    if (
      left.kind === "unchanged" &&
      right.kind === "unchanged" &&
      right.from[0] === (left.from[0] as number) + 1
    )
      slots.push(e);
  }
  shuffle(random, slots);
  const used = new Set<number>();
  const inserts = new Map<number, Emitted[]>();
  const insertAfter = (slot: number, item: Emitted) => {
    used.add(slot);
    inserts.set(slot, [...(inserts.get(slot) ?? []), item]);
  };
  const minDistance = Math.max(2, Math.floor(total / 4));
  for (let i = 0; i < total; i++) {
    if (fate[i] !== "moved") continue;
    const slot =
      slots.find(
        (s) => !used.has(s) && Math.abs(((emitted[s] as Emitted).from[0] as number) - i) >= minDistance,
      ) ?? slots.find((s) => !used.has(s) && (emitted[s] as Emitted).from[0] !== i - 1);
    if (slot === undefined)
      throw new Error(`generatePair: ${total} clauses leave no place to move clause ${i + 1} to`);
    insertAfter(slot, { lines: oldClauses[i] as ClauseLines, from: [i], kind: "moved" });
  }
  const additions = Math.round(shares.added * total);
  for (let n = 0; n < additions; n++) {
    const slot = slots.find((s) => !used.has(s));
    if (slot === undefined) break;
    let clause = makeClause(random);
    while (seen.has(renderLines(clause).join("\n"))) clause = makeClause(random);
    seen.add(renderLines(clause).join("\n"));
    insertAfter(slot, { lines: clause, from: [], kind: "added" });
  }

  const revision: Emitted[] = [];
  emitted.forEach((item, e) => {
    revision.push(item, ...(inserts.get(e) ?? []));
  });

  const fates: Record<number, ClauseFate> = {};
  for (let i = 0; i < total; i++) fates[i + 1] = { kind: fate[i] as FateKind, new: [] };
  const added: number[] = [];
  revision.forEach((item, position) => {
    const number = position + 1;
    if (item.kind === "added") added.push(number);
    for (const i of item.from) (fates[i + 1] as ClauseFate).new.push(number);
  });

  return {
    oldText: renderDocument(`Synthetic framework — ${total} points`, oldClauses),
    newText: renderDocument(
      `Synthetic framework, revised — ${revision.length} points`,
      revision.map((item) => item.lines),
    ),
    truth: { fates, added },
  };
}

export interface TermsDocument {
  /** The document as Markdown: a title, a preamble, `## N. Title` sections, `N.M` sub-sections, lettered items, bullets, prose. */
  text: string;
  /** The same document with about one paragraph in twenty edited (words, figures, modals, negation). */
  revised: string;
}

/** A terms-of-service-like outline of about `bytes` bytes, in generated words, deterministic for a seed. */
export function generateTermsDocument(options: { bytes: number; seed: number }): TermsDocument {
  const random = mulberry32(options.seed);
  const sentence = (words: number) => renderLines([lineTokens(random, words)])[0] as string;
  const title = (words: number) =>
    Array.from({ length: words }, () => capitalize(contentWord(random))).join(" ");
  const out: string[] = [`# ${title(3)} Terms of Service`, "", sentence(40), "", sentence(30), ""];
  let size = out.join("\n").length;
  for (let section = 1; size < options.bytes; section++) {
    const lines: string[] = [`## ${section}. ${title(randomInt(random, 1, 3))}`, "", sentence(35), ""];
    const subsections = randomInt(random, 2, 6);
    for (let sub = 1; sub <= subsections; sub++) {
      lines.push(`${section}.${sub} ${sentence(randomInt(random, 25, 70))}`, "");
      const shape = random();
      if (shape < 0.25) {
        for (let item = 0; item < randomInt(random, 2, 5); item++)
          lines.push(`(${String.fromCharCode(97 + item)}) ${sentence(randomInt(random, 10, 30))}`);
        lines.push("");
      } else if (shape < 0.45) {
        for (let item = 0; item < randomInt(random, 2, 6); item++)
          lines.push(`- ${sentence(randomInt(random, 8, 25))}`);
        lines.push("");
      } else if (shape < 0.6) {
        lines.push(sentence(randomInt(random, 30, 60)), "");
      }
    }
    out.push(...lines);
    size += lines.join("\n").length + 1;
  }
  const text = `${out.join("\n")}\n`;
  // Revise: edit one prose line in twenty with the same light edits as the clause pairs.
  const revised = out
    .map((line) => {
      const match = /^((?:\d+\.\d+|\([a-z]\)|-) )(.+)\.$/.exec(line);
      if (!match || random() >= 0.05) return line;
      const tokens = (match[2] as string).split(" ");
      const [edited = tokens] = editClause(random, [tokens]);
      return `${match[1]}${edited.join(" ")}.`;
    })
    .join("\n");
  return { text, revised: `${revised}\n` };
}
