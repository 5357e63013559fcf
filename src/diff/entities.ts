/**
 * Named parties, places and bodies: runs of capitalized words ("North Atlantic Treaty
 * Organization", "Zaporizhzhia Nuclear Power Plant", "NATO", "U.S."). A word capitalized only
 * because it opens a sentence is no name unless the documents use it capitalized elsewhere. A name
 * counts as removed only when nothing on the other side stands for it: the same words in any case,
 * its acronym or expansion, its demonym ("Ukrainian" for "Ukraine"), or a common alias.
 */
import { dualPattern } from "../clauses/ascii.js";
import { memoized } from "./memo.js";
import { STOPWORDS } from "./words.js";

const CONNECTORS = new Set(["of", "for", "de", "du", "von", "al", "on", "the"]);
/** Capitalized words that open sentences or headings and are never names on their own. */
const NOT_NAMES = new Set([
  "all",
  "any",
  "each",
  "every",
  "both",
  "either",
  "neither",
  "no",
  "none",
  "this",
  "that",
  "these",
  "those",
  "such",
  "other",
  "another",
  "further",
  "also",
  "however",
  "once",
  "after",
  "before",
  "until",
  "unless",
  "within",
  "under",
  "upon",
  "following",
  "point",
  "article",
  "section",
  "paragraph",
  "clause",
  // Currency codes: an amount's figure flag names them ("€5 million → EUR 50,000,000").
  "eur",
  "usd",
  "gbp",
  "jpy",
  "chf",
  "rub",
  "uah",
]);
/** A few aliases so common that every outlet uses a different one. */
const ALIASES: string[][] = [
  ["us", "usa", "united states", "united states of america", "america", "american"],
  ["uk", "britain", "great britain", "united kingdom", "british"],
  ["eu", "european union"],
  ["un", "united nations"],
  ["russia", "russian federation", "rf"],
  ["nato", "north atlantic treaty organization", "north atlantic treaty organisation", "alliance"],
];

export interface EntityContext {
  /** Lower-cased words used capitalized mid-sentence anywhere in either version: names even when they open a sentence. */
  knownNames: Set<string>;
}

const MID_SENTENCE_CAPITAL = dualPattern(/(?<=[\p{L}\p{N},;] )(\p{Lu}[\p{L}\p{M}'’-]*)/gu);

/** Capitalized words used mid-sentence anywhere: these are names even when they open a sentence. */
export function knownNamesOf(displays: string[]): Set<string> {
  const known = new Set<string>();
  // Clauses kept from one version to the next print the same text: each text is read once.
  for (const display of new Set(displays)) {
    for (const match of display.matchAll(MID_SENTENCE_CAPITAL.for(display))) {
      known.add((match[1] as string).toLowerCase().replace(/['’]s$/, ""));
    }
  }
  return known;
}

function isAcronym(word: string): boolean {
  return /^(?:\p{Lu}\.){2,}$|^\p{Lu}[\p{Lu}\p{N}]+$/u.test(word);
}

const NAME_TOKEN = dualPattern(
  /(?:\p{Lu}\.){2,}|\p{Lu}\.(?=\s+\p{Lu})|\p{Lu}+&\p{Lu}+|[\p{L}\p{M}\p{N}]+(?:['’.-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{N}]/gu,
);

type TokenReading =
  /** Punctuation that ends a sentence or a phrase (`.`, `;`, `—`, quotes), or other punctuation. */
  | { kind: "stop" | "mark" }
  /** A word without its possessive ending; capitalized as a name is, or a connector ("of", "de"). */
  | { kind: "word"; bare: string; capitalized: boolean; connector: boolean };

/** How a name reader takes one token, asked once per distinct token. */
const readToken = memoized((token: string): TokenReading => {
  if (!/^[\p{L}\p{N}]/u.test(token)) return { kind: /[.!?;:|—–•"“”]/.test(token) ? "stop" : "mark" };
  const bare = token.replace(/['’]s?$/, "");
  return {
    kind: "word",
    bare,
    capitalized: /^\p{Lu}/u.test(bare) && !/^\p{Lu}\p{Ll}*\d/u.test(bare),
    connector: CONNECTORS.has(bare.toLowerCase()),
  };
});

/** Names in a text (folded typography), as printed. */
export function entities(text: string, context: EntityContext): string[] {
  // Initials ("Donald J. Trump", "U.S.") stay inside a name; other dots end sentences.
  const tokens = text.match(NAME_TOKEN.for(text)) ?? [];
  const out: string[] = [];
  let run: string[] = [];
  let runOpensSentence = false;
  let sentenceStart = true;
  const flush = () => {
    while (run.length > 0 && CONNECTORS.has((run[run.length - 1] as string).toLowerCase())) run.pop();
    // A sentence-opening word that is no name does not start the name after it ("Confirmation of Ukraine").
    while (run.length > 0 && runOpensSentence) {
      const first = run[0] as string;
      const lower = first.toLowerCase();
      if (isAcronym(first) || (context.knownNames.has(lower) && !NOT_NAMES.has(lower))) break;
      run.shift();
      while (run.length > 0 && CONNECTORS.has((run[0] as string).toLowerCase())) run.shift();
      runOpensSentence = false;
    }
    if (run.length > 0) {
      const phrase = run.join(" ");
      const lower = phrase.toLowerCase();
      if (!(run.length === 1 && (STOPWORDS.has(lower) || NOT_NAMES.has(lower)))) out.push(phrase);
    }
    run = [];
  };
  for (const token of tokens) {
    const reading = readToken(token);
    if (reading.kind !== "word") {
      flush();
      if (reading.kind === "stop") sentenceStart = true;
      continue;
    }
    const bare = reading.bare;
    if (reading.capitalized) {
      if (run.length === 0) runOpensSentence = sentenceStart;
      run.push(bare);
      if (bare !== token) flush();
    } else if (run.length > 0 && reading.connector) {
      run.push(bare);
    } else {
      flush();
    }
    sentenceStart = false;
  }
  flush();
  return out;
}

const stemName = memoized((word: string): string => {
  const w = word.toLowerCase().replace(/\./g, "");
  // Demonyms and plurals: Ukrainian → ukrain, Ukraine → ukrain, Europeans → europe.
  for (const suffix of ["ians", "ian", "ans", "an", "ese", "ish", "es", "s", "e"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  return w;
});

const NAME_WORD = dualPattern(/(?:\p{Lu}\.){2,}|[\p{L}\p{M}\p{N}]+/gu);

/** The words of a text as name stems, to ask whether a name appears there in any form. */
export function nameStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.matchAll(NAME_WORD.for(text))) out.add(stemName(match[0]));
  return out;
}

function acronymOf(phrase: string): string {
  return phrase
    .split(/\s+/)
    .filter((word) => !CONNECTORS.has(word.toLowerCase()))
    .map((word) => word[0] ?? "")
    .join("")
    .toLowerCase();
}

function aliasGroup(phrase: string): string[] | undefined {
  const lower = phrase.toLowerCase().replace(/\./g, "");
  return ALIASES.find((group) => group.includes(lower));
}

/** Whether the other side names this entity in any of its forms. */
export function namedIn(
  phrase: string,
  otherStems: Set<string>,
  otherEntities: string[],
  otherLower: string,
): boolean {
  const words = phrase.split(/[\s-]+/).filter((word) => word !== "" && !CONNECTORS.has(word.toLowerCase()));
  if (words.every((word) => otherStems.has(stemName(word)))) return true;
  const compact = phrase.toLowerCase().replace(/\./g, "");
  for (const other of otherEntities) {
    const otherCompact = other.toLowerCase().replace(/\./g, "");
    if (isAcronym(phrase.replace(/\s/g, "")) && acronymOf(other) === compact) return true;
    if (isAcronym(other.replace(/\s/g, "")) && acronymOf(phrase) === otherCompact) return true;
  }
  const group = aliasGroup(phrase);
  if (
    group?.some((alias) =>
      new RegExp(`(?<![\\p{L}])${alias.replace(/ /g, "\\s+")}(?![\\p{L}])`, "iu").test(
        otherLower.replace(/\./g, ""),
      ),
    )
  )
    return true;
  return false;
}
