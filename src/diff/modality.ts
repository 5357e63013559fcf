/**
 * Negation, modality and commitments. Polarity is compared by count ("not" and "never" are the same
 * negation), modality by class (will and shall bind alike; may permits; should and "is expected to"
 * only expect), and commitments as what a party will, must or may do: a modal and the verb it
 * governs ("will punish", "may appeal").
 */

const NEGATION = /\b(?:not|no|never|without|nor|neither|none|nothing|nobody|nowhere|cannot)\b|n't\b/gi;
const EXCEPTION = /\b(?:except|unless|save for|other than)\b/gi;

export function negationCues(text: string): string[] {
  return [...text.matchAll(NEGATION)].map((match) => match[0].toLowerCase());
}

export function exceptionCues(text: string): string[] {
  return [...text.matchAll(EXCEPTION)].map((match) => match[0].toLowerCase());
}

export type ModalClass = "obligation" | "permission" | "expectation";

const MODALS: Array<[RegExp, ModalClass]> = [
  [
    /\b(?:should|would|ought to|(?:is|are|was|were|be) expected to|it is expected that|expects? (?:that|to)|(?:is|are) to be|intends? to|aims? to|seeks? to|hopes? to|(?:is|are) likely to)\b/gi,
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
];

export interface Modal {
  word: string;
  modal: ModalClass;
  at: number;
  end: number;
}

/** Modal expressions in document order; longer expressions win over the words inside them. */
export function modalities(text: string): Modal[] {
  let rest = text;
  const found: Modal[] = [];
  for (const [pattern, modal] of MODALS) {
    rest = rest.replace(pattern, (match, offset: number) => {
      found.push({ word: match.toLowerCase(), modal, at: offset, end: offset + match.length });
      return " ".repeat(match.length);
    });
  }
  return found.sort((x, y) => x.at - y.at);
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
      if (AUXILIARY.has(word.toLowerCase()) || /ly$/i.test(word)) continue;
      const printed = text.slice(modal.at, modal.end + match.index + word.length).replace(/\s+/g, " ");
      out.push({ modal: modal.modal, verb: word.toLowerCase(), printed });
      break;
    }
  }
  return out;
}
