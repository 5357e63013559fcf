/** Real typesetting: printed pages, footnotes, lone labels, and what outlets print between the points of a plan. */
import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { diffClauses } from "../../src/diff/index.js";
import { byPath, html, markdown, outline, text } from "../helpers/outline.js";

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
  const pagedText = (pageNumber: (page: number, pages: number) => string, breakAfter: number) => {
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
    return lines.join("\n");
  };
  const paged = (pageNumber: (page: number, pages: number) => string, breakAfter: number) =>
    text(pagedText(pageNumber, breakAfter));

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

  it("does the same for printed pages a web page shows preformatted", () => {
    const set = html(`<pre>${pagedText((page, pages) => `Page ${page} of ${pages}`, 2)}</pre>`);
    expect(set.clauses.filter((clause) => clause.label !== null).map((clause) => clause.key)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
    ]);
    expect(set.warnings.map((warning) => warning.code)).toContain("page-furniture");
  });

  it("reports nothing when only the page breaks moved", () => {
    const diff = diffClauses(
      paged((page, pages) => `Page ${page} of ${pages}`, 2),
      paged((page, pages) => `Page ${page} of ${pages}`, 1),
    );
    expect(diff.entries.filter((entry) => entry.severity !== "none")).toEqual([]);
  });

  it("leaves out a footer that sets the page number beside a title, and a header printed from page 2 on", () => {
    for (const footer of [
      (page: number) => `Lease of Flat 4, 2026                              Page ${page} of 3`,
      (page: number) => `Lease of Flat 4, 2026 Page ${page} of 3`,
      (page: number) => `Page ${page} | Lease of Flat 4, 2026`,
    ]) {
      const lines = [clauses[0], clauses[1], "", footer(1), "\f"];
      lines.push("Flat 4 lease (continued)", "", clauses[2], clauses[3], "", footer(2), "\f");
      lines.push("Flat 4 lease (continued)", "", clauses[4], clauses[5], "", footer(3));
      const set = text(lines.join("\n"));
      expect(outline(set)).toEqual(["1", "2", "3", "4", "5"]);
      expect(set.clauses.map((clause) => clause.text).join(" ")).not.toMatch(/Page|continued/);
      expect(set.coverage.placed).toBe(set.coverage.words);
      const warning = set.warnings.find((candidate) => candidate.code === "page-furniture");
      expect(warning?.message).toMatch(/^5 lines of page numbers/);
    }
  });

  it("keeps a sentence that ends by citing a page, and a table's fractions, as text", () => {
    const set = text(
      [
        "1. The fees are listed on page 4 of 12.",
        "2. Shares:",
        "Founders                      1/2",
        "Investors                     1/4",
        "Staff                         1/4",
      ].join("\n"),
    );
    expect(set.warnings.map((warning) => warning.code)).not.toContain("page-furniture");
    expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("keeps a short line that repeats when no page marker stands beside it", () => {
    const set = text(
      ["1. First rule.", "Deleted.", "2. Second rule.", "Deleted.", "3. Third rule.", "Deleted."].join("\n"),
    );
    expect(set.warnings.map((warning) => warning.code)).not.toContain("page-furniture");
  });
});

describe("a bill's pages with margin line numbers", () => {
  // Pages as a PDF's text gives them: a page number centred on top, each line numbered from 1
  // in the margin (blank lines too), a footer under the last line.
  const pages = [
    [
      "SECTION 1. SHORT TITLE.",
      "    This Act may be cited as the ``Harbor Water Quality",
      "Monitoring Act of 2026''.",
      "SEC. 2. DEFINITIONS.",
      "    In this Act:",
      "        (1) ADMINISTRATOR.--The term `Administrator'",
      "    means the head of the Environmental Protec-",
      "    tion Agency.",
      "        (2) COVERED HARBOR.--The term `covered harbor'",
      "    means a harbor that handles more than 1,000,000 tons",
      "    of cargo in a calendar year.",
      "SEC. 3. MONITORING STATIONS.",
      "    (a) ESTABLISHMENT.--Not later than 180 days after the",
      "date of enactment of this Act, the Administrator shall",
    ],
    [
      "establish not fewer than 12 monitoring stations in each",
      "covered harbor.",
      "    (b) DATA.--The Administrator shall publish the data",
      "collected under subsection (a) on a public website not",
      "later than 30 days after collection.",
      "",
      "SEC. 4. REPORT.",
      "    Not later than 1 year after the date of enactment of",
      "this Act, and each year after, the Administrator shall",
      "submit to Congress a report on the findings of the",
      "stations.",
    ],
  ];
  const printed = (lines: string[][], numbered: boolean) =>
    lines
      .map((page, at) =>
        [
          `${" ".repeat(40)}${at + 1}`,
          ...page.map((line, n) => (numbered ? `${String(n + 1).padStart(2)}   ${line}`.trimEnd() : line)),
          "",
          "       •HR 4471 IH",
        ].join("\n"),
      )
      .join("\n\f\n");
  const clausesOf = (set: ReturnType<typeof text>) =>
    set.clauses.map((clause) => [clause.key, clause.heading ?? null, clause.text]);

  it("takes the numbers off their lines and reads the bill as it reads the same text without them", () => {
    const numbered = text(printed(pages, true));
    expect(clausesOf(numbered)).toEqual(clausesOf(text(printed(pages, false))));
    expect(outline(numbered)).toEqual([
      "Section 1",
      "  Section 1 ¶1",
      "Section 2",
      "  Section 2 ¶1",
      "  Section 2(1)",
      "  Section 2(2)",
      "Section 3",
      "  Section 3(a)",
      "  Section 3(b)",
      "Section 4",
      "  Section 4 ¶1",
    ]);
    expect(byPath(numbered, "Section 3(a)")?.text).toBe(
      "ESTABLISHMENT.--Not later than 180 days after the date of enactment of this Act, the Administrator shall establish not fewer than 12 monitoring stations in each covered harbor.",
    );
    expect(byPath(numbered, "Section 2(1)")?.text).toContain("Environmental Protection Agency");
    expect(numbered.coverage.placed).toBe(numbered.coverage.words);
    expect(numbered.warnings.find((warning) => warning.code === "line-numbers")?.message).toBe(
      "margin line numbers of 25 lines left out (a bill's or a pleading's numbered lines)",
    );
  });

  it("reports an amendment where it was made, though every line after it is numbered anew", () => {
    const amended = pages.map((page) => [...page]);
    // Four words more in 3(a): its lines wrap differently, and the numbers of every later line move.
    (amended[0] as string[]).splice(
      13,
      1,
      "date of enactment of this Act, the Administrator, acting",
      "through the Coast Guard, shall",
    );
    const diff = diffClauses(text(printed(pages, true)), text(printed(amended, true)));
    expect(
      diff.entries.filter((entry) => entry.severity !== "none").map((entry) => [entry.kind, entry.new]),
    ).toEqual([["modified", ["Section 3(a)"]]]);
  });

  it("leaves the numbers of points that count up line by line, one point a line", () => {
    const points = [
      "The parties confirm the sovereignty of the country.",
      "A pact of non-aggression is signed within a month.",
      "The alliance takes in no new members in the region.",
      "A standing dialogue between the two sides is set up.",
      "Guarantees of security are given by the partners.",
      "The armed forces are capped at a fixed number.",
      "No foreign troops are stationed in the country.",
    ];
    // With their stops, and without: a long line without a stop looks wrapped, but the next starts afresh.
    for (const stop of [".", ""]) {
      const set = text(points.map((point, at) => `${at + 1} ${point.replace(/\.$/, stop)}`).join("\n"));
      expect(set.clauses.map((clause) => clause.label)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
      expect(set.warnings.map((warning) => warning.code)).not.toContain("line-numbers");
    }
  });
});

describe("words hyphenated at the line ends of a text copy", () => {
  it("joins each word's halves in its clause and counts it once, so every word is placed", () => {
    const body = [
      "1. The monitoring mission reports on the progress of the negoti-",
      "ations every month and shares its findings with both govern-",
      "ments without delay.",
      "2. Sanctions are lifted in stages.",
    ].join("\n");
    const set = text(body);

    expect(set.clauses[0]?.text).toBe(
      "The monitoring mission reports on the progress of the negotiations every month and shares its findings with both governments without delay.",
    );
    expect(set.coverage).toEqual({ words: 28, placed: 28 });
    expect(set.warnings).toEqual([]);
  });
});

describe("a number wrapped to the start of a line after the word that cites it", () => {
  it("keeps '(2) or as required …' in the sentence citing paragraph (2), and a change there in its clause", () => {
    const lines = (court: string) =>
      [
        "1. The supplier keeps the records for as long as the law allows under paragraph",
        `(2) or as required by ${court}, and deletes them once that period has ended in full.`,
        "2. The customer may ask for a copy of the records at any time during the contract term.",
      ].join("\n");
    const before = text(lines("a court"));
    const after = text(lines("a regulator"));

    expect(outline(before)).toEqual(["1", "2"]);
    expect(before.clauses[0]?.text).toContain("under paragraph (2) or as required by a court");
    const changed = diffClauses(before, after).entries.filter((entry) => entry.severity !== "none");
    expect(changed.map((entry) => [entry.kind, entry.new])).toEqual([["modified", ["1"]]]);
  });

  it("still opens point 1 after an introduction that ends on the word 'points'", () => {
    const set = text(
      [
        "The draft circulated on Friday sets out these points",
        "1. Ukraine keeps its sovereignty and its borders are confirmed by all signatories.",
        "2. Elections are held within one hundred days of the signing of the accord.",
      ].join("\n"),
    );

    expect(outline(set).filter((path) => !path.startsWith("Title") && !path.startsWith("Preamble"))).toEqual([
      "1",
      "2",
    ]);
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

describe("points run on in one paragraph, some ending on a figure", () => {
  it("opens the next point after a sentence that ends on a number, when it goes on the sequence", () => {
    const set = text(
      "The text reads: 1. The army is capped at 600,000. 2. Russia is invited back into the G8. 3. Elections follow within 100 days. 4. The deal takes effect at once.\n",
    );
    expect(
      set.clauses.filter((clause) => clause.label !== null).map((clause) => [clause.key, clause.text]),
    ).toEqual([
      ["1", "The army is capped at 600,000."],
      ["2", "Russia is invited back into the G8."],
      ["3", "Elections follow within 100 days."],
      ["4", "The deal takes effect at once."],
    ]);
  });

  it("leaves a number after a year's stop in the text when no sequence is around it", () => {
    const set = text(
      "1. The office opened in 2014. 7. Visitors were counted at the door, and the doors stayed open late.\n",
    );
    expect(set.clauses.filter((clause) => clause.label !== null).map((clause) => clause.key)).toEqual(["1"]);
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

describe("an article whose first paragraph's label follows its own", () => {
  const statute = [
    "Art. 1. § 1. The agreement governs the exchange of detainees.",
    "§ 2. It also applies to exchanges agreed before it was signed.",
    "Art. 2. A detainee is anyone held in connection with the conflict.",
    "Art. 3. § 1. Each side reports the names it holds every month.",
    "§ 2. The reports go to the mediator.",
  ];

  it("reads the article and its § 1 as two clauses, § 2 beside § 1", () => {
    const set = text(statute.join("\n"));

    expect(outline(set)).toEqual([
      "Article 1",
      "  § 1",
      "  § 2",
      "Article 2",
      "Article 3",
      "  Article 3 § 1",
      "  Article 3 § 2",
    ]);
    expect(byPath(set, "§ 1")?.text).toBe("The agreement governs the exchange of detainees.");
    expect(byPath(set, "Article 2")?.text).toBe("A detainee is anyone held in connection with the conflict.");
  });

  it("reads a bill's `SEC. 2. (a)` and a treaty's `Article 1. 1.` in Markdown and HTML alike", () => {
    const bill = text(
      "SEC. 2. (a) IN GENERAL.—The agency publishes mooring rules within a year.\n(b) EXCEPTION.—Boats under ten metres are exempt.",
    );
    const treaty = markdown(
      "Article 1. 1. Each party keeps its forces behind the line.\n\n2. Each party reports its forces monthly.",
    );
    const page = html(
      "<p>Art. 1. § 1. Each side reports monthly.</p><p>§ 2. Reports go to the mediator.</p>",
    );

    expect(outline(bill)).toEqual(["Section 2", "  Section 2(a)", "  Section 2(b)"]);
    expect(outline(treaty)).toEqual(["Article 1", "  Article 1(1)", "  Article 1(2)"]);
    expect(outline(page)).toEqual(["Article 1", "  § 1", "  § 2"]);
  });

  it("leaves a number that is not the first of its kind in the article's text", () => {
    const set = text("Art. 4. 3 observers stay at each crossing.\nArt. 5. The mission ends after a year.");

    expect(outline(set)).toEqual(["Article 4", "Article 5"]);
    expect(byPath(set, "Article 4")?.text).toBe("3 observers stay at each crossing.");
  });
});

describe("a chapter label alone on its line, its title in capitals on the next", () => {
  it("titles the chapter, which holds its articles, instead of heading a section of its own", () => {
    const set = text(
      [
        "REGULATION ON A CEASEFIRE MISSION",
        "",
        "CHAPTER I",
        "GENERAL PROVISIONS",
        "",
        "Article 1",
        "Subject matter",
        "",
        "1. A monitoring mission is set up.",
        "",
        "2. It reports every month.",
        "",
        "Article 2",
        "Definitions",
        "",
        "(a) 'observer' means a person a participating state sends.",
        "",
        "CHAPTER II",
        "THE MISSION",
        "",
        "Article 3",
        "Composition",
        "",
        "The mission has at most 400 observers.",
      ].join("\n"),
    );

    expect(outline(set).filter((line) => !line.startsWith("Title"))).toEqual([
      "Chapter I",
      "  Article 1",
      "    Article 1(1)",
      "    Article 1(2)",
      "  Article 2",
      "    Article 2(a)",
      "Chapter II",
      "  Article 3",
      "    Article 3 ¶1",
    ]);
    expect(byPath(set, "Chapter II")?.heading).toBe("THE MISSION");
  });
});

describe("sections numbered without a dot, their subsections in brackets", () => {
  it("goes on with the sections after a subsection whose next number is the same", () => {
    const set = text(
      [
        "Ceasefire Monitoring Bill",
        "",
        "1 Establishment",
        "(1) A mission is set up.",
        "",
        "2 Observers",
        "(1) Observers are appointed by the minister.",
        "(2) An observer must—",
        "(a) come from a participating state, and",
        "(b) hold no office in either party.",
        "",
        "3 Short title",
        "This Act may be cited as the Monitoring Act.",
      ].join("\n"),
    );

    expect(outline(set).filter((line) => !line.startsWith("Title"))).toEqual([
      "1",
      "  1(1)",
      "2",
      "  2(1)",
      "  2(2)",
      "    2(2)(a)",
      "    2(2)(b)",
      "3",
      "  3 ¶1",
    ]);
    expect(byPath(set, "3")?.heading).toBe("Short title");
  });
});
