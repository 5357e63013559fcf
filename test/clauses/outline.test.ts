import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import type { ClauseSet } from "../../src/types.js";

const markdown = (text: string) => parseClauses({ source: "terms.md", format: "markdown", text });
const text = (body: string) => parseClauses({ source: "plan.txt", format: "text", text: body });
const html = (body: string) =>
  readClauseSet(`<!doctype html><html><body>${body}</body></html>`, { source: "page.html" });
const outline = (set: ClauseSet) => set.clauses.map((clause) => `${"  ".repeat(clause.depth)}${clause.key}`);
const byPath = (set: ClauseSet, path: string) => set.clauses.find((clause) => clause.key === path);

describe("outlines from Markdown", () => {
  const terms = [
    "Harbour Library Membership Terms",
    "================================",
    "",
    "These terms apply to every card we issue.",
    "",
    "## 1. Joining",
    "",
    "1. **Who may join.** Anyone living in the county may hold a card.",
    "2. **Proof of address.** We ask for one document showing where you live:",
    "    1. a utility bill;",
    "    2. a tenancy agreement.",
    "",
    "## 2. Borrowing",
    "",
    "Loans run for three weeks.",
    "",
    "Renewals are free unless someone has reserved the item.",
    "",
    "**3\\. Fees**",
    "",
    "| Item | Late fee |",
    "|---|---|",
    "| Book | 20 pence a day |",
    "| Film | 1 pound a day |",
    "",
    "Privacy",
    "-------",
    "",
    "* We keep your loan history for *twelve* months.",
    "* We never sell it.",
  ].join("\n");

  it("reads headings, numbered sections, nested lists, bold title lines, tables and bullets as one tree", () => {
    const set = markdown(terms);

    expect(outline(set)).toEqual([
      "Title",
      "Preamble",
      "1",
      "  1.1",
      "  1.2",
      "    1.2.1",
      "    1.2.2",
      "2",
      "  2 ¶1",
      "  2 ¶2",
      "3",
      "  3 row 1",
      "  3 row 2",
      "  3 row 3",
      "Privacy",
      "  Privacy •1",
      "  Privacy •2",
    ]);
    expect(byPath(set, "1")).toMatchObject({ kind: "heading", heading: "Joining", label: "1", text: "" });
    expect(byPath(set, "1.1")).toMatchObject({
      kind: "numbered",
      heading: "Who may join",
      text: "Anyone living in the county may hold a card.",
      parent: "1",
    });
    expect(byPath(set, "3")).toMatchObject({ kind: "heading", heading: "Fees", label: "3" });
    expect(byPath(set, "3 row 2")?.text).toBe("Book | 20 pence a day");
    expect(byPath(set, "Privacy •1")?.text).toBe("We keep your loan history for twelve months.");
    expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("keeps a table of contents as one navigation clause, out of the numbering", () => {
    const set = markdown(
      [
        "# Service Agreement",
        "",
        "#### Contents",
        "",
        "1. [Accounts](#accounts)",
        "2. [Payments](#payments)",
        "3. [Ending the agreement](#end)",
        "",
        "1. **Accounts**",
        "    1. You keep your password secret.",
        "2. **Payments**",
        "    1. We bill monthly.",
        "3. **Ending the agreement**",
        "    1. Either side may end it with a month's notice.",
      ].join("\n"),
    );

    // The "Contents" heading titles the navigation; the clauses after it are not under it.
    expect(outline(set)).toEqual(["Title", "Contents", "1", "  1.1", "2", "  2.1", "3", "  3.1"]);
    expect(set.warnings).toEqual([]);
    expect(byPath(set, "Contents")).toMatchObject({ kind: "contents", context: true });
    expect(byPath(set, "Contents")?.text).toBe("Contents\n1. Accounts\n2. Payments\n3. Ending the agreement");
    expect(byPath(set, "2")).toMatchObject({ heading: "Payments", text: "" });
  });

  it("names Article 3 › 2. › (b) the way it is cited", () => {
    const set = text(
      [
        "Article 3",
        "1. The council meets twice a year.",
        "2. It may hold extra sessions:",
        "(a) at the request of a member;",
        "(b) when the chair calls one.",
        "Article 4",
        "1. Decisions need a majority.",
      ].join("\n"),
    );

    expect(outline(set)).toEqual([
      "Article 3",
      "  Article 3(1)",
      "  Article 3(2)",
      "    Article 3(2)(a)",
      "    Article 3(2)(b)",
      "Article 4",
      "  Article 4(1)",
    ]);
  });

  it("reads 1 › 1.1 › 1.1.1 numbering printed in paragraphs", () => {
    const set = markdown(
      [
        "1. Definitions",
        "",
        "1.1. In these terms the following words have these meanings.",
        "",
        "1.1.1. Site means our website.",
        "",
        "1.1.2. User means you.",
        "",
        "1.2. Headings are for convenience only.",
        "",
        "2. Use of the site",
        "",
        "2.1 You may browse freely.",
      ].join("\n"),
    );

    expect(outline(set)).toEqual(["1", "  1.1", "    1.1.1", "    1.1.2", "  1.2", "2", "  2.1"]);
    expect(byPath(set, "1.1.1")?.text).toBe("Site means our website.");
  });

  it("keeps paths stable when numbering restarts under each heading", () => {
    const set = markdown(
      ["## Members", "", "1. Join.", "2. Pay.", "", "## Staff", "", "1. Train.", "2. Report."].join("\n"),
    );

    expect(outline(set)).toEqual(["Members", "  1", "  2", "Staff", "  Staff 1", "  Staff 2"]);
  });

  it("never lets emphasis, links, escapes or list style change a label", () => {
    const set = markdown(
      [
        "**1.** The first point.",
        "",
        "[2.](#p2) The second point.",
        "",
        "3\\. The third point.",
        "",
        "*4.* The fourth point.",
        "",
        "[](#anchor)5. The fifth point.",
      ].join("\n"),
    );

    expect(set.clauses.map((clause) => [clause.key, clause.text])).toEqual([
      ["1", "The first point."],
      ["2", "The second point."],
      ["3", "The third point."],
      ["4", "The fourth point."],
      ["5", "The fifth point."],
    ]);
  });
});

describe("outlines from HTML", () => {
  it("reads h1–h6 sections, <ol start>, nested lists and a numbered list resumed after a note", () => {
    const set = html(
      [
        "<h1>Ceasefire framework</h1>",
        "<p>The text below was agreed by the contact group.</p>",
        "<h2>Security</h2>",
        "<ol><li>Troops pull back 20 km.<ol type=a><li>heavy weapons first;</li><li>then the rest.</li></ol></li>",
        "<li>Observers are deployed.</li></ol>",
        "<p>A note from the editors on sources.</p>",
        '<ol start="3"><li>Prisoners are exchanged.</li></ol>',
        "<h2>Economy</h2>",
        "<ul><li>Sanctions ease in stages.</li><li>Trade routes reopen.</li></ul>",
      ].join(""),
    );

    expect(outline(set)).toEqual([
      "Title",
      "Preamble",
      "Security",
      "  1",
      "    1(a)",
      "    1(b)",
      "  2",
      "  Security ¶1",
      "  3",
      "Economy",
      "  Economy •1",
      "  Economy •2",
    ]);
    expect(byPath(set, "1(b)")).toMatchObject({ kind: "numbered", label: "b", depth: 2, parent: "1" });
    expect(set.warnings).toEqual([]);
  });

  it("reads two lists on one page, marking the one that is the document", () => {
    const set = html(
      [
        "<p>Diplomats released the draft on Friday after weeks of talks in Geneva.</p>",
        "<ol><li>All fighting stops at midnight.</li><li>Both sides return prisoners.</li><li>Elections follow within a year.</li></ol>",
        "<p>Reaction was muted in both capitals.</p>",
        "<h3>Most read</h3>",
        "<ol><li>Rates rise again</li><li>Storm hits coast</li></ol>",
      ].join(""),
    );

    expect(set.clauses.filter((clause) => !clause.context).map((clause) => clause.text)).toEqual([
      "All fighting stops at midnight.",
      "Both sides return prisoners.",
      "Elections follow within a year.",
    ]);
    expect(
      set.clauses.filter((clause) => clause.context).map((clause) => clause.heading ?? clause.text),
    ).toEqual([
      "Diplomats released the draft on Friday after weeks of talks in Geneva.",
      "Reaction was muted in both capitals.",
      "Most read",
      "Rates rise again",
      "Storm hits coast",
    ]);
  });

  it("reads a table whose first cell is the number as numbered rows", () => {
    const set = html(
      "<table><tr><th>No.</th><th>Rule</th></tr><tr><td>1</td><td>Keep left.</td></tr><tr><td>2</td><td>Yield at junctions.</td></tr></table>",
    );

    expect(set.clauses.map((clause) => [clause.key, clause.kind, clause.text])).toEqual([
      ["Preamble", "row", "No. | Rule"],
      ["1", "numbered", "Keep left."],
      ["2", "numbered", "Yield at junctions."],
    ]);
  });
});

describe("long numbered documents", () => {
  it("follows a list past point 400 to its end, while a year opening a line starts nothing", () => {
    const points = Array.from({ length: 1_200 }, (_, i) => `${i + 1}. Provision number ${i + 1} applies.`);
    const set = text(`${points.join("\n")}\n`);

    const numbered = set.clauses.filter((clause) => clause.kind === "numbered");
    expect(numbered.map((clause) => clause.key)).toEqual(points.map((_, i) => String(i + 1)));
    expect(set.warnings).toEqual([]);

    const years = text(
      "1. The accord was signed in Geneva in\n2014. Its terms were kept secret.\n2. It expires.\n",
    );
    expect(years.clauses.filter((clause) => clause.kind === "numbered").map((clause) => clause.key)).toEqual([
      "1",
      "2",
    ]);
  });
});

describe("sections whose label stands alone on its line", () => {
  const rules = (fine: string) =>
    text(
      [
        "Harbour Users' Charter",
        "",
        "Article 1",
        "Moorings",
        "Berths are let by the season and paid for in advance.",
        "",
        "Article 2",
        "Sanctions",
        `Leaving a vessel unattended on the slipway costs a penalty of ${fine}.`,
        "",
      ].join("\n"),
    );

  it("gives every article, the last one too, its title and its text", () => {
    const set = rules("EUR 400");

    expect(outline(set)).toEqual(["Title", "Article 1", "  Article 1 ¶1", "Article 2", "  Article 2 ¶1"]);
    expect(byPath(set, "Article 2")).toMatchObject({ heading: "Sanctions" });
    expect(byPath(set, "Article 2 ¶1")?.context).toBeUndefined();
  });

  it("reports a figure changed in the last article as substantive, under that article", () => {
    const result = diffClauses(rules("EUR 400"), rules("EUR 4,000"));

    const changed = result.entries.filter((entry) => entry.severity !== "none");
    expect(changed.map((entry) => [entry.new[0], entry.severity, entry.headline])).toEqual([
      ["Article 2 ¶1", "substantive", "Article 2 ¶1: EUR 400 → EUR 4,000"],
    ]);
  });
});

describe("a document of titled sections with a preamble", () => {
  const terms = (court: string) =>
    text(
      [
        "Conditions of Carriage",
        "",
        `These conditions bind every passenger. Claims are heard by the courts of ${court}.`,
        "",
        "1. Tickets",
        "A ticket is personal and may not be resold.",
        "",
        "2. Luggage",
        "Each passenger may carry one bag of up to 20 kg.",
        "",
      ].join("\n"),
    );

  it("reads the preamble as the document's own text, and a change there as substantive", () => {
    const set = terms("Lisbon");
    expect(byPath(set, "Preamble")?.context).toBeUndefined();

    const result = diffClauses(set, terms("Porto"));

    const changed = result.entries.filter((entry) => entry.severity !== "none");
    expect(changed.map((entry) => [entry.new[0], entry.severity])).toEqual([["Preamble", "substantive"]]);
  });
});

describe("plain-text contents with page numbers", () => {
  const terms = (leader: (page: number) => string) =>
    text(
      [
        "Service Terms",
        "",
        "Contents",
        `1. Definitions${leader(2)}`,
        `2. Payment${leader(3)}`,
        `3. Termination${leader(4)}`,
        "",
        "1. Definitions",
        "",
        "The Service means the hosted software.",
        "",
        "2. Payment",
        "",
        "Fees are due monthly in advance.",
        "",
        "3. Termination",
        "",
        "Either party may end the contract with 30 days notice.",
      ].join("\n"),
    );

  it("reads dot leaders, tabs and spaced page numbers as contents, titled, out of the numbering", () => {
    for (const leader of [
      (page: number) => ` ........ ${page}`,
      (page: number) => `\t${page}`,
      (page: number) => `    ${page}`,
    ]) {
      const set = terms(leader);
      expect(outline(set)).toEqual(["Title", "Contents", "1", "  1 ¶1", "2", "  2 ¶1", "3", "  3 ¶1"]);
      expect(byPath(set, "Contents")).toMatchObject({ kind: "contents", context: true });
      expect(byPath(set, "2")?.heading).toBe("Payment");
    }
  });
});

describe("article titles closed by a period", () => {
  const code = (fine: string) =>
    text(
      [
        "REGLAMENTO MUNICIPAL DE RUIDO",
        "",
        "Artículo 1. Objeto.",
        "Este reglamento regula el ruido en la vía pública.",
        "",
        "Artículo 2. Horario.",
        "Se prohíbe el ruido entre las 23 y las 7 horas.",
        "",
        "Artículo 3. Sanciones.",
        `Las multas van de ${fine} euros.`,
      ].join("\n"),
    );

  it("take each article's next line for its body, the last article's too", () => {
    const set = code("100 a 600");
    expect(outline(set)).toEqual([
      "Title",
      "Artículo 1",
      "  Artículo 1 ¶1",
      "Artículo 2",
      "  Artículo 2 ¶1",
      "Artículo 3",
      "  Artículo 3 ¶1",
    ]);
    const changed = diffClauses(set, code("300 a 3000")).entries.filter((entry) => entry.severity !== "none");
    expect(changed.map((entry) => [entry.new[0], entry.severity, entry.context ?? false])).toEqual([
      ["Artículo 3 ¶1", "substantive", false],
    ]);
  });
});

describe("parts numbered I, II, III", () => {
  const body = ["", "1. This code applies to all members.", "2. It enters into force on signing.", ""];
  const fees = ["", "1. Fees are due monthly.", "2. Late fees are five percent."];

  it("reads Part I as the first part, not the letter I, in plain text and Markdown", () => {
    for (const set of [
      text(["PART I GENERAL", ...body, "PART II FEES", ...fees].join("\n")),
      markdown(["# Part I — General", ...body, "# Part II — Fees", ...fees].join("\n")),
    ]) {
      expect(outline(set)).toEqual(["Part I", "  1", "  2", "Part II", "  Part II 1", "  Part II 2"]);
      expect(set.warnings).toEqual([]);
      // Neither part is taken for the document's title or for text around it.
      expect(set.clauses.filter((clause) => clause.context)).toEqual([]);
    }
  });

  it("still reads the letter where the sequence runs through letters", () => {
    const set = text(
      ["PART H", "", "Eighth part.", "", "PART I", "", "Ninth part.", "", "PART J", "", "Tenth part."].join(
        "\n",
      ),
    );
    expect(set.clauses.map((clause) => clause.key)).toEqual(["Part H", "Part I", "Part J"]);
    expect(set.warnings.map((warning) => warning.message)).toEqual([
      "parts A–G missing (before Part H): partial copy?",
    ]);
  });
});

describe("labels set in an element of their own", () => {
  const said = (n: number) => `Point number ${n} of the draft says something of its own.`;
  const page = (texts: string[], labels = texts.map((_, at) => String(at + 1))) =>
    html(
      `<article><h1>The draft in brief</h1><div class="stat"><b>28</b><p>points were on the table at the start.</p></div>${texts
        .map(
          (text, at) =>
            `<div class="pt"><span class="num">${labels[at]}</span><div class="txt">${text}</div></div>`,
        )
        .join("")}</article>`,
    );
  const three = [said(1), said(2), said(3)];

  it("puts a number or letter alone back before the text that follows it when its neighbours follow in sequence", () => {
    for (const labels of [
      ["1", "2", "3"],
      ["1.", "2.", "3."],
      ["(a)", "(b)", "(c)"],
    ]) {
      const set = page(three, labels);
      expect(set.clauses.filter((clause) => clause.label !== null).map((clause) => clause.text)).toEqual(
        three,
      );
      // A figure alone with no neighbour in sequence stays text.
      expect(set.clauses.some((clause) => clause.text.includes("28"))).toBe(true);
    }
  });

  it("reads a point inserted among them as one point added", () => {
    const after = page([said(1), "A new point slipped in between.", said(2), said(3)]);
    const changed = diffClauses(page(three), after).entries.filter((entry) => entry.severity !== "none");
    expect(changed.map((entry) => entry.kind)).toEqual(["added"]);
  });
});

describe("Markdown footnotes", () => {
  const terms = (one: string, two: string, note = "Counted from the day of signing.") =>
    markdown(
      [
        "# Service terms",
        "",
        `1. The fund is audited every year.[^${one}]`,
        `2. Elections follow within 100 days.[^${two}]`,
        "3. Sanctions are lifted in stages.",
        "",
        `[^${one}]: Audits are made by an independent firm.`,
        `[^${two}]: ${note}`,
      ].join("\n"),
    );

  it("reads each footnote as a note of its own and its markers as no part of the clause", () => {
    const set = terms("1", "2");
    expect(set.clauses.map((clause) => clause.text)).toContain("The fund is audited every year.");
    expect(set.clauses.map((clause) => clause.text)).toEqual(
      expect.arrayContaining(["Audits are made by an independent firm.", "Counted from the day of signing."]),
    );
  });

  it("takes relabelled markers for typography and a footnote's new wording for a change to that note", () => {
    const relabelled = diffClauses(terms("1", "2"), terms("a", "b"));
    expect(relabelled.entries.filter((entry) => entry.severity !== "none")).toEqual([]);
    const reworded = diffClauses(terms("1", "2"), terms("1", "2", "Counted from the day of ratification."));
    const changed = reworded.entries.filter((entry) => entry.severity !== "none");
    expect(changed).toHaveLength(1);
    expect(changed[0]?.redline).toContainEqual({ op: "insert", text: "ratification" });
  });
});

describe("a text copy of printed pages", () => {
  const clauses = [
    "1. The tenant pays the rent on the first working day of each month.",
    "2. The landlord keeps the roof, the walls and the heating in good repair and answers",
    "requests for repair within ten days of receiving them.",
    "3. Either party may end the lease with three months of written notice.",
    "4. The deposit is returned within thirty days after the keys are handed back.",
    "5. Pets are allowed with the landlord's written consent.",
  ];
  /** The clauses printed two lines a page, with a running header, a dated footer and a page number. */
  const paged = (pageNumber: (page: number, pages: number) => string, breakAfter: number) => {
    const lines: string[] = [];
    const pages = Math.ceil(clauses.length / breakAfter);
    clauses.forEach((line, at) => {
      if (at % breakAfter === 0) lines.push("RESIDENTIAL LEASE — DRAFT FOR DISCUSSION", "");
      lines.push(line);
      if (at % breakAfter === breakAfter - 1 || at === clauses.length - 1) {
        const page = Math.floor(at / breakAfter) + 1;
        lines.push("", "Printed 14 March 2026", pageNumber(page, pages), "\f");
      }
    });
    return text(lines.join("\n"));
  };

  it("leaves out page numbers, running headers and footers, says so, and joins a clause cut by a page break", () => {
    for (const number of [
      (page: number, pages: number) => `Page ${page} of ${pages}`,
      (page: number) => `- ${page} -`,
      (page: number, pages: number) => `${page}/${pages}`,
    ]) {
      const set = paged(number, 2);
      expect(outline(set)).toEqual(["1", "2", "3", "4", "5"]);
      expect(byPath(set, "2")?.text).toBe(
        "The landlord keeps the roof, the walls and the heating in good repair and answers requests for repair within ten days of receiving them.",
      );
      expect(set.coverage.placed).toBe(set.coverage.words);
      const warning = set.warnings.find((candidate) => candidate.code === "page-furniture");
      expect(warning?.message).toMatch(/^9 lines of page numbers and running headers or footers left out/);
    }
  });

  it("reports nothing when only the page breaks moved", () => {
    const diff = diffClauses(
      paged((page, pages) => `Page ${page} of ${pages}`, 2),
      paged((page, pages) => `Page ${page} of ${pages}`, 1),
    );
    expect(diff.entries.filter((entry) => entry.severity !== "none")).toEqual([]);
  });

  it("keeps a short line that repeats when no page marker stands beside it", () => {
    const set = text(
      ["1. First rule.", "Deleted.", "2. Second rule.", "Deleted.", "3. Third rule.", "Deleted."].join("\n"),
    );
    expect(set.warnings.map((warning) => warning.code)).not.toContain("page-furniture");
  });
});

describe("articles whose body follows their title", () => {
  const agreement = (word: string, first: string, last: string) =>
    text(
      [
        "Cooperation Agreement",
        "",
        `${word} 1. ${first}`,
        "",
        "1. The parties cooperate in teaching.",
        "2. The parties share what they learn.",
        "",
        `${word} 2. ${last}`,
        "",
        "This agreement lasts five years.",
      ].join("\n"),
    );

  it("keeps the last article's text under it, not as closing prose, and titles both articles", () => {
    const set = agreement("Article", "Subject", "Term");
    expect(outline(set)).toEqual([
      "Title",
      "Article 1",
      "  Article 1(1)",
      "  Article 1(2)",
      "Article 2",
      "  Article 2 ¶1",
    ]);
    expect(byPath(set, "Article 1")?.heading).toBe("Subject");
    expect(byPath(set, "Article 2 ¶1")?.context).toBeUndefined();
  });

  it("cites articles by the document's own word, and an abbreviation by the full one", () => {
    const ukrainian = agreement("Стаття", "Предмет", "Строк");
    expect(outline(ukrainian)).toEqual([
      "Title",
      "Стаття 1",
      "  Стаття 1(1)",
      "  Стаття 1(2)",
      "Стаття 2",
      "  Стаття 2 ¶1",
    ]);
    const abbreviated = agreement("Art.", "Subject", "Term");
    expect(abbreviated.clauses.map((clause) => clause.key)).toContain("Article 2 ¶1");
  });
});

describe("plain text titled in capitals", () => {
  const rules = (...sections: string[]) =>
    text(["CARRIAGE RULES", "", "These rules bind every rider.", "", ...sections].join("\n"));

  it("takes two or more short capital lines as section headings, and files the text under them", () => {
    const set = rules(
      "LUGGAGE",
      "",
      "Each rider may carry two bags.",
      "Bicycles travel when space allows.",
      "",
      "REFUNDS AND DELAYS",
      "",
      "A cancelled trip is refunded in full.",
    );
    expect(outline(set)).toEqual([
      "Title",
      "Preamble",
      "LUGGAGE",
      "  LUGGAGE ¶1",
      "  LUGGAGE ¶2",
      "REFUNDS AND DELAYS",
      "  REFUNDS AND DELAYS ¶1",
    ]);
  });

  it("leaves a single capital line, or one ending a sentence, as a paragraph", () => {
    const alone = rules(
      "LUGGAGE",
      "",
      "Each rider may carry two bags.",
      "",
      "THE OPERATOR MAY REFUSE ANY BAG.",
      "",
      "Refunds follow within a week.",
    );
    expect(alone.clauses.filter((clause) => clause.kind === "heading")).toEqual([]);
  });
});

describe("section numbers printed without a dot", () => {
  it("reads a title line opening with a bare number as the section its sub-sections number", () => {
    const set = text(
      [
        "7 Retention",
        "7.1 Logs are kept for 90 days.",
        "7.2 Backups are kept for a year.",
        "8 Deletion",
        "8.1 Accounts are erased within 30 days of closure.",
        "",
      ].join("\n"),
    );

    expect(outline(set)).toEqual(["7", "  7.1", "  7.2", "8", "  8.1"]);
    expect(byPath(set, "8.1")?.context).toBeUndefined();
  });

  it("numbers a Markdown heading that opens with a bare number", () => {
    const set = markdown(
      "## 3 Transfers\n\n3.1 Data stays in the region.\n\n## 4 Audits\n\n4.1 Audits are yearly.\n",
    );

    expect(outline(set)).toEqual(["3", "  3.1", "4", "  4.1"]);
    expect(byPath(set, "4")).toMatchObject({ kind: "heading", heading: "Audits" });
  });
});

describe("letters and roman numerals", () => {
  it("nests (i) and (ii) under (b) as roman numerals, and goes on with (c)", () => {
    const set = text(
      "1. Each carrier shall:\n(a) publish fares;\n(b) refund delays, namely:\n(i) partial delays;\n(ii) cancellations;\n(c) name a contact.\n2. Fines apply.\n",
    );

    expect(outline(set)).toEqual(["1", "  1(a)", "  1(b)", "    1(b)(i)", "    1(b)(ii)", "  1(c)", "2"]);
    expect(set.warnings).toEqual([]);
  });
});

describe("definition lists", () => {
  const lease = (months: number) =>
    html(
      `<h1>Lease</h1><h2>Definitions</h2><dl><dt>Term</dt><dd>The lease runs for ${months} months.</dd><dt>Deposit</dt><dd>Two months of rent.</dd><dd>An agent holds it.</dd><div><dt>Rent</dt><dt>Hire</dt><dd>Paid monthly.</dd></div></dl><h2>Notices</h2><p>Notices go by post.</p>`,
    );

  it("reads each term with its definitions as one clause titled by the term", () => {
    const set = lease(24);

    expect(outline(set)).toEqual([
      "Title",
      "Definitions",
      "  Term",
      "  Deposit",
      "  Rent, Hire",
      "Notices",
      "  Notices ¶1",
    ]);
    expect(byPath(set, "Term")).toMatchObject({ heading: "Term", text: "The lease runs for 24 months." });
    expect(byPath(set, "Deposit")?.text).toBe("Two months of rent. An agent holds it.");
    expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("reports a changed definition at its term", () => {
    const changed = diffClauses(lease(24), lease(36)).entries.filter((entry) => entry.severity !== "none");

    expect(changed.map((entry) => [entry.new[0], entry.severity])).toEqual([["Term", "substantive"]]);
  });

  it("keeps the text after the list out of the last definition", () => {
    const set = html(
      "<h1>Glossary</h1><dl><dt>Day</dt><dd>A calendar day.</dd><dt>Month</dt><dd>A calendar month.</dd></dl><p>Headings guide the reader only.</p>",
    );

    expect(set.clauses.find((clause) => clause.text.includes("guide"))?.parent).toBeUndefined();
    expect(byPath(set, "Month")?.text).toBe("A calendar month.");
  });

  it("reads terms without definitions as titles and definitions without terms as paragraphs", () => {
    const set = html(
      "<h1>Links</h1><dl><dt>Government</dt></dl><ul><li>The portal</li><li>The statistics office</li></ul><p>A matrix is square:</p><dl><dd>A = B</dd></dl><p>It has no inverse.</p>",
    );

    expect(byPath(set, "Government")?.kind).toBe("heading");
    expect(
      set.clauses.filter((clause) => clause.parent === "Government").map((clause) => clause.text),
    ).toEqual(["The portal", "The statistics office", "A matrix is square:", "A = B", "It has no inverse."]);
    expect(set.clauses.find((clause) => clause.text === "A = B")?.kind).toBe("paragraph");
  });
});

describe("labels of other scripts", () => {
  it("reads Cyrillic letters as lettered sub-items, in their alphabet's order", () => {
    const set = text(
      "1. Сторони зобов'язуються:\nа) провести вибори;\nб) обміняти полонених;\nв) відновити торгівлю.\n2. Угода набирає чинності.\n",
    );

    expect(outline(set)).toEqual(["1", "  1(а)", "  1(б)", "  1(в)", "2"]);
    expect(set.warnings).toEqual([]);
  });

  it("reads Arabic-Indic numerals as numbers, keeping them as printed", () => {
    const set = text("١. وقف إطلاق النار.\n٢. تبادل الأسرى.\n٣. انسحاب القوات.\n");

    expect(outline(set)).toEqual(["1", "2", "3"]);
    expect(byPath(set, "2")).toMatchObject({ printed: "٢.", text: "تبادل الأسرى." });
  });
});

describe("enumerations run on inside one sentence", () => {
  it("reads three or more numbers after commas or semicolons as the items they are, under their point", () => {
    const set = text(
      [
        "1. Members may post in public once they meet one of these conditions: 1) a confirmed phone number; 2) a paid plan, 3) a year of membership, or 4) an invitation from staff.",
        "2. Private posts stay visible to their author only.",
        "",
      ].join("\n"),
    );

    expect(outline(set)).toEqual(["1", "  1.1", "  1.2", "  1.3", "  1.4", "2"]);
    expect(byPath(set, "1")?.text).toBe("Members may post in public once they meet one of these conditions:");
    expect(byPath(set, "1.3")?.text).toBe("a year of membership, or");
    expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("reports an item of such a list changed at its own path", () => {
    const before = text(
      "Observers asked for three things: 1) a prisoner exchange, 2) an audit of aid, 3) open borders.\n",
    );
    const after = text(
      "Observers asked for three things: 1) a prisoner exchange, 2) a full amnesty, 3) open borders.\n",
    );
    const changed = diffClauses(before, after).entries.filter((entry) => entry.severity !== "none");

    expect(changed.map((entry) => [entry.kind, entry.new[0]])).toEqual([["modified", "2"]]);
  });

  it("leaves two numbers after commas, and figures after commas, in their sentence", () => {
    for (const line of [
      "The fund pays out in two steps: 1) a first tranche, 2) the balance after review.",
      "Output rose in 2023, 2) was revised and 3) is pending.",
      "The vote was held in 2010, 2. the committee met, and 3. members left.",
    ]) {
      expect(text(`${line}\n`).clauses.map((clause) => clause.text)).toEqual([line]);
    }
  });
});

describe("the last of several titled sections", () => {
  const terms = (days: number) =>
    text(
      [
        "1. Accounts",
        "1.1 Each customer holds one account.",
        "1.2 An account may have several users.",
        "2. Fees",
        "2.1 Invoices fall due after 14 days.",
        "3. Termination",
        `Either side may terminate on ${days} days' notice in writing.`,
        "",
        "Harbour Data Ltd, registered office in Leith.",
        "",
      ].join("\n"),
    );

  it("holds the paragraph right after its title as its body; the footer after that is closing text", () => {
    const set = terms(30);
    const body = set.clauses.find((clause) => clause.text.includes("terminate"));
    const footer = set.clauses.find((clause) => clause.text.includes("Harbour"));

    expect([body?.key, body?.parent, body?.context]).toEqual(["3 ¶1", "3", undefined]);
    expect([footer?.key, footer?.parent]).toEqual(["Closing", undefined]);
  });

  it("reads the prose around sections titled by short lines as the document's own, not context", () => {
    const withPreamble = (clause: string) =>
      text(
        [
          "Riverside Rentals: terms of hire",
          "",
          `By hiring a boat you agree that ${clause}.`,
          "",
          "1. Bookings",
          "1.1 A booking holds for one day.",
          "2. Payment",
          "2.1 Payment is due on collection.",
          "",
        ].join("\n"),
      );
    const before = withPreamble("disputes go to binding arbitration and you waive a jury trial");
    const after = withPreamble("disputes go to the courts of your home country");

    expect(before.clauses.filter((clause) => clause.context).map((clause) => clause.key)).toEqual([]);
    expect(diffClauses(before, after).entries.find((entry) => entry.new[0] === "Preamble")?.severity).toBe(
      "substantive",
    );
  });

  it("still reads the prose around a list of one-sentence points as context", () => {
    const set = text(
      [
        "Reporters obtained the draft on Thursday.",
        "",
        "1. Kyiv keeps its sovereignty.",
        "2. A pact of non-aggression binds all parties.",
        "3. The alliance admits no new members.",
        "",
        "The ministry declined to comment.",
        "",
      ].join("\n"),
    );

    expect(set.clauses.filter((clause) => clause.context).map((clause) => clause.key)).toEqual([
      "Preamble",
      "Closing",
    ]);
  });

  it("reports a changed notice period in that body as a substantive change at its path", () => {
    const changed = diffClauses(terms(30), terms(90)).entries.filter((entry) => entry.severity !== "none");

    expect(changed.map((entry) => [entry.new[0], entry.severity])).toEqual([["3 ¶1", "substantive"]]);
  });
});

describe("a quotation printed between points", () => {
  const page = (quote: string) =>
    html(
      `<article><h1>The draft</h1><p>1. Kyiv keeps its sovereignty.</p><p>2. The army is capped at 600,000.</p>${quote}<p>3. The alliance takes no new members.</p></article>`,
    );

  it("is the outlet's note beside the point, in any language, and a changed quotation is at most minor", () => {
    for (const [before, after] of [
      [
        `<blockquote><p>"We will not accept limits on our army," the minister told reporters.</p></blockquote>`,
        `<blockquote><p>"We might accept some limits on our army," the minister told reporters.</p></blockquote>`,
      ],
      [
        "<p>\u201cWir akzeptieren keine Obergrenze\u201d, sagte der Minister.</p>",
        "<p>\u201cWir akzeptieren eine Obergrenze\u201d, sagte der Minister.</p>",
      ],
    ] as const) {
      const set = page(before);
      expect(byPath(set, "2")?.text).toBe("The army is capped at 600,000.");
      const entries = diffClauses(set, page(after)).entries.filter((entry) => entry.severity !== "none");
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ severity: "minor", context: true });
    }
  });

  it("leaves a quoted term with no speaker in its point", () => {
    const set = page("<p>\u201cArmy\u201d means the land, sea and air forces together.</p>");
    expect(byPath(set, "2")?.text).toContain("means the land, sea and air forces");
  });
});

describe("a photo's caption between points", () => {
  const page = (credit: string) =>
    html(
      `<article><h1>The draft</h1><p><strong>1.</strong> Kyiv keeps its sovereignty.</p><p><strong>2.</strong> All sides sign a pact of non-aggression.</p><figure><img src="a.jpg"><figcaption>Delegates arrive for talks. Photo: ${credit}</figcaption></figure><p><strong>3.</strong> The alliance takes no new members.</p></article>`,
    );

  it("is a note beside the point, not the point's words", () => {
    const set = page("Agency One");

    expect(byPath(set, "2")?.text).toBe("All sides sign a pact of non-aggression.");
    expect(set.clauses.find((clause) => clause.text.startsWith("Delegates"))).toMatchObject({
      context: true,
    });
  });

  it("changes nothing above minor when only the credit changes", () => {
    const entries = diffClauses(page("Agency One"), page("Agency Two")).entries;

    expect(entries.filter((entry) => entry.severity === "substantive")).toEqual([]);
    expect(entries.find((entry) => entry.severity !== "none")?.severity).toBe("minor");
  });
});

describe("an outlet's own lines between the points it prints", () => {
  it("reads 'Photo:', 'Read more:' and their kin in other languages as notes beside the points", () => {
    const set = text(
      [
        "1. Kyiv keeps its sovereignty.",
        "Photo: delegates in Geneva on Sunday.",
        "2. All sides sign a pact of non-aggression.",
        "Mehr zum Thema: Wie Kyjiw auf den Plan reagiert",
        "3. The alliance takes no new members.",
        "Читайте також: реакція Європи",
        "4. Frozen assets pay for rebuilding.",
        "",
      ].join("\n"),
    );

    expect(
      set.clauses.filter((clause) => !clause.context).map((clause) => [clause.key, clause.text]),
    ).toEqual([
      ["1", "Kyiv keeps its sovereignty."],
      ["2", "All sides sign a pact of non-aggression."],
      ["3", "The alliance takes no new members."],
      ["4", "Frozen assets pay for rebuilding."],
    ]);
    expect(set.clauses.filter((clause) => clause.context).map((clause) => clause.parent)).toEqual([
      "1",
      "2",
      "3",
    ]);
  });

  it("keeps a clause's own note ('Note: …') and words that only start alike ('Photography …') in the clause", () => {
    const set = text(
      "1. Members pay a yearly fee.\nNote: the fee is due in March.\n2. Photography is not allowed inside.\n",
    );

    expect(set.clauses.map((clause) => [clause.key, clause.text, clause.context])).toEqual([
      ["1", "Members pay a yearly fee.\nNote: the fee is due in March.", undefined],
      ["2", "Photography is not allowed inside.", undefined],
    ]);
  });
});

describe("a rule before the trailing text", () => {
  it("ends the last section in Markdown: the company line after `---` is closing text, not the section's", () => {
    const set = parseClauses({
      source: "terms.md",
      format: "markdown",
      text: "## 1. Use\n\nUse the app lawfully.\n\n## 2. Fees\n\nFees include tax.\n\n---\n\nHarbour Apps Ltd, 3 Quay Road, Leith.\n",
    });

    expect(set.clauses.map((clause) => [clause.key, clause.parent ?? null])).toEqual([
      ["1", null],
      ["1 ¶1", "1"],
      ["2", null],
      ["2 ¶1", "2"],
      ["Closing", null],
    ]);
  });

  it("ends the last section in HTML, while rules between the parts of a section leave the text in it", () => {
    const set = html(
      "<h1>Terms</h1><h2>1. Data</h2><p>We keep your data for a year.</p><hr><p>We delete it on request.</p><h2>2. Fees</h2><p>Fees include tax.</p><hr><p>Harbour Apps Ltd, Leith.</p>",
    );

    expect(set.clauses.filter((clause) => clause.parent === "1").map((clause) => clause.text)).toEqual([
      "We keep your data for a year.",
      "We delete it on request.",
    ]);
    expect(set.clauses.find((clause) => clause.text.startsWith("Harbour"))).toMatchObject({ key: "Closing" });
  });
});

describe("bare numbers of a partial copy", () => {
  it("reads a run of numbers without dots that starts past 1 as points, when the next two follow in sequence", () => {
    const set = text(
      [
        "Excerpt of the plan",
        "",
        "17 Kyiv receives a fund for rebuilding its cities.",
        "18 Sanctions are lifted step by step.",
        "19 Frozen assets pay for the rebuilding.",
        "",
      ].join("\n"),
    );

    expect(
      set.clauses.filter((clause) => !clause.context).map((clause) => [clause.key, clause.text]),
    ).toEqual([
      ["17", "Kyiv receives a fund for rebuilding its cities."],
      ["18", "Sanctions are lifted step by step."],
      ["19", "Frozen assets pay for the rebuilding."],
    ]);
  });

  it("leaves lines that open with day numbers, not in sequence, as text", () => {
    const lines = [
      "7 May 1856: self-government",
      "26 September 1907: dominion",
      "25 November 1947: full statute",
    ];
    const set = text(`${lines.join("\n\n")}\n`);

    expect(set.clauses.map((clause) => clause.label)).toEqual([null, null, null]);
  });
});

describe("an abridged copy that jumps far ahead in the numbering", () => {
  const copy = (amnesty: string) =>
    text(
      [
        "The outlet printed three of the points.",
        "",
        "1. Kyiv keeps its sovereignty.",
        "6. The army is held to 600,000 troops.",
        "",
        "Our note: today's army is much larger.",
        "",
        `26. Every side ${amnesty} an amnesty for acts of the war.`,
        "",
      ].join("\n"),
    );

  it("keeps the far point in the one list and says which points are missing", () => {
    const set = copy("receives");

    expect(set.clauses.filter((clause) => !clause.context).map((clause) => clause.key)).toEqual([
      "1",
      "6",
      "26",
    ]);
    expect(set.warnings.map((warning) => warning.message)).toEqual([
      "points 2–5 missing (after 1): partial copy?",
      "points 7–25 missing (after 6): partial copy?",
    ]);
  });

  it("reports the far point's change at full weight, not as context", () => {
    const entry = diffClauses(copy("receives"), copy("does not receive")).entries.find(
      (candidate) => candidate.new[0] === "26",
    );

    expect(entry?.severity).toBe("substantive");
  });
});

describe("a list whose first point is printed inside the introducing sentence", () => {
  it("reads the first point where it opens, after a comma, when the later ones open after sentence ends", () => {
    const set = text(
      "The draft that circulated on Friday, a few pages long, sets out 1. Kyiv keeps its sovereignty. 2. All three parties sign a pact of non-aggression. 3. The alliance admits no new members.\n",
    );

    expect(set.clauses.map((clause) => [clause.key, clause.text])).toEqual([
      ["Preamble", "The draft that circulated on Friday, a few pages long, sets out"],
      ["1", "Kyiv keeps its sovereignty."],
      ["2", "All three parties sign a pact of non-aggression."],
      ["3", "The alliance admits no new members."],
    ]);
    expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("does not take the end of a year for the first point", () => {
    const line = "The office reopened in 2021. Then 2. Staff returned. 3. Visitors came back.";
    const keys = text(`${line}\n`).clauses.map((clause) => clause.key);

    expect(keys).not.toContain("1");
  });
});

describe("an outlet's remarks between the points it prints", () => {
  const points = Array.from(
    { length: 12 },
    (_, i) => `<p>${i + 1}. A joint commission settles question ${i + 1} within ${i + 2} months.</p>`,
  );
  const page = (paragraphs: string[]) =>
    html(
      `<article><h1>The draft as circulated</h1><p>The full text follows.</p>${paragraphs.join("")}</article>`,
    );

  it("reads a remark between one-paragraph points as prose beside the list, not as the point's text", () => {
    const remarked = page([
      ...points.slice(0, 4),
      "<p>Two officials called this the hardest question of all.</p>",
      ...points.slice(4),
    ]);

    expect(byPath(remarked, "4")?.text).toBe("A joint commission settles question 4 within 5 months.");
    const remark = remarked.clauses.find((clause) => clause.text.startsWith("Two officials"));
    expect(remark).toMatchObject({ kind: "paragraph", context: true });
    const changed = diffClauses(page(points), remarked).entries.filter((entry) => entry.severity !== "none");
    expect(changed.map((entry) => [entry.kind, entry.severity])).toEqual([["added", "minor"]]);
  });

  it("keeps a paragraph that carries the point on, or follows a point that leads into it", () => {
    const carried = page([
      ...points.slice(0, 4),
      "<p>and the commission reports to both parliaments.</p>",
      ...points.slice(4),
    ]);
    const led = page([
      ...points.slice(0, 3),
      "<p>4. The commission will also decide on the following:</p>",
      "<p>Border crossings and their opening hours.</p>",
      ...points.slice(4),
    ]);

    expect(byPath(carried, "4")?.text).toContain("reports to both parliaments");
    const border = led.clauses.find((clause) => clause.text.startsWith("Border crossings"));
    expect(border === byPath(led, "4") || border?.parent === "4").toBe(true);
    expect(border?.context).toBeUndefined();
  });
});
