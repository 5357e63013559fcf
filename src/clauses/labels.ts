import type { LabelMatch } from "./types.js";

const ROMAN = /^(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/i;
const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

export function romanValue(roman: string): number | undefined {
  if (!ROMAN.test(roman)) return undefined;
  let total = 0;
  const lower = roman.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const value = ROMAN_VALUES[lower[i] as string] ?? 0;
    const next = ROMAN_VALUES[lower[i + 1] as string] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}

export function toRoman(value: number): string {
  const table: [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let out = "";
  let rest = value;
  for (const [n, s] of table) {
    while (rest >= n) {
      out += s;
      rest -= n;
    }
  }
  return out;
}

const LABEL_WORDS =
  "point|article|art\\.|section|sec\\.|clause|item|paragraph|para\\.|principle|provision|rule|part|chapter|пункт|статья|стаття|artículo|article|artikel|punkt";
/** `Point 26:`, `Article IV.`, `§ 4`, `Section 12 —`. */
const WORDED = new RegExp(
  `^(${LABEL_WORDS}|§§?|¶)\\s*(\\d{1,4}|[ivxlcdm]{1,7})([a-z]{0,3})\\b\\s*(\\.(?!\\d)|:|\\)|[-–—]|\\.[-–—])?\\s*`,
  "i",
);
/** `(1)`, `(a)`, `(iv)`. */
const PARENTHESIZED = /^\((\d{1,4}|[a-z]|[ivxlcdm]{1,7})\)\s*/i;
/** `1.`, `1)`, `1:`, `1 –`, `1.º`, `10a.`, `1.-`. */
const DECIMAL = /^(\d{1,6})([a-z]{0,3})(\.º|º|°|\.[-–—]|\.(?![\d])|\)|:(?!\d)|\s*[-–—](?=\s))\s*/i;
/** A table row whose first cell is the label: `1 | text`, `IV. | text`. */
const TABLE_ROW = /^(\d{1,6}|[ivxlcdm]{1,7})[.)]?\s*\|\s*/i;
/** `1.2`, `3.1.4.` */
const MULTILEVEL = /^(\d{1,3})((?:\.\d{1,3})+)\.?(?=\s+["“'‘(\p{Lu}])\s*/u;
/** `3 The parties…`: a bare number followed by a capitalized word. */
const BARE_NUMBER = /^(\d{1,3})\s+(?=["“'‘(]?\p{Lu})/u;
/** `a)`, `b.`, `IV.`, `iv)` */
const LETTERED = /^([a-z]|[ivxlcdm]{1,7})([.)])\s+/i;
const BULLET = /^([—–\-•*·▪‣◦→●■□➢►])\s*/;

/** Spellings of one label word, so `SECTION 1.` and `SEC. 2.` form one chain. */
const WORD_SPELLINGS: Record<string, string> = {
  "art.": "article",
  "sec.": "section",
  "para.": "paragraph",
  "§§": "§",
  статья: "article",
  стаття: "article",
  artículo: "article",
  artikel: "article",
  пункт: "point",
  punkt: "point",
};

function restStartsLikeClause(rest: string): boolean {
  return rest === "" || /^["“'‘([\p{Lu}\p{N}«]/u.test(rest);
}

function decimalOrRoman(
  raw: string,
  uppercaseHint: boolean,
): { family: LabelMatch["family"]; value: number } | undefined {
  if (/^\d+$/.test(raw)) return { family: "decimal", value: Number(raw) };
  const value = romanValue(raw);
  if (value === undefined) return undefined;
  return { family: uppercaseHint || raw === raw.toUpperCase() ? "roman-upper" : "roman-lower", value };
}

function base(
  printed: string,
  rest: string,
): Pick<LabelMatch, "printed" | "rest" | "suffix" | "word" | "multilevel" | "weak"> {
  return { printed: printed.trim(), rest: rest.trim(), suffix: "", word: "", multilevel: false, weak: false };
}

/**
 * Every way the start of a line can be read as a label. Ambiguous labels (`i.` is a letter or a
 * roman one) yield several readings; the document-level chain search decides which one holds.
 */
export function parseLabels(line: string): LabelMatch[] {
  const text = line.trimStart();
  const out: LabelMatch[] = [];

  const worded = WORDED.exec(text);
  if (worded) {
    const [printed, word = "", number = "", suffix = "", delimiter = ""] = worded;
    const rest = text.slice(printed.length);
    const read = decimalOrRoman(number, true);
    if (read && (delimiter !== "" || restStartsLikeClause(rest))) {
      out.push({
        ...base(printed, rest),
        ...read,
        family: read.family === "decimal" ? "decimal" : "roman-upper",
        suffix: suffix.toLowerCase(),
        word: WORD_SPELLINGS[word.toLowerCase()] ?? word.toLowerCase(),
        delimiter: delimiter || " ",
      });
    }
    return out;
  }

  const multilevel = MULTILEVEL.exec(text);
  if (multilevel) {
    const [printed, first = ""] = multilevel;
    out.push({
      ...base(printed, text.slice(printed.length)),
      family: "decimal",
      value: Number(first),
      delimiter: ".",
      multilevel: true,
    });
    return out;
  }

  const row = TABLE_ROW.exec(text);
  if (row) {
    const [printed, raw = ""] = row;
    const read = decimalOrRoman(raw, false);
    if (read) out.push({ ...base(printed, text.slice(printed.length)), ...read, delimiter: "|" });
    return out;
  }

  const paren = PARENTHESIZED.exec(text);
  if (paren) {
    const [printed, raw = ""] = paren;
    const rest = text.slice(printed.length);
    if (/^\d+$/.test(raw)) {
      out.push({ ...base(printed, rest), family: "decimal", value: Number(raw), delimiter: "()" });
      return out;
    }
    pushLettered(out, printed, raw, rest, "()");
    return out;
  }

  const decimal = DECIMAL.exec(text);
  if (decimal) {
    const [printed, number = "", suffix = "", delimiter = ""] = decimal;
    const rest = text.slice(printed.length);
    const trimmedDelimiter = delimiter.trim();
    const kind = /^[-–—]$/.test(trimmedDelimiter) ? "-" : trimmedDelimiter.replace(/º|°/, ".");
    out.push({
      ...base(printed, rest),
      family: "decimal",
      value: Number(number),
      suffix: suffix.toLowerCase(),
      delimiter: kind,
    });
    return out;
  }

  const bare = BARE_NUMBER.exec(text);
  if (bare) {
    const [printed, number = ""] = bare;
    out.push({
      ...base(printed, text.slice(printed.length)),
      family: "decimal",
      value: Number(number),
      delimiter: " ",
      weak: true,
    });
    return out;
  }

  const lettered = LETTERED.exec(text);
  if (lettered) {
    const [printed, raw = "", delimiter = ""] = lettered;
    pushLettered(out, printed, raw, text.slice(printed.length), delimiter);
    return out;
  }

  const bullet = BULLET.exec(text);
  if (bullet && bullet[0].length < text.length) {
    const [printed, mark = ""] = bullet;
    // "-5%" or "--" are not bullets; a hyphen bullet needs a space after it.
    if (mark === "-" && !/^-\s/.test(text)) return out;
    if (mark === "*" && /^\*\*/.test(text)) return out;
    out.push({ ...base(printed, text.slice(printed.length)), family: "bullet", value: 0, delimiter: mark });
  }
  return out;
}

function pushLettered(
  out: LabelMatch[],
  printed: string,
  raw: string,
  rest: string,
  delimiter: string,
): void {
  const upper = raw === raw.toUpperCase();
  const roman = romanValue(raw);
  if (roman !== undefined) {
    out.push({
      ...base(printed, rest),
      family: upper ? "roman-upper" : "roman-lower",
      value: roman,
      delimiter,
    });
  }
  if (raw.length === 1) {
    const value = raw.toLowerCase().charCodeAt(0) - 96;
    out.push({ ...base(printed, rest), family: upper ? "alpha-upper" : "alpha-lower", value, delimiter });
  }
}

/** The canonical key of a top-level label (`26`, `10a`, `IV`, `c`). */
export function labelKey(label: LabelMatch): string {
  switch (label.family) {
    case "decimal":
      return `${label.value}${label.suffix}`;
    case "roman-upper":
    case "roman-lower":
      return toRoman(label.value);
    case "alpha-upper":
    case "alpha-lower":
      return String.fromCharCode(96 + label.value);
    case "bullet":
      return "•";
  }
}
