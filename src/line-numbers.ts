/**
 * Margin line numbers, as a bill or a pleading prints them: each line of a page starts with the
 * next number, 1, 2, 3…, whatever the line holds, and many of those lines carry on the sentence
 * of the line before. Numbered points also count up, but their text starts afresh and they are rarely on
 * every line. Plain text and PDF pages are read with the same rule.
 */
import type { OutlineWarning } from "./types.js";

/** A line's leading number and the text after it (empty when the line is only the number). */
export interface NumberedLine {
  value: number;
  rest: string;
}

/** The shortest run of consecutive numbers, one per line, read as margin line numbers. */
const LINE_NUMBER_RUN = 6;
/** Of a run's lines after its first, at least this share must carry on a sentence in lower case… */
const LOWER_SHARE = 0.25;
/** …or this share carry on the sentence of the line before, one of them at least in lower case. */
const RUN_ON_SHARE = 0.5;
/** A line this long that stops without a stop was wrapped: the next line carries its sentence on. */
const WRAPPED_LENGTH = 40;
const STOPS = /[.;:!?]["”’')\]]*$/;

function startsLower(line: NumberedLine | undefined): boolean {
  return /^["“'‘(]?\p{Ll}/u.test(line?.rest ?? "");
}

/** `previous` was wrapped mid-sentence and `line` goes on with it. */
function wrappedBefore(previous: NumberedLine | undefined, line: NumberedLine | undefined): boolean {
  const before = previous?.rest ?? "";
  return before.length >= WRAPPED_LENGTH && !STOPS.test(before) && line?.rest !== "";
}

/**
 * Whether a run of consecutive numbers numbers the lines: many of its lines go on in lower case,
 * or most carry the sentence of the line before on (a page of capitalised names: "Act",
 * "Congress"). One-line points without stops ("1 Sovereignty is confirmed") start afresh each.
 */
function numbersLines(run: Array<NumberedLine | undefined>): boolean {
  let lower = 0;
  let runOn = 0;
  for (let at = 1; at < run.length; at++) {
    if (startsLower(run[at])) lower++;
    else if (wrappedBefore(run[at - 1], run[at])) runOn++;
  }
  const rest = run.length - 1;
  return lower >= rest * LOWER_SHARE || (lower >= 1 && lower + runOn >= rest * RUN_ON_SHARE);
}

/** The indexes of lines whose number is a margin line number (`undefined`: a line without a leading number). */
export function marginNumbered(lines: Array<NumberedLine | undefined>): Set<number> {
  const found = new Set<number>();
  let start = 0;
  while (start < lines.length) {
    const first = lines[start];
    let end = start + 1;
    if (first !== undefined)
      while (end < lines.length && lines[end]?.value === first.value + (end - start)) end++;
    if (first !== undefined && end - start >= LINE_NUMBER_RUN && numbersLines(lines.slice(start, end)))
      for (let at = start; at < end; at++) found.add(at);
    start = end;
  }
  return found;
}

/** Nothing silent: the numbers taken off the lines are counted and named. */
export function lineNumbersWarning(count: number): OutlineWarning {
  return {
    code: "line-numbers",
    message: `margin line numbers of ${count} line${count === 1 ? "" : "s"} left out (a bill's or a pleading's numbered lines)`,
  };
}
