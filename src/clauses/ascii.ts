/**
 * ASCII twins of Unicode-aware patterns. A pattern with the `u` flag and property escapes
 * (`\p{L}`, `\p{N}`) runs several times slower than the same pattern over ASCII classes; on text
 * that is plain ASCII the two match exactly alike, so readers pick the twin for such text.
 */

/** What each supported property escape stands for in ASCII (inside a character class). */
const ASCII_CLASSES: Record<string, string> = {
  L: "A-Za-z",
  Lu: "A-Z",
  Ll: "a-z",
  N: "0-9",
  M: "",
};

/**
 * The pattern with property escapes spelled as ASCII ranges and without the `u` flag. Throws on
 * syntax whose meaning the `u` flag changes and that this does not rewrite (`\P{…}`, `\u{…}`,
 * other properties), so a twin is never silently different.
 */
export function asciiTwin(pattern: RegExp): RegExp {
  const source = pattern.source;
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === "\\") {
      const next = source[i + 1] ?? "";
      if (next === "p") {
        const close = source.indexOf("}", i);
        const name = source.slice(i + 3, close);
        const ascii = ASCII_CLASSES[name];
        if (source[i + 2] !== "{" || ascii === undefined)
          throw new Error(`asciiTwin: unsupported escape \\p{${name}} in /${source}/`);
        out += inClass ? ascii : ascii === "" ? "[]" : `[${ascii}]`;
        i = close;
        continue;
      }
      if (next === "P" || (next === "u" && source[i + 2] === "{"))
        throw new Error(`asciiTwin: unsupported escape \\${next} in /${source}/`);
      out += ch + next;
      i++;
      continue;
    }
    if (ch === "[" && !inClass) inClass = true;
    else if (ch === "]" && inClass) inClass = false;
    out += ch;
  }
  return new RegExp(out, pattern.flags.replace(/[uv]/g, ""));
}

/** Anything but printable ASCII and ordinary whitespace. */
const NON_ASCII = /[^\t\n\r -~]/;

/** The last two texts asked about: the flags of a pair run a dozen patterns over each of its two texts in turn. */
let lastText = "";
let lastAscii = true;
let earlierText = "";
let earlierAscii = true;

/** Printable ASCII and ordinary whitespace only: text that ASCII twins read exactly like the Unicode patterns. */
export function isPlainAscii(text: string): boolean {
  if (text === lastText) return lastAscii;
  if (text === earlierText) return earlierAscii;
  earlierText = lastText;
  earlierAscii = lastAscii;
  lastText = text;
  lastAscii = !NON_ASCII.test(text);
  return lastAscii;
}

export interface DualPattern {
  unicode: RegExp;
  ascii: RegExp;
  /** The pattern to run on this text. */
  for: (text: string) => RegExp;
}

/** A pattern and its ASCII twin. */
export function dualPattern(pattern: RegExp): DualPattern {
  const twin = asciiTwin(pattern);
  return { unicode: pattern, ascii: twin, for: (text) => (isPlainAscii(text) ? twin : pattern) };
}
