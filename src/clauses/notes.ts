/**
 * Notes between clauses that are no clause's words: a counter-proposal's deletion placeholders
 * ("7. Deleted.", "[Point 9 removed]") and an outlet's own notes between the points it prints
 * ("Photo: …", "Read more: …", "Editor's note: …") in the languages copies of a plan come in.
 */

const DELETION_WORDS = [
  "deleted|removed|omitted|dropped|struck(?: out)?|repealed|reserved|void|excluded|withdrawn|cancelled|canceled",
  "intentionally (?:left blank|omitted|deleted)|no longer applies|not used",
  "удален|удалён|исключен|исключён|виключено|вилучено|видалено|gestrichen|entfällt|aufgehoben",
  "supprimé|abrogé|suprimido|eliminado|derogado|soppresso|abrogato|eliminado|usunięty|skreślony",
].join("|");
/** A counter-proposal's "7. Deleted." or "3. [This point has been removed]" keeps the number free; no clause of its own. */
export const DELETED_PLACEHOLDER = new RegExp(
  `^[\\[(*\\s–—-]*(?:(?:this |the )?(?:point|article|section|clause|item|paragraph|provision|пункт|статья|punkt)\\s*(?:\\d+[a-z]?)?(?:\\s+of the (?:original|draft|plan|text))?\\s*(?:is |was |has been |have been )?)?(?:${DELETION_WORDS})(?: in (?:its|their) entirety| from the (?:text|plan|draft))?[.\\])*\\s–—-]*$|^\\*{3,}$`,
  "iu",
);
/** A stand-alone note such as "[Point 9 removed]" or "(Point 3 of the draft is excluded)" between clauses. */
export const PLACEHOLDER_NOTE = new RegExp(
  `^[\\[(]\\s*(?:point|article|section|clause|item|paragraph|пункт|статья|punkt)\\s*(\\d+[a-z]?)\\b[^\\])]{0,60}?(?:${DELETION_WORDS})\\.?\\s*[\\])]\\.?$`,
  "iu",
);

/** How an outlet opens its own lines between the points it prints: captions, links to other stories, notes. */
const OUTLET_NOTE = new RegExp(
  `^[(\\[]?(?:${[
    "photo|picture|image|video|watch|read (?:more|also)|see also|related|more on this",
    "editor['’]?s note|note from the editors?|comment from the editors?|editorial note",
    "foto|bild|mehr zum thema|lesen sie auch|anmerkung der redaktion",
    "lire aussi|à lire aussi|voir aussi|note de la rédaction",
    "leer más|lea también|lee también|nota del editor|nota de la redacción",
    "leggi anche|nota della redazione|czytaj (?:też|także|więcej)|zobacz też",
    "фото|відео|видео|читайте (?:також|также|більше)|дивіться також|смотрите также",
    "від редакції|примітка редакції|коментар редакції|примечание редакции|комментарий редакции|от редакции",
    "kommentar der redaktion|commentaire de la rédaction|comentario de la redacción|uwaga redakcji|komentarz redakcji",
  ].join("|")})\\s*[:：—–]\\s*\\S`,
  "iu",
);

/** Verbs that attribute a quotation to its speaker, in the languages outlets print the plan in. */
const SPEECH_VERBS = [
  "said|says|told|added|warned|stressed|noted|insisted|wrote|argued|explained|according to",
  "sagte|sagt|erklärte|betonte|warnte|schrieb",
  "a déclaré|a dit|a affirmé|a ajouté|a souligné|a écrit|déclare|affirme",
  "dijo|afirmó|declaró|añadió|aseguró|señaló|ha detto|ha dichiarato|ha aggiunto",
  "powiedział|powiedziała|dodał|dodała|stwierdził|stwierdziła",
  "сказав|сказала|заявив|заявила|додав|додала|наголосив|наголосила|сказал|заявил|заявила|добавил|подчеркнул",
].join("|");
/**
 * A quotation and who said it (`"We will not accept limits," the minister said.`). A quoted term
 * that is defined (`"Service" means …`) has no speaker.
 */
const QUOTED_REMARK = new RegExp(
  `^["“„«‘'][^"“”„«»]{3,600}["”»’'][,.]?\\s*[,—–-]?\\s*(?:[\\p{L}.'’-]+\\s+){0,6}?(?:${SPEECH_VERBS})(?![\\p{L}])`,
  "iu",
);

/** Whether a paragraph is an outlet's own note (`Photo: …`, `Read more: …`, `Фото: …`). */
export function isOutletNote(text: string): boolean {
  return OUTLET_NOTE.test(text);
}

/** Whether a paragraph is a quotation with its speaker: between a list's points, the outlet's, not the point's. */
export function isQuotedRemark(text: string): boolean {
  return QUOTED_REMARK.test(text);
}
