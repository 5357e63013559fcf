import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import {
  clauseName,
  clauseNoun,
  digestHeadline,
  entryHeadline,
  outlineSize,
} from "../../src/report/headline.js";
import { renderText } from "../../src/report/render.js";

const load = (name: string) =>
  readClauseSet(readFileSync(new URL(`../fixtures/plan/${name}`, import.meta.url), "utf8"), { source: name });

describe("headlines", () => {
  it("sums up the counter-proposal within 140 characters, most important first", () => {
    const headline = digestHeadline(diffClauses(load("v2-amnesty.txt"), load("counter.txt")), {
      prefix: "Peace plan",
    });

    expect(headline.length).toBeLessThanOrEqual(140);
    expect(headline).toBe(
      "Peace plan: Point 6 (now 5): 600,000 → 800,000 people; Point 14 •1 (now 12 •2): $100 billion → $150 billion; 50% dropped; +18 more",
    );
  });

  it("says when nothing substantive changed", () => {
    expect(digestHeadline(diffClauses(load("v2-amnesty.txt"), load("v2-cosmetic.txt")))).toBe(
      "no substantive change",
    );
  });

  it("describes splits, merges and moves with both numberings", () => {
    const result = diffClauses(load("v2-amnesty.txt"), load("revision.txt"));
    const lines = result.entries
      .filter((entry) => ["split", "merged", "moved"].includes(entry.kind))
      .map((e) => entryHeadline(e));

    expect(lines).toEqual([
      "Point 25 moved to 3",
      "Points 7 and 8 merged into 6",
      "Points 14 •1 and 14 •2 merged into 10",
    ]);
  });

  it("reports a point removed with its sub-items as one line", () => {
    const headline = digestHeadline(diffClauses(load("v2-amnesty.txt"), load("revision.txt")), { max: 400 });

    expect(headline).toContain("Point 13 removed");
    expect(headline).not.toContain("13 •1");
  });

  it("uses the document's own word for its clauses", () => {
    const articles = readClauseSet("Article 1. Scope.\nArticle 2. Duration.", { source: "a.txt" });
    const sections = readClauseSet("§ 1 Scope.\n§ 2 Duration.", { source: "b.txt" });

    expect(clauseNoun(articles)).toBe("Article");
    expect(clauseNoun(sections)).toBe("§");
    expect(clauseNoun(load("v1-draft.txt"))).toBe("Point");
  });

  it("lists only changes in the text report unless asked for everything", () => {
    const result = diffClauses(load("v1-draft.txt"), load("v2-amnesty.txt"));

    expect(renderText(result)).not.toContain("Point 1 unchanged");
    expect(renderText(result, { all: true })).toContain("Point 1 unchanged");
  });
});

describe("clause names in headlines", () => {
  it("puts the document's noun before numbers only, never before a path that names itself", () => {
    expect(
      ["26", "6 ¶1", "IV", "Article 3(2)", "Privacy ¶2", "¶7", "•2", "§ 4(1)", "Preamble"].map((path) =>
        clauseName(path, "Point"),
      ),
    ).toEqual([
      "Point 26",
      "Point 6 ¶1",
      "Point IV",
      "Article 3(2)",
      "Privacy ¶2",
      "¶7",
      "•2",
      "§ 4(1)",
      "Preamble",
    ]);
  });

  it("sizes an outline by its points, and by its clauses when the points have sub-items", () => {
    expect(outlineSize(load("v1-draft.txt"))).toBe("28 points, 55 clauses");
    expect(outlineSize(readClauseSet("- one\n- two\n", { source: "list.txt" }))).toBe("2 clauses");
  });
});
