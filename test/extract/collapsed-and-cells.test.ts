/**
 * Text a page holds but shows only on demand (accordion panels, closed tabs), items set on lines
 * of their own inside a table cell, and the paragraphs a main region sets beside the block that
 * holds most of its text: all read as the document they are.
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

describe("paragraphs a main region sets beside its text", () => {
  const articles = (word: string) =>
    Array.from(
      { length: 5 },
      (_, i) =>
        `<h3>Article ${i + 1}</h3><p>${word} ${i + 1}: the parties share the data of every gauge on the river, ` +
        `meet twice a year, and settle a dispute about the flow before the joint commission first.</p>`,
    ).join("");
  const page = `<html><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
    <main><h1>Agreement on the river</h1>
    <p>The English and French texts are equally authentic.</p>
    <div class="bilingual"><section lang="en"><h2>English text</h2>${articles("Point")}</section>
    <section lang="fr"><h2>Texte français</h2>${articles("Point")}</section></div>
    <p>Done at Lille on 12 June 2024 in two originals.</p></main>
    <footer><p>Ministry of Water, 2024</p></footer></body></html>`;

  it("keeps the note before the text and the signing line after it", () => {
    const clauses = readClauseSet(page, { source: "treaty", contentType: "text/html" }).clauses;
    const byKey = new Map(clauses.map((clause) => [clause.key, clause.text]));

    expect(byKey.get("Preamble")).toBe("The English and French texts are equally authentic.");
    expect(byKey.get("Closing")).toBe("Done at Lille on 12 June 2024 in two originals.");
    expect([...byKey.values()].join(" ")).not.toMatch(/Ministry of Water|Home/);
  });
});

describe("struck text", () => {
  const page = `<html><body><main><h1>Delivery terms</h1><ol>
    <li>Deliveries are made within <del>5 km</del> <ins>8 km</ins> of the depot.</li>
    <li>A driver needs <s>a licence</s> a permit issued by the town.</li>
    <li>Fees are paid <strike>weekly</strike> monthly in advance.</li>
  </ol></main></body></html>`;

  it("reads what a copy says now, and lists the struck words as left out", () => {
    expect(paths(page)).toEqual([
      "1 Deliveries are made within 8 km of the depot.",
      "2 A driver needs a permit issued by the town.",
      "3 Fees are paid monthly in advance.",
    ]);
    const removed = extractPage(page, {}, true).removed ?? [];
    expect(removed.map((removal) => [removal.rule, removal.element, removal.text])).toEqual([
      ["struck", "del", "5 km"],
      ["struck", "s", "a licence"],
      ["struck", "strike", "weekly"],
    ]);
  });
});

describe("furniture that starts like a clause the copy lacks", () => {
  const page = (extra: string) => `<html><body><main><article><h1>House rules of the rowing club</h1>
    <p>These rules bind every member and every guest of the club.</p>
    <ol><li>Boats leave the shed only with the cox on duty told.</li>
    <li>Members sign the log before and after each outing.</li></ol>
    ${extra}
    <p>The board may change these rules at the yearly meeting.</p>
  </article></main></body></html>`;
  const leftOut = (html: string) =>
    readClauseSet(html, { source: "rules", contentType: "text/html" }).warnings.filter(
      (warning) => warning.code === "left-out-clause",
    );

  it("warns of an aside or a related-links block that holds the next points, naming where they would stand", () => {
    const warnings = leftOut(
      page(`<aside class="note"><p>3. Guests row only with a member aboard.</p></aside>
        <div class="related-provisions"><p>4. Lost oars are paid for by the crew.</p></div>`),
    );
    expect(warnings.map((warning) => warning.at)).toEqual(["2", "2"]);
    expect(warnings[0]?.message).toContain('starts like clause 3, which the copy lacks: "3. Guests row only');
    expect(warnings[1]?.message).toContain("div.related-provisions");
  });

  it("says nothing of furniture whose numbers the copy has, or that starts far past them", () => {
    expect(
      leftOut(
        page(`<aside class="most-read"><ol><li>1. Regatta results</li><li>2. New boats</li></ol></aside>
          <div class="promo"><p>9. reasons to join the club this spring</p></div>`),
      ),
    ).toEqual([]);
  });
});
