import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { readClauseSet } from "../../src/document.js";
import { ExtractError } from "../../src/errors.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/plan/${name}`, import.meta.url), "utf8");
const parseText = (text: string) => parseClauses({ source: "inline", format: "text", text });

describe("parseClauses on plain text", () => {
  it("reads the 28-point draft with its title, labels and sub-items", () => {
    const set = parseText(fixture("v1-draft.txt"));

    expect(set.title).toBe("Draft peace framework — 28 points");
    expect(set.clauses.map((clause) => clause.key)).toEqual(
      Array.from({ length: 28 }, (_, i) => String(i + 1)),
    );
    expect(set.clauses[9]?.items).toHaveLength(4);
    expect(set.clauses[20]?.text).toBe("Territories:");
    expect(set.clauses[20]?.items.length).toBeGreaterThanOrEqual(4);
    expect(set.clauses[25]?.text).toMatch(/audit/);
  });

  it("joins hard-wrapped lines and attaches wrapped sub-items to their parent", () => {
    const set = parseText(
      [
        "1. The parties will sign a pact",
        "   renouncing aggression.",
        "2. Frozen funds will be used:",
        "   • $100 billion goes to",
        "     reconstruction;",
        "   • the rest is held.",
        "3. Elections follow.",
      ].join("\n"),
    );

    expect(set.clauses.map((clause) => clause.text)).toEqual([
      "The parties will sign a pact renouncing aggression.",
      "Frozen funds will be used:",
      "Elections follow.",
    ]);
    expect(set.clauses[1]?.items.map((item) => item.text)).toEqual([
      "$100 billion goes to reconstruction;",
      "the rest is held.",
    ]);
  });

  it("skips a short numbered sidebar and keeps prose around the list out of the clauses", () => {
    const set = parseText(
      [
        "Most read",
        "1. Markets fall",
        "2. Storm warning",
        "",
        "Officials described the plan on Thursday in some detail to reporters.",
        "",
        "1. Ukraine's sovereignty will be confirmed by all sides to the agreement.",
        "2. Russia, Ukraine and Europe will conclude a non-aggression pact.",
        "3. NATO will not expand further to the east of its present members.",
        "",
        "The talks resume next week, officials said.",
      ].join("\n"),
    );

    expect(set.clauses).toHaveLength(3);
    expect(set.clauses[0]?.text).toMatch(/^Ukraine's sovereignty/);
    expect(set.clauses[2]?.text).toBe("NATO will not expand further to the east of its present members.");
  });

  it("keeps a heading line printed under a label with its clause", () => {
    const set = parseText(
      [
        "20. Schools will teach tolerance.",
        "21.",
        "Territories:",
        "— Crimea is recognised.",
        "22. Borders are final.",
      ].join("\n"),
    );

    expect(set.clauses[1]).toMatchObject({ key: "21", text: "Territories:" });
    expect(set.clauses[1]?.items.map((item) => item.text)).toEqual(["Crimea is recognised."]);
  });

  it("reads word labels, roman numerals and inserted clauses", () => {
    const worded = parseText(
      "Article I. Scope of the accord.\nArticle II. Duration of the accord.\nArticle III. Entry into force.",
    );
    const inserted = parseText("9. Nine.\n10. Ten.\n10a. Inserted after ten.\n11. Eleven.");

    expect(worded.style).toBe("roman");
    expect(worded.clauses.map((clause) => clause.key)).toEqual(["I", "II", "III"]);
    expect(inserted.clauses.map((clause) => clause.key)).toEqual(["9", "10", "10a", "11"]);
  });

  it("drops a counter-proposal's 'Deleted' placeholder but keeps the numbering", () => {
    const set = parseText("1. Keep this.\n2. Deleted.\n3. Keep that.");

    expect(set.clauses.map((clause) => clause.key)).toEqual(["1", "3"]);
  });

  it("labels an unnumbered bullet list by position", () => {
    const set = parseText(
      "Key terms:\n\n• A ceasefire along the line.\n• An exchange of prisoners.\n• Elections next year.",
    );

    expect(set.style).toBe("position");
    expect(set.clauses.map((clause) => clause.key)).toEqual(["#1", "#2", "#3"]);
  });

  it("refuses a document without any list, naming the source", () => {
    const read = () =>
      parseClauses({ source: "notes.txt", format: "text", text: "Just one paragraph of prose." });

    expect(read).toThrow(ExtractError);
    expect(read).toThrow(/notes\.txt: no numbered or bulleted list found/);
  });

  it("gives typographic variants of the same clause the same fingerprint", () => {
    const plain = parseText(fixture("v2-amnesty.txt"));
    const cosmetic = parseText(fixture("v2-cosmetic.txt"));

    expect(cosmetic.clauses.map((clause) => clause.fingerprint)).toEqual(
      plain.clauses.map((clause) => clause.fingerprint),
    );
    expect(cosmetic.clauses[5]?.text).toContain("600\u202F000");
  });
});

describe("readClauseSet across formats", () => {
  const reference = parseText(fixture("v2-amnesty.txt")).clauses.map((clause) => clause.fingerprint);

  it.each([["v2-cosmetic.md"], ["article.html"], ["article-noise.html"], ["article-paragraphs.html"]])(
    "reads %s as the same 28 clauses as the text version",
    (name) => {
      const set = readClauseSet(fixture(name), { source: name });

      expect(set.clauses.map((clause) => clause.fingerprint)).toEqual(reference);
    },
  );

  it("uses the page title of an HTML article", () => {
    const set = readClauseSet(fixture("article.html"), { source: "article.html" });

    expect(set.title).toMatch(/28-point plan/);
  });

  it("decides the format from content when the name says nothing", () => {
    const set = readClauseSet(
      "<!doctype html><html><body><ol><li>One thing.</li><li>Another thing.</li></ol></body></html>",
      {
        source: "-",
      },
    );

    expect(set.clauses.map((clause) => clause.text)).toEqual(["One thing.", "Another thing."]);
  });
});
