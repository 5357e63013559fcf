import { hash } from "node:crypto";
import { dualPattern, isPlainAscii } from "./ascii.js";

/*
 * Normalization for comparison only: display text is always kept as printed.
 * Full NFKC would turn "10²" into "102" and "½" into "1⁄2", so superscripts, subscripts,
 * fractions and circled numbers are shielded from it with private-use placeholders.
 */

const SHIELDED = /[\u00B2\u00B3\u00B9\u00BC-\u00BE\u2070-\u209F\u2150-\u218B\u2460-\u24FF]/g;
const PLACEHOLDER_BASE = 0xe000;

const INVISIBLES = /[\u00AD\u180E\u200B-\u200D\u2060\uFEFF]/g;
const SPACES = /[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u2035\u0060\u00B4\u02BC]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036\u00AB\u00BB\u2039\u203A]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
/** The multiplication sign as typed on a keyboard ("3 × 4 m", "2×"): the same figure either way. */
const TIMES = /\u00D7/g;
/** Digit groups separated by a space, comma, dot or apostrophe, each group of exactly three digits. */
const GROUPED_NUMBER = /(?<![\d.,])\d{1,3}(?:[ ,.'](?=\d{3}(?!\d))\d{3})+(?![\d]|[.,]\d)/g;

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00A0",
  ndash: "\u2013",
  mdash: "\u2014",
  lsquo: "\u2018",
  rsquo: "\u2019",
  ldquo: "\u201C",
  rdquo: "\u201D",
  hellip: "\u2026",
  shy: "\u00AD",
  sect: "\u00A7",
  laquo: "\u00AB",
  raquo: "\u00BB",
  euro: "\u20AC",
  pound: "\u00A3",
};

/** Decodes HTML character references that survive in text and Markdown copies of a page. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function shieldedNfkc(text: string): string {
  const shielded: string[] = [];
  const masked = text.replace(SHIELDED, (ch) => {
    shielded.push(ch);
    return String.fromCharCode(PLACEHOLDER_BASE + shielded.length - 1);
  });
  const folded = masked.normalize("NFKC");
  if (shielded.length === 0) return folded;
  return folded.replace(/[\uE000-\uF8FF]/g, (ch) => shielded[ch.charCodeAt(0) - PLACEHOLDER_BASE] ?? ch);
}

/**
 * Folds typography: entities, invisibles, space variants, quotes, dashes, ellipsis, compatibility
 * forms and digit grouping. Case and punctuation are kept (see `normalizeForCompare`).
 */
export function foldTypography(text: string): string {
  const decoded = decodeEntities(text);
  // Plain ASCII has no compatibility forms, curly quotes, odd spaces or dashes to fold.
  if (isPlainAscii(decoded)) {
    const quoted = decoded.includes("`") ? decoded.replace(/`/g, "'") : decoded;
    return settleSpacing(quoted);
  }
  return settleSpacing(
    shieldedNfkc(decoded)
      .replace(INVISIBLES, "")
      .replace(SPACES, " ")
      .replace(SINGLE_QUOTES, "'")
      .replace(DOUBLE_QUOTES, '"')
      .replace(DASHES, "-")
      .replace(TIMES, "x"),
  );
}

/** Whitespace other than the plain space: tabs, line breaks, no-break and wide spaces. */
const OTHER_SPACE = /[^\S ]/;

/** Every run of whitespace as one space; no new string when there is nothing to change. */
export function oneSpaced(text: string): string {
  // Two cheap scans rule out the common case, which the replace's alternation would scan slowly.
  if (!text.includes("  ") && !OTHER_SPACE.test(text)) return text;
  return text.replace(/\s{2,}|[^\S ]/g, " ");
}

/**
 * Whitespace runs as one space, "..." as an ellipsis, digit groups joined, ends trimmed. A run that
 * is already one space is left alone, so the common case builds no new string.
 */
function settleSpacing(text: string): string {
  const dotted = text.includes("...") ? text.replace(/\.\.\./g, "…") : text;
  const spaced = oneSpaced(dotted);
  const grouped = /\d[ ,.']\d/.test(spaced)
    ? spaced.replace(GROUPED_NUMBER, (n) => n.replace(/[ ,.']/g, ""))
    : spaced;
  return grouped.trim();
}

/** A space before closing punctuation or after an opening bracket: one scan, where the two replaces take two. */
const SPACED_PUNCTUATION = / [,;:.!?)\]]|[([] /;

/** Initials set with or without spaces between them (`H. R. 4821`, `H.R. 4821`; `J. K.`, `J.K.`). */
const SPACED_INITIALS = /(?<![\p{L}\p{N}])(\p{L})\. (?=\p{L}\.(?![\p{L}\p{N}]))/gu;

/** Comparison form of a piece of clause text: folded, lower-cased, spacing and trailing punctuation settled. */
export function normalizeForCompare(text: string): string {
  // foldTypography leaves single spaces only, so the spacing rules can match one space.
  let out = foldTypography(text).toLowerCase();
  if (SPACED_PUNCTUATION.test(out)) out = out.replace(/ ([,;:.!?)\]])/g, "$1").replace(/([([]) /g, "$1");
  if (out.includes("-")) out = out.replace(/ - | -|- /g, " - ");
  if (out.includes(". ")) out = out.replace(SPACED_INITIALS, "$1.");
  return trimEnding(out);
}

/** Without trailing spaces and the punctuation a clause ends with (`.`, `,`, `;`, `:`). */
function trimEnding(text: string): string {
  let end = text.length;
  while (end > 0) {
    const ch = text.charCodeAt(end - 1);
    if (ch === 0x2e || ch === 0x2c || ch === 0x3b || ch === 0x3a || /\s/.test(text[end - 1] as string)) end--;
    else break;
  }
  return end === text.length ? text.trim() : text.slice(0, end).trim();
}

const WORD = dualPattern(/[\p{L}\p{N}]+(?:['.-][\p{L}\p{N}]+)*/gu);

/** Word tokens of normalized text (letters and digits; inner apostrophes, dots and hyphens kept). */
export function wordTokens(norm: string): string[] {
  return norm.match(WORD.for(norm)) ?? [];
}

export function fingerprint(norm: string): string {
  return hash("sha256", norm, "hex").slice(0, 16);
}
