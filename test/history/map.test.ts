import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHistory } from "../../src/history/read.js";
import type { ClauseMap, Comparison, History } from "../../src/history/types.js";
import { type BuiltStore, buildStore, fixture, PLAN_ID } from "./support.js";

/** v2 of the plan, then the 20-point revision: merges, a move, removals and renumbering in one step. */
describe("the clause × version map across a restructured revision", () => {
  let built: BuiltStore;
  let history: History;
  let map: ClauseMap;
  let comparison: Comparison;

  beforeAll(async () => {
    const [v2, revision] = await Promise.all([fixture("v2-amnesty.txt"), fixture("revision.txt")]);
    built = await buildStore([{ wire: { body: v2 } }, { wire: { body: revision } }]);
    history = await openHistory({ config: built.config });
    map = (await history.map(PLAN_ID)) as ClauseMap;
    comparison = (await history.compare(PLAN_ID, "v1", "v2")) as Comparison;
  });

  afterAll(async () => {
    await history?.close();
    await built?.cleanup();
  });

  const rowOf = (path: string) => map.rows.find((row) => row.cells[0]?.key === path);

  it("ends both merged points in the point they became, each cell naming the merge's anchor", () => {
    const seven = rowOf("7");
    const eight = rowOf("8");

    expect(seven?.cells[1]).toMatchObject({
      state: "reworded",
      key: "6",
      kind: "merged",
      anchor: "change-7+8~6",
    });
    expect(eight?.cells[1]).toMatchObject({
      state: "reworded",
      key: "6",
      kind: "merged",
      anchor: "change-7+8~6",
    });
    expect(seven?.paths).toEqual(["7", "6"]);
    expect(eight?.paths).toEqual(["8", "6"]);
  });

  it("marks the move, the removals, and a merge of sub-items whose words stayed the same", () => {
    expect(rowOf("25")?.cells[1]).toMatchObject({ state: "moved", key: "3", anchor: "change-25~3" });
    expect(rowOf("3")?.cells[1]).toMatchObject({ state: "removed", key: "3", anchor: "change-3~" });
    expect(rowOf("13 •2")?.cells[1]).toMatchObject({ state: "removed", anchor: "change-13_20_e2_80_a22~" });
    expect(rowOf("14 •1")?.cells[1]).toMatchObject({
      state: "reworded",
      kind: "merged",
      severity: "cosmetic",
      anchor: "change-14_20_e2_80_a21+14_20_e2_80_a22~10",
    });
  });

  it("gives every clause of both versions one row, and every entry of the comparison its cells", () => {
    const old = comparison.from.clauseSet.clauses.length;
    const added = comparison.diff.entries.filter((entry) => entry.old.length === 0).length;
    const splitParts = comparison.diff.entries.reduce(
      (sum, entry) => sum + Math.max(0, entry.new.length - 1),
      0,
    );
    const anchors = new Set(map.rows.flatMap((row) => (row.cells[1]?.anchor ? [row.cells[1].anchor] : [])));
    const changed = comparison.diff.entries.filter(
      (entry) =>
        !(
          (entry.kind === "unchanged" || entry.kind === "renumbered") &&
          (entry.severity === "none" || entry.severity === "cosmetic")
        ),
    );

    expect(map.rows).toHaveLength(old + added + splitParts);
    expect(map.rows.every((row) => row.cells[0] !== null || row.cells[1]?.state === "added")).toBe(true);
    expect([...anchors].sort()).toEqual(
      changed
        .map(
          (entry) => `change-${entry.old.map(encodePath).join("+")}~${entry.new.map(encodePath).join("+")}`,
        )
        .sort(),
    );
  });
});

/** The anchors' spelling of a path, written out independently of the code under test. */
function encodePath(path: string): string {
  return [...path]
    .map((char) =>
      /[\p{L}\p{N}.()-]/u.test(char)
        ? char
        : [...new TextEncoder().encode(char)]
            .map((byte) => `_${byte.toString(16).padStart(2, "0")}`)
            .join(""),
    )
    .join("");
}
