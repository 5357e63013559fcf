import { cjkNumber } from "./cjk.js";
import { MONTH_NAMES } from "./months.js";
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

/** Words that name a numbered unit, in the languages the plan and its coverage appear in. */
const LABEL_WORDS = [
  "point|article|art\\.|section|sec\\.|subsection|clause|item|paragraph|para\\.|principle|provision|rule",
  "part|chapter|chap\\.|title|schedule|annex|appendix|exhibit|division|book|step",
  // Russian, Ukrainian, German, French, Spanish, Italian, Portuguese, Polish.
  "пункт|статья|стаття|раздел|розділ|глава|artikel|abschnitt|kapitel|teil|punkt|chapitre|titre",
  "artículo|articulo|apartado|capítulo|punto|sección|cláusula|clausula|articolo|capitolo|artigo|ponto|artykuł|rozdział",
  // Danish and Norwegian subsections, Czech, Slovak, Greek, Romanian and Turkish articles.
  "stk\\.|článek|článok|άρθρο|articolul|madde",
].join("|");
/** Units printed after the body (`Annex A`, `Schedule 2`): they stand beside its sections, never inside one. */
export const BACK_MATTER_WORDS = new Set(["schedule", "annex", "appendix", "exhibit"]);
/** Words whose units are also lettered (`Annex A`, `Part B`). */
const LETTERED_WORDS = new Set(["part", "schedule", "annex", "appendix", "exhibit"]);

/** Ordinal words that number an article or clause: French "premier", Spanish "primera" … "duodécima". */
const ORDINALS: Record<string, number> = Object.fromEntries(
  [
    "primer primero primera premier première",
    "segundo segunda",
    "tercer tercero tercera",
    "cuarto cuarta",
    "quinto quinta",
    "sexto sexta",
    "séptimo séptima septimo septima",
    "octavo octava",
    "noveno novena",
    "décimo décima decimo decima",
    "undécimo undécima undecimo undecima",
    "duodécimo duodécima duodecimo duodecima",
  ].flatMap((spellings, at) => spellings.split(" ").map((spelling) => [spelling, at + 1])),
);
const ORDINAL_WORDS = Object.keys(ORDINALS)
  .sort((a, b) => b.length - a.length)
  .join("|");
/** `Article 12 bis`, `Art. 4 ter`: articles inserted after another, numbered with Latin suffixes in this order. */
export const LATIN_SUFFIX_ORDER = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies"];
const LATIN_SUFFIXES = LATIN_SUFFIX_ORDER.join("|");

/** `Point 26:`, `Article IV.`, `§ 4`, `Section 12 —`, `Section 3.2`, `Annex B`. */
const WORDED = new RegExp(
  `^((?:${LABEL_WORDS})(?:\\s+|(?<=\\.)\\s*)|(?:§§?|¶)\\s*)(\\d{1,4}(?:\\.\\d{1,3})*|${ORDINAL_WORDS}|[ivxlcdm]{1,7}|[a-z])(\\s+(?:${LATIN_SUFFIXES})|[a-z]{0,3})(?![\\p{L}\\p{N}])\\s*(\\.(?!\\d)|:|\\)|[-–—]|\\.[-–—])?\\s*`,
  "iu",
);
/** `PRIMERA.-`, `SEGUNDA.`: a Spanish contract's clauses, numbered by ordinal words alone. */
const ORDINAL_LABEL = new RegExp(`^(${ORDINAL_WORDS})(\\.[-–—]|[.:]|\\s+[-–—])\\s+(?=\\S)`, "iu");
/** `(1)`, `(a)`, `(iv)`. */
const PARENTHESIZED = /^\((\d{1,4}|[a-z]|[ivxlcdm]{1,7}|[а-яёґєії])\)\s*/iu;
/** `1.`, `1)`, `1:`, `1 –`, `1.º`, `10a.`, `1.-`, `2.Text` glued to its text. */
const DECIMAL =
  /^(\d{1,6})([a-z]{0,3})(\.º|º|°|\.[-–—]|\.(?![\d])|\)|:(?!\d)|\s*[-–—](?=\s))\s*|^(\d{1,4})\.(?=["“«(\p{Lu}])/iu;
/** A table row whose first cell is the label: `1 | text`, `IV. | text`. */
const TABLE_ROW = /^(\d{1,6}|[ivxlcdm]{1,7})[.)]?\s*\|\s*/i;
/**
 * `1.2`, `3.1.4.`: with a closing dot before any text; without one before a capital, quote or
 * bracket, or before any word from three levels down (`1.2.1 clinical data`), which no figure
 * is. The closing dot is never the first dot of a further level: `1.2.1 x` is not `1.2.` + `1 x`.
 */
const MULTILEVEL =
  /^(\d{1,3}(?:\.\d{1,3})+)(?:\.(?!\d)(?=\s*\S)|(?=\s+["“'‘([\p{Lu}])|(?<=\d\.\d{1,3}\.\d{1,3})(?=\s+\S)|\)(?=\s))\s*/u;
/** `A.1`, `B.2.3`: numbering under an annex's or schedule's letter, closed like `1.2`. */
const LETTERED_MULTILEVEL =
  /^([A-Z])\.(\d{1,3}(?:\.\d{1,3})*)(?:\.(?!\d)(?=\s*\S)|(?=\s+["“'‘([\p{Lu}])|(?<=\.\d{1,3}\.\d{1,3})(?=\s+\S)|\)(?=\s))\s*/u;
/** Added to a lettered number's letter (A = 1), so `A.2` and `1.2` never read as one number. */
const LETTER_PART_BASE = 100_000;
/** `3 The parties…`, `10 [There will be]…`: a bare number before a capital, quote or bracket. */
const BARE_NUMBER = /^(\d{1,3})\s+(?=["“'‘(«[]?\p{Lu})/u;
/** What follows a letter's dot when the letter is an initial: another initial (`H. R.`, `J. K.`). */
const INITIAL_NEXT = /^\p{L}\.(?:\s|$)/u;
/** What follows a letter's dot when the letter opens a bill's or a document's number: `S. 1290`, `H. Res. 12`. */
const CITATION_NUMBER = /^(?:\p{Lu}\p{Ll}{0,4}\.\s*)*\d[\d,.-]*$/u;
/** `a)`, `b.`, `IV.`, `iv)` */
const LETTERED = /^([a-z]|[ivxlcdm]{1,7}|[а-яёґєії])([.)])\s+/iu;

/**
 * Cyrillic letters in the order lists use them (Ukrainian and Russian merged). Letters one of the
 * two languages leaves out of its lists (ґ, є, і, ї, й in Russian; ё, ъ, ы, э in Ukrainian; ь in
 * both) may be skipped without a gap.
 */
export const CYRILLIC_ORDER = "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя";
export const CYRILLIC_OPTIONAL = new Set("ґєёіїйъыьэ");

/** Arabic-Indic, Extended Arabic-Indic and full-width digits, with their thousands and decimal marks, as ASCII. */
export function westernDigits(text: string): string {
  if (!/[\u0660-\u066C\u06F0-\u06F9\uFF0C\uFF0E\uFF10-\uFF19]/.test(text)) return text;
  return text.replace(/[\u0660-\u066C\u06F0-\u06F9\uFF0C\uFF0E\uFF10-\uFF19]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x066b || code === 0xff0e) return ".";
    if (code === 0x066c || code === 0xff0c) return ",";
    // Full-width digits, as Japanese and Chinese text sets them (`９８０円`).
    if (code >= 0xff10) return String(code - 0xff10);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}
/** Bullets as word processors, browsers and typists print them (`o` is Word's second-level bullet). */
const BULLET = /^([—–\-•*·▪‣◦→●■□➢►✓✔⁃\u2043\uf0b7]|o(?=\s))\s*/;

/** Spellings of one label word, so `SECTION 1.` and `SEC. 2.` form one chain. */
const WORD_SPELLINGS: Record<string, string> = {
  "art.": "article",
  "sec.": "section",
  "para.": "paragraph",
  "chap.": "chapter",
  "§§": "§",
  статья: "article",
  стаття: "article",
  artículo: "article",
  articulo: "article",
  articolo: "article",
  artigo: "article",
  artykuł: "article",
  artikel: "article",
  пункт: "point",
  punkt: "point",
  punto: "point",
  ponto: "point",
  раздел: "section",
  розділ: "section",
  abschnitt: "section",
  sección: "section",
  apartado: "section",
  cláusula: "clause",
  clausula: "clause",
  глава: "chapter",
  kapitel: "chapter",
  chapitre: "chapter",
  capítulo: "chapter",
  capitolo: "chapter",
  rozdział: "chapter",
  teil: "part",
  titre: "title",
};

/** A month name as a date prints it after the day ("15. November 2025", "3 березня 2022,"). */
const MONTH_AFTER_DAY = new RegExp(`^(?:${MONTH_NAMES})\\.?(?=\\s+\\d|\\s*[,;)]|\\s*$)`, "iu");

/** A day of the month followed by its month and year ("15. November 2025", "3 березня 2022,"): a date, not a label. */
function isDateAfterDay(day: number, rest: string): boolean {
  return day >= 1 && day <= 31 && MONTH_AFTER_DAY.test(rest);
}

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

type LabelFields = Pick<LabelMatch, "family" | "value" | "delimiter"> &
  Partial<Pick<LabelMatch, "suffix" | "word" | "weak" | "parts" | "script">>;

/** One label reading, built in one shape (objects spread from partial ones cost more than the whole parse of the line). */
function makeLabel(printed: string, rest: string, name: string, fields: LabelFields): LabelMatch {
  const label: LabelMatch = {
    family: fields.family,
    value: fields.value,
    suffix: fields.suffix ?? "",
    word: fields.word ?? "",
    delimiter: fields.delimiter,
    printed: printed.trim(),
    name,
    rest: rest.trim(),
    weak: fields.weak ?? false,
  };
  if (fields.parts) label.parts = fields.parts;
  if (fields.script) label.script = fields.script;
  return label;
}

function multilevelParts(raw: string): number[] {
  return raw.split(".").map(Number);
}

/** The number of a lettered unit (`Annex B`, `Schedule C`), which its `B.1`, `B.2` are numbered under. */
export function letteredUnitNumber(label: LabelMatch): number[] | undefined {
  if (label.family !== "alpha-upper" || label.script !== undefined || !LETTERED_WORDS.has(label.word))
    return undefined;
  return [LETTER_PART_BASE + label.value];
}

/** A multi-level number as printed: `5.1.2`, or `A.2` for a lettered one. */
export function partsName(parts: number[]): string {
  const first = parts[0] as number;
  const lead = first > LETTER_PART_BASE ? String.fromCharCode(64 + first - LETTER_PART_BASE) : String(first);
  return parts.length === 1 ? lead : `${lead}.${parts.slice(1).join(".")}`;
}

function wordedLabel(text: string): LabelMatch[] {
  const worded = WORDED.exec(text);
  if (!worded) return [];
  const [printed, spacedWord = "", number = "", suffix = "", delimiter = ""] = worded;
  const rawWord = spacedWord.trim();
  const rest = text.slice(printed.length);
  if (delimiter === "" && !restStartsLikeClause(rest)) return [];
  const word = WORD_SPELLINGS[rawWord.toLowerCase()] ?? rawWord.toLowerCase();
  const spelled = { word, delimiter: delimiter || " " };
  const ordinal = ORDINALS[number.toLowerCase()];
  if (ordinal !== undefined) {
    return [makeLabel(printed, rest, String(ordinal), { ...spelled, family: "decimal", value: ordinal })];
  }
  const latin = suffix.trim().toLowerCase();
  // "12 bis" keeps its space; "10a" and "12bis" are printed glued.
  const name = /\s/.test(suffix) ? `${number} ${latin}` : `${number}${suffix}`;
  if (/^\d+(\.\d+)+$/.test(number)) {
    const parts = multilevelParts(number);
    return [
      makeLabel(printed, rest, name, { ...spelled, family: "decimal", value: parts[0] as number, parts }),
    ];
  }
  const read = decimalOrRoman(number, true);
  if (read && (read.family === "decimal" || number.length > 1 || !LETTERED_WORDS.has(word))) {
    return [
      makeLabel(printed, rest, name, {
        ...spelled,
        family: read.family === "decimal" ? "decimal" : "roman-upper",
        value: read.value,
        suffix: latin,
      }),
    ];
  }
  if (number.length === 1 && /[a-z]/i.test(number) && LETTERED_WORDS.has(word)) {
    const letter = makeLabel(printed, rest, name, {
      ...spelled,
      family: "alpha-upper",
      value: number.toLowerCase().charCodeAt(0) - 96,
    });
    if (!read) return [letter];
    // "Part I" is the first part far more often than the ninth; "Annex C" the third annex.
    const roman = makeLabel(printed, rest, name, {
      ...spelled,
      family: "roman-upper",
      value: read.value,
      suffix: latin,
    });
    return number.toLowerCase() === "i" ? [roman, letter] : [letter, roman];
  }
  return [];
}

/**
 * Every way the start of a line can be read as a label. Ambiguous labels (`i.` is a letter or a
 * roman one) yield several readings; the outline reader decides which one the sequence supports.
 */
export function parseLabels(line: string): LabelMatch[] {
  const printed = line.trimStart();
  const text = westernDigits(printed);
  if (text === printed) return readLabels(text);
  // Digits of other scripts read as numbers; label and text keep the characters as printed.
  return readLabels(text).map((label) => {
    const end = text.indexOf(label.printed) + label.printed.length;
    const restAt = text.length - label.rest.length - (text.length - text.trimEnd().length);
    return {
      ...label,
      printed: printed.slice(end - label.printed.length, end),
      rest: printed.slice(restAt, restAt + label.rest.length),
    };
  });
}

/**
 * Units numbered between a prefix and a unit word, as Japanese, Chinese and Korean law prints them:
 * `第1条` (article), `第二章` (chapter), `第3項` (paragraph), `제5조`. The word is the unit (`条`),
 * the prefix comes back in the path (`第1条`).
 */
const CIRCUMFIX =
  /^(第|제)\s*([0-9]{1,4}|[〇零一二三四五六七八九十百千两]{1,8})\s*(条|條|項|项|章|節|节|款|編|编|部|조|항|장|절|편)(?:\s*[のの之]\s*([0-9]{1,3}|[一二三四五六七八九十]{1,4}))?[\s　]*/u;

function circumfixLabel(text: string): LabelMatch | undefined {
  const match = CIRCUMFIX.exec(text);
  if (!match) return undefined;
  const [printed, , number = "", word = "", branch] = match;
  const value = cjkNumber(number);
  if (value === undefined) return undefined;
  // `第3条の2`: an article inserted after 第3条, as `3 bis` is.
  const sub = branch === undefined ? undefined : cjkNumber(branch);
  const name = sub === undefined ? String(value) : `${value}-${sub}`;
  return makeLabel(printed, text.slice(printed.length), name, {
    family: "decimal",
    value,
    delimiter: " ",
    word,
    ...(sub === undefined ? {} : { suffix: `-${sub}` }),
  });
}

function readLabels(text: string): LabelMatch[] {
  const out: LabelMatch[] = [];

  if (text.charCodeAt(0) === 0x7b2c || text.charCodeAt(0) === 0xc81c) {
    const circumfix = circumfixLabel(text);
    if (circumfix) return [circumfix];
  }

  if (/^[\p{L}§¶]/u.test(text)) {
    const worded = wordedLabel(text);
    if (worded.length > 0) return worded;
    const ordinal = ORDINAL_LABEL.exec(text);
    // In capitals ("SEGUNDA. OBJETO") or with the contract's ".-"; a sentence may open "Primero: …".
    if (ordinal && (ordinal[1] === ordinal[1]?.toUpperCase() || /[-–—]/.test(ordinal[2] ?? ""))) {
      const value = ORDINALS[(ordinal[1] as string).toLowerCase()] as number;
      const delimiter = (ordinal[2] as string).trim();
      return [
        makeLabel(ordinal[0], text.slice(ordinal[0].length), String(value), {
          family: "decimal",
          value,
          delimiter,
        }),
      ];
    }
  }

  const multilevel = MULTILEVEL.exec(text);
  if (multilevel) {
    const [printed, raw = ""] = multilevel;
    const parts = multilevelParts(raw);
    out.push(
      makeLabel(printed, text.slice(printed.length), raw, {
        family: "decimal",
        value: parts[0] as number,
        delimiter: ".",
        parts,
      }),
    );
    return out;
  }

  const annexNumber = LETTERED_MULTILEVEL.exec(text);
  if (annexNumber) {
    const [printed, letter = "", raw = ""] = annexNumber;
    const parts = [LETTER_PART_BASE + letter.charCodeAt(0) - 64, ...multilevelParts(raw)];
    out.push(
      makeLabel(printed, text.slice(printed.length), `${letter}.${raw}`, {
        family: "decimal",
        value: parts[0] as number,
        delimiter: ".",
        parts,
      }),
    );
    return out;
  }

  const row = TABLE_ROW.exec(text);
  if (row) {
    const [printed, raw = ""] = row;
    const read = decimalOrRoman(raw, false);
    if (read) out.push(makeLabel(printed, text.slice(printed.length), raw, { ...read, delimiter: "|" }));
    return out;
  }

  const paren = PARENTHESIZED.exec(text);
  if (paren) {
    const [printed, raw = ""] = paren;
    const rest = text.slice(printed.length);
    if (/^\d+$/.test(raw)) {
      out.push(makeLabel(printed, rest, raw, { family: "decimal", value: Number(raw), delimiter: "()" }));
      return out;
    }
    pushLettered(out, printed, raw, rest, "()");
    return out;
  }

  const decimal = DECIMAL.exec(text);
  if (decimal) {
    const [printed, number = "", suffix = "", delimiter = "", glued] = decimal;
    const rest = text.slice(printed.length);
    // "15. November 2025" wrapped to the start of a line is a date, not point 15.
    if (isDateAfterDay(Number(glued ?? number), rest)) return out;
    const trimmedDelimiter = glued ? "." : delimiter.trim();
    const kind = /^[-–—]$/.test(trimmedDelimiter) ? "-" : trimmedDelimiter.replace(/º|°/, ".");
    const value = Number(glued ?? number);
    out.push(
      makeLabel(printed, rest, `${glued ?? number}${suffix}`, {
        family: "decimal",
        value,
        suffix: suffix.toLowerCase(),
        delimiter: kind,
      }),
    );
    return out;
  }

  const bare = BARE_NUMBER.exec(text);
  if (bare) {
    const [printed, number = ""] = bare;
    if (isDateAfterDay(Number(number), text.slice(printed.length))) return out;
    out.push(
      makeLabel(printed, text.slice(printed.length), number, {
        family: "decimal",
        value: Number(number),
        delimiter: " ",
        weak: true,
      }),
    );
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
    // "-5%" or "--" are not bullets; a hyphen (or Word's "o") bullet needs a space after it.
    if ((mark === "-" || mark === "o") && !/^[-o]\s/.test(text)) return out;
    if (mark === "*" && /^\*\*/.test(text)) return out;
    out.push(
      makeLabel(printed, text.slice(printed.length), "", { family: "bullet", value: 0, delimiter: mark }),
    );
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
  // `H. R. 4821`, `S. 1290`, `J. K. Rowling`, `e. g.`: initials or a bill's number, not an item,
  // unless the letters around confirm it (`B. J. K. Smith is the monitor` between `A.` and `C.`).
  const weak = delimiter === "." && (INITIAL_NEXT.test(rest) || CITATION_NUMBER.test(rest));
  const roman = romanValue(raw);
  if (roman !== undefined) {
    out.push(
      makeLabel(printed, rest, raw, {
        family: upper ? "roman-upper" : "roman-lower",
        value: roman,
        delimiter,
        weak,
      }),
    );
  }
  const cyrillic = CYRILLIC_ORDER.indexOf(raw.toLowerCase());
  if (cyrillic >= 0) {
    out.push(
      makeLabel(printed, rest, raw, {
        family: upper ? "alpha-upper" : "alpha-lower",
        value: cyrillic + 1,
        delimiter,
        script: "cyrillic",
        weak,
      }),
    );
    return;
  }
  if (raw.length === 1) {
    const value = raw.toLowerCase().charCodeAt(0) - 96;
    out.push(
      makeLabel(printed, rest, raw, {
        family: upper ? "alpha-upper" : "alpha-lower",
        value,
        delimiter,
        weak,
      }),
    );
  }
}

/** The canonical key of a label (`26`, `10a`, `IV`, `c`, `5.1`): typography of the label set aside. */
export function labelKey(label: LabelMatch): string {
  if (label.parts) return partsName(label.parts);
  switch (label.family) {
    case "decimal":
      return `${label.value}${label.suffix}`;
    case "roman-upper":
    case "roman-lower":
      return toRoman(label.value);
    case "alpha-upper":
    case "alpha-lower":
      return letterName(label, label.value).toLowerCase();
    case "bullet":
      return "•";
  }
}

/** The letter with this value in the label's alphabet, in the label's case. */
export function letterName(label: LabelMatch, value: number): string {
  const lower =
    label.script === "cyrillic" ? (CYRILLIC_ORDER[value - 1] ?? "?") : String.fromCharCode(96 + value);
  return label.family === "alpha-upper" ? lower.toUpperCase() : lower;
}

/** Canonical label word as a reader cites it (`Article`, `Section`, `§`). */
export function citedWord(word: string): string {
  if (word === "" || word === "§" || word === "¶") return word;
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Abbreviations cited by their full English word (`Art. 5` is Article 5). */
const ABBREVIATIONS = new Set(["art.", "sec.", "para.", "chap.", "§§"]);

/**
 * The word a label is cited with, in the document's own language: `Стаття 3` stays Стаття,
 * `Artículo 2` Artículo, `ARTICLE 4` and `Art. 4` are Article.
 */
export function labelWord(label: Pick<LabelMatch, "word" | "printed" | "name">): string {
  const at = label.printed.toLowerCase().lastIndexOf(label.name.toLowerCase());
  const printed = (at > 0 ? label.printed.slice(0, at) : "").trim().toLowerCase();
  if (printed === "" || printed === label.word || ABBREVIATIONS.has(printed) || !(printed in WORD_SPELLINGS))
    return citedWord(label.word);
  return citedWord(printed);
}
