/**
 * Extraction and parsing in worker threads under each source's deadline: hostile markup costs
 * its own source a failure with a clear error, never the cycle; a stuck thread is replaced.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readClauseSet } from "../../src/document.js";
import { runCycle } from "../../src/worker/cycle.js";
import { createParsePool } from "../../src/worker/parse-pool.js";
import type { SourceOutcome } from "../../src/worker/types.js";
import { fixturePage, makeWorkspace, PLAN_DIR, type Site, startSite, type Workspace } from "./support.js";

const SPIN_TASK = fileURLToPath(new URL("./fixtures/spin-task.mjs", import.meta.url));

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

/** 100,000 elements nested inside each other around a short list: quadratic for the HTML parser. */
function nestedDivs(depth: number): string {
  return `<html><body>${"<div>".repeat(depth)}<ol><li>One.</li><li>Two.</li></ol>${"</div>".repeat(depth)}</body></html>`;
}

describe("parsing in worker threads", () => {
  it("fails a page of 100,000 nested elements on its own, saying it was read as flat text, while the other sources are checked", async () => {
    site.set("/hostile.html", { body: nestedDivs(100_000), type: "text/html" });
    site.set("/wire.txt", await fixturePage("v1-draft.txt"));
    site.set("/outlet.html", await fixturePage("article.html"));
    const config = ws.config({
      sources: [
        { id: "hostile", url: `${site.url}/hostile.html`, deadlineSeconds: 2 },
        { id: "wire", url: `${site.url}/wire.txt` },
        { id: "outlet", url: `${site.url}/outlet.html` },
      ],
    });
    const reader = createParsePool({ threads: 2 });
    const finished: string[] = [];
    let report: Awaited<ReturnType<typeof runCycle>>;
    try {
      const ctx = { ...(await ws.context(config)), reader };
      report = await runCycle(ctx, { onOutcome: (outcome) => finished.push(outcome.sourceId) });
    } finally {
      await reader.close();
    }

    const byId = new Map(
      report.outcomes.map((outcome): [string, SourceOutcome] => [outcome.sourceId, outcome]),
    );
    expect(byId.get("hostile")?.status).toBe("failed");
    expect(byId.get("hostile")?.error).toEqual({
      code: "E_EXTRACT",
      message: `hostile: no numbered points, headings or lists found (text starts "One. Two."): the page was read as flat text because its elements are nested more than 512 deep; its lists, headings and tables may be lost (${site.url}/hostile.html)`,
    });
    expect(byId.get("wire")?.status).toBe("first-seen");
    expect(byId.get("outlet")?.status).toBe("first-seen");
    expect(finished.sort()).toEqual(["hostile", "outlet", "wire"]);
  });

  it("gives the same clause set as parsing on the main thread", async () => {
    const reader = createParsePool({ threads: 1 });
    try {
      for (const name of ["v2-amnesty.txt", "article.html", "counter.txt"]) {
        const body = await readFile(`${PLAN_DIR}/${name}`, "utf8");
        const options = { source: name, ...(name.endsWith(".html") ? { contentType: "text/html" } : {}) };

        const threaded = await reader.read(body, options);

        expect(threaded).toEqual(readClauseSet(body, options));
      }
    } finally {
      await reader.close();
    }
  });

  it("reports a page without clauses as the same ExtractError as on the main thread", async () => {
    const reader = createParsePool({ threads: 1 });
    try {
      const attempt = reader.read("<html><body><nav><a href='/'>Home</a></nav></body></html>", {
        source: "empty",
        contentType: "text/html",
      });

      await expect(attempt).rejects.toMatchObject({ name: "ExtractError", code: "E_EXTRACT" });
      await expect(attempt).rejects.toThrow(/^empty: /);
      const local = (() => {
        try {
          readClauseSet("<html><body><nav><a href='/'>Home</a></nav></body></html>", {
            source: "empty",
            contentType: "text/html",
          });
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(local).toMatch(/^empty: /);
      await expect(attempt).rejects.toThrow(local as string);
    } finally {
      await reader.close();
    }
  });

  it("stops a stuck thread when the deadline aborts, and parses the next document on a fresh one", async () => {
    const reader = createParsePool({ threads: 1, filename: SPIN_TASK });
    try {
      const deadline = AbortSignal.timeout(300);

      const stuck = reader.read("spin", { source: "hostile" }, { signal: deadline });
      await expect(stuck).rejects.toMatchObject({ name: "TimeoutError" });
      const next = await reader.read("fine", { source: "wire" });

      expect(next).toEqual({ source: "wire", style: "none", clauses: [] });
    } finally {
      await reader.close();
    }
  });

  it("runs its threads with a small young generation, the largest share of a cycle's peak memory by default", async () => {
    const reader = createParsePool({ threads: 1, filename: SPIN_TASK });
    try {
      const answer = await reader.read("limits", { source: "wire" });
      const limits = JSON.parse(answer.title as string) as { maxYoungGenerationSizeMb: number };
      expect(limits.maxYoungGenerationSizeMb).toBeGreaterThan(0);
      expect(limits.maxYoungGenerationSizeMb).toBeLessThanOrEqual(8);
    } finally {
      await reader.close();
    }
  });

  it("keeps a document waiting for a busy thread off its own deadline", async () => {
    const reader = createParsePool({ threads: 1, filename: SPIN_TASK });
    const waited: string[] = [];
    try {
      const stuck = reader.read("spin", { source: "hostile" }, { signal: AbortSignal.timeout(400) });
      const queued = reader.read(
        "fine",
        { source: "wire" },
        {
          waiting: async (wait) => {
            waited.push("queued");
            const result = await wait();
            waited.push("got a thread");
            return result;
          },
        },
      );

      await expect(stuck).rejects.toMatchObject({ name: "TimeoutError" });
      expect(await queued).toMatchObject({ source: "wire" });
      expect(waited).toEqual(["queued", "got a thread"]);
    } finally {
      await reader.close();
    }
  });

  it("starts a thread on warm(), so the first read is answered by a thread that was already running", async () => {
    const warmed = createParsePool({ threads: 1, filename: SPIN_TASK });
    const cold = createParsePool({ threads: 1, filename: SPIN_TASK });
    try {
      warmed.warm();
      const first = await warmed.read("warmed", { source: "wire" });
      const unwarmed = await cold.read("warmed", { source: "wire" });

      expect(first.title).toBe("1");
      expect(unwarmed.title).toBe("0");
    } finally {
      await warmed.close();
      await cold.close();
    }
  });

  it("closes at once while a warm-up is still starting its thread, and reads after that are refused", async () => {
    const reader = createParsePool({ threads: 1, filename: SPIN_TASK });
    reader.warm();

    await reader.close();

    await expect(reader.read("fine", { source: "wire" })).rejects.toThrow(/the parsing pool is closed/);
  });

  it("warms the parsing thread at the start of a cycle with more sources than lanes, and not otherwise", async () => {
    site.set("/wire.txt", await fixturePage("v1-draft.txt"));
    const pool = createParsePool({ threads: 1 });
    let warmUps = 0;
    const reader = {
      threads: pool.threads,
      read: pool.read,
      close: pool.close,
      warm: () => {
        warmUps += 1;
        pool.warm();
      },
    };
    const sources = [1, 2, 3].map((n) => ({ id: `wire-${n}`, url: `${site.url}/wire.txt` }));
    try {
      const ctx = { ...(await ws.context(ws.config({ sources }))), reader };
      const lines = await runCycle(ctx, { concurrency: 2 });
      await runCycle(ctx, { concurrency: 2, sourceIds: ["wire-1", "wire-2"] });

      expect(lines.outcomes.map((outcome) => outcome.status)).toEqual([
        "first-seen",
        "first-seen",
        "first-seen",
      ]);
      expect(warmUps).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
