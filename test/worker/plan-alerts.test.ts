/**
 * What a draft source's copies raise once the plan's lineage judges them: typography never
 * alerts (not even through a `minSeverity: none` notifier), and going back to an earlier version
 * is delivered with the severity of the change it undoes. The rules are asserted on the alerts
 * the outbox would receive, so they hold whatever the lineage judgement does inside.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueueChanges } from "../../src/alert/index.js";
import type { Config } from "../../src/config/index.js";
import { createLineage } from "../../src/lineage/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import type { SourceChange, SourceOutcome, WorkerContext } from "../../src/worker/types.js";
import { makeWorkspace, planFixture, type Site, startSite, type Workspace } from "./support.js";

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

/** A notifier that takes everything: the strictest test of "never alerted". */
function withEverythingNotifier(config: Config): Config {
  return { ...config, notify: [{ type: "log", id: "all", minSeverity: "none" }] } as Config;
}

async function planContext(): Promise<WorkerContext> {
  const config = withEverythingNotifier(
    ws.config({ sources: [{ id: "wire", url: `${site.url}/plan.txt`, role: "draft" }] }),
  );
  const ctx = await ws.context(config);
  const lineage = createLineage(
    config.storageDir,
    config.lineage,
    async (id) => (await ctx.store.getSnapshot(id)).clauseSet,
  );
  return { ...ctx, lineage };
}

/** The v2 text as another desk typesets it: spaced thousands, a no-break space, a doubled space. */
async function retypeset(): Promise<string> {
  const text = (await planFixture("v2-amnesty.txt")).toString("utf8");
  const changed = text
    .replace("600,000", "600 000")
    .replace("100 days", "100\u00a0days")
    .replace("will be provided", "will  be provided");
  expect(changed).not.toBe(text);
  return changed;
}

interface Step {
  outcome: SourceOutcome;
  alerts: { kind: string; severity: string; headline: string }[];
}

async function check(ctx: WorkerContext, body: string | Buffer): Promise<Step> {
  site.set("/plan.txt", { body, type: "text/plain; charset=utf-8" });
  const report = await runCycle(ctx);
  const outcome = report.outcomes[0] as SourceOutcome;
  const alerts = await enqueueChanges(outcome.changes as SourceChange[], {
    config: ctx.config,
    storageDir: ctx.config.storageDir,
  });
  return {
    outcome,
    alerts: alerts.map((alert) => ({ kind: alert.kind, severity: alert.severity, headline: alert.headline })),
  };
}

describe("a draft source's copies judged by the plan lineage", () => {
  it("never alerts a copy whose clause text equals the last one, in either typography", async () => {
    const ctx = await planContext();
    await check(ctx, await planFixture("v1-draft.txt"));
    const change = await check(ctx, await planFixture("v2-amnesty.txt"));

    const cosmetic = await check(ctx, await retypeset());
    const backToOldTypography = await check(ctx, await planFixture("v2-amnesty.txt"));

    expect(change.alerts).toEqual([
      { kind: "content", severity: "substantive", headline: expect.stringMatching(/new version v2/) },
    ]);
    expect(cosmetic.alerts).toEqual([]);
    expect(cosmetic.outcome.changes.filter((c) => !c.suppressed && c.kind !== "baseline")).toEqual([]);
    expect(backToOldTypography.alerts).toEqual([]);
    expect(backToOldTypography.outcome.changes.filter((c) => c.kind === "reversion")).toEqual([]);
  });

  it("delivers a reversion to an earlier version with the severity of the change it undoes", async () => {
    const ctx = await planContext();
    await check(ctx, await planFixture("v1-draft.txt"));
    const change = await check(ctx, await planFixture("v2-amnesty.txt"));

    const reversion = await check(ctx, await planFixture("v1-draft.txt"));

    expect(change.alerts.map((alert) => alert.severity)).toEqual(["substantive"]);
    expect(reversion.outcome.status).toBe("changed");
    expect(reversion.alerts).toEqual([
      {
        kind: "reversion",
        severity: "substantive",
        headline: expect.stringMatching(/^Peace plan: wire is back to v1 .*Point 26 rewritten/),
      },
    ]);
  });

  it("calls a copy of an earlier version in new typography a reversion too", async () => {
    const ctx = await planContext();
    await check(ctx, await retypeset());
    await check(ctx, await planFixture("v1-draft.txt"));

    const reversion = await check(ctx, await planFixture("v2-amnesty.txt"));

    expect(reversion.alerts.map((alert) => [alert.kind, alert.severity])).toEqual([
      ["reversion", "substantive"],
    ]);
  });
});
