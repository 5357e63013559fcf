/**
 * Acceptance with the seed documents: the article that prints the full 28 points is a draft
 * source (next to a clean copy of our own, checked first), the two other articles are coverage.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoverageRecord } from "../../src/coverage/index.js";
import { openFsStore } from "../../src/store/index.js";
import type { SourceChange } from "../../src/worker/types.js";
import { CLI, runCli } from "../helpers/cli.js";
import { configYaml, makeWorkspace, type Site, startSite, type Workspace } from "../worker/support.js";

const SHARED =
  process.env.CLAUSEWATCH_SHARED ?? resolve(fileURLToPath(new URL("../../", import.meta.url)), "../shared");
const SEEDS = join(SHARED, "seeds");
const haveSeeds = existsSync(SEEDS);
if (!haveSeeds) console.warn(`seed acceptance skipped: ${SEEDS} not found (set CLAUSEWATCH_SHARED)`);

function asHtml(title: string, text: string): string {
  const escapeText = (value: string) =>
    value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const paragraphs = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => `<p>${escapeText(line)}</p>`)
    .join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeText(title)}</title></head><body><article><h1>${escapeText(title)}</h1>${paragraphs}</article></body></html>`;
}

describe.skipIf(!haveSeeds || !existsSync(CLI))("coverage acceptance with the seed documents", () => {
  let site: Site;
  let ws: Workspace;
  let changes: SourceChange[];
  let coverage: { mentions: CoverageRecord[]; variants: CoverageRecord[]; mismatches: CoverageRecord[] };
  let versions: {
    versions: Array<{
      id: string;
      witnesses: string[];
      divergent: Array<{ source: string; reason: string; departures: string[] }>;
    }>;
  };

  beforeAll(async () => {
    site = await startSite();
    ws = await makeWorkspace();
    const files = (await readdir(SEEDS)).filter((name) => name.endsWith(".txt")).sort();
    const [post, journal, abc] = files as [string, string, string];
    const page = async (name: string) => ({
      body: asHtml(name, await readFile(join(SEEDS, name), "utf8")),
      headers: { "content-type": "text/html; charset=utf-8" },
    });
    site.set("/abc.html", await page(abc));
    site.set("/post.html", await page(post));
    site.set("/journal.html", await page(journal));
    site.set("/desk.txt", {
      body: await readFile(new URL("../fixtures/plan/v2-amnesty.txt", import.meta.url)),
    });
    await writeFile(
      ws.configFile,
      configYaml({
        sources: [
          { id: "desk-copy", url: `${site.url}/desk.txt`, role: "draft" },
          { id: "abc-fulltext", url: `${site.url}/abc.html`, role: "draft" },
          { id: "post", url: `${site.url}/post.html`, role: "coverage" },
          { id: "journal", url: `${site.url}/journal.html`, role: "coverage" },
        ],
      }),
    );
    // Our clean copy first, so the version the witnesses agree on exists before the paraphrase arrives.
    for (const only of [["desk-copy"], ["abc-fulltext"], []]) {
      const result = await runCli([
        "check",
        "--once",
        "--config",
        ws.configFile,
        ...only.flatMap((id) => ["--source", id]),
      ]);
      expect(result.status, result.stderr).toBe(0);
    }
    const store = await openFsStore(ws.storeDir, { lock: false });
    changes = (await store.listChanges()) as SourceChange[];
    await store.close();
    coverage = JSON.parse(
      (await runCli(["coverage", "peace-plan", "--json", "--config", ws.configFile])).stdout,
    );
    versions = JSON.parse(
      (await runCli(["versions", "peace-plan", "--json", "--config", ws.configFile])).stdout,
    );
  }, 60_000);

  afterAll(async () => {
    await site?.close();
    await ws?.cleanup();
  });

  it("reports point 26's audit → amnesty change from coverage, with both wordings and the source", () => {
    const reported = changes.filter((change) => change.kind === "coverage-variant");

    expect(reported.length).toBeGreaterThanOrEqual(1);
    const journal = reported.find((change) => change.sourceId === "journal");
    expect(journal?.headline).toMatch(
      /coverage reports point 26 changed: earlier wording “an audit of all international aid.*”; now “full amnesty for their actions during the war/,
    );
    expect(journal?.severity).toBe("substantive");
    const variants = coverage.variants.filter((record) => record.clauseKey === "26");
    expect(variants.map((record) => record.sourceId).sort()).toEqual(["journal", "post"]);
    expect(variants.every((record) => record.type === "variant" && /audit/.test(record.earlier ?? ""))).toBe(
      true,
    );
  });

  it("links the troop cap, the 100-day election and the $100 billion to their points", () => {
    const byFigure = (key: string) =>
      coverage.mentions.filter(
        (record) => record.type === "mention" && record.clauseKey === key && record.via.includes("figure"),
      );

    expect(
      byFigure("6")
        .map((record) => record.passage)
        .join(" "),
    ).toMatch(/600,000/);
    expect(
      byFigure("25")
        .map((record) => record.passage)
        .join(" "),
    ).toMatch(/100 days/);
    expect(
      byFigure("14 •1")
        .map((record) => record.passage)
        .join(" "),
    ).toMatch(/\$100 billion/);
    expect(coverage.mismatches).toEqual([]);
  });

  it("keeps one version and reports the machine-paraphrased copy as divergent", () => {
    expect(versions.versions.map((version) => version.id)).toEqual(["v1"]);
    expect(versions.versions[0]?.witnesses).toEqual(["desk-copy"]);
    expect(versions.versions[0]?.divergent).toEqual([
      expect.objectContaining({ source: "abc-fulltext", reason: "paraphrase" }),
    ]);
    const divergent = changes.find((change) => change.kind === "divergent");
    expect(divergent?.headline).toMatch(/abc-fulltext diverges from v1 \(paraphrased copy/);
    expect(changes.filter((change) => change.kind === "content" && !change.suppressed)).toEqual([]);
  });
});
