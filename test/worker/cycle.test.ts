import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { wants } from "../../src/alert/index.js";
import type { Config } from "../../src/config/index.js";
import type { DiffEntry } from "../../src/diff/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import type { SourceChange, SourceOutcome, WorkerContext } from "../../src/worker/types.js";
import {
  fixturePage,
  makeWorkspace,
  planFixture,
  type Site,
  type SourceSpec,
  startSite,
  type Workspace,
} from "./support.js";

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

function outcomeOf(outcomes: SourceOutcome[], id: string): SourceOutcome {
  const outcome = outcomes.find((candidate) => candidate.sourceId === id);
  if (!outcome) throw new Error(`no outcome for ${id} in ${JSON.stringify(outcomes.map((o) => o.sourceId))}`);
  return outcome;
}

async function changesOf(ctx: WorkerContext, sourceId: string): Promise<SourceChange[]> {
  return (await ctx.store.listChanges({ sourceId })) as SourceChange[];
}

async function cycle(ctx: WorkerContext, id = "wire"): Promise<SourceOutcome> {
  const report = await runCycle(ctx);
  return outcomeOf(report.outcomes, id);
}

function wire(extra: Partial<SourceSpec> = {}): SourceSpec {
  return { id: "wire", url: `${site.url}/plan.txt`, ...extra };
}

function isPoint26Rewrite(entry: DiffEntry): boolean {
  return entry.kind === "modified" && entry.old.includes("26") && entry.new.includes("26");
}

describe("a source seen for the first time", () => {
  it("stores one snapshot and records a baseline of severity none", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(ws.config({ sources: [wire()] }));

    const outcome = await cycle(ctx);

    expect(outcome.status).toBe("first-seen");
    expect(outcome.error).toBeUndefined();
    const snapshots = await ctx.store.listSnapshots("wire");
    expect(snapshots).toHaveLength(1);
    expect(outcome.snapshotId).toBe(snapshots[0]?.id);
    const changes = await changesOf(ctx, "wire");
    expect(changes.map((change) => [change.kind, change.severity])).toEqual([["baseline", "none"]]);
    expect(changes[0]?.toSnapshot).toBe(snapshots[0]?.id);
    const stored = (await ctx.store.getSnapshot(snapshots[0]?.id ?? "")).clauseSet;
    expect(stored.clauses.filter((clause) => clause.depth === 0 && clause.kind === "numbered")).toHaveLength(
      28,
    );
  });
});

describe("a page that did not change", () => {
  it("sends the stored ETag back and stores nothing new on a 304", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt", { etag: true }));
    const ctx = await ws.context(ws.config({ sources: [wire()] }));
    await cycle(ctx);

    const outcome = await cycle(ctx);

    const [first, second] = site.requestsTo("/plan.txt");
    expect(first?.headers["if-none-match"]).toBeUndefined();
    expect(second?.headers["if-none-match"]).toMatch(/^"[0-9a-f]{16}"$/);
    expect(outcome.status).toBe("not-modified");
    expect(outcome.changes).toEqual([]);
    expect(await ctx.store.listSnapshots("wire")).toHaveLength(1);
    expect(await changesOf(ctx, "wire")).toHaveLength(1);
  });

  it("recognises the same body without validators as unchanged and stores nothing new", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(ws.config({ sources: [wire()] }));
    await cycle(ctx);

    const outcome = await cycle(ctx);

    expect(outcome.status).toBe("unchanged");
    expect(await ctx.store.listSnapshots("wire")).toHaveLength(1);
    expect(await changesOf(ctx, "wire")).toHaveLength(1);
  });
});

describe("a page whose timestamp, ads and sidebar changed", () => {
  it("raises nothing: status noise, no new snapshot, no change", async () => {
    site.set("/plan.html", await fixturePage("article.html"));
    const ctx = await ws.context(ws.config({ sources: [{ id: "outlet", url: `${site.url}/plan.html` }] }));
    const first = await cycle(ctx, "outlet");
    site.set("/plan.html", await fixturePage("article-noise.html"));

    const outcome = await cycle(ctx, "outlet");

    expect(first.status).toBe("first-seen");
    expect(outcome.status).toBe("noise");
    expect(outcome.changes).toEqual([]);
    expect(await ctx.store.listSnapshots("outlet")).toHaveLength(1);
    expect((await changesOf(ctx, "outlet")).map((change) => change.kind)).toEqual(["baseline"]);
  });
});

describe("a rewritten clause", () => {
  it("raises one content change whose headline names point 26 and whose entries hold the modified 26", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt", { etag: true }));
    const ctx = await ws.context(ws.config({ sources: [wire()] }));
    const baseline = await cycle(ctx);
    site.set("/plan.txt", await fixturePage("v2-amnesty.txt", { etag: true }));

    const outcome = await cycle(ctx);

    expect(outcome.status).toBe("changed");
    expect(outcome.changes).toHaveLength(1);
    const change = outcome.changes[0] as SourceChange;
    expect(change.kind).toBe("content");
    expect(change.severity).toBe("substantive");
    expect(change.headline).toMatch(/Point 26 rewritten/);
    expect(change.fromSnapshot).toBe(baseline.snapshotId);
    expect(change.toSnapshot).toBe(outcome.snapshotId);
    expect(change.entries?.filter(isPoint26Rewrite)).toHaveLength(1);
    expect(change.entries?.every((entry) => entry.severity !== "none")).toBe(true);
    expect(await ctx.store.listSnapshots("wire")).toHaveLength(2);
    expect((await changesOf(ctx, "wire")).map((stored) => stored.key)).toEqual([
      baseline.changes[0]?.key,
      change.key,
    ]);
  });
});

describe("bad inputs", () => {
  async function badInputConfig(): Promise<Config> {
    const v1 = await planFixture("v1-draft.txt");
    site.set("/good.txt", await fixturePage("v1-draft.txt"));
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(2048, 0),
    ]);
    site.set("/binary", { body: png, type: "text/plain" });
    site.set("/big.txt", await fixturePage("v1-draft.txt"));
    const garbled = Buffer.from(v1);
    for (let index = 100; index < garbled.length; index += 40) garbled[index] = 0xff;
    site.set("/garbled.txt", { body: garbled, type: "text/plain; charset=utf-8" });
    site.set("/loop-a", { status: 302, headers: { location: "/loop-b" } });
    site.set("/loop-b", { status: 302, headers: { location: "/loop-a" } });
    site.set("/slow.txt", { ...(await fixturePage("v1-draft.txt")), delayMs: 2_000 });
    site.set("/error.txt", { status: 500, body: "Internal Server Error" });
    site.set("/prose.txt", {
      body: "This page has moved.\n\nOur coverage of the peace talks continues on the live blog.\n",
    });
    return ws.config({
      sources: [
        { id: "good", url: `${site.url}/good.txt` },
        { id: "binary", url: `${site.url}/binary` },
        { id: "big", url: `${site.url}/big.txt`, http: { maxBytes: 1000 } },
        { id: "garbled", url: `${site.url}/garbled.txt` },
        { id: "loop", url: `${site.url}/loop-a` },
        { id: "slow", url: `${site.url}/slow.txt`, http: { timeoutMs: 150 } },
        { id: "error", url: `${site.url}/error.txt`, http: { retries: { attempts: 2 } } },
        { id: "prose", url: `${site.url}/prose.txt` },
      ],
    });
  }

  it("each give a clear error on their own source while the other sources proceed", async () => {
    const ctx = await ws.context(await badInputConfig());

    const report = await runCycle(ctx);

    const status = Object.fromEntries(report.outcomes.map((outcome) => [outcome.sourceId, outcome.status]));
    expect(status).toEqual({
      good: "first-seen",
      binary: "failed",
      big: "failed",
      garbled: "failed",
      loop: "failed",
      slow: "failed",
      error: "failed",
      prose: "failed",
    });
    const message = (id: string) => outcomeOf(report.outcomes, id).error?.message ?? "";
    for (const [id, path] of [
      ["binary", "/binary"],
      ["big", "/big.txt"],
      ["garbled", "/garbled.txt"],
      ["loop", "/loop-a"],
      ["slow", "/slow.txt"],
      ["error", "/error.txt"],
    ] as const) {
      expect(message(id), id).toContain(`${site.url}${path}`);
    }
    expect(message("prose")).toMatch(/prose|\/prose\.txt/);
    expect(message("binary")).toMatch(/not a text document/);
    expect(message("big")).toMatch(/exceeds .* limit \(maxBytes\)/);
    expect(message("garbled")).toMatch(/invalid byte sequences/);
    expect(message("loop")).toMatch(/redirect/i);
    expect(message("slow")).toMatch(/timed out after 150 ms/);
    expect(message("error")).toMatch(/500/);
    expect(message("prose")).toMatch(/no numbered points, headings or lists found/);
    expect(site.requestsTo("/error.txt")).toHaveLength(2);
    expect(await ctx.store.listSnapshots("good")).toHaveLength(1);
    for (const id of ["binary", "big", "garbled", "loop", "slow", "error", "prose"]) {
      expect(await ctx.store.listSnapshots(id), id).toEqual([]);
      const state = await ctx.store.getSourceState(id);
      expect(state?.consecutiveFailures, id).toBe(1);
      expect(state?.lastError?.message, id).toBe(message(id));
    }
  });
});

describe("source health", () => {
  it("raises exactly one source-broken at the threshold and exactly one recovered on the next success", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(ws.config({ sources: [wire()], failureThreshold: 2 }));
    await cycle(ctx);
    site.set("/plan.txt", { status: 503, body: "down for maintenance" });

    const first = await cycle(ctx);
    const second = await cycle(ctx);
    const third = await cycle(ctx);
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const back = await cycle(ctx);
    const after = await cycle(ctx);

    expect([first, second, third].map((outcome) => outcome.status)).toEqual(["failed", "failed", "failed"]);
    expect(first.changes).toEqual([]);
    expect(second.changes.map((change) => change.kind)).toEqual(["source-broken"]);
    expect(second.changes[0]?.headline).toContain("wire");
    expect(second.changes[0]?.error?.message).toContain(`${site.url}/plan.txt`);
    expect(third.changes).toEqual([]);
    expect(back.status).toBe("unchanged");
    expect(back.changes.map((change) => change.kind)).toEqual(["recovered"]);
    expect(after.changes).toEqual([]);
    expect((await changesOf(ctx, "wire")).map((change) => change.kind)).toEqual([
      "baseline",
      "source-broken",
      "recovered",
    ]);
    const state = await ctx.store.getSourceState("wire");
    expect(state?.health).toBe("ok");
    expect(state?.consecutiveFailures).toBe(0);
    expect(state?.lastError).toBeUndefined();
  });

  it("raises source-broken at once when a page that had clauses suddenly has none", async () => {
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    const ctx = await ws.context(ws.config({ sources: [wire()], failureThreshold: 5 }));
    await cycle(ctx);
    site.set("/plan.txt", { body: "Access denied. Please enable JavaScript to continue.\n" });

    const outcome = await cycle(ctx);
    const again = await cycle(ctx);

    expect(outcome.status).toBe("failed");
    expect(outcome.changes.map((change) => change.kind)).toEqual(["source-broken"]);
    expect(outcome.changes[0]?.severity).toBe("substantive");
    expect(again.changes).toEqual([]);
    expect((await ctx.store.getSourceState("wire"))?.health).toBe("broken");
  });
});

describe("a text coming back", () => {
  it("reports v1 → v2 → v1 as a reversion, not as nothing", async () => {
    const ctx = await ws.context(ws.config({ sources: [wire()] }));
    const kinds: string[] = [];

    for (const name of ["v1-draft.txt", "v2-amnesty.txt", "v1-draft.txt"] as const) {
      site.set("/plan.txt", await fixturePage(name));
      kinds.push(...(await cycle(ctx)).changes.map((change) => change.kind));
    }

    expect(kinds).toEqual(["baseline", "content", "reversion"]);
    const reversion = (await changesOf(ctx, "wire")).at(-1);
    expect(reversion?.headline).toMatch(/back to an earlier text/);
    expect(reversion?.headline).toMatch(/Point 26/);
    expect(reversion?.severity).toBe("substantive");
  });

  it("summarises A B A B A B as one flapping change and records later swings as suppressed", async () => {
    const ctx = await ws.context(ws.config({ sources: [wire()] }));
    const statuses: string[] = [];

    for (const name of [
      "v1-draft.txt",
      "v2-amnesty.txt",
      "v1-draft.txt",
      "v2-amnesty.txt",
      "v1-draft.txt",
      "v2-amnesty.txt",
    ] as const) {
      site.set("/plan.txt", await fixturePage(name));
      statuses.push((await cycle(ctx)).status);
    }

    const changes = await changesOf(ctx, "wire");
    expect(statuses).toEqual(["first-seen", "changed", "changed", "changed", "changed", "changed"]);
    expect(changes.map((change) => change.kind)).toEqual([
      "baseline",
      "content",
      "reversion",
      "flapping",
      "flapping",
      "flapping",
    ]);
    const flapping = changes.filter((change) => change.kind === "flapping");
    expect(flapping.filter((change) => change.suppressed !== true)).toHaveLength(1);
    expect(flapping.slice(1).every((change) => change.suppressed === true)).toBe(true);
    const notifier = ctx.config.notify[0];
    if (!notifier) throw new Error("the test config has a log notifier");
    expect(flapping.map((change) => wants(notifier, change))).toEqual([true, false, false]);
    expect(new Set(changes.map((change) => change.key)).size).toBe(changes.length);
    expect(await ctx.store.listSnapshots("wire")).toHaveLength(6);
  });
});

describe("a file: source", () => {
  it("is read from disk relative to the config and compared like any page", async () => {
    const file = join(ws.dir, "desk-copy.txt");
    await writeFile(file, await planFixture("v1-draft.txt"));
    const ctx = await ws.context(ws.config({ sources: [{ id: "desk", url: "file:desk-copy.txt" }] }));
    const first = await cycle(ctx, "desk");
    await writeFile(file, await planFixture("v2-amnesty.txt"));

    const second = await cycle(ctx, "desk");

    expect(first.status).toBe("first-seen");
    expect(second.status).toBe("changed");
    expect(second.changes.map((change) => change.kind)).toEqual(["content"]);
    expect(second.changes[0]?.headline).toMatch(/Point 26 rewritten/);
    expect(second.changes[0]?.entries?.filter(isPoint26Rewrite)).toHaveLength(1);
  });
});
