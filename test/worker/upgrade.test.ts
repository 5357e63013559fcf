/**
 * A store written before outlines (one flat list per copy, sub-items inside their clause) keeps
 * working: the next check compares against the old copy as the current reader reads its body, so
 * the upgrade itself is never reported as a change, and real changes still are, clause by clause.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openHistory } from "../../src/history/read.js";
import type { FsStore } from "../../src/store/index.js";
import type { ClauseSet } from "../../src/types.js";
import { runCycle } from "../../src/worker/cycle.js";
import type { SourceChange, WorkerContext } from "../../src/worker/types.js";
import { fixturePage, makeWorkspace, planFixture, type Site, startSite, type Workspace } from "./support.js";

let site: Site;
let ws: Workspace;

beforeEach(async () => {
  site = await startSite();
  ws = await makeWorkspace();
});

afterEach(async () => {
  await site.close();
  await ws.cleanup();
});

/** The shape the first build stored: top-level clauses only, their sub-items inside them. */
function legacyShape(set: ClauseSet): ClauseSet {
  const top = set.clauses.filter((clause) => clause.depth === 0 && clause.kind === "numbered");
  const clauses = top.map((clause, index) => {
    const items = set.clauses
      .filter((child) => child.parent === clause.key)
      .map((child) => ({
        label: child.kind === "bullet" ? "•" : (child.label ?? "•"),
        text: child.text,
        norm: child.norm,
      }));
    return {
      key: clause.key,
      printed: clause.printed,
      index,
      text: clause.text,
      items,
      norm: [clause.norm, ...items.map((item) => item.norm)].join(" "),
      fingerprint: `legacy${index}`,
    };
  });
  return { source: set.source, style: "decimal", clauses } as unknown as ClauseSet;
}

/** Replaces the source's last snapshot with the same copy as the first build would have stored it. */
async function storeAsLegacy(ctx: WorkerContext & { store: FsStore }, sourceId: string): Promise<string> {
  const state = await ctx.store.getSourceState(sourceId);
  if (!state?.lastSnapshotId) throw new Error("no snapshot to rewrite");
  const {
    id: _id,
    clauseSetHash: _hash,
    clauseSet,
    ...record
  } = await ctx.store.getSnapshot(state.lastSnapshotId);
  const legacy = await ctx.store.putSnapshot({ ...record, clauseSet: legacyShape(clauseSet) });
  await ctx.store.setSourceState({ ...state, lastSnapshotId: legacy.id, recentTexts: [] });
  return legacy.id;
}

describe("a store written before outlines", () => {
  it("reports only the rewritten point when the next copy changes, never the upgrade itself", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(ws.config({ sources: [{ id: "wire", url: `${site.url}/plan.txt` }] }));
    await runCycle(ctx);
    const legacyId = await storeAsLegacy(ctx, "wire");
    site.set("/plan.txt", await fixturePage("v2-amnesty.txt"));

    const report = await runCycle(ctx);

    expect(report.outcomes[0]?.status).toBe("changed");
    const change = (await ctx.store.listChanges({ sourceId: "wire" })).at(-1) as SourceChange;
    expect(change.fromSnapshot).toBe(legacyId);
    expect(change.headline).toMatch(/Point 26 rewritten/);
    expect((change.entries ?? []).map((entry) => [entry.kind, entry.old, entry.new])).toEqual([
      ["modified", ["26"], ["26"]],
    ]);
  });

  it("takes a copy that differs only in typography as noise against the old snapshot", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(ws.config({ sources: [{ id: "wire", url: `${site.url}/plan.txt` }] }));
    await runCycle(ctx);
    await storeAsLegacy(ctx, "wire");
    const typeset = (await planFixture("v1-draft.txt")).toString().replace(/'/g, "’").replace(/ — /g, " – ");
    site.set("/plan.txt", { body: typeset, type: "text/plain; charset=utf-8" });

    const report = await runCycle(ctx);

    expect(report.outcomes[0]?.status).toBe("noise");
    expect((await ctx.store.listChanges({ sourceId: "wire" })).map((change) => change.kind)).toEqual([
      "baseline",
    ]);
  });

  it("shows the old snapshot in the history as an outline, sub-items as clauses of their own", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const config = ws.config({ sources: [{ id: "wire", url: `${site.url}/plan.txt` }] });
    const ctx = await ws.context(config);
    await runCycle(ctx);
    const legacyId = await storeAsLegacy(ctx, "wire");
    const history = await openHistory({ config, store: ctx.store });

    const legacy = await history.text(config.sources[0]?.plan ?? "", legacyId);

    const keys = legacy?.clauseSet.clauses.map((clause) => clause.key) ?? [];
    expect(keys).toContain("10 •3");
    expect(legacy?.clauseSet.clauses.find((clause) => clause.key === "10 •3")).toMatchObject({
      kind: "bullet",
      depth: 1,
      parent: "10",
    });
  });
});
