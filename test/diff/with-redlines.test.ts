import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { diffClauses, withRedlines } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import type { ClauseSet } from "../../src/types.js";

const corpus = new URL("../../../shared/corpora/ota-contrib/", import.meta.url);
const plan = new URL("../fixtures/plan/", import.meta.url);

/** Real histories: each document's versions in order, as markdown. */
function histories(): Array<{ name: string; sets: ClauseSet[] }> {
  const index = JSON.parse(readFileSync(new URL("index.json", corpus), "utf8")) as Array<{
    folder: string;
    versions: Array<{ file: string }>;
  }>;
  return index.map(({ folder, versions }) => ({
    name: folder,
    sets: versions.map(({ file }) =>
      parseClauses({
        source: file,
        format: "markdown",
        text: readFileSync(new URL(`${folder}/${file}`, corpus), "utf8"),
      }),
    ),
  }));
}

function planVersions(): ClauseSet[] {
  return readdirSync(plan)
    .filter((name) => /\.(txt|md|html)$/.test(name))
    .sort()
    .map((name) => readClauseSet(readFileSync(new URL(name, plan), "utf8"), { source: name }));
}

describe("a diff made without redlines, completed with them", () => {
  it("equals the full diff, key order included, for every consecutive pair of 27 real histories", () => {
    let compared = 0;
    let redlined = 0;
    for (const { name, sets } of histories()) {
      for (let i = 1; i < sets.length; i++) {
        const [older, newer] = [sets[i - 1] as ClauseSet, sets[i] as ClauseSet];
        const lean = diffClauses(older, newer, { redlines: false });
        const full = diffClauses(older, newer);
        const completed = withRedlines(lean, older, newer);
        expect(JSON.stringify(completed), `${name} ${i - 1} → ${i}`).toBe(JSON.stringify(full));
        compared++;
        redlined += full.entries.filter((entry) => entry.flags && entry.redline).length;
      }
    }
    // The corpus has real rewordings, so the completion had work to do.
    expect(compared).toBeGreaterThan(100);
    expect(redlined).toBeGreaterThan(100);
  });

  it("equals the full diff for every pair of the plan's drafts, splits, merges and rewrites among them", () => {
    const sets = planVersions();
    const kinds = new Set<string>();
    for (const older of sets) {
      for (const newer of sets) {
        if (older === newer) continue;
        const completed = withRedlines(diffClauses(older, newer, { redlines: false }), older, newer);
        const full = diffClauses(older, newer);
        expect(JSON.stringify(completed), `${older.source} → ${newer.source}`).toBe(JSON.stringify(full));
        for (const entry of full.entries) if (entry.flags) kinds.add(entry.kind);
      }
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["merged", "modified", "split"]));
  });

  it("leaves a diff that already has its redlines as it is", () => {
    const [older, newer] = planVersions() as [ClauseSet, ClauseSet];
    const full = diffClauses(older, newer);
    expect(withRedlines(full, older, newer)).toEqual(full);
  });
});
