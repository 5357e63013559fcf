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
/** Of a run's lines after its first, at least this share must carry on the sentence of the line before. */
const RUN_ON_SHARE = 0.25;
/** A line this long that stops without a stop was wrapped: the next line carries its sentence on. */
const WRAPPED_LENGTH = 40;
const STOPS = /[.;:!?]["”’')\]]*$/;

/** Whether `line` carries on the sentence of `previous`: it starts in lower case, or `previous` was wrapped mid-sentence. */
function carriesOn(previous: NumberedLine | undefined, line: NumberedLine | undefined): boolean {
  if (/^["“'‘(]?\p{Ll}/u.test(line?.rest ?? "")) return true;
  const before = previous?.rest ?? "";
  return before.length >= WRAPPED_LENGTH && !STOPS.test(before) && line?.rest !== "";
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
    const length = end - start;
    if (first !== undefined && length >= LINE_NUMBER_RUN) {
      let runOn = 0;
      for (let at = start + 1; at < end; at++) if (carriesOn(lines[at - 1], lines[at])) runOn++;
      if (runOn >= (length - 1) * RUN_ON_SHARE) for (let at = start; at < end; at++) found.add(at);
    }
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
