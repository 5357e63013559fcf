import { describe, expect, it } from "vitest";
import { pathSlug } from "../../src/history/anchors.js";
import { cssString } from "../../src/history/cite.js";
import { compileMatcher, foldText, highlight, parseQuery, termLabel } from "../../src/history/search.js";

const marked = (text: string, query: string) =>
  highlight(compileMatcher(parseQuery(query)), text).matches.map(([start, end]) => text.slice(start, end));

describe("search terms", () => {
  it("reads words and quoted phrases, folded, each once", () => {
    const terms = parseQuery('AMNÉSTY "Full   Amnesty" amnesty 600,000 "unclosed phrase');

    expect(terms.map(termLabel)).toEqual(["amnesty", '"full amnesty"', '"600 000"', '"unclosed phrase"']);
  });

  it("matches whole words only, in any case and without accents, figures however they are printed", () => {
    expect(marked("Zaporížžia and ZAPORIZHZHIA", "zaporizzia")).toEqual(["Zaporížžia"]);
    expect(marked("An amnesty; amnesties; preamnesty.", "amnesty")).toEqual(["amnesty"]);
    expect(marked("no more than 600 000 troops, not 600.000", "600,000")).toEqual(["600 000", "600.000"]);
    expect(marked("a full\u00a0amnesty, then full, amnesty", '"full amnesty"')).toEqual([
      "full\u00a0amnesty",
      "full, amnesty",
    ]);
  });

  it("marks the printed characters a match folded from, ligatures and combining accents included", () => {
    const text = "the ﬁnal Cafe\u0301 deal";

    expect(marked(text, "final")).toEqual(["ﬁnal"]);
    expect(marked(text, "cafe")).toEqual(["Cafe\u0301"]);
    expect(foldText(text).folded).toBe("the final cafe deal");
  });
});

describe("anchors and style-sheet strings from scraped text", () => {
  it("spells every path as a distinct id without whitespace", () => {
    const paths = [
      "26",
      "5.1(a)",
      "Privacy ¶2",
      "Privacy_¶2",
      "10 •1",
      "Article 3(2)(b)",
      'Terms ]]> "><svg>',
    ];

    const slugs = paths.map(pathSlug);

    expect(slugs).toEqual([
      "26",
      "5.1(a)",
      "Privacy_20_c2_b62",
      "Privacy_5f_c2_b62",
      "10_20_e2_80_a21",
      "Article_203(2)(b)",
      "Terms_20_5d_5d_3e_20_22_3e_3csvg_3e",
    ]);
    expect(new Set(slugs).size).toBe(paths.length);
  });

  it("keeps a citation inside its CSS string, whatever it holds", () => {
    expect(cssString('a "quoted" </style><script>\\ \n line')).toBe(
      '"a \\22 quoted\\22  \\3c /style\\3e \\3c script\\3e \\5c  \\A  line"',
    );
  });
});
