/** Numbered headings are a sequence as numbered paragraphs are: a number they skip is reported. */
import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { readClauseSet } from "../../src/document.js";

const read = (text: string, contentType?: string) =>
  readClauseSet(text, { source: "charter", ...(contentType ? { contentType } : {}) });
const gaps = (text: string, contentType?: string) =>
  (read(text, contentType).warnings ?? []).filter((warning) => warning.code === "numbering-gap");

describe("numbered headings", () => {
  it("warns of numbers an HTML page's headings skip, in figures and in Roman numerals", () => {
    const html = `<html><body><main><h1>Charter</h1>
      <h2>1. Purpose</h2><p>The charter says how the garden is shared.</p>
      <h2>2. Scope</h2><p>It covers every plot.</p>
      <h2>5. Signatures</h2><p>Each member signs the register.</p>
      <h2>VI. Annex</h2><p>A map of the plots.</p>
      <h2>IX. Contacts</h2><p>The secretary answers questions.</p>
    </main></body></html>`;

    expect(gaps(html, "text/html").map((warning) => [warning.at, warning.missing])).toEqual([
      ["2", ["3", "4"]],
      ["VI", ["VII", "VIII"]],
    ]);
  });

  it("warns of a Markdown section skipped, and says nothing of sections in order with their sub-sections", () => {
    const whole =
      "# Terms\n\n## 1. Accounts\n\n### 1.1 Opening\n\nText.\n\n### 1.2 Closing\n\nText.\n\n## 2. Fees\n\nText.\n\n## 3. Ending\n\nText.\n";
    const partial = whole.replace("## 2. Fees\n\nText.\n\n", "");

    expect(gaps(whole, "text/markdown")).toEqual([]);
    expect(gaps(partial, "text/markdown").map((warning) => warning.missing)).toEqual([["2"]]);
  });
});

describe("annexes after a document's articles", () => {
  const treaty = [
    "Accord on the shared grid",
    "",
    "Article 1",
    "The Parties shall link their networks at two points on the border.",
    "",
    "Article 2",
    "Each Party shall publish its transfer tariffs every year.",
    "",
    "ANNEX A",
    "1. The first link runs from Lenno to Varsk.",
    "2. The second link runs from Ostra to Kelm.",
    "",
    "ANNEX B",
    "1. The operators shall hold a reserve of 300 megawatts for the other Party.",
    "2. Outages are reported to the joint desk within one hour.",
  ].join("\n");

  it("reads neither the articles nor the annexes as context, though the annexes hold more words", () => {
    const set = parseClauses({ source: "accord.txt", format: "text", text: treaty });
    expect(set.clauses.filter((clause) => clause.context).map((clause) => clause.key)).toEqual(["Title"]);
    expect(set.clauses.filter((clause) => clause.label !== null)).toHaveLength(8);
  });
});
