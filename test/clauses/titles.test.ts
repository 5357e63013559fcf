/** Titled sections and articles: where a unit's title ends and its body begins. */
import { describe, expect, it } from "vitest";
import { diffClauses } from "../../src/diff/index.js";
import { byPath, markdown, outline, text } from "../helpers/outline.js";

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

  it("make a document of titled articles, whose preamble is its own text, not context", () => {
    const set = text(
      [
        "El pleno aprueba este reglamento, que obliga a todos los vecinos.",
        "",
        "Artículo 1. Objeto.",
        "Este reglamento regula el ruido.",
        "",
        "Artículo 2. Horario.",
        "Se prohíbe el ruido de noche.",
      ].join("\n"),
    );
    expect(byPath(set, "Preamble")?.context).toBeUndefined();
    expect(set.clauses.filter((clause) => clause.context)).toEqual([]);
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
