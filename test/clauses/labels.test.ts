import { describe, expect, it } from "vitest";
import { labelKey, parseLabels, romanValue } from "../../src/clauses/labels.js";
import { text } from "../helpers/outline.js";

function first(line: string) {
  const [label] = parseLabels(line);
  return label ? { family: label.family, value: label.value, word: label.word, rest: label.rest } : undefined;
}

describe("parseLabels", () => {
  it.each([
    ["1. Text", { family: "decimal", value: 1, word: "", rest: "Text" }],
    ["12) Text", { family: "decimal", value: 12, word: "", rest: "Text" }],
    ["(3) Text", { family: "decimal", value: 3, word: "", rest: "Text" }],
    ["Point 26: Text", { family: "decimal", value: 26, word: "point", rest: "Text" }],
    ["Article 4 - Text", { family: "decimal", value: 4, word: "article", rest: "Text" }],
    ["Art. 7. Text", { family: "decimal", value: 7, word: "article", rest: "Text" }],
    ["SEC. 2. Text", { family: "decimal", value: 2, word: "section", rest: "Text" }],
    ["3 | Text", { family: "decimal", value: 3, word: "", rest: "Text" }],
    ["§ 5 Text", { family: "decimal", value: 5, word: "§", rest: "Text" }],
    ["1.º Text", { family: "decimal", value: 1, word: "", rest: "Text" }],
    ["2 – Text", { family: "decimal", value: 2, word: "", rest: "Text" }],
    ["8- Text", { family: "decimal", value: 8, word: "", rest: "Text" }],
    ["IV. Text", { family: "roman-upper", value: 4, word: "", rest: "Text" }],
    ["Article XII Text", { family: "roman-upper", value: 12, word: "article", rest: "Text" }],
    ["b) text", { family: "alpha-lower", value: 2, word: "", rest: "text" }],
    ["— text", { family: "bullet", value: 0, word: "", rest: "text" }],
    ["• text", { family: "bullet", value: 0, word: "", rest: "text" }],
  ])("reads %j", (line, expected) => {
    expect(first(line)).toEqual(expected);
  });

  it.each([
    "600,000 troops will stay",
    "2014-2022 was a period",
    "1.5 million people",
    "10:30 meeting",
    "Point 26 was changed by Kyiv",
    "-5% growth",
  ])("does not take %j for a label", (line) => {
    expect(parseLabels(line).filter((label) => !label.weak)).toEqual([]);
  });

  it("offers both readings of a letter that is also a roman numeral", () => {
    const families = parseLabels("i) text").map((label) => label.family);

    expect(families).toEqual(["roman-lower", "alpha-lower"]);
  });

  it("reads multi-level numbers with their parts, with or without a closing dot", () => {
    expect(parseLabels("3.2 Text")[0]).toMatchObject({
      family: "decimal",
      value: 3,
      parts: [3, 2],
      name: "3.2",
    });
    expect(parseLabels("1.1.4. text")[0]).toMatchObject({ parts: [1, 1, 4], name: "1.1.4", rest: "text" });
    expect(parseLabels("2.5 million people")).toEqual([]);
  });

  it("reads a three-level number before a lower-case word as one label, never as a shorter one", () => {
    expect(parseLabels("1.2.1 clinical trial data")[0]).toMatchObject({
      parts: [1, 2, 1],
      name: "1.2.1",
      rest: "clinical trial data",
    });
    expect(parseLabels("A.2.1 dessert apples")[0]).toMatchObject({ name: "A.2.1", rest: "dessert apples" });
    // Two levels before a lower-case word stay a figure; a version string glued to a word is no label.
    expect(parseLabels("1.2 percent of them")).toEqual([]);
    expect(parseLabels("A.2 apples")).toEqual([]);
    expect(parseLabels("1.2.1x")).toEqual([]);
  });

  it("needs a space between a label word and its number, so words that start like one are text", () => {
    expect(parseLabels("Parties. You and we agree.")).toEqual([]);
    expect(parseLabels("Artistic works are covered.")).toEqual([]);
    expect(parseLabels("Art.7 Scope")[0]).toMatchObject({ word: "article", value: 7 });
  });

  it("reads labels in the plan's other languages and lettered annexes", () => {
    expect(first("Пункт 7. Текст")).toEqual({ family: "decimal", value: 7, word: "point", rest: "Текст" });
    expect(first("Artículo 3: Texto")).toEqual({
      family: "decimal",
      value: 3,
      word: "article",
      rest: "Texto",
    });
    expect(first("Annex B Text")).toEqual({ family: "alpha-upper", value: 2, word: "annex", rest: "Text" });
  });
});

describe("legal numbering by words", () => {
  it.each([
    ["Article premier. Objet de l'accord", "1", "article"],
    ["Article 1er. Objet", "1er", "article"],
    ["Article 12 bis. Les observateurs", "12 bis", "article"],
    ["Art. 4 quater - Texto", "4 quater", "article"],
    ["Cláusula primera. Objeto", "1", "clause"],
    ["Artículo segundo. Vigencia", "2", "article"],
    ["PRIMERA.- Objeto del contrato", "1", ""],
    ["DÉCIMA. JURISDICCIÓN", "10", ""],
    ["Segunda.- Precio", "2", ""],
  ])("reads %j as label %j of word %j", (line, name, word) => {
    const label = parseLabels(line)[0];

    expect([label?.name, label?.word]).toEqual([name, word]);
  });

  it("leaves a sentence that opens with an ordinal as text", () => {
    expect(parseLabels("Primero: conviene recordar el contexto.")).toEqual([]);
  });

  it("orders 12, 12 bis, 12 ter, 12 quater, 13 as one sequence", () => {
    const set = text(
      [
        "Article 12. Un.",
        "Article 12 bis. Deux.",
        "Article 12 ter. Trois.",
        "Article 12 quater. Quatre.",
        "Article 13. Cinq.",
      ].join("\n"),
    );

    expect(set.clauses.map((clause) => `${clause.depth} ${clause.key}`)).toEqual([
      "0 Article 12",
      "0 Article 12 bis",
      "0 Article 12 ter",
      "0 Article 12 quater",
      "0 Article 13",
    ]);
  });
});

describe("dates wrapped to the start of a line", () => {
  it.each([
    "15. November 2025 in Kraft, sofern",
    "3 березня 2022 року сторони",
    "1 January 2026, unless",
    "12. mai 2025.",
  ])("reads %j as no label when a month and year follow the day", (line) => {
    const labels = parseLabels(line).filter((label) => label.family !== "bullet");

    expect(labels).toEqual([]);
  });

  it("keeps a numbered point whose text opens with a month name as prose", () => {
    expect(parseLabels("15. November elections are held in every region.")[0]?.name).toBe("15");
    expect(parseLabels("4. May the parties meet again?")[0]?.name).toBe("4");
  });
});

describe("roman numerals and keys", () => {
  it("converts valid numerals and rejects invalid ones", () => {
    expect(romanValue("XIV")).toBe(14);
    expect(romanValue("mcmxc")).toBe(1990);
    expect(romanValue("IIII")).toBeUndefined();
  });

  it("keys clauses by their normalized label", () => {
    const keys = ["10a. Text", "Point 26: Text", "iv. Text", "(b) Text", "B.2.1 Text", "C.4. text"].map(
      (line) => {
        const label = parseLabels(line)[0];
        return label ? labelKey(label) : undefined;
      },
    );

    expect(keys).toEqual(["10a", "26", "IV", "b", "B.2.1", "C.4"]);
  });
});
