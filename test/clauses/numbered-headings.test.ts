/** Numbered headings are a sequence as numbered paragraphs are: a number they skip is reported. */
import { describe, expect, it } from "vitest";
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
