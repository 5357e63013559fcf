/**
 * A plan store built the way the worker builds one: loopback sources whose pages change between
 * cycles, real cycles with lineage, a real fs store in a temp directory.
 */

import type { Config } from "../../src/config/index.js";
import { createLineage } from "../../src/lineage/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import {
  fixturePage,
  makeWorkspace,
  type Page,
  type PlanFixture,
  startSite,
  type Workspace,
} from "../worker/support.js";

/** What each path serves at one cycle: a plan fixture or a page of its own. */
export type Step = Record<string, PlanFixture | Page>;

/** The usual story: the wire and Europe agree on v1, the wire rewrites point 26, Europe counters. */
export const PLAN_STORY: Step[] = [
  { "/wire/plan.txt": "v1-draft.txt", "/eu/plan.txt": "v1-draft.txt" },
  { "/wire/plan.txt": "v2-amnesty.txt" },
  { "/eu/plan.txt": "counter.txt" },
];

export interface PlanStore {
  workspace: Workspace;
  config: Config;
  /** Checks happen a day apart from here. */
  start: Date;
  cleanup(): Promise<void>;
}

/** Runs one cycle per step (the store is closed afterwards, so readers and importers may open it). */
export async function buildPlanStore(steps: Step[] = PLAN_STORY): Promise<PlanStore> {
  const workspace = await makeWorkspace();
  const site = await startSite();
  try {
    const config = workspace.config({
      sources: [
        { id: "wire", url: `${site.url}/wire/plan.txt` },
        { id: "eu", url: `${site.url}/eu/plan.txt` },
      ],
    });
    const ctx = await workspace.context(config);
    const start = new Date("2025-11-20T08:00:00Z");
    let day = 0;
    const lineage = createLineage(
      config.storageDir,
      config.lineage,
      async (id) => (await ctx.store.getSnapshot(id)).clauseSet,
    );
    for (const step of steps) {
      for (const [path, page] of Object.entries(step)) {
        site.set(path, typeof page === "string" ? await fixturePage(page) : page);
      }
      const at = new Date(start.getTime() + day * 86_400_000);
      day += 1;
      // One source at a time, in config order, so the wire always carries v1 first.
      await runCycle({ ...ctx, lineage, now: () => at }, { concurrency: 1 });
    }
    await ctx.store.close();
    return { workspace, config, start, cleanup: () => workspace.cleanup() };
  } catch (error) {
    await workspace.cleanup();
    throw error;
  } finally {
    await site.close();
  }
}
