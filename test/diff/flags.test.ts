import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { entities, knownNamesOf } from "../../src/diff/entities.js";
import { figures } from "../../src/diff/flags.js";
import { cutAtWord } from "../../src/diff/headline.js";
import { type DiffEntry, diffClauses, type Flag } from "../../src/diff/index.js";
import { quantities } from "../../src/diff/quantities.js";
import { STOPWORDS } from "../../src/diff/words.js";

function entryOf(before: string, after: string): DiffEntry {
  const read = (text: string) =>
    parseClauses({
      source: "inline",
      format: "text",
      text: `1. Opening clause stays the same.\n2. ${text}\n3. Closing clause stays the same.`,
    });
  const entry = diffClauses(read(before), read(after)).entries.find((candidate) => candidate.old[0] === "2");
  if (!entry) throw new Error("no entry for clause 2");
  return entry;
}

/** A one-point document, and the entry for that point between two wordings. */
const point = (body: string) => parseClauses({ source: "v", format: "text", text: `1. ${body}\n` });
const entry = (before: string, after: string) =>
  diffClauses(point(before), point(after)).entries[0] as DiffEntry;

const flagsOf = (before: string, after: string): Flag[] => entryOf(before, after).flags ?? [];
const types = (flags: Flag[]) => flags.map((flag) => flag.type);
const severityOf = (before: string, after: string) => entryOf(before, after).severity;

describe("quantities and references", () => {
  it("flags a changed figure with the printed values and what they count", () => {
    const entry = entryOf(
      "Troops are capped at 600,000 personnel.",
      "Troops are capped at 800,000 personnel.",
    );

    expect(entry.flags).toContainEqual({
      type: "number",
      old: "600,000",
      new: "800,000",
      context: "personnel",
    });
    expect(entry.headline).toBe("Point 2: 600,000 → 800,000 personnel");
  });

  it("flags a deadline that was dropped", () => {
    expect(
      flagsOf("Elections will be held within 100 days of signing.", "Elections will be held after signing."),
    ).toContainEqual({ type: "number", old: "100", context: "days" });
  });

  it("reads money, units and spelled-out numbers as quantities, and compares them by value", () => {
    const read = (text: string) => quantities(text, STOPWORDS).quantities.map((q) => q.canonical);

    expect(
      read("Europe adds $100bn; a 20 km zone; fifty observers; one hundred days; 50% of profits"),
    ).toEqual(["USD100000000000", "20 km", "50 %", "50", "100 day"]);
    expect(figures("$100bn")[0]?.canonical).toBe(figures("$100 billion")[0]?.canonical);
    expect(
      types(flagsOf("Europe adds $100bn to the fund.", "Europe adds $100 billion to the fund.")),
    ).not.toContain("number");
    expect(types(flagsOf("The mission has 50 observers.", "The mission has fifty observers."))).not.toContain(
      "number",
    );
    expect(flagsOf("The zone is 20 km wide.", "The zone is 30 km wide.")).toContainEqual({
      type: "number",
      old: "20",
      new: "30",
      context: "km",
    });
  });

  it("tells a duration's unit apart: 100 days is not 100 months", () => {
    expect(
      types(flagsOf("Elections follow within 100 days.", "Elections follow within 100 months.")),
    ).toContain("number");
  });

  it("reads Article 5, point 3 and Resolution 2202 as references, never as figures", () => {
    const read = quantities(
      "as set out in Article 5, point 3 and Resolution 2202, within 30 days",
      STOPWORDS,
    );

    expect(read.quantities.map((q) => q.printed)).toEqual(["30"]);
    expect(read.references.map((r) => r.printed)).toEqual(["Article 5", "point 3", "Resolution 2202"]);
    expect(flagsOf("The guarantee mirrors Article 5.", "The guarantee mirrors Article 6.")).toEqual([
      { type: "reference", removed: ["Article 5"], added: ["Article 6"] },
    ]);
  });
});

describe("names", () => {
  it("flags a named body replaced by another, and heads the change with the names alone", () => {
    const entry = entryOf(
      "Security talks will be mediated by Europe. All sides agree.",
      "Security talks will be mediated by NATO. All sides agree.",
    );

    expect(entry.flags).toContainEqual({ type: "entity", removed: ["Europe"], added: ["NATO"] });
    expect(entry.headline).toBe("Point 2: Europe → NATO");
  });

  it("flags a person replaced by a country", () => {
    expect(
      flagsOf(
        "The council will be chaired by President Donald J. Trump.",
        "The council will be chaired by the United States.",
      ),
    ).toContainEqual({ type: "entity", removed: ["President Donald J. Trump"], added: ["United States"] });
  });

  it("knows an acronym, a demonym and a lower-cased spelling for the same name", () => {
    expect(
      types(
        flagsOf(
          "Ukraine will not join the North Atlantic Treaty Organization.",
          "Ukraine will not join NATO.",
        ),
      ),
    ).not.toContain("entity");
    expect(
      types(
        flagsOf(
          "The Zaporizhzhia Nuclear Power Plant restarts.",
          "The Zaporizhzhia nuclear power plant restarts.",
        ),
      ),
    ).not.toContain("entity");
    expect(types(flagsOf("Ukrainian forces pull back.", "The forces of Ukraine pull back."))).not.toContain(
      "entity",
    );
  });

  it("does not take sentence-opening capitals for names", () => {
    const known = knownNamesOf([]);

    expect(entities("Both countries agree. Terms apply to Ukraine.", { knownNames: known })).toEqual([
      "Ukraine",
    ]);
    expect(entities("Confirmation of Ukraine's sovereignty follows.", { knownNames: known })).toEqual([
      "Ukraine",
    ]);
    expect(
      types(
        flagsOf(
          "Ukraine's sovereignty will be confirmed.",
          "Confirmation of Ukraine's sovereignty will follow.",
        ),
      ),
    ).not.toContain("entity");
  });
});

describe("polarity, modality and obligations", () => {
  it("flags negation added, but not one negation word for another", () => {
    expect(
      flagsOf("NATO will station troops in Ukraine.", "NATO will not station troops in Ukraine."),
    ).toContainEqual({
      type: "negation",
      removed: [],
      added: ["not"],
    });
    expect(types(flagsOf("Kyiv may act without consent.", "Kyiv may act with consent."))).toContain(
      "negation",
    );
    expect(types(flagsOf("Ukraine will not be admitted.", "Ukraine will never be admitted."))).not.toContain(
      "negation",
    );
  });

  it("reads May the month as a date, not a permission, and May opening a sentence as the modal", () => {
    const dated = (when: string) =>
      types(flagsOf("The vote will be held on 9 June 2026.", `The vote will be held ${when}.`));
    for (const when of ["on 9 May 2026", "in May 2026", "on May 9, 2026", "in early May"]) {
      expect(dated(when)).not.toContain("modality");
      expect(dated(when)).toContain("terms");
    }
    expect(types(flagsOf("Members must vote in person.", "May members vote in person?"))).toContain(
      "modality",
    );
    expect(types(flagsOf("Members must vote in person.", "Members may vote in person."))).toContain(
      "modality",
    );
  });

  it("reads cues through typography: a curly apostrophe in won\u2019t still negates", () => {
    expect(flagsOf("Kyiv will join the alliance.", "Kyiv won\u2019t join the alliance.")).toContainEqual({
      type: "negation",
      removed: [],
      added: ["n't"],
    });
  });

  it("flags will → may and will → is expected to, but not will → shall", () => {
    expect(
      flagsOf("Russia will return the territories.", "Russia may return the territories."),
    ).toContainEqual({
      type: "modality",
      old: ["will"],
      new: ["may"],
    });
    expect(
      types(flagsOf("Russia will return the territories.", "Russia is expected to return the territories.")),
    ).toContain("modality");
    expect(severityOf("Russia will return the territories.", "Russia shall return the territories.")).toBe(
      "minor",
    );
  });

  it("flags an obligation that was removed", () => {
    const entry = entryOf(
      "An audit of all aid will be carried out, and those who profited will be punished.",
      "An audit of all aid will be carried out.",
    );

    expect(entry.flags).toContainEqual({ type: "obligation", removed: ["will be punished"], added: [] });
    expect(entry.severity).toBe("substantive");
    expect(entry.headline).toBe('Point 2: obligation removed ("will be punished")');
  });

  it("flags key terms swapped when most wording stays", () => {
    const entry = entryOf(
      "The commission will audit the election in every region.",
      "The commission will boycott the election in every region.",
    );

    expect(entry.flags).toContainEqual({
      type: "terms",
      removed: ["audit"],
      added: ["boycott"],
      swapped: true,
    });
    expect(entry.severity).toBe("substantive");
    expect(entry.headline).toBe("Point 2: audit → boycott");
  });
});

describe("a copy cut off before its end", () => {
  const points = Array.from(
    { length: 8 },
    (_, at) => `${at + 1}. Point ${at + 1} sets out one step of the accord in a few words.`,
  );
  const read = (lines: string[]) =>
    parseClauses({ source: "copy.txt", format: "text", text: lines.join("\n") });

  it("warns on the new side that the clauses after the last one it kept are missing", () => {
    const result = diffClauses(read(points), read([...points.slice(0, 4), "Subscribe to read the rest."]));

    expect(result.new.warnings).toContainEqual({
      code: "shorter-copy",
      message:
        "this copy ends after 4: the 4 clauses after it (52 words) are missing. A cut-off copy (a paywall, a page limit)?",
      at: "4",
    });
  });

  it("says nothing of the kind when the ending was rewritten rather than lost", () => {
    const ending = [
      "5. Border crossings reopen for trade under joint customs teams.",
      "6. Each capital hosts a liaison office staffed by both sides.",
      "7. Disputes over the line go to a panel of three judges.",
      "8. The accord is reviewed by parliaments after two years.",
    ];
    const result = diffClauses(read(points), read([...points.slice(0, 4), ...ending]));

    expect(result.new.warnings.map((warning) => warning.code)).not.toContain("shorter-copy");
  });
});

describe("small words that decide a condition", () => {
  it.each([
    [
      "Sanctions end once the ceasefire holds and monitors confirm it.",
      "Sanctions end once the ceasefire holds or monitors confirm it.",
      "and → or",
    ],
    [
      "Elections are held before the troops withdraw.",
      "Elections are held after the troops withdraw.",
      "before → after",
    ],
    [
      "The report is filed no later than the first session.",
      "The report is filed no earlier than the first session.",
      "later → earlier",
    ],
    [
      "Die Wahl findet statt, wenn die Waffenruhe hält und die Beobachter zustimmen.",
      "Die Wahl findet statt, wenn die Waffenruhe hält oder die Beobachter zustimmen.",
      "und → oder",
    ],
    [
      "Les sanctions tombent avant le retrait des troupes.",
      "Les sanctions tombent après le retrait des troupes.",
      "avant → après",
    ],
    [
      "Se levantan las sanciones si hay alto el fuego y supervisión.",
      "Se levantan las sanciones si hay alto el fuego o supervisión.",
      "y → o",
    ],
  ])("reports %j → … as a swap of %s, substantive", (before, after, swap) => {
    const entry = entryOf(before, after);

    expect(entry.severity).toBe("substantive");
    expect(entry.headline).toBe(`Point 2: ${swap}`);
  });

  it("does not take an item added to a list, with its own 'and', for a swap", () => {
    const entry = entryOf(
      "Monitors come from Turkey and Qatar.",
      "Monitors come from Turkey, Egypt and Qatar.",
    );
    const terms = entry.flags?.find((flag) => flag.type === "terms");

    expect(terms).toEqual({ type: "terms", removed: [], added: ["Egypt"] });
  });
});

describe("wording that keeps the meaning is minor", () => {
  it.each([
    [
      "a synonym",
      "European fighter jets will be stationed in Poland.",
      "European fighter jets will be deployed in Poland.",
    ],
    ["another synonym", "Russia and NATO will hold a dialogue.", "Russia and NATO will hold talks."],
    [
      "word order",
      "Russia and Ukraine will exchange all prisoners.",
      "Ukraine and Russia will exchange all prisoners.",
    ],
    [
      "an article dropped",
      "The size of the armed forces will be limited.",
      "Size of armed forces will be limited.",
    ],
    [
      "an abridgement",
      "Ukraine will receive solid and lasting security guarantees from its partners.",
      "Ukraine will receive security guarantees.",
    ],
    ["a British spelling", "The organization will favor dialogue.", "The organisation will favour dialogue."],
  ])("%s", (_, before, after) => {
    const entry = entryOf(before, after);

    expect(entry.severity).toBe("minor");
    expect(entry.headline).toBe("Point 2 reworded");
  });

  it("treats a capital letter as typography", () => {
    expect(severityOf("Ukraine will amend its Constitution.", "Ukraine will amend its constitution.")).toBe(
      "none",
    );
  });
});

describe("headlines", () => {
  it("puts a figure before a rewrite", () => {
    const entry = entryOf(
      "Ukraine will keep no more than 600,000 people in its armed forces.",
      "A ceiling of 800,000 troops applies to the military in peacetime only.",
    );

    expect(entry.headline).toMatch(/^Point 2: no more than 600,000 people → ceiling of 800,000 troops/);
  });

  it("cuts at a word boundary", () => {
    expect(cutAtWord("Point 12: the United States and Russia will set up a working group", 40)).toBe(
      "Point 12: the United States and Russia…",
    );
  });
});

describe("a clause replaced by pages of other text", () => {
  /** Distinct made-up words ("qakex", "qakez", …) that no dictionary knows. */
  function gibberish(count: number, seed: string): string {
    const letters = "bcdfgkmnprstvxz";
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      let word = seed;
      for (let n = i; n > 0 || word.length === seed.length; n = Math.floor(n / letters.length))
        word += `${letters[n % letters.length]}a`;
      words.push(word);
    }
    return words.join(" ");
  }

  it("is a substantive rewrite, its terms matched by form rather than pair by pair", () => {
    const oldText = `1. The parties will publish every annex: ${gibberish(300, "qo")}.\n`;
    const newText = `1. The parties will publish every annex: ${gibberish(80_000, "vu")}.\n`;

    const result = diffClauses(
      parseClauses({ source: "old", format: "text", text: oldText }),
      parseClauses({ source: "new", format: "text", text: newText }),
    );

    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]).toMatchObject({ kind: "modified", severity: "substantive" });
  });
});

describe("times and units", () => {
  const headline = (a: string, b: string) =>
    diffClauses(point(a), point(b)).entries.find((entry) => entry.severity !== "none")?.headline;

  it("reads clock times whole, and the same time written two ways as no change of figure", () => {
    expect(headline("The crossing opens at 14:00.", "The crossing opens at 15:30.")).toBe(
      "Point 1: 14:00 → 15:30",
    );
    const same = diffClauses(
      point("Polls close at 9.30 pm and results follow at 11 pm."),
      point("Polls close at 21:30 and results follow at 23:00."),
    ).entries[0];
    expect(same?.flags?.filter((flag) => flag.type === "number")).toEqual([]);
  });

  it("names each side's unit when the unit changed", () => {
    expect(headline("The buffer zone is 15 km wide.", "The buffer zone is 15 miles wide.")).toBe(
      "Point 1: 15 km → 15 miles",
    );
  });
});

describe("floors, caps and exceptions", () => {
  it("reads a floor turned into a cap as a changed figure, and two ways to write one cap as none", () => {
    const flipped = entry(
      "The force keeps no fewer than 40,000 soldiers.",
      "The force keeps no more than 40,000 soldiers.",
    );
    expect(flipped.severity).toBe("substantive");
    expect(flipped.headline).toBe("Point 1: no fewer than 40,000 → no more than 40,000 soldiers");

    const same = entry(
      "The force keeps at most 40,000 soldiers.",
      "The force keeps no more than 40,000 soldiers.",
    );
    expect(same.severity).toBe("cosmetic");
    expect(same.flags ?? []).toEqual([]);
  });

  it("names the currency a figure is written with in words, and compares it as money", () => {
    const fare = entry("A day pass costs 6 euros.", "A day pass costs 8 euros.");
    expect(fare.headline).toBe("Point 1: 6 → 8 euros");
    const same = entry("A day pass costs 6 euros.", "A day pass costs €6.");
    expect(same.severity).toBe("cosmetic");
    const reworded = entry("A day pass costs 6 euros.", "A pass valid for a day costs €6.");
    expect(reworded.flags?.filter((flag) => flag.type === "number")).toEqual([]);
  });

  it("reads a cap put in a verb or a noun as the same cap", () => {
    for (const wording of [
      "The force is restricted to 40,000 soldiers.",
      "The force is capped at 40,000 soldiers.",
      "Each side will limit its standing forces to 40,000 soldiers.",
      "A ceiling of 40,000 soldiers applies to the force.",
      "The force is not to exceed 40,000 soldiers.",
    ]) {
      const kept = entry("The force keeps no more than 40,000 soldiers.", wording);
      expect(
        kept.flags?.filter((flag) => flag.type === "number"),
        wording,
      ).toEqual([]);
    }
    const dropped = entry("The force is limited to 40,000 soldiers.", "The force keeps 40,000 soldiers.");
    expect(dropped.flags?.find((flag) => flag.type === "number")).toMatchObject({
      old: "limited to 40,000",
      new: "40,000",
    });
  });

  it("names an exception that turns an inclusion round", () => {
    const turned = entry(
      "All assets, including those held abroad, stay frozen.",
      "All assets, excluding those held abroad, stay frozen.",
    );
    expect(turned.severity).toBe("substantive");
    expect(turned.headline).toBe('Point 1: exception added ("excluding")');
  });

  it("takes an expectation with its negation for an expectation", () => {
    const firmed = entry(
      "Each side is expected not to move heavy weapons.",
      "Each side will not move heavy weapons.",
    );
    expect(firmed.flags).toContainEqual({ type: "modality", old: ["is expected not to"], new: ["will"] });
  });
});

describe("copies in Ukrainian, Russian, Arabic and other European languages", () => {
  it("reads a negation dropped and an obligation turned into a permission in Cyrillic text", () => {
    const dropped = entry("Альянс не прийматиме нових членів.", "Альянс прийматиме нових членів.");
    expect(dropped).toMatchObject({ severity: "substantive", headline: 'Point 1: negation removed ("не")' });

    const softened = entry("Стороны должны отвести войска.", "Стороны могут отвести войска.");
    expect(softened.flags).toContainEqual({ type: "modality", old: ["должны"], new: ["могут"] });
  });

  it.each([
    [
      "German",
      "Die Souveränität der Ukraine wird bestätigt.",
      "Die Souveränität der Ukraine wird nicht bestätigt.",
      "nicht",
    ],
    [
      "German, a determiner",
      "Die NATO stationiert Truppen in der Ukraine.",
      "Die NATO stationiert keine Truppen in der Ukraine.",
      "keine",
    ],
    ["French", "L'Ukraine adhère à l'OTAN.", "L'Ukraine n'adhère pas à l'OTAN.", "n'"],
    ["Polish", "Sojusz przyjmie nowych członków.", "Sojusz nie przyjmie nowych członków.", "nie"],
    ["Italian", "La NATO si espanderà.", "La NATO non si espanderà.", "non"],
    ["Swedish", "Hyresgästen får hålla husdjur.", "Hyresgästen får inte hålla husdjur.", "inte"],
    ["Danish", "Hunde må være i haven.", "Hunde må ikke være i haven.", "ikke"],
    [
      "Greek",
      "Ο ενοικιαστής μπορεί να έχει κατοικίδια.",
      "Ο ενοικιαστής δεν μπορεί να έχει κατοικίδια.",
      "δεν",
    ],
    ["Arabic", "يجوز للمستأجر تربية الحيوانات.", "لا يجوز للمستأجر تربية الحيوانات.", "لا"],
  ])("reads a negation added in %s as a substantive negation", (_, before, after, cue) => {
    const changed = entry(before, after);

    expect(changed.severity).toBe("substantive");
    const negation = changed.flags?.find((flag) => flag.type === "negation") as
      | { removed: string[]; added: string[] }
      | undefined;
    expect(negation?.removed).toEqual([]);
    expect(negation?.added).toContain(cue);
  });

  it("takes no hyphenated prefix for a negation", () => {
    const changed = entry(
      "Both sides sign a non-aggression pact.",
      "Both sides sign a non-aggression treaty.",
    );

    expect(changed.flags?.some((flag) => flag.type === "negation")).toBe(false);
  });

  it.each([
    [
      "German",
      "Die Armee muss verkleinert werden.",
      "Die Armee kann verkleinert werden.",
      ["muss"],
      ["kann"],
    ],
    [
      "French",
      "L'Ukraine doit organiser des élections.",
      "L'Ukraine peut organiser des élections.",
      ["doit"],
      ["peut"],
    ],
    ["Spanish", "Las partes firmarán un acuerdo.", "Las partes podrán firmar un acuerdo.", [], ["podrán"]],
    [
      "Polish",
      "Ukraina musi przeprowadzić wybory.",
      "Ukraina może przeprowadzić wybory.",
      ["musi"],
      ["może"],
    ],
  ])("reads an obligation turned into a permission in %s", (_, before, after, old, added) => {
    expect(entry(before, after).flags).toContainEqual({ type: "modality", old, new: added });
  });

  it("reads figures in Arabic-Indic digits and quotes them as printed", () => {
    const changed = entry("يبلغ عدد الجنود ٦٠٠٬٠٠٠ جندي.", "يبلغ عدد الجنود ٨٠٠٬٠٠٠ جندي.");
    expect(changed.flags?.find((flag) => flag.type === "number")).toMatchObject({
      old: "٦٠٠٬٠٠٠",
      new: "٨٠٠٬٠٠٠",
    });
  });
});

describe("figures in scripts written without spaces", () => {
  it("reads full-width figures set against their words as numbers, and their change as substantive", () => {
    const read = (fee: string, days: string) =>
      parseClauses({
        source: "ja.txt",
        format: "text",
        text: `第１条　月額${fee}円を支払う。\n第２条　解約は${days}日前までに申し出る。\n`,
      });
    const entries = diffClauses(read("９８０", "７"), read("１，２８０", "３０")).entries;
    expect(
      entries.map((entry) => [
        entry.new[0],
        entry.severity,
        entry.flags?.find((flag) => flag.type === "number"),
      ]),
    ).toEqual([
      ["第1条", "substantive", { type: "number", old: "９８０", new: "１，２８０" }],
      ["第2条", "substantive", { type: "number", old: "７", new: "３０" }],
    ]);
  });
});

describe("cross-references that follow a renumbering", () => {
  /** Terms whose section 2 may be a new one; `tail` numbers its sections through `at` (old number → printed). */
  const numbered = (inserted: boolean, tail: (at: (n: number) => number) => string[]) =>
    parseClauses({
      source: "terms.txt",
      format: "text",
      text: [
        "Section 1. The provider runs the service every day of the year.",
        ...(inserted ? ["Section 2. The provider answers support requests within one working day."] : []),
        `Section ${inserted ? 3 : 2}. Fees are paid monthly in advance by card.`,
        ...tail((n) => (inserted ? n + 1 : n)),
      ].join("\n"),
    });
  const sections = (inserted: boolean, cited: number) =>
    numbered(inserted, (at) => [
      `Section ${at(3)}. Late fees accrue at one percent a month.`,
      `Section ${at(4)}. A refund of fees is made as set out in Section ${cited}.`,
    ]);

  it("reads a reference updated to its clause's new number as the same reference: cosmetic, and says so", () => {
    const result = diffClauses(sections(false, 2), sections(true, 3));
    const refund = result.entries.find((entry) => entry.new[0] === "Section 5");
    expect(refund).toMatchObject({
      kind: "renumbered",
      old: ["Section 4"],
      severity: "cosmetic",
      flags: [{ type: "reference", removed: ["Section 2"], added: ["Section 3"], renumbered: true }],
      headline: "Section 4 (now Section 5): Section 2 → Section 3 (follows the renumbering)",
    });
    expect(refund?.redline?.filter((op) => op.op !== "equal")).toEqual([
      { op: "delete", text: "2" },
      { op: "insert", text: "3" },
    ]);
    expect(
      result.entries.filter((entry) => entry.severity === "substantive").map((entry) => entry.new),
    ).toEqual([["Section 2"]]);
    expect(result.new.warnings.filter((warning) => warning.code === "stale-reference")).toEqual([]);
  });

  it("keeps a reference that followed its clause out of the flags of a clause reworded besides", () => {
    const reworded = (inserted: boolean) =>
      parseClauses({
        source: "plan.txt",
        format: "text",
        text: [
          "1. The ceasefire begins at noon on the day both sides sign.",
          ...(inserted ? ["2. Observers from neutral states watch the line of contact."] : []),
          `${inserted ? 3 : 2}. Heavy weapons are pulled back twenty kilometres from the line.`,
          inserted
            ? "4. Any breach of point 3 is reported at once to the observers."
            : "3. Any breach of point 2 is reported to the observers.",
        ].join("\n"),
      });
    const breach = diffClauses(reworded(false), reworded(true)).entries.find((entry) => entry.new[0] === "4");
    expect(breach?.severity).toBe("minor");
    expect(breach?.flags?.some((flag) => flag.type === "reference")).toBe(false);
  });

  it("carries roman article numbers too (Article IV → Article V)", () => {
    const articles = (inserted: boolean) =>
      parseClauses({
        source: "treaty.txt",
        format: "text",
        text: [
          "Article I. The parties establish a commission for the shared river basin.",
          ...(inserted ? ["Article II. The commission meets twice a year in either capital."] : []),
          `Article ${inserted ? "III" : "II"}. The commission keeps a register of water taken from the river.`,
          `Article ${inserted ? "IV" : "III"}. The register kept under Article ${inserted ? "III" : "II"} is open to the public.`,
        ].join("\n"),
      });
    const register = diffClauses(articles(false), articles(true)).entries.find(
      (entry) => entry.new[0] === "Article IV",
    );
    expect(register?.severity).toBe("cosmetic");
    expect(register?.flags).toEqual([
      { type: "reference", removed: ["Article II"], added: ["Article III"], renumbered: true },
    ]);
  });

  it("warns where a reference was left as it was though its clause was renumbered", () => {
    const result = diffClauses(sections(false, 2), sections(true, 2));
    const refund = result.entries.find((entry) => entry.new[0] === "Section 5");
    // The words are the same, so the clause is only renumbered; the copy is warned about instead.
    expect(refund?.kind).toBe("renumbered");
    const stale = result.new.warnings.filter((warning) => warning.code === "stale-reference");
    expect(stale).toEqual([
      {
        code: "stale-reference",
        at: "Section 5",
        message:
          "Section 5 still cites Section 2 (the old 2 is now 3; another clause has that number now): a cross-reference not updated after renumbering?",
      },
    ]);
    expect(result.old.warnings.some((warning) => warning.code === "stale-reference")).toBe(false);
  });

  it("warns about the document's own references, not those into other documents or by another word", () => {
    const cited = (inserted: boolean) =>
      numbered(inserted, (at) => [
        `Section ${at(3)}. Data is handled as Section 2 of the Privacy Act requires, and Rule 2 sets the tariff.`,
        `Section ${at(4)}. Card fees are refunded under Section 2.`,
      ]);
    const result = diffClauses(cited(false), cited(true));
    expect(
      result.new.warnings
        .filter((warning) => warning.code === "stale-reference")
        .map((warning) => warning.at),
    ).toEqual(["Section 5"]);
  });

  it("still flags a reference that now cites another clause", () => {
    const refund = diffClauses(sections(false, 2), sections(true, 4)).entries.find(
      (entry) => entry.new[0] === "Section 5",
    );
    expect(refund?.flags?.find((flag) => flag.type === "reference")).toEqual({
      type: "reference",
      removed: ["Section 2"],
      added: ["Section 4"],
    });
    expect(refund?.severity).toBe("substantive");
  });
});

describe("modal verbs of Scandinavian, Greek and Arabic copies", () => {
  it.each([
    ["Swedish", "Medlemmen får lämna föreningen.", "Medlemmen ska lämna föreningen.", ["får"], ["ska"]],
    ["Danish", "Medlemmet kan ekskluderes.", "Medlemmet skal ekskluderes.", ["kan"], ["skal"]],
    [
      "Greek",
      "Ο πάροχος μπορεί να ενημερώσει τον πελάτη.",
      "Ο πάροχος πρέπει να ενημερώσει τον πελάτη.",
      ["μπορεί"],
      ["πρέπει"],
    ],
    ["Arabic", "يجوز للمورد إبلاغ العميل.", "يجب على المورد إبلاغ العميل.", ["يجوز"], ["يجب"]],
  ])("reads a permission turned into an obligation in %s", (_, before, after, old, now) => {
    const changed = entry(before, after);
    expect(changed.severity).toBe("substantive");
    expect(changed.flags).toContainEqual({ type: "modality", old, new: now });
  });
});

describe("who owes what, and to how many", () => {
  it("reads the parties turned round as substantive, every other word kept", () => {
    const turned = entry(
      "You will indemnify us against any claim arising from your use of the service.",
      "We will indemnify you against any claim arising from your use of the service.",
    );
    expect(turned.severity).toBe("substantive");
    expect(turned.headline).toBe("Point 1: you, us → we, you");
    // The country is no party, and a party named where other words changed is an ordinary edit.
    expect(
      entry("Send notice to our office in Paris.", "Send notice to our office in Paris, US.").severity,
    ).toBe("minor");
  });

  it("reads two named parties or places trading places as substantive, and a list reordered as minor", () => {
    const traded = entry(
      "The tenant will repay the landlord for any damage to the garden.",
      "The landlord will repay the tenant for any damage to the garden.",
    );
    expect([traded.severity, traded.headline]).toEqual([
      "substantive",
      "Point 1: tenant, landlord → landlord, tenant",
    ]);
    expect(entry("Buses run from Lviv to Odesa.", "Buses run from Odesa to Lviv.").severity).toBe(
      "substantive",
    );
    for (const [before, after] of [
      ["Poland and Hungary will host the talks.", "Hungary and Poland will host the talks."],
      ["Rent is paid in euros or in dollars.", "Rent is paid in dollars or in euros."],
      ["Bring a passport as well as a visa.", "Bring a visa as well as a passport."],
    ] as const)
      expect(entry(before, after).severity).toBe("minor");
  });

  it("reads a quantifier narrowed as substantive", () => {
    const narrowed = entry(
      "All fees paid in advance are refundable.",
      "Some fees paid in advance are refundable.",
    );
    expect([narrowed.severity, narrowed.headline]).toEqual(["substantive", "Point 1: all → some"]);
  });
});

describe("dates as one figure", () => {
  it.each([
    ["2 January 2026", "14 May 2026"],
    ["March 5, 2026", "April 9, 2026"],
    ["15. November 2025", "30. November 2025"],
    ["1 de marzo de 2026", "1 de abril de 2026"],
    ["3 березня 2022", "5 березня 2022"],
    ["2026-03-05", "2026-04-09"],
  ])("reads %s → %s as one date moved", (was, now) => {
    const moved = entry(
      `The offer ends on ${was} for all members.`,
      `The offer ends on ${now} for all members.`,
    );
    expect(moved.severity).toBe("substantive");
    expect(moved.flags?.filter((flag) => flag.type === "number")).toEqual([
      { type: "number", old: was, new: now },
    ]);
  });

  it("reads the same date printed two ways as no change of figure, and 'may' before a number as no month", () => {
    const same = entry("Payment is due by 5 March 2026.", "Payment is due by March 5, 2026.");
    expect(same.severity).toBe("cosmetic");
    const reworded = entry("Payment is due by 5 March 2026.", "Payment must arrive by March 5, 2026.");
    expect(reworded.flags?.some((flag) => flag.type === "number")).toBe(false);
    const modal = entry(
      "Members may 3 times a year ask for a copy.",
      "Members may 4 times a year ask for a copy.",
    );
    expect(modal.flags?.filter((flag) => flag.type === "number")).toEqual([
      { type: "number", old: "3", new: "4", context: "times" },
    ]);
  });
});

describe("numbers in brackets: cited, counted, or a list's enumerators", () => {
  it.each([
    [
      "Subject to subsection (2), the tenant pays the rent.",
      "Subject to subsection (3), the tenant pays the rent.",
    ],
    ["The rules in paragraph (a) above apply.", "The rules in paragraph (b) above apply."],
    ["The limits under point (iv) apply.", "The limits under point (v) apply."],
    ["Clause 5(b) applies to every lease.", "Clause 5(c) applies to every lease."],
    ["The lease runs for a term of (2) years.", "The lease runs for a term of (4) years."],
    ["Notice is given within thirty (30) days.", "Notice is given within thirty (60) days."],
    ["As in subsections (2) and (3), the fee is due.", "As in subsections (2) and (4), the fee is due."],
  ])("reads a cited or counted number in brackets changed as substantive: %s", (before, after) => {
    expect(severityOf(before, after)).toBe("substantive");
  });

  it("names a cited bracketed label in the reference flag", () => {
    expect(flagsOf("See paragraph (a) for the fees.", "See paragraph (b) for the fees.")).toContainEqual({
      type: "reference",
      removed: ["paragraph (a)"],
      added: ["paragraph (b)"],
    });
  });

  it.each([
    [
      "The buyer may: (a) inspect the goods; (b) reject them.",
      "The buyer may: (i) inspect the goods; (ii) reject them.",
    ],
    [
      "The seller shall (1) pack and (2) ship the goods.",
      "The seller shall (a) pack and (b) ship the goods.",
    ],
    [
      "It may: (a) sell, (b) lease or (c) pledge the land.",
      "It may: (b) sell, (c) lease or (d) pledge the land.",
    ],
  ])("still reads a re-lettered run of enumerators as typography: %s", (before, after) => {
    expect(severityOf(before, after)).toBe("cosmetic");
  });

  it("reads an abbreviated citation word as the word itself", () => {
    expect(severityOf("The fee in Article 5 applies.", "The fee in Art. 5 applies.")).toBe("cosmetic");
    expect(severityOf("As in Sec. 4(a), the fee applies.", "As in Section 4(a), the fee applies.")).toBe(
      "cosmetic",
    );
  });
});

describe("conditions set on a clause", () => {
  it.each([
    [
      "We show you tailored offers if you opt in.",
      "We show you tailored offers.",
      "removed",
      "if you opt in",
    ],
    ["We show you tailored offers.", "We show you tailored offers if you opt in.", "added", "if you opt in"],
    [
      "The deposit is paid back, provided that the flat is left clean.",
      "The deposit is paid back.",
      "removed",
      "provided that the flat is left clean",
    ],
    [
      "A refund is made, where the item comes back unused.",
      "A refund is made.",
      "removed",
      "where the item comes back unused",
    ],
    [
      "The watch records your route when you are logging a run.",
      "The watch records your route.",
      "removed",
      "when you are logging a run",
    ],
    [
      "We may close the account after giving you notice.",
      "We may close the account.",
      "removed",
      "after giving you notice",
    ],
    [
      "Members may vote as long as their dues are paid.",
      "Members may vote.",
      "removed",
      "as long as their dues are paid",
    ],
  ])("reads a condition that comes or goes as substantive: %s", (before, after, side, phrase) => {
    const changed = entryOf(before, after);
    expect(changed.severity).toBe("substantive");
    expect(changed.flags).toContainEqual({
      type: "condition",
      removed: side === "removed" ? [phrase] : [],
      added: side === "added" ? [phrase] : [],
    });
    expect(changed.headline).toBe(`Point 2: condition ${side} ("${phrase}")`);
  });

  it.each([
    ["The services provided by us are free of charge.", "The services we provide are free of charge."],
    ["We keep the records as if they were our own.", "We keep the records as though they were our own."],
    ["The fee is due on the day when the order ships.", "The fee falls due on the day when the order ships."],
    ["The fee is paid before the morning of the sale.", "The fee is settled before the morning of the sale."],
  ])("finds no condition in words that only look like one: %s", (before, after) => {
    expect(flagsOf(before, after).some((flag) => flag.type === "condition")).toBe(false);
  });
});
