import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { analyzeCoverage, type VersionText } from "../../src/coverage/index.js";
import { readClauseSet } from "../../src/document.js";

const read = async (path: string) => readFile(new URL(`../fixtures/${path}`, import.meta.url), "utf8");
const plan = async (name: string) => readClauseSet(await read(`plan/${name}`), { source: name });
const passages = async (name: string) =>
  readClauseSet(await read(`coverage/${name}`), { source: name, prose: "always" }).clauses.map(
    (clause) => clause.text,
  );

async function analyze(article: string, versions: VersionText[]) {
  return analyzeCoverage({
    planId: "peace-plan",
    sourceId: "desk",
    snapshotId: "0123456789abcdef",
    at: "2025-11-23T12:00:00.000Z",
    passages: await passages(article),
    versions,
  });
}

describe("analyzeCoverage", () => {
  it("links coverage of the counter-proposal to the newest version's points and records the reported earlier wording", async () => {
    const versions = [
      { id: "v2", clauseSet: await plan("counter.txt") },
      { id: "v1", clauseSet: await plan("v2-amnesty.txt") },
    ];

    const found = await analyze("counter-coverage.txt", versions);

    const linked = found.mentions.map(
      (mention) => `${mention.version}:${mention.clauseKey}:${mention.via.join("+")}`,
    );
    expect(linked).toContain("v2:5:wording+figure");
    expect(linked).toContainEqual(expect.stringMatching(/^v2:6:reference/));
    expect(found.variants).toEqual([
      expect.objectContaining({
        version: "v2",
        clauseKey: "22",
        cue: "had previously stated",
        earlier: "elections would be held within 100 days of signing",
      }),
    ]);
    expect(found.mismatches).toEqual([]);
  });

  it("links coverage of the restructured revision to its renumbered and new points", async () => {
    const versions = [
      { id: "v3", clauseSet: await plan("revision.txt") },
      { id: "v1", clauseSet: await plan("v2-amnesty.txt") },
    ];

    const found = await analyze("revision-coverage.txt", versions);

    const linked = found.mentions.map((mention) => `${mention.version}:${mention.clauseKey}`);
    expect(linked).toContain("v3:3");
    expect(linked).toContain("v3:17");
    expect(found.mismatches).toEqual([]);
  });

  it("flags a troop cap that coverage states differently from the tracked draft", async () => {
    const found = await analyze("mismatch-coverage.txt", [
      { id: "v1", clauseSet: await plan("v2-amnesty.txt") },
    ]);

    expect(found.mismatches).toEqual([
      expect.objectContaining({
        clauseKey: "6",
        reported: "700,000 troops",
        tracked: "600,000 people",
        version: "v1",
      }),
    ]);
    expect(found.mentions.map((mention) => mention.clauseKey)).toEqual(["6", "25"]);
  });

  it("finds nothing in an article that mentions no clause of the plan", async () => {
    const found = await analyze("unrelated.txt", [
      { id: "v2", clauseSet: await plan("counter.txt") },
      { id: "v1", clauseSet: await plan("v2-amnesty.txt") },
    ]);

    expect(found).toEqual({ mentions: [], variants: [], mismatches: [] });
  });

  it("finds nothing while the plan has no version yet", async () => {
    expect(await analyze("counter-coverage.txt", [])).toEqual({ mentions: [], variants: [], mismatches: [] });
  });
});

describe("figures in coverage", () => {
  const inline = (passages: string[], versions: VersionText[]) =>
    analyzeCoverage({
      planId: "peace-plan",
      sourceId: "desk",
      snapshotId: "0123456789abcdef",
      at: "2025-11-23T12:00:00.000Z",
      passages,
      versions,
    });
  const monitoring = () =>
    readClauseSet(
      [
        "1. A demilitarised strip 30 km wide will separate the two armies.",
        "2. The ceasefire will be watched by 200 observers from neutral states.",
        "3. Reconstruction will be financed with $100 billion from a joint fund.",
      ].join("\n"),
      { source: "monitoring.txt" },
    );

  it("takes a figure an article gives as an earlier draft's wording for a reported variant, not a mismatch", async () => {
    const found = inline(
      [
        "Point 25 keeps the vote within 100 days of the signing; an earlier draft had called for elections within 120 days.",
      ],
      [{ id: "v1", clauseSet: await plan("v2-amnesty.txt") }],
    );

    expect(found.mismatches).toEqual([]);
    expect(found.variants).toEqual([
      expect.objectContaining({
        clauseKey: "25",
        earlier: expect.stringMatching(/elections within 120 days$/),
      }),
    ]);
  });

  it("compares sums of money, observers and kilometres too", () => {
    const found = inline(
      [
        "Under point 1 the strip between the armies would be 50 km wide.",
        "Point 2 has the ceasefire watched by 500 observers from neutral states.",
        "Point 3 finances reconstruction with $300 billion from a joint fund.",
      ],
      [{ id: "v1", clauseSet: monitoring() }],
    );

    expect(
      found.mismatches.map((mismatch) => [mismatch.clauseKey, mismatch.reported, mismatch.tracked]),
    ).toEqual([
      ["1", "50 km", "30 km"],
      ["2", "500 observers", "200 observers"],
      ["3", "$300 billion", "$100 billion"],
    ]);
  });

  it("leaves figures alone that agree with the tracked version", () => {
    const found = inline(
      [
        "Point 2 has the ceasefire watched by 200 observers, and point 3 puts $100 billion into a joint fund.",
      ],
      [{ id: "v1", clauseSet: monitoring() }],
    );

    expect(found.mismatches).toEqual([]);
  });
});
