import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHistory } from "../../src/history/read.js";
import { runCli } from "../helpers/cli.js";
import { configYaml } from "../worker/support.js";
import { haveChromium } from "./browser-support.js";
import { buildPlanStore, type PlanStore } from "./plan-store.js";

/** The text of each page of a PDF, as PDF.js reads it. */
async function pageTexts(file: string): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const document = await pdfjs.getDocument({ data: new Uint8Array(await readFile(file)) }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await document.destroy();
  return pages;
}

/** Line breaks in a page margin split the line anywhere: compare the characters, spaces aside. */
const squeeze = (text: string) => text.replace(/\s+/g, "");

describe.skipIf(!haveChromium)("clausewatch report … --pdf", () => {
  let plan: PlanStore;
  let configFile: string;
  let citations: Record<string, string>;

  beforeAll(async () => {
    plan = await buildPlanStore();
    configFile = plan.workspace.configFile;
    await writeFile(
      configFile,
      configYaml({ sources: plan.config.sources.map((source) => ({ id: source.id, url: source.url })) }),
    );
    const history = await openHistory({ config: plan.config });
    try {
      citations = Object.fromEntries(
        await Promise.all(
          ["v1", "v2", "v3"].map(async (version) => [
            version,
            (await history.version("peace-plan", version))?.citation ?? "",
          ]),
        ),
      );
    } finally {
      await history.close();
    }
  }, 30_000);

  afterAll(async () => {
    await plan?.cleanup();
  });

  it("prints a version to a PDF whose every page carries the version's citation line", async () => {
    const file = join(plan.workspace.dir, "out", "v2.pdf");

    const result = await runCli(["report", "peace-plan", "v2", "--pdf", file, "--config", configFile], {
      timeoutMs: 60_000,
    });
    const bytes = await readFile(file);
    const pages = await pageTexts(file);

    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^peace-plan v2: PDF of \\d+ KB → ${file}\\n$`));
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(citations.v2).toMatch(
      /^Peace plan, v2\. http:\/\/127\.0\.0\.1:\d+\/wire\/plan\.txt · first seen 2025-11-21 08:00:00 UTC · snapshot [0-9a-f]{16} · sha256 [0-9a-f]{64}$/,
    );
    expect(pages.length).toBeGreaterThan(1);
    for (const [index, text] of pages.entries()) {
      expect(squeeze(text), `page ${index + 1}`).toContain(squeeze(`Cite: ${citations.v2}`));
      expect(text).toContain(`Page ${index + 1} of ${pages.length}`);
    }
    expect(pages.join(" ")).toContain("Each side in the conflict will receive a full amnesty");
  }, 60_000);

  it("prints a comparison with both texts' citations on every page", async () => {
    const file = join(plan.workspace.dir, "v1-v3.pdf");

    const result = await runCli(["report", "peace-plan", "v1..v3", "--pdf", file, "--config", configFile], {
      timeoutMs: 60_000,
    });
    const pages = await pageTexts(file);

    expect(result.status).toBe(0);
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) {
      expect(squeeze(text)).toContain(squeeze(`Cite: ${citations.v1}`));
      expect(squeeze(text)).toContain(squeeze(`Cite: ${citations.v3}`));
    }
    expect(pages.join(" ")).toContain("Point 6 (now 5): 600,000 → 800,000 people");
  }, 60_000);

  it.each([
    [
      ["--pdf", "x.pdf"],
      "report --pdf needs what to print after the plan: a version (v2, or a snapshot id) or a comparison (v1..v2)",
    ],
    [["v9", "--pdf", "x.pdf"], 'plan "peace-plan" has no version or snapshot "v9"'],
    [
      ["v1..", "--pdf", "x.pdf"],
      'report: "v1.." is not a comparison; expected FROM..TO (v1..v2, or snapshot ids)',
    ],
    [
      ["v1", "--out", "site"],
      '"v1" chooses what --pdf prints; a site (--out) holds every version and comparison',
    ],
    [
      ["v1", "--out", "site", "--pdf", "x.pdf"],
      "report writes a site (--out DIR) or one PDF (--pdf FILE), not both at once",
    ],
  ])("refuses %j with a message that says why, writing nothing", async (args, message) => {
    const result = await runCli(["report", "peace-plan", ...args, "--config", configFile], {
      cwd: plan.workspace.dir,
    });

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`clausewatch: ${message}\n`);
    expect(existsSync(join(plan.workspace.dir, "x.pdf"))).toBe(false);
    expect(existsSync(join(plan.workspace.dir, "site"))).toBe(false);
  });
});
