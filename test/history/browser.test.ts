import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HistoryServer, startHistoryServer } from "../../src/history/server.js";
import { haveChromium, launchChromium, screenshot, sidewaysOverflow } from "./browser-support.js";
import {
  type BuiltStore,
  buildHostileHtmlStore,
  buildHostileStore,
  buildPlanStore,
  HOSTILE_HEADING,
  PLAN_ID,
  XSS_CDATA,
  XSS_IMG,
  XSS_SCRIPT,
  XSS_SVG,
} from "./support.js";

describe.skipIf(!haveChromium)("the web view in headless Chromium", () => {
  let browser: Browser;
  let plan: BuiltStore;
  let hostile: BuiltStore;
  let hostileHtml: BuiltStore;
  let server: HistoryServer;
  let hostileServer: HistoryServer;
  let hostileHtmlServer: HistoryServer;

  beforeAll(async () => {
    [browser, plan, hostile, hostileHtml] = await Promise.all([
      launchChromium(),
      buildPlanStore(),
      buildHostileStore(),
      buildHostileHtmlStore(),
    ]);
    server = await startHistoryServer({ config: plan.config, port: 0 });
    hostileServer = await startHistoryServer({ config: hostile.config, port: 0 });
    hostileHtmlServer = await startHistoryServer({ config: hostileHtml.config, port: 0 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await hostileServer?.close();
    await hostileHtmlServer?.close();
    await plan?.cleanup();
    await hostile?.cleanup();
    await hostileHtml?.cleanup();
  });

  it("goes from the timeline to the comparison, shows point 26's deleted and inserted words, then its clause timeline", async () => {
    const page = await browser.newPage();

    await page.goto(`${server.url}/plans/${PLAN_ID}`);
    await page.getByRole("link", { name: "compare v1 → v2" }).click();
    const point26 = page.getByRole("article", { name: "Point 26 rewritten" });
    const deleted = await point26.locator(".redline del").allTextContents();
    const inserted = await point26.locator(".redline ins").allTextContents();
    await point26.getByRole("link", { name: "Point 26 rewritten" }).click();
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    const clauseText = await page.locator("main").textContent();

    expect(page.url()).toBe(`${server.url}/plans/${PLAN_ID}/clauses/26?in=v2`);
    expect(deleted.join(" ")).toContain(
      "A complete audit will be carried out of all international aid received",
    );
    expect(inserted.join(" ")).toContain("Each side in the conflict will receive a full amnesty");
    expect(heading).toBe("Point 26 through every version");
    expect(clauseText).toContain("as 23.");
    expect(clauseText).toContain("Reported variants (from coverage)");
    await page.close();
  });

  it("collapses unchanged points and keeps the permalink on snapshot ids", async () => {
    const page = await browser.newPage();

    await page.goto(`${server.url}/plans/${PLAN_ID}/compare/v1..v2`);
    const details = page.locator("details").filter({ hasText: "55 unchanged points" });
    const openBefore = (await details.getAttribute("open")) !== null;
    const permalink = await page.locator("a.permalink").getAttribute("href");
    await permalink?.length;
    await page.goto(`${server.url}${permalink}`);
    const title = await page.getByRole("heading", { level: 1 }).textContent();

    expect(openBefore).toBe(false);
    expect(permalink).toMatch(new RegExp(`^/plans/${PLAN_ID}/compare/[0-9a-f]{16}\\.\\.[0-9a-f]{16}$`));
    expect(title).toBe("Peace plan <test>: v1 → v2");
    await page.close();
  });

  it("reaches the content by keyboard through the skip link", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/plans/${PLAN_ID}/compare/v1..v2`);

    await page.keyboard.press("Tab");
    // Strings run in the page, where the DOM lives (this file is compiled without DOM types).
    const first = await page.evaluate("document.activeElement?.textContent");
    await page.keyboard.press("Enter");
    const focused = await page.evaluate("document.activeElement?.id");

    expect(first).toBe("Skip to content");
    expect(focused).toBe("main");
    await page.close();
  });

  it("runs nothing from scraped text: no script, no onerror handler, no dialog", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const visited: Array<{ path: string; pwned: unknown; elements: number; text: string }> = [];

    for (const path of [
      `/plans/${PLAN_ID}`,
      `/plans/${PLAN_ID}/compare/v1..v2`,
      `/plans/${PLAN_ID}/clauses/1`,
      `/plans/${PLAN_ID}/clauses/2`,
      "/sources/hostile",
    ]) {
      await page.goto(`${hostileServer.url}${path}`);
      await page.waitForLoadState("load");
      visited.push({
        path,
        pwned: await page.evaluate("window.pwned"),
        // Escaping is checked apart from the CSP, which would also stop a script that got through.
        elements: await page.locator("script, img, [onerror]").count(),
        text: (await page.locator("main").textContent()) ?? "",
      });
    }

    expect(visited.map((visit) => visit.pwned)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(dialogs).toEqual([]);
    expect(visited.map((visit) => visit.elements)).toEqual([0, 0, 0, 0, 0]);
    // The markup is shown as the text it is, not dropped.
    expect(visited[1]?.text).toContain(XSS_SCRIPT);
    expect(visited[3]?.text).toContain(XSS_IMG);
    await page.close();
  });

  it("reads at phone width without sideways scrolling, and stacks the sides of a side-by-side comparison", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, deviceScaleFactor: 1 });

    await page.goto(`${server.url}/plans/${PLAN_ID}/compare/v1..v2`);
    const overflow = await sidewaysOverflow(page);
    const shot = await screenshot(page, "compare");
    await page.goto(`${server.url}/plans/${PLAN_ID}/compare/v1..v2?view=sides`);
    const columns = await page
      .locator(".entry .sides")
      .first()
      .evaluate((element) => {
        const view = globalThis as unknown as {
          getComputedStyle(node: unknown): { gridTemplateColumns: string };
        };
        return view.getComputedStyle(element).gridTemplateColumns;
      });

    expect(overflow).toBeLessThanOrEqual(0);
    // One track ("312px"), not two: the sides stack at phone width.
    expect(columns).toMatch(/^\d+(\.\d+)?px$/);
    expect(existsSync(shot)).toBe(true);
    await page.close();
  });

  it("runs nothing from scraped text on the version, map, search and filtered pages either", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const plan = `/plans/${PLAN_ID}`;
    const paths = [
      plan,
      `${plan}/versions/v1`,
      `${plan}/versions/v2`,
      `${plan}/map`,
      `${plan}/map?rows=changed`,
      `${plan}/search?q=pwned`,
      `${plan}/search?q=${encodeURIComponent('"svg onload"')}`,
      `${plan}/compare/v1..v2?severity=substantive`,
      `${plan}/compare/v1..v2?view=sides`,
      `${plan}/clauses/${encodeURIComponent(HOSTILE_HEADING)}`,
      "/sources/hostile",
    ];
    const visited: Array<{ path: string; pwned: unknown; elements: number; handlers: number }> = [];

    for (const path of paths) {
      await page.goto(`${hostileHtmlServer.url}${path}`);
      await page.waitForLoadState("load");
      visited.push({
        path,
        pwned: await page.evaluate("window.pwned"),
        // Escaping is checked apart from the CSP, which would also stop a script that got through.
        elements: await page.locator("script, img, iframe, object, embed, foreignObject").count(),
        handlers: await page.evaluate<number>(
          `[...document.querySelectorAll("*")].filter((node) => [...node.attributes].some((attribute) => attribute.name.startsWith("on"))).length`,
        ),
      });
    }
    await page.goto(`${hostileHtmlServer.url}${plan}/map`);
    const labelTitles = await page.locator("svg.labels title").allTextContents();
    const cellTitles = await page.locator("svg.cells title").allTextContents();
    await page.goto(`${hostileHtmlServer.url}${plan}/versions/v2`);
    const versionText = (await page.locator("main").textContent()) ?? "";
    await page.goto(`${hostileHtmlServer.url}${plan}/search?q=pwned`);
    const marks = await page.locator("main mark").allTextContents();
    const passages = await page.locator("main blockquote").allTextContents();

    expect(visited.map((visit) => [visit.path, visit.pwned, visit.elements, visit.handlers])).toEqual(
      paths.map((path) => [path, undefined, 0, 0]),
    );
    expect(dialogs).toEqual([]);
    // The markup is shown as the text it is: in the map's SVG labels, the version and the search.
    expect(labelTitles).toContain(HOSTILE_HEADING);
    expect(cellTitles.some((title) => title.includes(HOSTILE_HEADING))).toBe(true);
    expect(versionText).toContain(XSS_SCRIPT);
    expect(versionText).toContain(XSS_IMG);
    expect(versionText).toContain(XSS_SVG);
    expect(versionText).toContain(XSS_CDATA);
    expect(versionText).toContain("Copy at <img");
    expect(marks.length).toBeGreaterThanOrEqual(4);
    expect(marks.every((mark) => mark === "pwned")).toBe(true);
    expect(passages.join("\n")).toContain(`The terms had said ${XSS_SCRIPT} before`);
    await page.close();
  });
});
