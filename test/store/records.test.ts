import { describe, expect, it } from "vitest";
import { clauseSetHash, clauseSetMatches, prettyJson } from "../../src/store/records.js";
import type { ClauseSet } from "../../src/types.js";
import { makeClauseSet } from "./helpers.js";

describe("a clause set read back from its file", () => {
  it("matches its hash as parsed, and still when parsing reorders its keys", () => {
    const plain = makeClauseSet(["The parties agree to a ceasefire.", "Sanctions are lifted in stages."]);
    // JSON.parse puts integer-like keys first and in numeric order: "9" before "10", where the
    // file (sorted as strings) has "10" first.
    const numbered = { ...plain, pages: { "10": 2, "9": 1, a: 3 } } as unknown as ClauseSet;

    for (const set of [plain, numbered]) {
      const parsed = JSON.parse(prettyJson(set)) as ClauseSet;
      expect(clauseSetMatches(parsed, clauseSetHash(set))).toBe(true);
    }
    expect(Object.keys((JSON.parse(prettyJson(numbered)) as { pages: object }).pages)).toEqual([
      "9",
      "10",
      "a",
    ]);
  });

  it("does not match when a word of it changed", () => {
    const set = makeClauseSet(["Point 26 calls for an audit of aid."]);
    const parsed = JSON.parse(prettyJson(set).replace("an audit of aid", "a full amnesty")) as ClauseSet;

    expect(clauseSetMatches(parsed, clauseSetHash(set))).toBe(false);
  });
});
