import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/index.js";
import { articleSourceId, type DiscoveryState } from "../../src/discover/index.js";
import { renderPlanPage } from "../../src/history/pages.js";
import { openHistory } from "../../src/history/read.js";
import { createLineage } from "../../src/lineage/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import type { WorkerContext } from "../../src/worker/types.js";
import {
  makeWorkspace,
  PLAN_DIR,
  type Site,
  type SourceSpec,
  startSite,
  type Workspace,
} from "../worker/support.js";
import {
  AMNESTY_STORY,
  articlePage,
  atom,
  BAKERY_STORY,
  type FeedItem,
  newsSitemap,
  rss,
  TROOPS_UPDATE,
} from "./support.js";

const T0 = Date.parse("2025-11-20T12:00:00Z");
const HOUR = 3_600_000;
const HTML = "text/html; charset=utf-8";

let ws: Workspace;
let site: Site;
let clock: number;

const amnesty: FeedItem = {
  title: "Kyiv wins a rewrite of the peace plan's amnesty clause",
  path: "/news/amnesty.html",
  published: new Date(T0 - HOUR).toISOString(),
  summary: "Negotiators in Geneva changed point 26 on aid and amnesty.",
};
const bakery: FeedItem = {
  title: "Old-town bakery takes the regional bread prize again",
  path: "/news/bakery.html",
  published: new Date(T0 - 2 * HOUR).toISOString(),
};
const troops: FeedItem = {
  title: "Troop ceiling in the Ukraine peace plan questioned by NATO allies",
  path: "/news/troops.html",
  published: new Date(T0 + HOUR / 2).toISOString(),
};

function feedSource(id: string, path: string, discover: Record<string, unknown> = {}): SourceSpec {
  return {
    id,
    url: `${site.url}${path}`,
    role: "coverage",
    discover: { maxEntriesPerCycle: 5, ...discover },
  };
}

async function contextFor(sources: SourceSpec[]): Promise<WorkerContext & { config: Config }> {
  const ctx = await ws.context(
    ws.config({ sources: [{ id: "plan-text", url: `${site.url}/plan.txt` }, ...sources] }),
  );
  ctx.now = () => new Date(clock);
  ctx.lineage = createLineage(
    ctx.config.storageDir,
    ctx.config.lineage,
    async (id) => (await ctx.store.getSnapshot(id)).clauseSet,
  );
  // The plan's first version, so coverage has clauses to link to.
  await runCycle(ctx, { sourceIds: ["plan-text"] });
  return ctx;
}

async function discovery(ctx: WorkerContext, id: string): Promise<DiscoveryState> {
  const state = (await ctx.store.getSourceState(id)) as { discovery?: DiscoveryState } | undefined;
  return state?.discovery ?? { seen: {}, articles: [] };
}

beforeEach(async () => {
  ws = await makeWorkspace();
  site = await startSite();
  clock = T0;
  site.set("/plan.txt", {
    body: await readFile(`${PLAN_DIR}v2-amnesty.txt`),
    type: "text/plain; charset=utf-8",
  });
  site.set(amnesty.path, { body: articlePage(amnesty.title, AMNESTY_STORY), type: HTML, etag: true });
  site.set(bakery.path, { body: articlePage(bakery.title, BAKERY_STORY), type: HTML });
  site.set(troops.path, {
    body: articlePage(troops.title, [
      "Allies asked how the plan's troop limit would be verified.",
      TROOPS_UPDATE,
    ]),
    type: HTML,
  });
});

afterEach(async () => {
  await site.close();
  await ws.cleanup();
});

describe("a feed whose entries change between cycles", () => {
  it("fetches the relevant new article once, skips the irrelevant one and reports what the article says", async () => {
    site.set("/feed.xml", { body: rss(site.url, [amnesty, bakery]), type: "application/rss+xml" });
    const ctx = await contextFor([feedSource("desk", "/feed.xml")]);

    const report = await runCycle(ctx, { sourceIds: ["desk"] });
    const outcome = report.outcomes[0];
    const articles = (await discovery(ctx, "desk")).articles;

    expect(outcome?.status).toBe("changed");
    expect(site.requestsTo(amnesty.path)).toHaveLength(1);
    expect(site.requestsTo(bakery.path)).toHaveLength(0);
    expect(articles.map((article) => [article.url, article.status])).toEqual([
      [`${site.url}${amnesty.path}`, "active"],
    ]);
    expect(articles[0]?.id).toBe(articleSourceId("desk", `${site.url}${amnesty.path}`));
    const variant = outcome?.changes.find((change) => change.kind === "coverage-variant");
    expect(variant?.sourceId).toBe(articles[0]?.id);
    expect(variant?.headline).toMatch(
      /^Peace plan: coverage reports point 26 changed: earlier wording “.*audit/,
    );
  });

  it("fetches an entry added later, re-checks earlier articles conditionally, records an update, then retires them", async () => {
    site.set("/feed.xml", { body: rss(site.url, [amnesty, bakery]), type: "application/rss+xml" });
    const ctx = await contextFor([feedSource("desk", "/feed.xml", { recheckHours: 48 })]);
    await runCycle(ctx, { sourceIds: ["desk"] });

    site.set("/feed.xml", { body: rss(site.url, [troops, amnesty, bakery]), type: "application/rss+xml" });
    clock = T0 + HOUR;
    const second = await runCycle(ctx, { sourceIds: ["desk"] });

    expect(site.requestsTo(troops.path)).toHaveLength(1);
    expect(site.requestsTo(amnesty.path)).toHaveLength(2);
    expect(site.requestsTo(amnesty.path)[1]?.headers["if-none-match"]).toMatch(/^"[0-9a-f]{16}"$/);
    expect(second.outcomes[0]?.changes.map((change) => change.kind)).toContain("figure-mismatch");
    const amnestyId = articleSourceId("desk", `${site.url}${amnesty.path}`);
    expect(await ctx.store.listSnapshots(amnestyId)).toHaveLength(1);

    site.set(amnesty.path, {
      body: articlePage(amnesty.title, [...AMNESTY_STORY, TROOPS_UPDATE]),
      type: HTML,
      etag: true,
    });
    clock = T0 + 2 * HOUR;
    const third = await runCycle(ctx, { sourceIds: ["desk"] });

    expect(await ctx.store.listSnapshots(amnestyId)).toHaveLength(2);
    const mismatch = third.outcomes[0]?.changes.find((change) => change.kind === "figure-mismatch");
    expect(mismatch?.sourceId).toBe(amnestyId);
    expect(mismatch?.headline).toContain("gives point 6 as 700,000");

    clock = T0 + 50 * HOUR;
    const requestsBefore = site.requests.length;
    await runCycle(ctx, { sourceIds: ["desk"] });

    expect((await discovery(ctx, "desk")).articles.map((article) => article.status)).toEqual([
      "retired",
      "retired",
    ]);
    expect(site.requests.slice(requestsBefore).map((request) => request.path)).toEqual(["/feed.xml"]);
  });

  it("takes at most maxEntriesPerCycle new articles, newest first, and the rest on the next cycle", async () => {
    const items = Array.from({ length: 7 }, (_, index) => ({
      title: `Peace plan talks, day ${index + 1}: NATO and Ukraine positions`,
      path: `/news/day-${index + 1}.html`,
      published: new Date(T0 - (7 - index) * 60_000).toISOString(),
    }));
    for (const item of items)
      site.set(item.path, {
        body: articlePage(item.title, [`${item.title}. ${AMNESTY_STORY[2]}`]),
        type: HTML,
      });
    site.set("/feed.xml", { body: rss(site.url, items), type: "application/rss+xml" });
    const ctx = await contextFor([feedSource("desk", "/feed.xml", { maxEntriesPerCycle: 5 })]);

    await runCycle(ctx, { sourceIds: ["desk"] });
    const first = (await discovery(ctx, "desk")).articles.map((article) => article.title);
    await runCycle(ctx, { sourceIds: ["desk"] });
    const second = (await discovery(ctx, "desk")).articles.map((article) => article.title);

    expect(first).toEqual(
      items
        .slice(2)
        .reverse()
        .map((item) => item.title),
    );
    expect(second).toHaveLength(7);
    expect(items.map((item) => site.requestsTo(item.path).length)).toEqual([1, 1, 2, 2, 2, 2, 2]);
  });
});

describe("the same story in several feeds", () => {
  it("is fetched once: by canonical URL across feeds, by the page's rel=canonical, and the news sitemap is read too", async () => {
    const syndicated: FeedItem = { ...amnesty, path: "/partner/amnesty-story.html?utm_source=feed" };
    site.set("/partner/amnesty-story.html?utm_source=feed", {
      body: articlePage(amnesty.title, AMNESTY_STORY, `${site.url}${amnesty.path}`),
      type: HTML,
    });
    site.set("/feed.xml", { body: rss(site.url, [amnesty]), type: "application/rss+xml" });
    site.set("/atom.xml", {
      body: atom(site.url, [{ ...amnesty, path: `${amnesty.path}?utm_campaign=x` }, syndicated]),
      type: "application/atom+xml",
    });
    site.set("/news-sitemap.xml", { body: newsSitemap(site.url, [troops]), type: "application/xml" });
    const ctx = await contextFor([
      feedSource("desk", "/feed.xml"),
      feedSource("second", "/atom.xml"),
      feedSource("sitemap", "/news-sitemap.xml"),
    ]);

    await runCycle(ctx, { sourceIds: ["desk"] });
    await runCycle(ctx, { sourceIds: ["second", "sitemap"] });
    const second = (await discovery(ctx, "second")).articles;

    expect(site.requestsTo(amnesty.path)).toHaveLength(1);
    expect(site.requestsTo(`${amnesty.path}?utm_campaign=x`)).toHaveLength(0);
    expect(second.map((article) => [article.status, article.duplicateOf])).toEqual([
      ["duplicate", articleSourceId("desk", `${site.url}${amnesty.path}`)],
      ["duplicate", articleSourceId("desk", `${site.url}${amnesty.path}`)],
    ]);
    expect(await ctx.store.listSnapshots(second[1]?.id ?? "")).toEqual([]);
    expect((await discovery(ctx, "sitemap")).articles.map((article) => article.title)).toEqual([
      troops.title,
    ]);
  });
});

describe("feeds that cannot be read", () => {
  it("fail on their own source with a clear error while the other sources proceed", async () => {
    site.set("/broken.xml", { body: "<rss><channel><item><title>Cut off", type: "application/rss+xml" });
    site.set("/page.html", { body: articlePage("Not a feed", BAKERY_STORY), type: HTML });
    site.set("/feed.xml", { body: rss(site.url, [amnesty]), type: "application/rss+xml" });
    const ctx = await contextFor([
      feedSource("broken", "/broken.xml"),
      feedSource("not-a-feed", "/page.html"),
      feedSource("desk", "/feed.xml"),
    ]);

    const report = await runCycle(ctx, { sourceIds: ["broken", "not-a-feed", "desk"] });

    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(["failed", "failed", "changed"]);
    expect(report.outcomes[0]?.error?.message).toMatch(
      /^broken: not a readable RSS, Atom or JSON feed or sitemap \(.+; the body starts "<rss><channel><item><title>Cut off"\)/,
    );
    expect(report.outcomes[1]?.error?.message).toMatch(
      /^not-a-feed: not a readable RSS, Atom or JSON feed or sitemap/,
    );
  });

  it("reads a feed of 10,000 entries within the per-cycle cap", async () => {
    const items = Array.from({ length: 10_000 }, (_, index) => ({
      title:
        index % 2500 === 0
          ? `Peace plan: Ukraine and NATO, report ${index}`
          : `Weather and sport, item ${index}`,
      path: `/n/${index}.html`,
      published: new Date(T0 - index * 1000).toISOString(),
    }));
    for (const item of items.filter((_, index) => index % 2500 === 0)) {
      site.set(item.path, {
        body: articlePage(item.title, [`${item.title}. ${AMNESTY_STORY[2]}`]),
        type: HTML,
      });
    }
    site.set("/big.xml", { body: rss(site.url, items), type: "application/rss+xml" });
    const ctx = await contextFor([feedSource("big", "/big.xml", { maxEntriesPerCycle: 3 })]);

    const report = await runCycle(ctx, { sourceIds: ["big"] });
    const events = await ctx.store.readEvents("big");

    expect(report.outcomes[0]?.status).toBe("changed");
    expect(events.find((event) => event.type === "discovery")).toMatchObject({
      entries: 10_000,
      judged: 10_000,
      relevant: 4,
      fetched: 3,
      deferred: 1,
    });
    expect(site.requests.filter((request) => request.path.startsWith("/n/"))).toHaveLength(3);
  });
});

describe("the web view", () => {
  it("lists the articles a plan's feeds discovered, with their feed and status", async () => {
    site.set("/feed.xml", { body: rss(site.url, [amnesty, bakery]), type: "application/rss+xml" });
    const ctx = await contextFor([feedSource("desk", "/feed.xml")]);
    await runCycle(ctx, { sourceIds: ["desk"] });
    const history = await openHistory({ config: ctx.config, store: ctx.store });

    const timeline = await history.plan("peace-plan");
    const page = renderPlanPage(timeline as NonNullable<typeof timeline>);

    expect(timeline?.discovered.map((article) => [article.feed, article.title, article.status])).toEqual([
      ["desk", amnesty.title, "active"],
    ]);
    expect(page).toContain('<h2 id="discovered">Discovered coverage (1)</h2>');
    expect(page).toContain(`>${amnesty.title.replace("'", "&#39;")}</a>`);
    expect(page).not.toContain(bakery.title);
  });
});
