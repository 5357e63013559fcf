/**
 * Labels run on inside a line: after a sentence end (`…sovereignty.2. Non-aggression`), the first
 * one inside the introducing sentence, and enumerations after commas (`…: 1) the north, 2) …`).
 */

const INLINE_DECIMAL = /(?<=(?:^|[^\d\s])[.!?;:]["”’')\]»]?\s*)(\d{1,3})([.)])\s*(?=["“«'‘([]?\p{Lu})/gu;

const INLINE_DECIMAL_HINT = /[.!?;:]["”’')\]»]?\s*\d{1,3}[.)]/;

/** The same after a sentence that ends on a figure (`…rejoin the G8. 14. One hundred…`): only when it goes on a sequence. */
const AFTER_FIGURE = /(?<=\d[.!?;:]["”’')\]»]?\s+)(\d{1,3})([.)])\s*(?=["“«'‘([]?\p{Lu})/gu;

/**
 * Labels after a figure's stop that carry on the labels found around them: the one before is
 * one less, or the one after one more, with the same delimiter. `…in 2014. 15. …` alone stays text.
 */
function afterFigures(text: string, found: RegExpExecArray[]): RegExpExecArray[] {
  const candidates = [...text.matchAll(AFTER_FIGURE)];
  if (candidates.length === 0) return found;
  const all = [...found, ...candidates].sort((x, y) => x.index - y.index);
  const strict = new Set(found);
  const accepted: RegExpExecArray[] = [];
  all.forEach((match, at) => {
    if (strict.has(match)) {
      accepted.push(match);
      return;
    }
    const value = Number(match[1]);
    const before = accepted[accepted.length - 1];
    const after = all.slice(at + 1).find((next) => strict.has(next));
    const follows = before !== undefined && Number(before[1]) === value - 1 && before[2] === match[2];
    const leads = after !== undefined && Number(after[1]) === value + 1 && after[2] === match[2];
    if (follows || leads) accepted.push(match);
  });
  return accepted;
}

/** A number run on after a comma, semicolon or colon inside a sentence (`…: 1) the north, 2) the south, and 3) …`). */
const LISTED_DECIMAL = /(?<=(?:^|[^\d\s])[,;:]\s*(?:(?:and|or)\s+)?)(\d{1,2})([.)])\s+(?=["“«'‘(]?[\p{L}])/gu;
/** The same at the start of the text (`1) the north, 2) …`). */
const LEADING_DECIMAL = /^(\d{1,2})([.)])\s+(?=["“«'‘(]?[\p{L}])/u;
/** Fewest items of a run-on enumeration: two numbers after a comma could be anything, three in sequence are a list. */
const LISTED_RUN = 3;

/**
 * Offsets of numbered labels that start inside a line right after a sentence ends
 * (`…sovereignty.2. Non-aggression…`), and of the items of an enumeration run on inside one
 * sentence (`…: 1) the north, 2) the south, and 3) the coast`), when at least three follow in
 * sequence with one delimiter.
 */
export function inlineLabelOffsets(text: string): number[] {
  const out = new Set<number>();
  // What every such label needs, without the look-behind: most lines have none.
  if (INLINE_DECIMAL_HINT.test(text)) {
    const found = afterFigures(
      text,
      [...text.matchAll(INLINE_DECIMAL)].filter((match) => match.index > 0),
    );
    for (const match of found) out.add(match.index);
    const opening = openingInsideIntro(text, found);
    if (opening !== undefined) out.add(opening);
  }
  if (/[,;:]\s*(?:(?:and|or)\s+)?\d{1,2}[.)]\s/.test(text)) for (const at of listedOffsets(text)) out.add(at);
  return [...out].sort((x, y) => x - y);
}

/**
 * The first item of a list whose later items open after sentence ends, when it is printed inside
 * the introducing sentence (`…which runs to several pages, 1. Ukraine… 2. Russia… 3. …`): the
 * number just before the run's first, with its delimiter and a capital after it, following a word
 * or a comma. Only for a run of at least two in sequence, so a stray `1.` in a sentence stays text.
 */
function openingInsideIntro(text: string, found: RegExpExecArray[]): number | undefined {
  const [first, second] = found;
  if (!first || !second) return undefined;
  const value = Number(first[1]);
  if (value < 2 || Number(second[1]) !== value + 1 || second[2] !== first[2]) return undefined;
  const before = text.slice(0, first.index);
  const wanted = `${value - 1}${first[2]}`;
  const at = before.lastIndexOf(wanted);
  if (at <= 0) return undefined;
  const after = before.slice(at + wanted.length);
  if (!/^\s+["“«'‘([]?\p{Lu}/u.test(after) || !/[\p{L},;:–—]\s$/u.test(before.slice(0, at))) return undefined;
  return at;
}

/** Items of run-on enumerations: runs of at least LISTED_RUN consecutive numbers with the same delimiter. */
function listedOffsets(text: string): number[] {
  const found: Array<{ at: number; value: number; delimiter: string }> = [];
  const leading = LEADING_DECIMAL.exec(text);
  if (leading) found.push({ at: 0, value: Number(leading[1]), delimiter: leading[2] as string });
  for (const match of text.matchAll(LISTED_DECIMAL))
    found.push({ at: match.index, value: Number(match[1]), delimiter: match[2] as string });
  const out: number[] = [];
  let run: typeof found = [];
  const close = () => {
    if (run.length >= LISTED_RUN) for (const item of run) if (item.at > 0) out.push(item.at);
    run = [];
  };
  for (const item of found) {
    const last = run[run.length - 1];
    if (!last || item.value !== last.value + 1 || item.delimiter !== last.delimiter) close();
    run.push(item);
  }
  close();
  return out;
}
