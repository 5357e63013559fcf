/**
 * Negation, modality and commitments. Polarity is compared by count ("not" and "never" are the same
 * negation), modality by class (will and shall bind alike; may permits; should and "is expected to"
 * only expect), and commitments as what a party will, must or may do: a modal and the verb it
 * governs ("will punish", "may appeal").
 */

import { type DualPattern, dualPattern, isPlainAscii } from "../clauses/ascii.js";
import { memoized } from "./memo.js";

/** "no more than", "not later than" set a bound (read with the figure), they negate nothing. */
const NEGATION =
  /\b(?:(?:not|no)(?!\s+(?:more|fewer|less|later|earlier|sooner|longer|greater)\s+than)|never|without|nor|neither|none|nothing|nobody|nowhere|cannot)\b|n't\b/gi;
const CYRILLIC_PATTERN = /[\u0400-\u04ff]/;
/** Negations of Ukrainian and Russian copies ("НАТО не розширюватиметься"); \b knows only ASCII words. */
const NEGATION_CYRILLIC =
  /(?<![\p{L}\p{N}'’])(?:не|ні|ни|нет|немає|без|ніколи|никогда|жоден|жодна|жодних|никакой|никаких)(?![\p{L}\p{N}'’])/giu;
/**
 * Negations of German, French, Spanish, Italian, Portuguese, Polish, Dutch and Scandinavian copies ("wird nicht
 * bestätigt", "keine Truppen", "ne … pas", "nie będzie"); Spanish "no" is the English
 * pattern's. Never before a hyphen: "non-aggression" negates nothing.
 */
export const NEGATION_EUROPEAN =
  /(?<![\p{L}\p{N}'’-])(?:(?:nicht|kein|keine|keinen|keinem|keiner|keines|niemals|weder|ohne|ne|pas|jamais|aucun|aucune|sans|nunca|jamás|ningún|ninguna|ninguno|sin|non|nessun|nessuna|nessuno|senza|não|nenhum|nenhuma|sem|nem|nie|nigdy|żaden|żadna|żadne|żadnych|niet|geen|nooit|zonder|ikke|ej|inte|icke|aldrig|utan|uden|ingen|inget|inga|intet)(?![\p{L}\p{N}'’-])|n['’](?=\p{L}))/giu;
const GREEK_OR_ARABIC = /[\u0370-\u03ff\u1f00-\u1fff\u0600-\u06ff]/;
/** Negations of Greek and Arabic copies ("δεν", "χωρίς"; "لا", "لن", "بدون"), tried on text in those scripts. */
const NEGATION_GREEK_ARABIC =
  /(?<![\p{L}\p{N}])(?:δεν|μην|μη|χωρίς|ποτέ|κανένας|καμία|κανένα|لا|لن|لم|ليس|ليست|بدون|دون)(?![\p{L}\p{N}])/giu;
const EXCEPTION = /\b(?:except|excepting|excluding|unless|save for|other than|apart from)\b/gi;
/** A duty lifted without a "not": "exempt from audit", "immune from prosecution", "waives the fee", "relieved of". */
const EXEMPTION =
  /\b(?:exempt(?:ed|s)?|exemptions?|immune|immunity|waive[sd]?|waiving|waivers?|absolve[sd]?|absolving|(?:is|are|be|been|was|were) released from|relieved (?:of|from)|excused from)\b/gi;
/** A refusal negates what follows it: "may refuse to disclose", "declines to pay". */
const REFUSAL = /\b(?:refuses?|refused|refusing|declines?|declined|declining) to\b/gi;
const EXCEPTION_CYRILLIC =
  /(?<![\p{L}\p{N}])(?:крім|окрім|за винятком|кроме|за исключением)(?![\p{L}\p{N}])/giu;

const NEGATION_EUROPEAN_TWIN = dualPattern(NEGATION_EUROPEAN);

function cues(text: string, latin: RegExp, cyrillic: RegExp, european?: DualPattern): string[] {
  const found = [...text.matchAll(latin)];
  if (CYRILLIC_PATTERN.test(text)) found.push(...text.matchAll(cyrillic));
  if (european) found.push(...text.matchAll(european.for(text)));
  return found.map((match) => match[0].toLowerCase());
}

export function negationCues(text: string): string[] {
  const found = cues(text, NEGATION, NEGATION_CYRILLIC, NEGATION_EUROPEAN_TWIN);
  if (GREEK_OR_ARABIC.test(text))
    for (const match of text.matchAll(NEGATION_GREEK_ARABIC)) found.push(match[0].toLowerCase());
  return found;
}

/** Whether one word is a negation ("not", "won't", "nicht"): asked of every word after a modal. */
const isNegationWord = memoized((word: string) => negationCues(word).length > 0);

/** Whether a cue marks an exception ("except", "unless") rather than a negation. */
export function isExceptionCue(cue: string): boolean {
  return (
    new RegExp(`^(?:${EXCEPTION.source})$`, "i").test(cue) ||
    new RegExp(`^(?:${EXCEPTION_CYRILLIC.source})$`, "iu").test(cue)
  );
}

/**
 * Duties lifted and refusals ("exempt from", "waives", "may refuse to"): negations without a
 * "not", asked about a clause whose wording was edited rather than replaced.
 */
export function exemptionCues(text: string): string[] {
  return [...text.matchAll(EXEMPTION), ...text.matchAll(REFUSAL)].map((match) => match[0].toLowerCase());
}

/** Whether a cue lifts a duty ("exempt", "waived") rather than negating or excepting. */
export function isExemptionCue(cue: string): boolean {
  return new RegExp(`^(?:${EXEMPTION.source})$`, "i").test(cue);
}

export function exceptionCues(text: string): string[] {
  return cues(text, EXCEPTION, EXCEPTION_CYRILLIC);
}

export type ModalClass = "obligation" | "permission" | "expectation";

/** Modal expressions by class; the Cyrillic ones are tried only on text with Cyrillic letters. */
export const MODAL_PATTERNS: Array<[RegExp, ModalClass]> = [
  [
    /\b(?:should|would|ought to|(?:is|are|was|were|be) (?:expected|encouraged|invited|urged|recommended)(?: not)? to|it is expected that|expects? (?:that|to)|(?:is|are) to be|intends? to|aims? to|seeks? to|hopes? to|(?:is|are) likely to)\b/gi,
    "expectation",
  ],
  [
    /\b(?:may|might|can|could|(?:is|are) (?:allowed|permitted|entitled|free|eligible) to|(?:has|have) the right to|(?:is|are) eligible)\b/gi,
    "permission",
  ],
  [
    /\b(?:shall|must|will|won't|agrees? to|undertakes? to|commits? to|(?:is|are) (?:required|obliged|obligated|bound) to|(?:has|have) to|need to|needs to)\b/gi,
    "obligation",
  ],
  // German, French, Spanish, Italian, Portuguese, Polish, Scandinavian, Greek and Arabic copies:
  // modal verbs as printed. A
  // future in the verb's own ending ("celebrará") is no modal, and German "wird" and Polish
  // "będzie" also make the passive ("wird bestätigt"), so neither is read as "will".
  [
    /(?<![\p{L}'’])(?:sollte|sollten|devrait|devraient|debería|deberían|dovrebbe|dovrebbero|deveria|deveriam|powinien|powinna|powinno|powinni|powinny)(?![\p{L}'’])/giu,
    "expectation",
  ],
  [
    /(?<![\p{L}'’])(?:kann|können|darf|dürfen|peut|peuvent|pourra|pourront|puede|pueden|podrá|podrán|può|possono|potrà|potranno|pode|podem|poderá|poderão|może|mogą|wolno|får|kan|μπορεί|μπορούν|δικαιούται|δικαιούνται|يجوز|يمكن|يحق)(?![\p{L}'’])/giu,
    "permission",
  ],
  [
    /(?<![\p{L}'’])(?:muss|müssen|soll|sollen|doit|doivent|devra|devront|debe|deben|deberá|deberán|deve|devono|dovrà|dovranno|devem|deverá|deverão|musi|muszą|ska|skall|skal|måste|πρέπει|οφείλει|οφείλουν|υποχρεούται|υποχρεούνται|يجب|يلتزم|تلتزم|يتعين)(?![\p{L}'’])/giu,
    "obligation",
  ],
  // Ukrainian and Russian copies.
  [
    /(?<![\p{L}'’])(?:очікується|передбачається|має намір|мають намір|слід|следует|ожидается|предполагается|намерен[аыо]?)(?![\p{L}'’])/giu,
    "expectation",
  ],
  [
    /(?<![\p{L}'’])(?:може|можуть|можна|має право|мають право|вправі|может|могут|можно|имеет право|имеют право|вправе)(?![\p{L}'’])/giu,
    "permission",
  ],
  [
    /(?<![\p{L}'’])(?:повинен|повинна|повинно|повинні|зобов['’]язан[аиі]?|зобов['’]язується|зобов['’]язуються|має|мають|буде|будуть|должен|должна|должно|должны|обязан[аыо]?|обязуется|обязуются|будет|будут)(?![\p{L}'’])/giu,
    "obligation",
  ],
];

export interface Modal {
  word: string;
  modal: ModalClass;
  at: number;
  end: number;
}

const MODALS = MODAL_PATTERNS.map(([pattern, modal]) => ({
  pattern: dualPattern(pattern),
  modal,
  cyrillic: CYRILLIC_PATTERN.test(pattern.source),
}));

/** "May" the month, not the modal: capitalized, after a day or a preposition or before a day or a year ("1 May", "in May", "May 9", "May 2026"). */
function isMonth(text: string, match: string, offset: number): boolean {
  if (match !== "May") return false;
  return (
    /^,?\s+\d/.test(text.slice(offset + 3, offset + 8)) ||
    /(?:\d(?:st|nd|rd|th)?|\b(?:in|on|since|by|until|till|from|before|after|of|early|late|mid|end|during|through))\s+$/i.test(
      text.slice(Math.max(0, offset - 12), offset),
    )
  );
}

function readModalities(text: string): Modal[] {
  let rest = text;
  const found: Modal[] = [];
  const cyrillic = CYRILLIC_PATTERN.test(text);
  const ascii = isPlainAscii(text);
  for (const { pattern, modal, cyrillic: needsCyrillic } of MODALS) {
    if (needsCyrillic && !cyrillic) continue;
    rest = rest.replace(ascii ? pattern.ascii : pattern.unicode, (match, offset: number) => {
      if (isMonth(text, match, offset)) return match;
      found.push({ word: match.toLowerCase(), modal, at: offset, end: offset + match.length });
      return " ".repeat(match.length);
    });
  }
  return found.sort((x, y) => x.at - y.at);
}

/** The texts of the last pair compared: modality and commitment flags both ask about each side. */
const recent: Array<{ text: string; found: Modal[] }> = [];

/** Modal expressions in document order; longer expressions win over the words inside them. */
export function modalities(text: string): readonly Modal[] {
  const known = recent.find((entry) => entry.text === text);
  if (known) return known.found;
  const found = readModalities(text);
  if (recent.length >= 2) recent.shift();
  recent.push({ text, found });
  return found;
}

const AUXILIARY = new Set([
  "be",
  "been",
  "being",
  "have",
  "has",
  "had",
  "not",
  "never",
  "also",
  "then",
  "still",
  "only",
  "jointly",
  "immediately",
  "fully",
]);

/**
 * Commitments: each modal with the first verb-like word it governs ("will be punished" → "will
 * punished"), lower-cased. Used to tell an obligation or right that came or went.
 */
export function commitments(text: string): Array<{ modal: ModalClass; verb: string; printed: string }> {
  const out: Array<{ modal: ModalClass; verb: string; printed: string }> = [];
  for (const modal of modalities(text)) {
    const after = text.slice(modal.end, modal.end + 80);
    for (const match of after.matchAll(/[\p{L}'’-]+/gu)) {
      const word = match[0];
      // "will not punish", "wird nicht bestätigt": the negation is not the verb.
      if (AUXILIARY.has(word.toLowerCase()) || /ly$/i.test(word) || isNegationWord(word)) continue;
      const printed = text.slice(modal.at, modal.end + match.index + word.length).replace(/\s+/g, " ");
      out.push({ modal: modal.modal, verb: word.toLowerCase(), printed });
      break;
    }
  }
  return out;
}
