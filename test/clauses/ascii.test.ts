import { describe, expect, it } from "vitest";
import { asciiTwin, dualPattern, isPlainAscii } from "../../src/clauses/ascii.js";
import { MODAL_PATTERNS, NEGATION_EUROPEAN } from "../../src/diff/modality.js";

/** Deterministic ASCII strings drawn from characters the patterns below care about. */
function asciiSamples(count: number): string[] {
  const pieces = [
    "a",
    "Z",
    "k",
    "s",
    "K",
    "9",
    "0",
    " ",
    "  ",
    "\n",
    "\t",
    ".",
    ",",
    ";",
    "-",
    "'",
    "$",
    "%",
    "&",
  ];
  const words = ["US", "NATO", "one", "a", "hundred", "Article", "5", "600,000", "days", "Ukraine", "the"];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  return Array.from({ length: count }, () => {
    let text = "";
    const length = Math.floor(next() * 16);
    for (let i = 0; i < length; i++) {
      const from = next() < 0.5 ? pieces : words;
      text += from[Math.floor(next() * from.length)];
    }
    return text;
  });
}

const PATTERNS = [
  /[\p{L}\p{N}]+(?:['.-][\p{L}\p{N}]+)*/gu,
  /(?<=[\p{L}\p{N},;] )(\p{Lu}[\p{L}\p{M}'’-]*)/gu,
  /(?:\p{Lu}\.){2,}|\p{Lu}\.(?=\s+\p{Lu})|[^\s\p{L}\p{N}]/gu,
  /\b(one|a|hundred)(?:[\s-]+([\p{L}]+))?/giu,
  /(?<![\p{L}\p{N}.,])(\d{1,3}(?:[ ,.'’\u00A0]\d{3})+|\d+)(?![\p{L}\p{N}])/giu,
  /[^\p{M}]\p{Ll}+/gu,
];

describe("asciiTwin", () => {
  it("spells property escapes as ASCII ranges, inside and outside classes, and drops the u flag", () => {
    const twin = asciiTwin(/[^\s\p{L}\p{N}]\p{Lu}[\p{M}x]/gu);
    expect(twin.source).toBe("[^\\sA-Za-z0-9][A-Z][x]");
    expect(twin.flags).toBe("g");
  });

  it("matches exactly what the Unicode pattern matches on ASCII text", () => {
    const samples = asciiSamples(3000);
    for (const pattern of PATTERNS) {
      const twin = asciiTwin(pattern);
      for (const text of samples) {
        expect([...text.matchAll(twin)].map((m) => [m.index, ...m])).toEqual(
          [...text.matchAll(pattern)].map((m) => [m.index, ...m]),
        );
      }
    }
  });

  it("reads negations and modals of European copies on ASCII text exactly as their Unicode patterns do", () => {
    const words = [
      "kann",
      "Ne",
      "pas",
      "non",
      "-",
      "n'",
      "a",
      "muss",
      "podra",
      "nie",
      "K",
      "s",
      "'",
      " ",
      "  ",
    ];
    let seed = 11;
    const samples = Array.from({ length: 2000 }, () => {
      let text = "";
      for (let i = 0; i < 8; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += words[seed % words.length];
      }
      return text;
    });
    const patterns = [NEGATION_EUROPEAN, ...MODAL_PATTERNS.map(([pattern]) => pattern)];
    let matched = 0;
    for (const pattern of patterns) {
      const twin = asciiTwin(pattern);
      for (const text of samples) {
        const expected = [...text.matchAll(pattern)].map((m) => [m.index, m[0]]);
        matched += expected.length;
        expect([...text.matchAll(twin)].map((m) => [m.index, m[0]])).toEqual(expected);
      }
    }
    expect(matched).toBeGreaterThan(300);
  });

  it("refuses what it cannot rewrite faithfully", () => {
    expect(() => asciiTwin(/\P{L}/u)).toThrow(/unsupported escape \\P/);
    expect(() => asciiTwin(/\p{Script=Cyrillic}/u)).toThrow(/unsupported escape/);
    expect(() => asciiTwin(/\u{1F600}/u)).toThrow(/unsupported escape/);
  });
});

describe("dualPattern", () => {
  it("runs the twin on plain ASCII and the Unicode pattern on anything else", () => {
    const words = dualPattern(/[\p{L}]+/gu);
    expect(words.for("plain text")).toBe(words.ascii);
    expect(words.for("Київ and Kyiv")).toBe(words.unicode);
    expect("Київ and Kyiv".match(words.for("Київ and Kyiv"))).toEqual(["Київ", "and", "Kyiv"]);
    expect(isPlainAscii("tab\tand newline\n")).toBe(true);
    expect(isPlainAscii("curly ’quote")).toBe(false);
  });
});
