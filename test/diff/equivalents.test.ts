/**
 * What a copy editor changes without changing a clause (per cent signs, currency codes, dates,
 * spelled numbers, dashed ranges), and what looks like a small edit but changes who is bound, how
 * often or whether a duty holds at all.
 */
import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { settleEquivalents } from "../../src/diff/equivalents.js";
import { type DiffEntry, diffClauses } from "../../src/diff/index.js";
import { digestHeadline } from "../../src/report/headline.js";

/** A lease of four points; `change` rewrites point 3, the others stay as they are. */
function lease(point3: string) {
  return parseClauses({
    source: "lease",
    format: "text",
    text: [
      "1. The landlord lets the flat to the tenant for one year.",
      "2. The tenant pays the rent to the landlord in advance.",
      `3. ${point3}`,
      "4. The tenant may end the lease with two months' notice to the landlord.",
    ].join("\n"),
  });
}

function point3(before: string, after: string): { entry: DiffEntry; headline: string } {
  const result = diffClauses(lease(before), lease(after));
  const entry = result.entries.find((candidate) => candidate.old[0] === "3");
  if (!entry) throw new Error("no entry for point 3");
  return { entry, headline: digestHeadline(result, { noun: "Point" }) };
}

describe("the same thing written another way is typography", () => {
  it.each([
    [
      "a per cent sign",
      "The deposit is 40 per cent of one month's rent.",
      "The deposit is 40% of one month's rent.",
    ],
    ["a spelled-out share", "The deposit is ten per cent of the price.", "The deposit is 10% of the price."],
    [
      "an ampersand",
      "Gas & electricity are paid by the tenant.",
      "Gas and electricity are paid by the tenant.",
    ],
    ["a currency code for its sign", "The deposit is EUR 900.", "The deposit is €900."],
    [
      "millions written out",
      "The building is insured for €2 million.",
      "The building is insured for EUR 2,000,000.",
    ],
    ["an ISO date", "The lease starts on 30 June 2026.", "The lease starts on 2026-06-30."],
    ["a day-first numeric date", "The lease starts on 30 June 2026.", "The lease starts on 30/06/2026."],
    ["a month-first date", "The lease starts on 30 June 2026.", "The lease starts on June 30, 2026."],
    ["a dashed range", "Visits are allowed Monday to Friday.", "Visits are allowed Monday–Friday."],
    ["a spelled-out number", "Repairs are made within thirty days.", "Repairs are made within 30 days."],
    [
      "a floor in other words",
      "Notice is given no less than 30 days ahead.",
      "Notice is given at least 30 days ahead.",
    ],
    ["a cap in other words", "A flat holds not more than 4 tenants.", "A flat holds at most 4 tenants."],
  ])("%s", (_, before, after) => {
    const { entry } = point3(before, after);

    expect(entry.severity).toBe("cosmetic");
  });

  it("keeps a real change of figure, date or currency amount substantive", () => {
    expect(
      point3("The deposit is ten per cent of the price.", "The deposit is 1% of the price.").entry.severity,
    ).toBe("substantive");
    expect(point3("The lease starts on 30 June 2026.", "The lease starts on 2027-06-30.").headline).toBe(
      "Point 3: 30 June 2026 → 2027-06-30",
    );
    expect(
      point3("The building is insured for €2 million.", "The building is insured for EUR 20,000,000.").entry
        .severity,
    ).toBe("substantive");
    expect(
      point3("Notice is given no less than 30 days ahead.", "Notice is given no more than 30 days ahead.")
        .entry.severity,
    ).toBe("substantive");
  });

  it("reads a numeric date whose day and month could be either way round as one figure", () => {
    const { headline } = point3("The lease starts on 3 April 2026.", "The lease starts on 04/03/2026.");

    expect(headline).toBe("Point 3: 3 April 2026 → 04/03/2026");
  });

  it("leaves text without any of these forms as it is", () => {
    expect(settleEquivalents("the tenant keeps the garden tidy")).toBe("the tenant keeps the garden tidy");
  });
});

describe("who is bound", () => {
  it("reads another party taking on a duty as substantive, though both parties appear throughout", () => {
    const { entry, headline } = point3(
      "The landlord shall carry out repairs to the roof.",
      "The tenant shall carry out repairs to the roof.",
    );

    expect(entry.severity).toBe("substantive");
    expect(headline).toBe("Point 3: landlord → tenant");
  });

  it("reads the party that leads a clause changed to one it already named as substantive", () => {
    const { entry } = point3(
      "The landlord pays for the roof, and the tenant for the paint.",
      "The tenant pays for the roof, and the tenant for the paint.",
    );

    expect(entry.severity).toBe("substantive");
  });

  it("keeps a party named by a synonym minor", () => {
    const { entry } = point3(
      "The buyer pays the invoice within a month.",
      "The purchaser pays the invoice within a month.",
    );

    expect(entry.severity).toBe("minor");
  });
});

describe("how often", () => {
  it.each([
    ["monthly", "weekly", "Point 3: monthly → weekly"],
    ["annually", "every month", "Point 3: annually → every month"],
    ["twice a year", "once a year", "Point 3: twice a year → once a year"],
  ])("reads %s → %s as a changed figure", (before, after, headline) => {
    const result = point3(`The meter is read ${before}.`, `The meter is read ${after}.`);

    expect(result.entry.severity).toBe("substantive");
    expect(result.headline).toBe(headline);
  });

  it("reads the period a rate is counted in, and names a figure's period once", () => {
    const rate = point3(
      "Late rent bears interest of 1% per week.",
      "Late rent bears interest of 1% per day.",
    );
    expect([rate.entry.severity, rate.headline]).toEqual(["substantive", "Point 3: per week → per day"]);
    const fee = point3("The fee is EUR 5 per month.", "The fee is EUR 5 per year.");
    expect(fee.entry.flags?.filter((flag) => flag.type === "number")).toEqual([
      { type: "number", old: "EUR 5 per month", new: "EUR 5 per year" },
    ]);
  });

  it("reads a floor set on how often as a changed figure", () => {
    const floor = point3("The meter is read twice a year.", "The meter is read at least twice a year.");
    expect([floor.entry.severity, floor.headline]).toEqual([
      "substantive",
      "Point 3: twice a year → at least twice a year",
    ]);
  });

  it("reads any narrowed to certain as a quantifier changed", () => {
    const narrowed = point3("Any tenant may sublet a room.", "Certain tenants may sublet a room.");
    expect([narrowed.entry.severity, narrowed.headline]).toEqual(["substantive", "Point 3: any → certain"]);
  });

  it("takes two ways of saying the same period for one", () => {
    expect(point3("The meter is read every year.", "The meter is read annually.").entry.severity).toBe(
      "minor",
    );
  });
});

describe("duties lifted without a 'not'", () => {
  it.each([
    [
      "The landlord is subject to an inspection each year.",
      "The landlord is exempt from an inspection each year.",
    ],
    [
      "The tenant is liable for damage to the furniture.",
      "The tenant is exempt from liability for damage to the furniture.",
    ],
    [
      "The landlord shall charge a fee for late payment.",
      "The landlord shall waive the fee for late payment.",
    ],
  ])("reads %j → %j as an exemption added", (before, after) => {
    const { entry, headline } = point3(before, after);

    expect(entry.severity).toBe("substantive");
    expect(headline).toMatch(/^Point 3: exemption added \("(?:exempt|waive)"\)$/);
  });

  it("reads a right turned into a right to refuse as a negation, not as an obligation added", () => {
    const { headline } = point3(
      "The landlord may share the tenant's details with the agency.",
      "The landlord may refuse to share the tenant's details with the agency.",
    );

    expect(headline).toBe('Point 3: negation added ("refuse to")');
  });
});

describe("duties softened and standards changed", () => {
  it("reads a duty turned into an encouragement as a change of modality", () => {
    const { entry, headline } = point3(
      "The tenant must report any damage within a week.",
      "The tenant is encouraged to report any damage within a week.",
    );

    expect(entry.severity).toBe("substantive");
    expect(headline).toBe("Point 3: must → is encouraged to");
  });

  it.each([
    [
      "a qualifier dropped",
      "The landlord repairs defects that are materially harmful.",
      "The landlord repairs defects that are harmful.",
      "Point 3: materially removed",
    ],
    [
      "one standard of effort for another",
      "The landlord uses reasonable efforts to find a buyer.",
      "The landlord uses best efforts to find a buyer.",
      "Point 3: reasonable → best",
    ],
  ])("reads %s as substantive", (_, before, after, headline) => {
    const result = point3(before, after);

    expect(result.entry.severity).toBe("substantive");
    expect(result.headline).toBe(headline);
  });

  it("reads a standard put in other words as the same standard", () => {
    const reworded = point3(
      "The landlord promptly repairs any leak the tenant reports.",
      "The landlord quickly repairs any leak the tenant reports.",
    );
    expect(reworded.entry.severity).toBe("minor");
    const dropped = point3(
      "The landlord promptly repairs any leak the tenant reports.",
      "The landlord repairs any leak the tenant reports.",
    );
    expect([dropped.entry.severity, dropped.headline]).toEqual(["substantive", "Point 3: promptly removed"]);
  });
});
