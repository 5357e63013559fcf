import * as cheerio from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, type HistoryServer, startHistoryServer } from "../../src/history/server.js";
import { type BuiltStore, buildHostileHtmlStore, HOSTILE_HEADING, PLAN_ID } from "./support.js";

let hostile: BuiltStore;
let server: HistoryServer;

beforeAll(async () => {
  hostile = await buildHostileHtmlStore();
  server = await startHistoryServer({ config: hostile.config, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await hostile?.cleanup();
});

const plan = `/plans/${PLAN_ID}`;
const PAGES = [
  plan,
  `${plan}/versions/v1`,
  `${plan}/versions/v2`,
  `${plan}/map`,
  `${plan}/map?rows=changed`,
  `${plan}/search?q=pwned`,
  `${plan}/search?q=${encodeURIComponent(HOSTILE_HEADING)}`,
  `${plan}/compare/v1..v2`,
  `${plan}/compare/v1..v2?severity=substantive&view=sides`,
  `${plan}/clauses/${encodeURIComponent(HOSTILE_HEADING)}?in=v2`,
];

async function served(path: string): Promise<{ status: number; csp: string | null; html: string }> {
  const response = await fetch(`${server.url}${path}`);
  return {
    status: response.status,
    csp: response.headers.get("content-security-policy"),
    html: await response.text(),
  };
}

describe("scraped markup in the served bytes of the new pages", () => {
  it.each(PAGES)("%s holds no element or attribute that came from scraped text", async (path) => {
    const { status, csp, html } = await served(path);
    const $ = cheerio.load(html);
    const handlers = $("*")
      .toArray()
      .filter((node) => "attribs" in node && Object.keys(node.attribs).some((name) => name.startsWith("on")));

    expect(status).toBe(200);
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(html).not.toMatch(/<script|<img|<iframe|<object|<embed|<foreignObject|<!\[CDATA\[|\]\]></i);
    expect(html).not.toMatch(/<svg[^>]*\son/i);
    expect($("script, img, iframe, object, embed").length).toBe(0);
    expect(handlers).toEqual([]);
  });

  it("escapes a path made of scraped text wherever the map draws it: label, title and link", async () => {
    const { html } = await served(`${plan}/map`);
    const $ = cheerio.load(html);
    const label = $("svg.labels a")
      .toArray()
      .find((node) => $(node).find("title").text() === HOSTILE_HEADING);

    expect(html).toContain(
      "<title>Terms ]]&gt; &quot;&gt;&lt;svg onload=&quot;window.pwned=1&quot;&gt;</title>",
    );
    expect(label).toBeDefined();
    expect($(label).attr("href")).toBe(`${plan}/clauses/${encodeURIComponent(HOSTILE_HEADING)}?in=v2`);
    expect($(label).find("text").text()).toBe('Terms ]]> "><sv…');
  });

  it("shows scraped clause text, titles and passages as text on the version and search pages", async () => {
    const version = cheerio.load((await served(`${plan}/versions/v2`)).html);
    const search = cheerio.load((await served(`${plan}/search?q=pwned`)).html);

    expect(version("main").text()).toContain(
      'A picture <img src=x onerror="window.pwned=1"> of the new border',
    );
    expect(version("main").text()).toContain('Hostile "><svg onload="window.pwned=1"> plan');
    expect(version("main").text()).toContain('Copy at <img src=x onerror="window.pwned=1">');
    expect(
      version(`[id="clause-${"Terms_20_5d_5d_3e_20_22_3e_3csvg_20onload_3d_22window.pwned_3d1_22_3e"}"]`)
        .length,
    ).toBe(1);
    expect(search("main mark").length).toBeGreaterThanOrEqual(4);
    expect(search("main blockquote").text()).toContain(
      "The terms had said <script>window.pwned=1</script> before the parties agreed to talk.",
    );
  });
});
