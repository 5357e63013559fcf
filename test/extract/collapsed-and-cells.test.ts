/**
 * Text a page holds but shows only on demand (accordion panels, closed tabs) and items set on
 * lines of their own inside a table cell: both read as the document they are.
 */
import { describe, expect, it } from "vitest";
import { readClauseSet } from "../../src/document.js";
import { extractPage } from "../../src/extract/index.js";

const paths = (html: string) =>
  readClauseSet(html, { source: "terms", contentType: "text/html" })
    .clauses.filter((clause) => !clause.context && clause.kind !== "title")
    .map((clause) => `${clause.key} ${clause.heading ?? clause.text}`);

describe("collapsed panels", () => {
  const page = `<html><body><main><h1>Club rules</h1>
    <h3><button aria-expanded="true" aria-controls="join">1. Joining</button></h3>
    <div id="join" role="region"><p>1.1 Anyone over sixteen may join.</p></div>
    <h3><button aria-expanded="false" aria-controls="fees">2. Fees</button></h3>
    <div id="fees" role="region" hidden><p>2.1 Fees are due each month.</p><p>2.2 Students pay half.</p></div>
    <h3><button aria-expanded="false" aria-controls="leave">3. Leaving</button></h3>
    <div id="leave" style="display: none"><p>3.1 Members may leave at any time.</p></div>
    <h3><button aria-expanded="false">4. Conduct</button></h3>
    <div class="panel" hidden><p>4.1 Members respect the staff.</p></div>
    <div class="overlay" hidden><p>Your session has expired, sign in again.</p></div>
    <p><button type="button">Print these rules</button></p>
  </main></body></html>`;

  it("reads the headings of an accordion and the panels it keeps closed", () => {
    expect(paths(page)).toEqual([
      "1 Joining",
      "1.1 Anyone over sixteen may join.",
      "2 Fees",
      "2.1 Fees are due each month.",
      "2.2 Students pay half.",
      "3 Leaving",
      "3.1 Members may leave at any time.",
      "4 Conduct",
      "4.1 Members respect the staff.",
    ]);
  });

  it("still leaves out hidden text no toggle opens, and buttons outside headings", () => {
    const rules = (extractPage(page, {}, true).removed ?? []).map((entry) => entry.rule);

    expect(rules).toContain("hidden");
    expect(paths(page).join(" ")).not.toMatch(/session has expired|Print these rules/);
  });
});

describe("items on lines of their own in a table cell", () => {
  const table = (cell: string) => `<html><body><main><h1>Licence conditions</h1><table>
    <tr><th>No.</th><th>Condition</th></tr>
    <tr><td>1</td><td>The holder keeps the premises clean.</td></tr>
    <tr><td>2</td><td>${cell}</td></tr>
    <tr><td>3</td><td>The licence lasts one year.</td></tr>
  </table></main></body></html>`;

  it("reads them as the row's sub-items, as in a paragraph", () => {
    const result = paths(
      table(
        "The holder tells the council of any plan to:<br>(a) sell alcohol;<br>(b) play music<br>after eleven;",
      ),
    );

    expect(result).toEqual([
      "1 The holder keeps the premises clean.",
      "2 The holder tells the council of any plan to:",
      "2(a) sell alcohol;",
      "2(b) play music after eleven;",
      "3 The licence lasts one year.",
    ]);
  });

  it("keeps lines that open with no label in their row", () => {
    const result = paths(table("The holder keeps a register<br>at the premises."));

    expect(result[1]).toBe("2 The holder keeps a register at the premises.");
    expect(result).toHaveLength(3);
  });
});
