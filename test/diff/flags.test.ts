import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { entities, figures } from "../../src/diff/flags.js";
import { diffClauses, type Flag } from "../../src/diff/index.js";

function flagsOf(before: string, after: string): Flag[] {
  const read = (text: string) =>
    parseClauses({
      source: "inline",
      format: "text",
      text: `1. Opening clause stays the same.\n2. ${text}\n3. Closing clause stays the same.`,
    });
  const entry = diffClauses(read(before), read(after)).entries.find((candidate) => candidate.old[0] === "2");
  return entry?.flags ?? [];
}

const types = (flags: Flag[]) => flags.map((flag) => flag.type);

describe("significance flags", () => {
  it("flags a changed figure with the printed values and what they count", () => {
    const flags = flagsOf(
      "Troops are capped at 600,000 personnel.",
      "Troops are capped at 800,000 personnel.",
    );

    expect(flags).toContainEqual({ type: "number", old: "600,000", new: "800,000", context: "personnel" });
  });

  it("flags a deadline that was dropped", () => {
    const flags = flagsOf(
      "Elections will be held within 100 days of signing.",
      "Elections will be held after signing.",
    );

    expect(flags).toContainEqual({ type: "number", old: "100", context: "days" });
  });

  it("treats $100bn and $100 billion as the same figure", () => {
    expect(figures("$100bn")[0]?.canonical).toBe(figures("$100 billion")[0]?.canonical);
    expect(
      types(flagsOf("Europe adds $100bn to the fund.", "Europe adds $100 billion to the fund.")),
    ).not.toContain("number");
  });

  it("flags a named body replaced by another", () => {
    const flags = flagsOf(
      "Security talks will be mediated by Europe.",
      "Security talks will be mediated by NATO.",
    );

    expect(flags).toContainEqual({ type: "entity", removed: ["Europe"], added: ["NATO"] });
  });

  it("flags a person replaced by a country", () => {
    const flags = flagsOf(
      "The council will be chaired by President Donald J. Trump.",
      "The council will be chaired by the United States.",
    );

    expect(flags).toContainEqual({
      type: "entity",
      removed: ["President Donald J. Trump"],
      added: ["United States"],
    });
  });

  it("flags negation added and removed", () => {
    expect(
      flagsOf("NATO will station troops in Ukraine.", "NATO will not station troops in Ukraine."),
    ).toContainEqual({
      type: "negation",
      removed: [],
      added: ["not"],
    });
    expect(types(flagsOf("Kyiv may act without consent.", "Kyiv may act with consent."))).toContain(
      "negation",
    );
  });

  it("reads cues through typography: a curly apostrophe in won\u2019t still negates", () => {
    const flags = flagsOf("Kyiv will join the alliance.", "Kyiv won\u2019t join the alliance.");

    expect(flags).toContainEqual({ type: "negation", removed: [], added: ["n't"] });
    expect(flags).toContainEqual({ type: "modality", old: ["will"], new: ["won't"] });
  });

  it("flags will → may and will → is expected to, but not will → shall", () => {
    expect(
      flagsOf("Russia will return the territories.", "Russia may return the territories."),
    ).toContainEqual({
      type: "modality",
      old: ["will"],
      new: ["may"],
    });
    expect(
      types(flagsOf("Russia will return the territories.", "Russia is expected to return the territories.")),
    ).toContain("modality");
    expect(
      types(flagsOf("Russia will return the territories.", "Russia shall return the territories.")),
    ).not.toContain("modality");
  });

  it("flags key terms swapped without a rewrite when most wording stays", () => {
    const flags = flagsOf(
      "A joint committee will audit all aid received by the government.",
      "A joint committee will review all aid received by the government.",
    );

    expect(flags).toContainEqual({ type: "terms", removed: ["audit"], added: ["review"] });
    expect(types(flags)).not.toContain("rewrite");
  });

  it("does not take sentence-opening common words for names", () => {
    expect([...entities("Both countries agree. Terms apply to Ukraine.", new Set())]).toEqual(["Ukraine"]);
  });
});
