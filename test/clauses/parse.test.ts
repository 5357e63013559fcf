import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { readClauseSet } from "../../src/document.js";
import { ExtractError } from "../../src/errors.js";
import type { ClauseSet } from "../../src/types.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/plan/${name}`, import.meta.url), "utf8");
const parseText = (text: string) => parseClauses({ source: "inline", format: "text", text });
const paths = (set: ClauseSet) => set.clauses.map((clause) => clause.key);
const byPath = (set: ClauseSet, path: string) => set.clauses.find((clause) => clause.key === path);

describe("parseClauses on plain text", () => {
  it("reads the 28-point draft with its title, points and their sub-items as children", () => {
    const set = parseText(fixture("v1-draft.txt"));

    expect(set.title).toBe("Draft peace framework — 28 points");
    expect(
      set.clauses.filter((clause) => clause.depth === 0 && clause.kind === "numbered").map((c) => c.key),
    ).toEqual(Array.from({ length: 28 }, (_, i) => String(i + 1)));
    expect(set.clauses.filter((clause) => clause.parent === "10").map((clause) => clause.key)).toEqual([
      "10 •1",
      "10 •2",
      "10 •3",
      "10 •4",
    ]);
    expect(byPath(set, "10 •2")).toMatchObject({ kind: "bullet", depth: 1, label: null, parent: "10" });
    expect(byPath(set, "21")?.text).toBe("Territories:");
    expect(byPath(set, "26")?.text).toMatch(/audit/);
    expect(set.coverage).toEqual({ words: set.coverage.placed, placed: set.coverage.placed });
    expect(set.warnings).toEqual([]);
  });

  it("joins hard-wrapped lines and keeps wrapped sub-items under their parent", () => {
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

    expect(set.clauses.map((clause) => [clause.key, clause.text])).toEqual([
      ["1", "The parties will sign a pact renouncing aggression."],
      ["2", "Frozen funds will be used:"],
      ["2 •1", "$100 billion goes to reconstruction;"],
      ["2 •2", "the rest is held."],
      ["3", "Elections follow."],
    ]);
  });

  it("keeps the prose around a plan printed in an article as context, and a numbered sidebar too", () => {
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

    const document = set.clauses.filter((clause) => !clause.context);
    expect(document.map((clause) => clause.key)).toEqual(["1~2", "2~2", "3"]);
    expect(document[2]?.text).toBe("NATO will not expand further to the east of its present members.");
    expect(
      set.clauses.filter((clause) => clause.context).map((clause) => clause.heading ?? clause.text),
    ).toEqual([
      "Most read",
      "Markets fall",
      "Storm warning",
      "Officials described the plan on Thursday in some detail to reporters.",
      "The talks resume next week, officials said.",
    ]);
    expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("keeps a heading line printed under a bare label with its clause", () => {
    const set = parseText(
      [
        "20. Schools will teach tolerance.",
        "21.",
        "Territories:",
        "— Crimea is recognised.",
        "22. Borders are final.",
      ].join("\n"),
    );

    expect(byPath(set, "21")).toMatchObject({ text: "Territories:" });
    expect(set.clauses.filter((clause) => clause.parent === "21").map((clause) => clause.text)).toEqual([
      "Crimea is recognised.",
    ]);
  });

  it("reads word labels, roman numerals and inserted clauses", () => {
    const worded = parseText(
      "Article I. Scope of the accord.\nArticle II. Duration of the accord.\nArticle III. Entry into force.",
    );
    const inserted = parseText("9. Nine.\n10. Ten.\n10a. Inserted after ten.\n11. Eleven.");

    expect(worded.style).toBe("roman");
    expect(paths(worded)).toEqual(["Article I", "Article II", "Article III"]);
    expect(worded.clauses.map((clause) => clause.label)).toEqual(["I", "II", "III"]);
    expect(paths(inserted)).toEqual(["9", "10", "10a", "11"]);
  });

  it("drops a counter-proposal's deletion placeholders but keeps the numbering and names them", () => {
    const set = parseText(
      [
        "1. Keep this.",
        "2. Deleted.",
        "3. [This point has been removed]",
        "(Point 4 of the draft is excluded)",
        "5. Keep that.",
      ].join("\n"),
    );

    expect(paths(set)).toEqual(["1", "5"]);
    expect(set.deleted).toEqual(["2", "3", "4"]);
    expect(set.warnings.map((warning) => warning.code)).toEqual(["deleted-placeholder"]);
    expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("reads deletion notes in the plan's other languages", () => {
    const set = parseText("1. Залишається.\n2. Виключено.\n3. Gestrichen.\n4. Supprimé.\n5. Bleibt.");

    expect(paths(set)).toEqual(["1", "5"]);
    expect(set.deleted).toEqual(["2", "3", "4"]);
  });

  it("names the items of an unnumbered bullet list by position", () => {
    const set = parseText(
      "Key terms:\n\n• A ceasefire along the line.\n• An exchange of prisoners.\n• Elections next year.",
    );

    expect(set.style).toBe("position");
    expect(paths(set)).toEqual(["Title", "•1", "•2", "•3"]);
  });

  it("reads a plain list of lines without markers as a list of clauses, not an error", () => {
    const set = parseText(
      "Ceasefire along the present line.\nExchange of all prisoners.\nElections within a hundred days.",
    );

    expect(set.clauses.map((clause) => [clause.key, clause.kind])).toEqual([
      ["¶1", "paragraph"],
      ["¶2", "paragraph"],
      ["¶3", "paragraph"],
    ]);
  });

  it("refuses a document with no text at all, naming the source", () => {
    const read = () => parseClauses({ source: "blank.md", format: "markdown", text: "\n\n  <!-- -->\n" });

    expect(read).toThrow(ExtractError);
    expect(read).toThrow(/blank\.md: no text to read/);
  });

  it("gives typographic variants of the same clause the same fingerprint", () => {
    const plain = parseText(fixture("v2-amnesty.txt"));
    const cosmetic = parseText(fixture("v2-cosmetic.txt"));

    expect(cosmetic.clauses.map((clause) => clause.fingerprint)).toEqual(
      plain.clauses.map((clause) => clause.fingerprint),
    );
    expect(byPath(cosmetic, "6")?.text).toContain("600\u202F000");
  });
});

describe("real typesetting", () => {
  it("finds labels glued after a sentence end, a label without a dot and point 1 inside the intro", () => {
    const set = parseText(
      [
        "The proposal handed to Kyiv reads as follows. 1. The independence of Ukraine is reaffirmed. 2. A broad pact against aggression is signed.3. NATO is expected to stop growing.",
        "4. Talks between Russia and NATO are held under US mediation.",
        "5 [The parties agree] that Ukraine receives solid security guarantees.",
        "6. Ukraine keeps at most 600,000 troops.",
      ].join("\n"),
    );

    expect(set.clauses.map((clause) => [clause.key, clause.text])).toEqual([
      ["Preamble", "The proposal handed to Kyiv reads as follows."],
      ["1", "The independence of Ukraine is reaffirmed."],
      ["2", "A broad pact against aggression is signed."],
      ["3", "NATO is expected to stop growing."],
      ["4", "Talks between Russia and NATO are held under US mediation."],
      ["5", "[The parties agree] that Ukraine receives solid security guarantees."],
      ["6", "Ukraine keeps at most 600,000 troops."],
    ]);
    expect(byPath(set, "Preamble")?.context).toBe(true);

    const glued = parseText("1. Ukraine keeps its sovereignty.2. Europe is not attacked. 3. Talks follow.\n");
    expect(glued.clauses.map((clause) => [clause.key, clause.text])).toEqual([
      ["1", "Ukraine keeps its sovereignty."],
      ["2", "Europe is not attacked."],
      ["3", "Talks follow."],
    ]);
    expect(glued.coverage).toEqual({ words: 13, placed: 13 });
  });

  it("does not take a figure or an abbreviation inside a sentence for a label", () => {
    const set = parseText(
      [
        "1. Sanctions ease from 2026. 2027 is the review year.",
        "2. Under Sec. 4. The guarantor reports to No. 7. The board decides.",
        "3. The fund holds $100 billion.",
      ].join("\n"),
    );

    expect(paths(set)).toEqual(["1", "2", "3"]);
    expect(byPath(set, "2")?.text).toBe("Under Sec. 4. The guarantor reports to No. 7. The board decides.");
  });

  it("reads c. and d. after a. and b. as letters, and i. after h. as a letter too", () => {
    const letters = parseText(
      [
        "7. Elections take place:",
        "a. dates are set;",
        "b. observers come;",
        "c. results are published;",
        "d. courts hear disputes.",
      ].join("\n"),
    );
    const eight = parseText(
      [
        "1. Terms:",
        ...["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].map((letter) => `${letter}) item ${letter};`),
      ].join("\n"),
    );

    expect(paths(letters)).toEqual(["7", "7(a)", "7(b)", "7(c)", "7(d)"]);
    expect(eight.clauses.map((clause) => clause.label)).toEqual([
      "1",
      "a",
      "b",
      "c",
      "d",
      "e",
      "f",
      "g",
      "h",
      "i",
      "j",
    ]);
  });

  it("reads roman sub-items (i), (ii), (iii) as roman numerals", () => {
    const set = parseText(
      ["1. The fund pays for:", "(i) housing;", "(ii) roads;", "(iii) schools.", "2. Audits follow."].join(
        "\n",
      ),
    );

    expect(paths(set)).toEqual(["1", "1(i)", "1(ii)", "1(iii)", "2"]);
  });

  it("keeps every run of a partial copy and says which points are missing", () => {
    const set = parseText(
      [
        "The draft, as published",
        "",
        "1. One.",
        "2. Two.",
        "3. Three.",
        "9. Nine.",
        "10. Ten.",
        "11. Eleven.",
      ].join("\n"),
    );

    expect(paths(set)).toEqual(["Title", "1", "2", "3", "9", "10", "11"]);
    expect(set.warnings).toEqual([
      {
        code: "numbering-gap",
        message: "points 4–8 missing (after 3): partial copy?",
        at: "3",
        missing: ["4", "5", "6", "7", "8"],
      },
    ]);
  });

  it("says so when a copy starts past its first point, and when a label is printed twice", () => {
    const late = parseText("11. Eleven.\n12. Twelve.\n13. Thirteen.");
    const twice = parseText("1. One.\n2. Two.\n2. Two again.\n3. Three.");

    expect(late.warnings.map((warning) => warning.message)).toEqual([
      "points 1–10 missing (before 11): partial copy?",
    ]);
    expect(paths(twice)).toEqual(["1", "2", "2~2", "3"]);
    expect(twice.warnings).toEqual([
      { code: "duplicate-label", message: "label 2. appears again at 2~2", at: "2~2" },
    ]);
  });
});

describe("readClauseSet across formats", () => {
  const reference = parseText(fixture("v2-amnesty.txt"))
    .clauses.filter((clause) => !clause.context)
    .map((clause) => clause.fingerprint);

  it.each([["v2-cosmetic.md"], ["article.html"], ["article-noise.html"], ["article-paragraphs.html"]])(
    "reads %s as the same 28 points as the text version",
    (name) => {
      const set = readClauseSet(fixture(name), { source: name });

      expect(set.clauses.filter((clause) => !clause.context).map((clause) => clause.fingerprint)).toEqual(
        reference,
      );
      expect(set.coverage.placed).toBe(set.coverage.words);
    },
  );

  it("uses the page title of an HTML article", () => {
    const set = readClauseSet(fixture("article.html"), { source: "article.html" });

    expect(set.title).toMatch(/28-point plan/);
  });

  it("decides the format from content when the name says nothing", () => {
    const set = readClauseSet(
      "<!doctype html><html><body><ol><li>One thing.</li><li>Another thing.</li></ol></body></html>",
      { source: "-" },
    );

    expect(set.clauses.map((clause) => clause.text)).toEqual(["One thing.", "Another thing."]);
  });
});
