import { describe, expect, it } from "vitest";
import {
  decodeEntities,
  foldTypography,
  normalizeForCompare,
  wordTokens,
} from "../../src/clauses/normalize.js";

describe("normalizeForCompare", () => {
  it("treats curly and straight quotes, dashes and odd spaces as the same text", () => {
    const printed = "Ukraine\u2019s army \u2014 capped\u00A0at \u201Cthe line\u201D";

    const plain = 'Ukraine\'s army - capped at "the line"';

    expect(normalizeForCompare(printed)).toBe(normalizeForCompare(plain));
  });

  it("reads the multiplication sign as the letter typed for it", () => {
    expect(normalizeForCompare("a plot of 3 \u00D7 4 m, fees paid 2\u00D7")).toBe(
      "a plot of 3 x 4 m, fees paid 2x",
    );
  });

  it("reads thousands separators of every common style as one number", () => {
    const styles = ["600,000", "600 000", "600\u202F000", "600\u00A0000", "600.000", "600'000"];

    const folded = styles.map((style) => normalizeForCompare(`capped at ${style} personnel`));

    expect(new Set(folded)).toEqual(new Set(["capped at 600000 personnel"]));
  });

  it("keeps decimals and lists of numbers apart from grouped thousands", () => {
    expect(foldTypography("1,5 million and 2.25 percent")).toBe("1,5 million and 2.25 percent");
    expect(foldTypography("points 3, 100 and 200")).toBe("points 3, 100 and 200");
  });

  it("reads initials set with or without spaces between them as the same text", () => {
    expect(normalizeForCompare("H. R. 4821, filed by J. K. Moss")).toBe(
      normalizeForCompare("H.R. 4821, filed by J.K. Moss"),
    );
    // A sentence ending in a letter is not an initial of the word after it.
    expect(normalizeForCompare("plan B. A new plan")).toBe("plan b. a new plan");
  });

  it("does not flatten superscripts and fractions the way plain NFKC would", () => {
    expect(foldTypography("10\u00B2 and \u00BD share")).toBe("10\u00B2 and \u00BD share");
    expect("10\u00B2".normalize("NFKC")).toBe("102");
  });

  it("drops invisible characters and folds full-width forms", () => {
    expect(normalizeForCompare("re\u00ADcon\u200Bstruction \uFF11\uFF12")).toBe("reconstruction 12");
  });

  it("decodes HTML entities left in text copies", () => {
    expect(decodeEntities("Kyiv&#8217;s &amp; Moscow&rsquo;s&nbsp;plan &#x2014; &bogus;")).toBe(
      "Kyiv\u2019s & Moscow\u2019s\u00A0plan \u2014 &bogus;",
    );
  });

  it("ignores a different final punctuation mark but not inner wording", () => {
    expect(normalizeForCompare("Elections will be held.")).toBe(
      normalizeForCompare("Elections will be held;"),
    );
    expect(normalizeForCompare("Elections will be held")).not.toBe(
      normalizeForCompare("Elections may be held"),
    );
  });

  it("splits normalized text into words, keeping inner apostrophes and hyphens", () => {
    expect(wordTokens("ukraine's non-aggression pact, 600000 troops")).toEqual([
      "ukraine's",
      "non-aggression",
      "pact",
      "600000",
      "troops",
    ]);
  });
});
