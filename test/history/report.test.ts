import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExport, versionDocument } from "../../src/history/export.js";
import { openHistory } from "../../src/history/read.js";
import { fileSlug, writeReport } from "../../src/history/report.js";
import { openFsStore } from "../../src/store/index.js";
import { buildPlanStore, type PlanStore } from "./plan-store.js";

const HOSTILE_CLAUSES = [
  'The parties agree to <script>alert("x")</script> a ceasefire.',
  "Observers <img src=x onerror=alert(2)> will monitor the line.",
  "Talks resume in thirty days.",
  "Prisoners are exchanged all for all.",
  "A joint commission reviews violations.",
  "The agreement enters into force on signature.",
];
const HOSTILE_V1 = `Hostile plan\n\n${HOSTILE_CLAUSES.map((text, index) => `${index + 1}. ${text}`).join("\n")}\n`;
const HOSTILE_V2 = HOSTILE_V1.replace("thirty days", "ten days, <b onmouseover=alert(3)>or never</b>");

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** Every href of every page, with the page it is on. */
async function hrefs(dir: string): Promise<Array<{ page: string; href: string }>> {
  const found: Array<{ page: string; href: string }> = [];
  for (const page of (await listFiles(dir)).filter((file) => file.endsWith(".html"))) {
    const html = await readFile(join(dir, page), "utf8");
    for (const match of html.matchAll(/\shref="([^"]*)"/g)) found.push({ page, href: match[1] ?? "" });
  }
  return found;
}

async function report(plan: PlanStore, options: { bodies?: boolean } = {}) {
  const out = await mkdtemp(join(tmpdir(), "clausewatch-report-"));
  const history = await openHistory({ config: plan.config });
  try {
    const result = await writeReport(history, "peace-plan", out, options);
    return { out, result };
  } finally {
    await history.close();
  }
}

describe("static report", () => {
  let plan: PlanStore;
  let out: string;
  let files: string[];

  beforeAll(async () => {
    plan = await buildPlanStore();
    ({ out } = await report(plan));
    files = await listFiles(out);
  }, 30_000);

  afterAll(async () => {
    await plan?.cleanup();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it("writes the index, the timeline, every consecutive comparison and the clause timelines", async () => {
    const timeline = await readFile(join(out, "timeline.html"), "utf8");
    const point26 = await readFile(join(out, "clause-v1-26.html"), "utf8");

    expect(files).toEqual(
      expect.arrayContaining(["index.html", "timeline.html", "compare-v1-v2.html", "compare-v2-v3.html"]),
    );
    expect(timeline).toContain("v3");
    expect(point26).toMatch(/amnesty/);
    expect(point26).toMatch(/audit/);
    expect(files.filter((file) => file.startsWith("clause-")).length).toBeGreaterThanOrEqual(28);
  });

  it("reaches every clause of every version through a clause page", async () => {
    const comparison = await readFile(join(out, "compare-v2-v3.html"), "utf8");
    const clauseLinks = [...comparison.matchAll(/href="(clause-[^"]+)"/g)].map((match) => match[1] ?? "");

    expect(clauseLinks.length).toBeGreaterThan(10);
    for (const link of clauseLinks) expect(existsSync(join(out, link))).toBe(true);
  });

  it("links only to files inside the output directory, with relative links and no external assets", async () => {
    const links = await hrefs(out);
    const root = resolve(out);

    expect(links.length).toBeGreaterThan(100);
    for (const { page, href } of links) {
      if (href.startsWith("#")) continue;
      expect(href, `${page} links to ${href}`).not.toMatch(/^([a-z][a-z0-9+.-]*:|\/)/i);
      const target = resolve(root, dirname(page), href.replace(/#.*$/, ""));
      expect(target.startsWith(`${root}${sep}`), `${page} links outside: ${href}`).toBe(true);
      expect(existsSync(target), `${page} links to missing ${href}`).toBe(true);
    }
    for (const page of files.filter((file) => file.endsWith(".html"))) {
      const html = await readFile(join(out, page), "utf8");
      expect(html).not.toMatch(/<script|<link\s|<[a-z][^>]*\ssrc=|@import|url\(/i);
    }
  });

  it("writes each version as a page and as the export's plain text, and the map with cells that reach their anchors", async () => {
    const store = await openFsStore(plan.config.storageDir, { lock: false });
    const exported = await buildExport(
      store,
      plan.config.plans[0] as (typeof plan.config.plans)[number],
    ).finally(() => store.close());
    const text = await readFile(join(out, "version-v2.txt"), "utf8");
    const version = await readFile(join(out, "version-v2.html"), "utf8");
    const map = await readFile(join(out, "map.html"), "utf8");
    const cells = [...map.matchAll(/href="(compare-[^"#]+)#([^"]+)"/g)].map((match): [string, string] => [
      match[1] ?? "",
      match[2] ?? "",
    ]);

    expect(files).toEqual(
      expect.arrayContaining([
        "version-v1.html",
        "version-v2.html",
        "version-v3.html",
        "version-v2.txt",
        "map.html",
      ]),
    );
    expect(text).toBe(versionDocument(exported, "v2"));
    expect(version).toContain('id="clause-26"');
    expect(version).toContain('href="version-v2.txt" download="peace-plan-v2.txt"');
    expect(cells.length).toBeGreaterThan(20);
    for (const [file, anchor] of cells) {
      const page = await readFile(join(out, file), "utf8");
      expect(page, `${file}#${anchor}`).toContain(`id="${decodeURIComponent(anchor)}"`);
    }
  });

  it("copies each linked snapshot's raw body as fetched", async () => {
    const bodies = files.filter((file) => file.startsWith(`bodies${sep}`));

    expect(bodies.length).toBeGreaterThanOrEqual(3);
    const texts = await Promise.all(bodies.map((file) => readFile(join(out, file), "utf8")));
    expect(texts.some((text) => text.includes("amnesty"))).toBe(true);
  });

  it("leaves the bodies out when asked, with every body link leading to a note", async () => {
    const { out: bare } = await report(plan, { bodies: false });

    try {
      const written = await listFiles(bare);
      const links = await hrefs(bare);
      expect(written.some((file) => file.startsWith(`bodies${sep}`))).toBe(false);
      expect(written).toContain("bodies-omitted.html");
      for (const { href } of links)
        if (!href.startsWith("#")) expect(existsSync(join(bare, href.replace(/#.*$/, "")))).toBe(true);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it("escapes scraped markup so no page of the report carries a script or an event handler", async () => {
    const hostile = await buildPlanStore([
      { "/wire/plan.txt": { body: HOSTILE_V1 }, "/eu/plan.txt": { body: HOSTILE_V1 } },
      { "/wire/plan.txt": { body: HOSTILE_V2 } },
    ]);
    const { out: site } = await report(hostile);

    try {
      const pages = (await listFiles(site)).filter((file) => file.endsWith(".html"));
      const html = await Promise.all(pages.map((page) => readFile(join(site, page), "utf8")));
      const clause1 = await readFile(join(site, "clause-v1-1.html"), "utf8");
      expect(pages).toContain("compare-v1-v2.html");
      for (const page of html) {
        expect(page).not.toMatch(/<script|<img|<b\s|<[a-z][^>]*\son\w+\s*=/i);
      }
      expect(clause1).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
      const comparison = await readFile(join(site, "compare-v1-v2.html"), "utf8");
      expect(comparison).toContain("&lt;b onmouseover=alert(3)&gt;");
    } finally {
      await hostile.cleanup();
      await rm(site, { recursive: true, force: true });
    }
  }, 30_000);

  it("names files so different labels never share one", () => {
    const labels = ["26", "#3", "§ 4", "§4", "a_1", "a-1", "IV", "10.1", "ü"];

    const slugs = labels.map(fileSlug);

    expect(new Set(slugs).size).toBe(labels.length);
    for (const slug of slugs) expect(slug).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});
