import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cjkNumber } from "../../src/clauses/cjk.js";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import { byPath, html, markdown, outline, text } from "../helpers/outline.js";

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

  it("nests third-level items that open with a lower-case word, in the body and in an annex", () => {
    const lines = [
      "1.1 The rules cover personal data held by the agency.",
      "1.2 They do not cover:",
      "1.2.1 trial records kept under a sponsor's contract;",
      "1.2.2 samples stored by the national biobank.",
      "Annex A — Sizes",
      "A.1 Fruit is sorted by hand.",
      "A.2 Smallest sizes:",
      "A.2.1 apples of 60 mm across;",
      "A.2.2 plums of 35 mm across.",
    ];
    for (const set of [text(lines.join("\n")), markdown(lines.join("\n\n"))]) {
      expect(byPath(set, "1.2.1")).toMatchObject({
        parent: "1.2",
        text: "trial records kept under a sponsor's contract;",
      });
      expect(byPath(set, "1.2.2")?.parent).toBe("1.2");
      expect(byPath(set, "A.2.1")).toMatchObject({ parent: "A.2", text: "apples of 60 mm across;" });
      expect(byPath(set, "A.2.2")?.parent).toBe("A.2");
      expect(set.warnings.map((warning) => warning.message).join("\n")).not.toMatch(/again/);
    }
  });

  it("reads an annex's A.1 › A.1.1 numbering under its annex, apart from the body's own 1 › 1.1", () => {
    const lines = [
      "1 Scope",
      "",
      "1.1 The accord covers the front line as it stands.",
      "",
      "Annex A — Monitoring",
      "",
      "A.1 Monitors report to both capitals each month.",
      "",
      "A.1.1 A report names every breach it saw.",
      "",
      "A.2 Monitors travel without escort.",
      "",
      "A.4 Reports are made public after ten days.",
      "",
      "Annex B — Funds",
      "",
      "B.1 Frozen reserves pay for rebuilding.",
    ];
    for (const set of [
      text(lines.join("\n")),
      markdown(lines.map((line) => (/^(Annex|1 )/.test(line) ? `## ${line}` : line)).join("\n")),
    ]) {
      const paths = outline(set).map((path) => path.trim());
      expect(paths.slice(paths.indexOf("A.1") - 1)).toEqual([
        "Annex A",
        "A.1",
        "A.1.1",
        "A.2",
        "A.4",
        "Annex B",
        "B.1",
      ]);
      expect(byPath(set, "A.1.1")?.parent).toBe("A.1");
      expect(byPath(set, "A.1")?.parent).toBe("Annex A");
      expect(byPath(set, "B.1")?.parent).toBe("Annex B");
      expect(byPath(set, "1.1")?.parent).toBe("1");
      expect(set.warnings.map((warning) => warning.message).join("\n")).toMatch(/A\.3 missing/);
    }
  });

  it("names the annex a changed A.2 sits in, and keeps the whole word in headlines", () => {
    const before = [
      "Annex A — Monitoring",
      "",
      "A.1 Monitors report monthly.",
      "",
      "A.2 Reports go public after ten days.",
    ];
    const after = [...before.slice(0, 4), "A.2 Reports go public after five days."];
    const result = diffClauses(text(before.join("\n")), text(after.join("\n")));
    const changed = result.entries.find((entry) => entry.kind === "modified");

    expect(changed?.new).toEqual(["A.2"]);
    expect(changed?.headline).toMatch(/^Annex A\.2\b/);
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

describe("a treaty's final formula", () => {
  const treaty = (formula: string[]) =>
    text(
      [
        "Article 1",
        "Water shares",
        "1. Each Party takes half of the river's flow.",
        "",
        "Article 2",
        "Entry into force",
        "1. This Agreement enters into force on signature.",
        "2. Either Party may end it with a year's notice.",
        "",
        ...formula,
      ].join("\n"),
    );

  it("closes the document, with the signature lines after it, instead of ending the last article", () => {
    for (const formula of [
      ["Done at Tarnow on 4 May 2026, in two originals."],
      [
        "IN WITNESS WHEREOF the undersigned have signed this Agreement.",
        "",
        "For the Upstream Party: A. Vale",
      ],
      ["Fait à Genève, le 4 mai 2026."],
    ]) {
      const set = treaty(formula);
      const closing = set.clauses.filter((clause) => clause.key.startsWith("Closing"));
      expect(closing.map((clause) => clause.text)).toEqual(formula.filter((line) => line !== ""));
      expect(closing.every((clause) => clause.parent === undefined)).toBe(true);
      expect(byPath(set, "Article 2")?.text).toBe("");
      expect(
        set.clauses.filter((clause) => clause.parent === "Article 2").map((clause) => clause.key),
      ).toEqual(["Article 2(1)", "Article 2(2)"]);
    }
  });

  it("stays in an article that holds nothing else", () => {
    const set = text(
      [
        "Article 1",
        "Scope",
        "1. It covers the river.",
        "",
        "Article 2",
        "Signature",
        "Done at Tarnow on 4 May 2026.",
      ].join("\n"),
    );
    expect(set.clauses.find((clause) => clause.text.startsWith("Done at"))?.parent).toBe("Article 2");
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

describe("letters and roman numerals", () => {
  it("reads a bill's number and initials as text, not as a lettered item, unless the letters around confirm one", () => {
    for (const number of ["H. R. 4821", "S. 1290", "H. Res. 77"]) {
      const set = text(
        [
          "119th CONGRESS",
          "",
          number,
          "",
          "To fund the repair of rural water mains.",
          "",
          "Section 1. Short title.",
          "This Act may be cited as the Water Mains Act.",
          "",
          "Section 2. Grants.",
          "(a) The Secretary shall make grants.",
          "(b) No grant shall exceed $400,000.",
        ].join("\n"),
      );
      expect(set.clauses.find((clause) => clause.text === number)?.parent).toBeUndefined();
      expect(byPath(set, "Section 1")?.depth).toBe(0);
      expect(byPath(set, "Section 2(b)")?.parent).toBe("Section 2");
      expect(set.warnings.map((warning) => warning.message).join("\n")).not.toMatch(/missing/);
    }
    const chain = text(["A. Scope", "B. J. K. Moss is the monitor.", "C. Terms"].join("\n"));
    expect(outline(chain)).toEqual(["A", "B", "C"]);
    expect(byPath(chain, "B")?.text).toBe("J. K. Moss is the monitor.");
  });

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

  it("reads Japanese and Chinese articles numbered between 第 and their unit word, in full-width or Chinese numerals", () => {
    const japanese = text(
      "会員規約\n\n第１条　会員は月額９８０円を支払う。\n第２条　解約は７日前までに申し出る。\n第３条の２　本規約は随時改定される。\n",
    );
    expect(
      japanese.clauses
        .filter((clause) => clause.label !== null)
        .map((clause) => [clause.key, clause.printed]),
    ).toEqual([
      ["第1条", "第１条"],
      ["第2条", "第２条"],
      ["第3-2条", "第３条の２"],
    ]);
    const chinese = text(
      "办法\n\n第一章　总则\n\n第一条　为规范停放秩序，制定本办法。\n\n第二章　责任\n\n第二条　企业应当及时清理车辆。\n\n第十二条　本办法自发布之日起施行。\n",
    );
    expect(outline(chinese)).toEqual(["Title", "第1章", "  第1条", "第2章", "  第2条", "  第12条"]);
  });

  it("reads Danish subsections and Czech, Greek, Romanian and Turkish articles as labels", () => {
    const danish = text(
      "§ 1. Reglerne gælder for alle.\nStk. 2. Bestyrelsen kan fastsætte regler.\n§ 2. Haven holdes pæn.\nStk. 2. Hække er højst 1,8 meter.\n",
    );
    expect(outline(danish)).toEqual(["§ 1", "  Stk. 2", "§ 2", "  § 2 Stk. 2"]);
    for (const word of ["Článek", "Άρθρο", "Articolul", "Madde"]) {
      const set = text(`${word} 1. Prima regula se aplică.\n${word} 2. A doua regula se aplică.\n`);
      expect(
        set.clauses.map((clause) => clause.label),
        word,
      ).toEqual(["1", "2"]);
    }
  });

  it("counts in Chinese numerals", () => {
    expect(["十", "十二", "二十四", "百五", "一百零五", "三千二百", "二〇二五", "12"].map(cjkNumber)).toEqual(
      [10, 12, 24, 105, 105, 3200, 2025, 12],
    );
    expect(cjkNumber("第")).toBeUndefined();
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

describe("a Google Docs export", () => {
  it("nests the levels of its flat lists into one outline, without false gaps", () => {
    const body = readFileSync(
      new URL("../fixtures/documents/google-docs-export.html", import.meta.url),
      "utf8",
    );

    const set = readClauseSet(body, { source: "draft.html" });

    expect(set.clauses.filter((clause) => !clause.context).map((clause) => clause.key)).toEqual([
      "1",
      "2",
      "2(a)",
      "2(b)",
      "2(b)(i)",
      "2(c)",
      "3",
      "4",
      "4(a)",
      "4(b)",
    ]);
    expect(set.warnings).toEqual([]);
  });
});

describe("the publisher's note on what a version changed", () => {
  const terms = (note: string[], minimumAge: number) =>
    html(
      `<main><h1>Terms of Service</h1><p>Last updated: 1 March 2026</p><div class="notice"><h2>What's changed</h2><ul>${note
        .map((item) => `<li>${item}</li>`)
        .join(
          "",
        )}</ul></div><h2>1. Accounts</h2><p>1.1 You must be at least ${minimumAge} years old to open an account.</p><p>1.2 You keep your password to yourself.</p><h2>2. Refunds</h2><p>2.1 A refund is paid within 14 days of a valid request.</p></main>`,
    );

  it("reads the note beside the terms, as context, and the terms' sections as the document", () => {
    const set = terms(
      ["Refunds are explained more plainly.", "Family accounts have a section of their own."],
      13,
    );
    const context = set.clauses.filter((clause) => clause.context).map((clause) => clause.key);
    expect(context).toEqual(["Preamble", "What's changed", "What's changed •1", "What's changed •2"]);
    expect(set.clauses.filter((clause) => !clause.context).map((clause) => clause.key)).toEqual([
      "Title",
      "1",
      "1.1",
      "1.2",
      "2",
      "2.1",
    ]);
  });

  it("keeps a new version's note at most minor, and the change it describes substantive where it was made", () => {
    const diff = diffClauses(
      terms(["Refunds are explained more plainly.", "Family accounts have a section of their own."], 13),
      terms(["The minimum age to open an account is now 16.", "Refunds are paid faster."], 16),
    );
    const above = diff.entries.filter((entry) => entry.severity === "substantive").map((entry) => entry.new);
    expect(above).toEqual([["1.1"]]);
    expect(
      diff.entries
        .filter((entry) => entry.new[0]?.startsWith("What's changed •"))
        .map((entry) => entry.severity),
    ).toEqual(["minor", "minor"]);
  });

  it("in Markdown and other languages too, and never a numbered section of the terms", () => {
    for (const title of [
      "What has changed?",
      "Summary of changes",
      "Was ist neu",
      "Ce qui change",
      "Qué ha cambiado",
    ]) {
      const set = markdown(
        `# Terms\n\n## ${title}\n\n- Something was reworded.\n\n## 1. Accounts\n\n1.1 You must be 13.\n`,
      );
      expect(set.clauses.find((clause) => clause.key === title)?.context, title).toBe(true);
      expect(set.clauses.find((clause) => clause.key === "1.1")?.context, title).toBeUndefined();
    }
    const numbered = markdown(
      "# Terms\n\n## 1. What's changed\n\nWe may change these terms with notice.\n\n## 2. Accounts\n\nYou must be 13.\n",
    );
    expect(numbered.clauses.some((clause) => clause.context)).toBe(false);
  });
});

describe("a contract's roman articles over sections numbered by article", () => {
  const agreement = (days: string) =>
    text(
      [
        "ARTICLE I",
        "DEFINITIONS",
        "",
        "Section 1.01 Defined Terms. The terms below have the meanings given to them.",
        "",
        "Section 1.02 Interpretation. Headings do not change the meaning of a section.",
        "",
        "ARTICLE II",
        "THE LOANS",
        "",
        "Section 2.01 Loans. The lender lends on any business day.",
        "",
        `Section 2.02 Interest. Interest is paid within ${days} business days of the month's end.`,
        "",
        "ARTICLE III",
        "DEFAULT",
        "",
        "Section 3.01 Events. A missed payment is an event of default.",
      ].join("\n"),
    );

  it("puts each section under its article, as `ARTICLE 2` holds `2.1`", () => {
    expect(outline(agreement("three"))).toEqual([
      "Article I",
      "  1.01",
      "  1.02",
      "Article II",
      "  2.01",
      "  2.02",
      "Article III",
      "  3.01",
    ]);
    expect(agreement("three").clauses.some((clause) => clause.context)).toBe(false);
  });

  it("reports a change in a section at full weight, named with the section's own word", () => {
    const [entry, ...others] = diffClauses(agreement("three"), agreement("five")).entries.filter(
      (candidate) => candidate.severity !== "none",
    );
    expect(others).toEqual([]);
    expect([entry?.new, entry?.severity, entry?.headline]).toEqual([
      ["2.02"],
      "substantive",
      "Section 2.02: three → five business",
    ]);
  });
});
