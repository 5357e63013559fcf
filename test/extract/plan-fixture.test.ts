import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractBlocks, extractDocument } from "../../src/extract/index.js";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/plan");

describe("the plan article fixture", () => {
  it("yields the 28 plan points in order, each once, as one numbered list", async () => {
    const html = await readFile(path.join(fixtures, "article.html"), "utf8");

    const blocks = extractBlocks(html);

    const points = blocks.filter((block) => block.kind === "item" && block.level === 1);
    expect(points.map((point) => point.marker)).toEqual(Array.from({ length: 28 }, (_, i) => `${i + 1}.`));
    expect(points[5]?.text).toContain("600,000");
    expect(points[25]?.text).toContain("amnesty");
    expect(blocks.filter((block) => block.kind === "item" && block.level === 2).length).toBeGreaterThan(0);
  });

  it("leaves out the navigation, sidebar, promo, ticker and footer text", async () => {
    const html = await readFile(path.join(fixtures, "article.html"), "utf8");
    const noise = await readFile(path.join(fixtures, "article-noise.html"), "utf8");

    const blocks = extractBlocks(html);
    const noisyBlocks = extractBlocks(noise);

    const text = blocks.map((block) => block.text).join("\n");
    const furniture = [
      /Most read/,
      /Morning Ledger/,
      /Heating bills/,
      /Envoys met quietly/,
      /Advertisement/,
      /About us/,
      /Breaking/,
    ];
    for (const boilerplate of furniture) {
      expect(html).toMatch(boilerplate);
      expect(text).not.toMatch(boilerplate);
    }
    // The noisy copy differs only in page furniture, so what remains must be identical.
    expect(noisyBlocks).toEqual(blocks);
    expect(extractDocument(html).title).toMatch(/28-point plan/);
  });
});

describe("the plan printed as paragraphs", () => {
  it("yields points 1 to 28 as paragraphs without the numbered most-read box or the ad between them", async () => {
    const html = await readFile(path.join(fixtures, "article-paragraphs.html"), "utf8");

    const blocks = extractBlocks(html);

    const numbers = blocks.flatMap((block) => /^(\d+)\. /.exec(block.text)?.[1] ?? []);
    expect(numbers).toEqual(Array.from({ length: 28 }, (_, i) => String(i + 1)));
    const text = blocks.map((block) => block.text).join("\n");
    expect(html).toMatch(/Rail strike/);
    expect(text).not.toMatch(/Rail strike|Most read|broadband/);
  });
});
