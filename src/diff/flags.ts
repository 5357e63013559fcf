/**
 * What a wording change means. `substantive` only when meaning-bearing content changed — a
 * quantity, a reference, a named party, negation, modality, an obligation or right, key terms
 * swapped, or the clause rewritten; otherwise the change is `minor` wording (synonyms, word order,
 * articles, abridgement). Typography never reaches here (equal words are settled by alignment).
 */

import { dualPattern } from "../clauses/ascii.js";
import { foldTypography } from "../clauses/normalize.js";
import { conditionFlags } from "./conditions.js";
import { type EntityContext, entities, namedIn, nameStems } from "./entities.js";
import { frequencies } from "./frequency.js";
import { logicSwap } from "./logic.js";
import { commitments, exceptionCues, exemptionCues, modalities, negationCues } from "./modality.js";
import { type Quantity, quantities, type Reference } from "./quantities.js";
import type { Flag } from "./schema.js";
import { type Term, type TermDifference, termDifference } from "./terms.js";
import { namesAParty, related } from "./wordnet.js";
import { STOPWORDS } from "./words.js";

export { knownNamesOf } from "./entities.js";

const SYMBOLS: Record<string, string> = { USD: "$", EUR: "€", GBP: "£", JPY: "¥", RUB: "₽", UAH: "₴" };

/** Figures of a text (references left out) as printed, with a comparison form: currency symbol, value, `%`. */
export function figures(
  text: string,
): Array<{ printed: string; canonical: string; context: string | undefined }> {
  return quantities(text, STOPWORDS).quantities.map((q) => {
    const canonical = q.canonical
      .replace(/^(USD|EUR|GBP|JPY|RUB|UAH)/, (code) => SYMBOLS[code] ?? code)
      .replace(/ %$/, "%")
      .replace(/ [a-zA-Z]+$/, "");
    return { printed: q.printed, canonical, context: q.context };
  });
}

function multisetDifference<T>(left: T[], right: T[], key: (item: T) => string): T[] {
  const counts = new Map<string, number>();
  for (const item of right) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  const out: T[] = [];
  for (const item of left) {
    const k = key(item);
    const count = counts.get(k) ?? 0;
    if (count > 0) counts.set(k, count - 1);
    else out.push(item);
  }
  return out;
}

/** A reference's number as the new copy numbers the clause it cited (`clause 4.2.3` → `clause 4.3.3`). */
function carried(
  reference: Reference,
  renumbered: ((number: string) => string | undefined) | undefined,
): Reference {
  if (!renumbered) return reference;
  const space = reference.canonical.lastIndexOf(" ");
  const now = renumbered(reference.canonical.slice(space + 1));
  return now === undefined
    ? reference
    : { ...reference, canonical: `${reference.canonical.slice(0, space)} ${now}` };
}

function numberAndReferenceFlags(
  oldText: string,
  newText: string,
  renumbered?: (number: string) => string | undefined,
): Flag[] {
  const before = quantities(oldText, STOPWORDS);
  const after = quantities(newText, STOPWORDS);
  // A cross-reference that follows its clause's new number ("Clause 4.2.3" → "4.3.3" after an
  // insertion renumbered it) still cites the same clause: no change.
  before.references = before.references.map((reference) => carried(reference, renumbered));
  const removed = multisetDifference(before.quantities, after.quantities, (q) => q.canonical);
  const added = multisetDifference(after.quantities, before.quantities, (q) => q.canonical);
  const flags: Flag[] = [];
  const count = Math.max(removed.length, added.length);
  for (let i = 0; i < count; i++) {
    const was = removed[i];
    const now = added[i];
    // "20 km → 20 miles": when what is counted or measured changed, each side says its own;
    // so with a floor turned into a cap ("no fewer than 600,000 → no more than 600,000").
    const own = was && now && was.context !== now.context;
    const bounds = !was || !now || (was.bound ?? "").toLowerCase() !== (now.bound ?? "").toLowerCase();
    const withContext = (q: Quantity) =>
      `${bounds && q.bound ? `${q.bound} ` : ""}${q.printed}${own && q.context ? ` ${q.context}` : ""}`;
    const context = own ? undefined : (now?.context ?? was?.context);
    flags.push({
      type: "number",
      ...(was ? { old: withContext(was) } : {}),
      ...(now ? { new: withContext(now) } : {}),
      ...(context ? { context } : {}),
    });
  }
  // How often, where no figure says it ("monthly" → "weekly"): a changed figure all the same.
  const oftenBefore = frequencies(oldText);
  const oftenAfter = frequencies(newText);
  const oftenRemoved = multisetDifference(oftenBefore, oftenAfter, (f) => f.canonical);
  const oftenAdded = multisetDifference(oftenAfter, oftenBefore, (f) => f.canonical);
  // A period a figure's own flag already quotes ("EUR 5 per month → EUR 5 per year") is said once.
  const quoted = flags.map((flag) => (flag.type === "number" ? `${flag.old ?? ""}\n${flag.new ?? ""}` : ""));
  const said = (printed: string | undefined) =>
    printed === undefined || quoted.some((text) => text.includes(printed));
  for (let i = 0; i < Math.max(oftenRemoved.length, oftenAdded.length); i++) {
    const was = oftenRemoved[i];
    const now = oftenAdded[i];
    if (said(was?.printed) && said(now?.printed)) continue;
    flags.push({
      type: "number",
      ...(was ? { old: was.printed } : {}),
      ...(now ? { new: now.printed } : {}),
    });
  }
  const refsRemoved = multisetDifference(before.references, after.references, (r) => r.canonical);
  const refsAdded = multisetDifference(after.references, before.references, (r) => r.canonical);
  if (refsRemoved.length + refsAdded.length > 0) {
    flags.push({
      type: "reference",
      removed: refsRemoved.map((r) => r.printed),
      added: refsAdded.map((r) => r.printed),
    });
  }
  return flags;
}

function entityFlags(oldText: string, newText: string, context: EntityContext): Flag[] {
  const before = entities(oldText, context);
  const after = entities(newText, context);
  const oldStems = nameStems(oldText);
  const newStems = nameStems(newText);
  const oldLower = oldText.toLowerCase();
  const newLower = newText.toLowerCase();
  const removed = [...new Set(before.filter((name) => !namedIn(name, newStems, after, newLower)))];
  const added = [...new Set(after.filter((name) => !namedIn(name, oldStems, before, oldLower)))];
  return removed.length + added.length === 0 ? [] : [{ type: "entity", removed, added }];
}

function polarityFlags(oldText: string, newText: string, rewrite: boolean): Flag[] {
  // In a replaced meaning a waiver is part of the new text, which the rewrite already reports.
  const lifted = (text: string) => (rewrite ? [] : exemptionCues(text));
  const negationsBefore = [...negationCues(oldText), ...lifted(oldText)];
  const negationsAfter = [...negationCues(newText), ...lifted(newText)];
  const exceptionsBefore = exceptionCues(oldText);
  const exceptionsAfter = exceptionCues(newText);
  // "not" and "never" negate alike: only a change in how many negations (or exceptions) there are counts.
  if (negationsBefore.length === negationsAfter.length && exceptionsBefore.length === exceptionsAfter.length)
    return [];
  const before = [...negationsBefore, ...exceptionsBefore];
  const after = [...negationsAfter, ...exceptionsAfter];
  const removed = multisetDifference(before, after, (cue) => cue);
  const added = multisetDifference(after, before, (cue) => cue);
  return [{ type: "negation", removed, added }];
}

function modalityFlags(oldText: string, newText: string): Flag[] {
  const before = modalities(oldText);
  const after = modalities(newText);
  const beforeClasses = new Set(before.map((m) => m.modal));
  const afterClasses = new Set(after.map((m) => m.modal));
  const gone = [...beforeClasses].filter((modal) => !afterClasses.has(modal));
  const come = [...afterClasses].filter((modal) => !beforeClasses.has(modal));
  // A bare "will" turning into a plain present ("will be eligible" / "is eligible") is tense, not modality.
  if (![...gone, ...come].some((modal) => modal !== "obligation")) return [];
  if (gone.length + come.length === 0) return [];
  return [
    {
      type: "modality",
      old: before.filter((m) => gone.includes(m.modal)).map((m) => m.word),
      new: after.filter((m) => come.includes(m.modal)).map((m) => m.word),
    },
  ];
}

const VERB = dualPattern(/[\p{L}]{3,}/gu);

function verbsOf(text: string): string[] {
  return (text.match(VERB.for(text)) ?? [])
    .map((word) => word.toLowerCase())
    .filter((word) => !STOPWORDS.has(word));
}

/** An obligation or right whose verb the other side no longer has in any form. */
function obligationFlags(oldText: string, newText: string): Flag[] {
  const side = (from: string, to: string) => {
    const binding = commitments(from).filter(
      (c) => c.modal !== "expectation" && !STOPWORDS.has(c.verb) && c.verb.length > 2,
    );
    if (binding.length === 0) return [];
    const words = verbsOf(to);
    return binding
      .filter(
        (c) => !words.some((word) => word === c.verb || sharesStem(word, c.verb) || related(word, c.verb)),
      )
      .map((c) => c.printed);
  };
  const removed = side(oldText, newText);
  const added = side(newText, oldText);
  return removed.length + added.length === 0 ? [] : [{ type: "obligation", removed, added }];
}

function sharesStem(a: string, b: string): boolean {
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a[i] === b[i]) i++;
  return i >= 5 || (i >= 4 && i >= length - 2);
}

export interface FlagContext {
  knownNames: () => Set<string>;
  /** How telling a word is in these two documents (inverse document frequency): terms are listed most telling first. */
  weight: (word: string) => number;
  /** Lexical (TF-IDF) similarity of the pair. */
  similarity: number;
  /** Paired by slot rather than by wording. */
  byPosition: boolean;
  /** The new number of a clause the old copy numbered so (`4.2.3` → `4.3.3`), for cross-references. */
  renumbered?: (number: string) => string | undefined;
}

/** Words that set how well, how much or by whom a duty is done: their coming or going is a change of terms. */
const STANDARDS = new Set(
  (
    "material materially reasonable reasonably unreasonably best sole solely absolute absolutely gross grossly " +
    "wilful willful wilfully willfully substantial substantially significant significantly prompt promptly " +
    "immediate immediately diligent diligently exclusive exclusively undue last final"
  ).split(" "),
);

/**
 * Standards that came or went; one whose place a word of like meaning took ("promptly" →
 * "quickly", "solely" → "only") is the same standard in other words.
 */
function standardsChanged(
  oldText: string,
  newText: string,
  terms: TermDifference,
): { removed: string[]; added: string[] } {
  const words = (text: string) =>
    new Set((text.toLowerCase().match(/[a-z]+/g) ?? []).filter((word) => STANDARDS.has(word)));
  const before = words(oldText);
  const after = words(newText);
  // Against every word that came (or went), matched to a kept one or not: "quickly" beside
  // "promptly" is no term of its own.
  const only = (list: Term[], other: Term[]) => {
    const there = new Set(other.map((term) => term.lower));
    return list.filter((term) => !there.has(term.lower));
  };
  const came = only(terms.after, terms.before);
  const went = only(terms.before, terms.after);
  const reworded = (word: string, others: Term[]) => others.some((term) => related(word, term.lower));
  return {
    removed: [...before].filter((word) => !after.has(word) && !reworded(word, came)),
    added: [...after].filter((word) => !before.has(word) && !reworded(word, went)),
  };
}

/**
 * The first term naming a party (a person, a body) differs between the two texts' terms, both have
 * one, and one of them found no counterpart of like meaning (`unmatched`): "buyer" → "purchaser" is none.
 */
function leadingPartyChanged(terms: TermDifference, unmatched: Term[]): boolean {
  const first = (list: Term[]) => list.find((term) => namesAParty(term.lower))?.key;
  const before = first(terms.before);
  const after = first(terms.after);
  if (before === undefined || after === undefined || before === after) return false;
  return unmatched.some((term) => term.key === before || term.key === after);
}

/** Below this lexical similarity, and with few terms of like meaning, an aligned pair is a replaced meaning. */
export const REWRITE_BELOW = 0.3;
const PARAPHRASE_OVERLAP = 0.45;
const MAX_TERMS = 6;
const MEANING = new Set<Flag["type"]>([
  "number",
  "reference",
  "entity",
  "negation",
  "modality",
  "obligation",
  "condition",
  "rewrite",
]);

export interface Comparison {
  flags: Flag[];
  severity: "minor" | "substantive";
}

/** Flags for one aligned pair of texts, and whether the change is substantive. */
export function compareTexts(oldText: string, newText: string, context: FlagContext): Comparison {
  // Figures are read from the printed text so flags quote them as printed; the rest from folded text.
  const oldFolded = foldTypography(oldText);
  const newFolded = foldTypography(newText);
  const terms = termDifference(oldFolded, newFolded);
  const rewrite = context.similarity < REWRITE_BELOW && terms.overlap < PARAPHRASE_OVERLAP;
  const flags: Flag[] = [
    ...numberAndReferenceFlags(oldText, newText, context.renumbered),
    ...entityFlags(oldFolded, newFolded, { knownNames: context.knownNames() }),
    ...polarityFlags(oldFolded, newFolded, rewrite),
    ...modalityFlags(oldFolded, newFolded),
    ...(rewrite ? [] : obligationFlags(oldFolded, newFolded)),
    ...(rewrite ? [] : conditionFlags(oldFolded, newFolded)),
  ];
  if (rewrite) flags.push({ type: "rewrite" });
  // Key terms swapped: a local edit (most of the wording kept) that replaced content words with others of different meaning.
  const local = terms.overlap >= 0.5 || context.similarity >= 0.45;
  // "and" → "or", "before" → "after": small words that change what the clause requires. German
  // "und" and French "avant" are content terms to the term comparison too: they are counted once, here.
  const logic = rewrite ? { removed: [], added: [] } : logicSwap(oldFolded, newFolded);
  const isLogic = (term: Term) => logic.removed.includes(term.lower) || logic.added.includes(term.lower);
  // A standard of care or degree changed ("materially defective" → "defective", "reasonable" →
  // "best efforts"): named among the terms even where WordNet finds the words akin.
  const standards = rewrite ? { removed: [], added: [] } : standardsChanged(oldFolded, newFolded, terms);
  const unlisted = (list: Term[], words: string[]) =>
    words
      .filter((word) => !list.some((term) => term.lower === word))
      .map((word) => ({ printed: word, lower: word, key: word }));
  const removed = terms.removed.filter((term) => !isLogic(term));
  const added = terms.added.filter((term) => !isLogic(term));
  removed.push(...unlisted(removed, standards.removed));
  added.push(...unlisted(added, standards.added));
  const contentSwapped = !rewrite && local && removed.length > 0 && added.length > 0;
  // Beside swapped content words the small ones are incidental; alone, they are the change.
  const flipped = !contentSwapped && logic.removed.length > 0;
  const swapped = flipped || contentSwapped;
  // New qualifying content in an otherwise kept clause ("… in peacetime", "… permanently"); or
  // another party first in it ("the landlord shall pay …, the tenant …" → "the tenant shall pay
  // …"): who is bound changed, though no new word came in.
  const extended =
    !rewrite &&
    local &&
    (standards.removed.length + standards.added.length > 0 ||
      (removed.length === 0 && added.length >= 2) ||
      leadingPartyChanged(terms, [...removed, ...added]));
  if (removed.length + added.length > 0 || flipped) {
    const telling = (list: Term[]) =>
      [...list]
        .sort((x, y) => context.weight(y.lower) - context.weight(x.lower))
        .slice(0, MAX_TERMS)
        .map((term) => term.printed);
    const lead = (words: string[]) => (flipped ? words : []);
    flags.push({
      type: "terms",
      removed: [...lead(logic.removed), ...telling(removed)].slice(0, MAX_TERMS),
      added: [...lead(logic.added), ...telling(added)].slice(0, MAX_TERMS),
      ...(swapped || extended ? { swapped: true } : {}),
    });
  }
  const substantive = swapped || extended || flags.some((flag) => MEANING.has(flag.type));
  return { flags, severity: substantive ? "substantive" : "minor" };
}
