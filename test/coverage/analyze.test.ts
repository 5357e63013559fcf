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
