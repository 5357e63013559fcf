import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPlanPage, serverLinks } from "../../src/history/pages.js";
import { openHistory } from "../../src/history/read.js";
import { type HistoryServer, startHistoryServer } from "../../src/history/server.js";
import { haveChromium, launchChromium, screenshot, sidewaysOverflow } from "./browser-support.js";
import { type BuiltStore, buildLongStore, buildPlanStore, PLAN_ID } from "./support.js";

const LONG_VERSIONS = 45;

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON is what the assertions check.
type Json = any;

describe.skipIf(!haveChromium)("version pages, filters, search and the map in headless Chromium", () => {
  let browser: Browser;
  let plan: BuiltStore;
  let long: BuiltStore;
  let server: HistoryServer;
  let longServer: HistoryServer;

  beforeAll(async () => {
    [browser, plan, long] = await Promise.all([
      launchChromium(),
      buildPlanStore(),
      buildLongStore(LONG_VERSIONS),
    ]);
    server = await startHistoryServer({ config: plan.config, port: 0 });
    longServer = await startHistoryServer({ config: long.config, port: 0 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await longServer?.close();
    await plan?.cleanup();
    await long?.cleanup();
  });

  const api = async (path: string): Promise<Json> => (await fetch(`${server.url}/api${path}`)).json();
  const target = (page: Page) =>
    page.evaluate<{ id: string; text: string; top: number; height: number } | null>(
      `(() => { const t = document.querySelector(":target"); if (!t) return null; const r = t.getBoundingClientRect(); return { id: t.id, text: t.textContent, top: r.top, height: window.innerHeight }; })()`,
    );

  it("goes from a version card to the whole version, whose clause anchors resolve and lead to timelines", async () => {
    const page = await browser.newPage();

    await page.goto(`${server.url}/plans/${PLAN_ID}`);
    await page.getByRole("link", { name: "Read v2" }).click();
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    const download = page.getByRole("link", { name: "Normalized text (.txt)" });
    const textHref = await download.getAttribute("href");
    const textName = await download.getAttribute("download");
    await page.goto(`${server.url}/plans/${PLAN_ID}/versions/v2#clause-26`);
    const point26 = await target(page);
    await page.goto(`${server.url}/plans/${PLAN_ID}/versions/v2#clause-10_20_e2_80_a21`);
    const subItem = await target(page);
    await page.getByRole("link", { name: "26 through every version" }).click();

    expect(heading).toBe("Peace plan <test>: v2");
    expect(textHref).toBe(`/plans/${PLAN_ID}/versions/v2.txt`);
    expect(textName).toBe(`${PLAN_ID}-v2.txt`);
    expect(point26?.id).toBe("clause-26");
    expect(point26?.text).toContain("Each side in the conflict will receive a full amnesty");
    // The anchor scrolled its clause into view.
    expect(point26?.top).toBeGreaterThanOrEqual(0);
    expect(point26?.top).toBeLessThan(point26?.height ?? 0);
    expect(subItem?.text).toContain("Washington will be paid for providing the guarantee");
    expect(page.url()).toBe(`${server.url}/plans/${PLAN_ID}/clauses/26?in=v2`);
    await page.close();
  });

  it("filters a comparison: a checked severity, a quick link and 'show everything' change what is listed", async () => {
    const page = await browser.newPage();
    const listed = () => page.locator("article.entry").evaluateAll((nodes) => nodes.map((node) => node.id));
    const all = await api(`/plans/${PLAN_ID}/compare/v2..v3`);
    const substantive = await api(`/plans/${PLAN_ID}/compare/v2..v3?severity=substantive`);
    const figures = await api(`/plans/${PLAN_ID}/compare/v2..v3?flag=number`);

    await page.goto(`${server.url}/plans/${PLAN_ID}/compare/v2..v3`);
    const before = await listed();
    await page.getByText("Filter by severity, flag and kind").click();
    await page.locator('input[name="severity"][value="substantive"]').check();
    await page.getByRole("button", { name: "Filter" }).click();
    const afterSeverity = await listed();
    const severityUrl = page.url();
    const badges = await page.locator("article.entry .badge.sev-substantive").count();
    await page.getByRole("link", { name: "figures changed" }).click();
    const afterFlag = await listed();
    await page.getByRole("link", { name: "show everything" }).click();
    const afterClear = await listed();

    const quiet = (entry: Json) =>
      (entry.kind === "unchanged" || entry.kind === "renumbered") &&
      (entry.severity === "none" || entry.severity === "cosmetic");
    expect(before).toEqual(
      all.diff.entries.flatMap((entry: Json, i: number) => (quiet(entry) ? [] : [all.anchors[i]])),
    );
    expect(severityUrl).toBe(`${server.url}/plans/${PLAN_ID}/compare/v2..v3?severity=substantive`);
    expect(afterSeverity).toEqual(substantive.matching);
    expect(afterSeverity.length).toBeLessThan(before.length);
    expect(badges).toBe(afterSeverity.length);
    expect(afterFlag).toEqual(figures.matching);
    expect(afterFlag).toContain("change-6~5");
    expect(afterClear).toEqual(before);
    await page.close();
  });

  it("shows each change's text once inline, and old and new apart side by side", async () => {
    const page = await browser.newPage();
    const point26 = page.locator('article[id="change-26~26"]');

    await page.goto(`${server.url}/plans/${PLAN_ID}/compare/v1..v2`);
    const inline = (await point26.textContent()) ?? "";
    await page.getByRole("link", { name: "side by side" }).click();
    const sides = await point26.locator(".sides > div").allTextContents();

    const occurrences = (text: string, word: string) => text.split(word).length - 1;
    expect(occurrences(inline, "full amnesty")).toBe(1);
    expect(occurrences(inline, "A complete audit")).toBe(1);
    expect(page.url()).toBe(`${server.url}/plans/${PLAN_ID}/compare/v1..v2?view=sides`);
    expect(sides).toHaveLength(2);
    expect(sides[0]).toContain("A complete audit");
    expect(sides[0]).not.toContain("full amnesty");
    expect(sides[1]).toContain("full amnesty");
    await page.close();
  });

  it("searches from the timeline, marks the words and links each hit to its clause timeline and version anchor", async () => {
    const page = await browser.newPage();

    await page.goto(`${server.url}/plans/${PLAN_ID}`);
    await page.getByRole("searchbox").fill("Amnesty");
    await page.getByRole("searchbox").press("Enter");
    const searchUrl = page.url();
    const marks = await page.locator("main mark").allTextContents();
    await page.getByRole("link", { name: "Point 26", exact: true }).click();
    const timelineUrl = page.url();
    const timelineHeading = await page.getByRole("heading", { level: 1 }).textContent();
    await page.goBack();
    await page.getByRole("link", { name: "v2 · 26" }).click();
    const anchored = await target(page);
    await page.goBack();
    await page.getByRole("link", { name: "Point 26 (v2, variant)" }).click();

    expect(searchUrl).toBe(`${server.url}/plans/${PLAN_ID}/search?q=Amnesty`);
    expect(marks.map((mark) => mark.toLowerCase())).toEqual(["amnesty", "amnesty", "amnesty", "amnesty"]);
    expect(timelineUrl).toBe(`${server.url}/plans/${PLAN_ID}/clauses/26?in=v2`);
    expect(timelineHeading).toBe("Point 26 through every version");
    expect(anchored?.id).toBe("clause-26");
    expect(page.url()).toBe(`${server.url}/plans/${PLAN_ID}/clauses/26?in=v2`);
    await page.close();
  });

  it("links each changed cell of the map to that change in the comparison's redline", async () => {
    const page = await browser.newPage();

    await page.goto(`${server.url}/plans/${PLAN_ID}/map`);
    const hrefs = await page
      .locator("svg.cells a")
      .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
    await page.locator("svg.cells a", { has: page.locator("title", { hasText: /^v2 · 26: / }) }).click();
    const point26 = await target(page);
    const landed = page.url();

    expect(landed).toBe(`${server.url}/plans/${PLAN_ID}/compare/v1..v2#change-26~26`);
    expect(point26?.id).toBe("change-26~26");
    expect(point26?.text).toContain("Point 26 rewritten (audit → amnesty)");
    // Every cell's anchor is there on the comparison it names.
    const cells = hrefs.filter((href) => href.includes("/compare/"));
    expect(cells.length).toBeGreaterThan(20);
    const pages = new Map<string, string>();
    for (const href of cells) {
      const [path = "", anchor = ""] = href.split("#");
      if (!pages.has(path)) pages.set(path, await (await fetch(`${server.url}${path}`)).text());
      expect(pages.get(path), href).toContain(`id="${decodeURIComponent(anchor)}"`);
    }
    expect([...pages.keys()].sort()).toEqual([
      `/plans/${PLAN_ID}/compare/v1..v2`,
      `/plans/${PLAN_ID}/compare/v2..v3`,
    ]);
    await page.close();
  });

  it("windows a long history's map, which scrolls inside its box at 360 px with legible labels", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });

    await page.goto(`${longServer.url}/plans/${PLAN_ID}/map`);
    const window = await page.locator("nav.pager").first().textContent();
    const columns = await page.locator("svg.cells > a text.axis").allTextContents();
    const overflow = await sidewaysOverflow(page);
    const box = await page
      .locator(".map .scroll")
      .evaluate((node) => ({ scroll: node.scrollWidth, client: node.clientWidth }));
    const labelSize = await page
      .locator("svg.labels text.lbl")
      .first()
      .evaluate(
        (node) =>
          (globalThis as unknown as { getComputedStyle(n: unknown): { fontSize: string } }).getComputedStyle(
            node,
          ).fontSize,
      );
    const shot = await screenshot(page, "history-map-long-360");
    await page.getByRole("link", { name: "← earlier" }).click();
    const earlier = await page.locator("svg.cells > a text.axis").allTextContents();

    expect(window).toContain(`Versions 6–45 of ${LONG_VERSIONS}, 40 at a time`);
    expect(columns).toEqual(Array.from({ length: 40 }, (_, index) => `v${index + 6}`));
    expect(overflow).toBeLessThanOrEqual(0);
    expect(box.scroll).toBeGreaterThan(box.client);
    expect(labelSize).toBe("12px");
    expect(existsSync(shot)).toBe(true);
    expect(earlier).toEqual(Array.from({ length: 40 }, (_, index) => `v${index + 1}`));
    await page.close();
  });

  it("pages a long timeline, saying what changed in the versions on the page", async () => {
    const history = await openHistory({ config: long.config });
    const timeline = await history.plan(PLAN_ID, { page: 2, perPage: 20 }).finally(() => history.close());
    if (!timeline) throw new Error("no timeline");

    const html = renderPlanPage(timeline, serverLinks, { page: 2, perPage: 20 });
    const cards = [...html.matchAll(/<li id="(v\d+)">/g)].map((match) => match[1]);
    const described = timeline.versions.filter((version) => version.whatChanged).map((version) => version.id);

    expect(cards).toEqual(Array.from({ length: 20 }, (_, index) => `v${25 - index}`));
    expect(described).toEqual(Array.from({ length: 20 }, (_, index) => `v${index + 6}`));
    expect(timeline.versions.find((version) => version.id === "v25")?.whatChanged).toBe(
      "Point 6: 623,000 → 624,000 people",
    );
    expect(html).toContain("<span>Versions 21–40 of 45, newest first</span>");
    expect(html).toContain(`<a href="/plans/${PLAN_ID}#versions">← newer</a>`);
    expect(html).toContain(`<a href="/plans/${PLAN_ID}?page=3#versions">older →</a>`);
    expect(html).toContain('<p class="what"><strong>Point 6: 623,000 → 624,000 people</strong></p>');
  });

  it.each([
    ["timeline", `/plans/${PLAN_ID}`],
    ["version", `/plans/${PLAN_ID}/versions/v2`],
    ["map", `/plans/${PLAN_ID}/map`],
    ["search", `/plans/${PLAN_ID}/search?q=amnesty`],
    ["compare-filtered", `/plans/${PLAN_ID}/compare/v2..v3?severity=substantive`],
    ["compare-sides", `/plans/${PLAN_ID}/compare/v1..v2?view=sides`],
  ])(
    "lays out the %s page at 1280 and 360 px without sideways scrolling, saving both screenshots",
    async (name, path) => {
      const saved: string[] = [];
      const overflows: number[] = [];

      for (const width of [1280, 360]) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
        await page.goto(`${server.url}${path}`);
        overflows.push(await sidewaysOverflow(page));
        saved.push(await screenshot(page, `history-${name}-${width}`));
        await page.close();
      }

      expect(overflows.every((overflow) => overflow <= 0)).toBe(true);
      expect(saved.every((file) => existsSync(file))).toBe(true);
    },
  );

  it("prints without navigation, forms or filters, the citation kept", async () => {
    const page = await browser.newPage();

    await page.goto(`${server.url}/plans/${PLAN_ID}/compare/v2..v3`);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate<string[]>(
      `["header.site", "form.pick", "details.filters", "ul.quick", "footer"].map((selector) => getComputedStyle(document.querySelector(selector)).display)`,
    );
    const cite = await page.locator("p.cite").allTextContents();

    expect(hidden).toEqual(["none", "none", "none", "none", "none"]);
    expect(cite).toHaveLength(2);
    expect(cite[0]).toMatch(/^Peace plan <test>, v2\. http:\/\/127\.0\.0\.1:\d+\/wire · first seen /);
    await page.close();
  });
});
