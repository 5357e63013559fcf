import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { diffClauses } from "../../src/diff/index.js";

const doc = (...clauses: string[]) =>
  parseClauses({
    source: "inline",
    format: "text",
    text: clauses.map((text, i) => `${i + 1}. ${text}`).join("\n"),
  });

const CLAUSES = [
  "Ukraine's sovereignty will be confirmed by every signatory.",
  "A non-aggression pact will bind Russia, Ukraine and Europe.",
  "Russia is expected not to invade neighbouring countries.",
  "The United States will mediate a dialogue between Russia and NATO.",
  "Ukraine will receive reliable security guarantees.",
  "The armed forces of Ukraine will be capped at 600,000 personnel.",
  "NATO will not station troops in Ukraine.",
  "European fighter jets will be based in Poland.",
];

function kinds(result: ReturnType<typeof diffClauses>) {
  return result.entries.map(
    (entry) => `${entry.kind} ${entry.old.join("+") || "-"}>${entry.new.join("+") || "-"}`,
  );
}

describe("diffClauses alignment", () => {
  it("reports a deletion that shifts later numbers as one removal plus renumbering", () => {
    const result = diffClauses(doc(...CLAUSES), doc(...CLAUSES.filter((_, i) => i !== 2)));

    expect(kinds(result)).toEqual([
      "unchanged 1>1",
      "unchanged 2>2",
      "removed 3>-",
      "renumbered 4>3",
      "renumbered 5>4",
      "renumbered 6>5",
      "renumbered 7>6",
      "renumbered 8>7",
    ]);
    expect(
      result.entries.filter((entry) => entry.kind === "renumbered").every((e) => e.severity === "none"),
    ).toBe(true);
  });

  it("reports a clause taken far from its place as moved, not removed and added", () => {
    const reordered = [CLAUSES[7] as string, ...CLAUSES.slice(0, 7)];

    const result = diffClauses(doc(...CLAUSES), doc(...reordered));

    expect(result.summary.moved).toBe(1);
    expect(result.entries[0]).toMatchObject({ kind: "moved", old: ["8"], new: ["1"], severity: "minor" });
    expect(result.summary.removed + result.summary.added).toBe(0);
  });

  it("pairs an in-place replacement with unrelated wording as a rewrite", () => {
    const replaced = [...CLAUSES];
    replaced[4] = "All parties receive full amnesty for wartime actions and waive future claims.";

    const result = diffClauses(doc(...CLAUSES), doc(...replaced));
    const entry = result.entries[4];

    expect(entry).toMatchObject({ kind: "modified", old: ["5"], new: ["5"], severity: "substantive" });
    expect(entry?.flags?.map((flag) => flag.type)).toContain("rewrite");
  });

  it("pairs leftovers in one gap by similarity before position", () => {
    const old = doc(
      "Alpha clause stays.",
      "A monitoring mission observes the ceasefire line day and night.",
      "Grain exports resume through the ports of the Black Sea.",
      "Omega clause stays.",
    );
    const next = doc(
      "Alpha clause stays.",
      "Turkey guarantees safe passage for grain convoys.",
      "Drones patrol the ceasefire zone instead of observers.",
      "Omega clause stays.",
    );

    const result = diffClauses(old, next);

    const paired = result.entries
      .filter((entry) => entry.kind === "modified")
      .map((entry) => `${entry.old[0]}>${entry.new[0]}`)
      .sort();
    expect(paired).toEqual(["2>3", "3>2"]);
    expect(result.summary.moved).toBe(0);
  });

  it("moves a section with its children as one move, and renumbers the children quietly", () => {
    const old = parseClauses({
      source: "old.md",
      format: "markdown",
      text: "## 1. Scope\n\n1. Who is covered.\n2. Where it applies.\n\n## 2. Fees\n\n1. Monthly fee.\n2. Late fee.\n\n## 3. Ending\n\n1. Notice period.",
    });
    const next = parseClauses({
      source: "new.md",
      format: "markdown",
      text: "## 1. Fees\n\n1. Monthly fee.\n2. Late fee.\n\n## 2. Scope\n\n1. Who is covered.\n2. Where it applies.\n\n## 3. Ending\n\n1. Notice period.",
    });

    const result = diffClauses(old, next);

    expect(
      result.entries.filter((entry) => entry.kind === "moved").map((entry) => `${entry.old}>${entry.new}`),
    ).toEqual(["1>2"]);
    expect(
      result.entries
        .filter((entry) => entry.kind === "renumbered")
        .map((entry) => `${entry.old}>${entry.new}`),
    ).toEqual(["2>1", "2.1>1.1", "2.2>1.2", "1.1>2.1", "1.2>2.2"]);
    expect(result.severity).toBe("minor");
  });

  it("reports an edited sub-item at its own path, its parent unchanged", () => {
    const old = doc("Funds are used as follows:", "Closing clause.");
    const next = doc("Funds are used as follows:", "Closing clause.");
    const withItems = (set: typeof old, figure: string) =>
      parseClauses({
        source: set.source,
        format: "text",
        text: `1. Funds are used as follows:\n(a) $100 billion for rebuilding;\n(b) ${figure} for a joint fund.\n2. Closing clause.`,
      });

    const result = diffClauses(withItems(old, "$50 billion"), withItems(next, "$80 billion"));

    expect(
      result.entries
        .filter((entry) => entry.severity !== "none")
        .map((entry) => [entry.kind, entry.new[0], entry.headline]),
    ).toEqual([["modified", "1(b)", "Point 1(b): $50 billion → $80 billion"]]);
  });

  it("never pairs leftovers that stand far apart just because both are left", () => {
    const old = doc(...CLAUSES);
    const next = doc(
      ...CLAUSES.slice(0, 2),
      "A brand new commission on water rights is set up.",
      ...CLAUSES.slice(2, 6),
      ...CLAUSES.slice(7),
    );

    const result = diffClauses(old, next);

    expect(
      kinds(result).filter((kind) => !kind.startsWith("unchanged") && !kind.startsWith("renumbered")),
    ).toEqual(["added ->3", "removed 7>-"]);
  });

  it("recognises a clause split in two and two clauses merged into one", () => {
    const splitOld = doc(
      "Opening clause remains as it was.",
      "Frozen Russian assets worth $100 billion fund reconstruction led by the United States, and the remaining assets go into a joint US-Russian investment vehicle.",
      "Closing clause remains as it was.",
    );
    const splitNew = doc(
      "Opening clause remains as it was.",
      "Frozen Russian assets worth $100 billion fund reconstruction led by the United States.",
      "The remaining assets go into a joint US-Russian investment vehicle.",
      "Closing clause remains as it was.",
    );

    const split = diffClauses(splitOld, splitNew);
    const merged = diffClauses(splitNew, splitOld);

    expect(kinds(split)).toContain("split 2>2+3");
    expect(kinds(merged)).toContain("merged 2+3>2");
  });

  it("names a figure or negation changed inside a split or a merge in the headline", () => {
    const whole = doc(
      "Opening clause remains as it was.",
      "Frozen assets worth $100 billion fund the rebuilding, and the rest go into a joint fund.",
      "Closing clause remains as it was.",
    );
    const parts = doc(
      "Opening clause remains as it was.",
      "Frozen assets worth $300 billion fund the rebuilding.",
      "The rest go into a joint fund.",
      "Closing clause remains as it was.",
    );
    const headlines = (result: ReturnType<typeof diffClauses>) =>
      result.entries
        .filter((entry) => entry.kind === "split" || entry.kind === "merged")
        .map((entry) => entry.headline);

    expect(headlines(diffClauses(whole, parts))).toEqual([
      "Point 2 split into 2 and 3: $100 billion → $300 billion fund",
    ]);
    expect(headlines(diffClauses(parts, whole))).toEqual([
      "Points 2 and 3 merged into 2: $300 billion → $100 billion fund",
    ]);
  });

  it("treats typography-only differences as unchanged with at most cosmetic severity", () => {
    const curly = doc(
      "Ukraine\u2019s army is capped at 600\u00A0000 \u2014 \u201Cpersonnel\u201D.",
      "Second clause.",
    );
    const straight = doc('Ukraine\'s army is capped at 600,000 - "personnel".', "Second clause.");

    const result = diffClauses(curly, straight);

    expect(result.summary.unchanged).toBe(2);
    expect(result.severity === "none" || result.severity === "cosmetic").toBe(true);
  });

  it("marks a punctuation-only edit as cosmetic, never above", () => {
    const result = diffClauses(
      doc("Crimea, Luhansk and Donetsk are named.", "Two."),
      doc("Crimea, Luhansk, and Donetsk are named.", "Two."),
    );

    expect(result.entries[0]).toMatchObject({ kind: "unchanged", severity: "cosmetic" });
  });

  it("handles an empty-to-full comparison as all additions", () => {
    const result = diffClauses(
      { source: "empty", style: "decimal", clauses: [], coverage: { words: 0, placed: 0 }, warnings: [] },
      doc(...CLAUSES.slice(0, 3)),
    );

    expect(result.summary).toMatchObject({ added: 3, unchanged: 0 });
    expect(result.severity).toBe("substantive");
  });
});

describe("a clause one copy reads as context and the other as the document's", () => {
  const asContext = (set: ReturnType<typeof doc>, keys: string[]) => ({
    ...set,
    clauses: set.clauses.map((clause) =>
      keys.includes(clause.key) ? { ...clause, context: true as const } : clause,
    ),
  });
  const edited = CLAUSES.map((text, at) => (at === 5 ? text.replace("600,000", "800,000") : text));

  it("keeps a numbered clause's change at full weight when either copy read it as the document's", () => {
    for (const [old, now] of [
      [doc(...CLAUSES), asContext(doc(...edited), ["6"])],
      [asContext(doc(...CLAUSES), ["6"]), doc(...edited)],
    ] as const) {
      const entry = diffClauses(old, now).entries.find((candidate) => candidate.new[0] === "6");
      expect(entry?.severity).toBe("substantive");
      expect(entry?.context).toBeUndefined();
    }
  });

  it("keeps a figure, duty or negation changed in a numbered context clause at full weight", () => {
    const entry = diffClauses(
      asContext(doc(...CLAUSES), ["6"]),
      asContext(doc(...edited), ["6"]),
    ).entries.find((candidate) => candidate.new[0] === "6");
    expect(entry?.severity).toBe("substantive");
    expect(entry?.context).toBe(true);
  });

  it("caps other changes of context at minor: unnumbered prose's figures, a numbered one's wording", () => {
    const prose = (figure: string) =>
      parseClauses({
        source: "page.txt",
        format: "text",
        text: [
          `The outlet counted ${figure} attacks along the line in a week of talks.`,
          "",
          ...CLAUSES.slice(0, 4).map((text, at) => `${at + 1}. ${text}`),
        ].join("\n"),
      });
    const intro = diffClauses(prose("40"), prose("45")).entries[0];
    expect([intro?.old, intro?.context, intro?.severity]).toEqual([["Preamble"], true, "minor"]);

    const reworded = CLAUSES.map((text, at) => (at === 3 ? text.replace("mediate", "observe") : text));
    const entry = diffClauses(
      asContext(doc(...CLAUSES), ["4"]),
      asContext(doc(...reworded), ["4"]),
    ).entries.find((candidate) => candidate.new[0] === "4");
    expect([entry?.context, entry?.severity]).toEqual([true, "minor"]);
  });
});
