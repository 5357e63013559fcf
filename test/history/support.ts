import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { createHostLimiter } from "../../src/collect/index.js";
import { type Config, parseConfig } from "../../src/config/index.js";
import type { CoverageRecord } from "../../src/coverage/types.js";
import { createLineage } from "../../src/lineage/index.js";
import { openFsStore } from "../../src/store/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import { startServer } from "../helpers/http-server.js";

export const PLAN_ID = "peace-plan";
const FIXTURES = fileURLToPath(new URL("../fixtures/plan/", import.meta.url));

export function fixture(name: string): Promise<string> {
  return readFile(join(FIXTURES, name), "utf8");
}

/** What one source serves during one step: a body and its content type. */
export interface Page {
  body: string;
  type?: string;
}

export interface BuiltStore {
  config: Config;
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * Builds a real store by running the real pipeline: each step's pages are served on a loopback
 * server (one path per source id) and one cycle runs per step. The sources are the keys of the
 * first step; a source missing from a later step answers 404 (a failed check).
 */
export async function buildStore(
  steps: Array<Record<string, Page>>,
  options: {
    coverage?: (config: Config) => Promise<CoverageRecord[]> | CoverageRecord[];
    /** Titles of the sources, by id (default "Copy at ID"). */
    titles?: Record<string, string>;
  } = {},
): Promise<BuiltStore> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-history-"));
  let step = 0;
  const server = await startServer((req, res) => {
    const page = steps[step]?.[(req.url ?? "/").slice(1)];
    if (!page) {
      res.writeHead(404, { "content-type": "text/plain" }).end("gone");
      return;
    }
    res.writeHead(200, { "content-type": page.type ?? "text/plain; charset=utf-8" }).end(page.body);
  });
  try {
    const ids = Object.keys(steps[0] ?? {});
    const yaml = [
      "storage:",
      `  dir: ${JSON.stringify(join(dir, "store"))}`,
      "http:",
      "  retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }",
      "  politenessMs: 0",
      "health: { failureThreshold: 1 }",
      "plans:",
      `  - { id: ${PLAN_ID}, title: "Peace plan <test>" }`,
      "sources:",
      ...ids.map(
        (id) =>
          `  - { id: ${id}, plan: ${PLAN_ID}, role: draft, title: ${JSON.stringify(options.titles?.[id] ?? `Copy at ${id}`)}, url: "${server.url}/${id}" }`,
      ),
      "notify:",
      "  - type: log",
    ].join("\n");
    const config = parseConfig(yaml, { file: join(dir, "clausewatch.yaml"), env: {} });
    const store = await openFsStore(config.storageDir);
    try {
      const ctx = {
        config,
        store,
        logger: pino({ level: "silent" }),
        limiter: createHostLimiter({ perHost: 4, delayMs: 0 }),
        lineage: createLineage(
          config.storageDir,
          config.lineage,
          async (id) => (await store.getSnapshot(id)).clauseSet,
        ),
      };
      for (const index of steps.keys()) {
        step = index;
        await runCycle(ctx);
      }
    } finally {
      await store.close();
    }
    const coverage = options.coverage ? await options.coverage(config) : [];
    if (coverage.length > 0) {
      const planDir = join(config.storageDir, "plans", PLAN_ID);
      await mkdir(planDir, { recursive: true });
      await writeFile(
        join(planDir, "coverage.jsonl"),
        `${coverage.map((record) => JSON.stringify(record)).join("\n")}\n`,
        { flag: "a" },
      );
    }
    return { config, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await server.close();
  }
}

const text = (body: string): Page => ({ body });

/**
 * The plan story: the wire and the council publish the 28-point draft (v1); the wire's copy
 * then has point 26 rewritten (v2); the council publishes its counter-proposal (v3) and the
 * wire goes away (a failed check). Coverage reports point 26's earlier wording.
 */
export async function buildPlanStore(): Promise<BuiltStore> {
  const [v1, v2, counter] = await Promise.all([
    fixture("v1-draft.txt"),
    fixture("v2-amnesty.txt"),
    fixture("counter.txt"),
  ]);
  return buildStore(
    [
      { wire: text(v1), council: text(v1) },
      { wire: text(v2), council: text(v1) },
      { council: text(counter) },
    ],
    {
      coverage: () => {
        const base = {
          planId: PLAN_ID,
          at: "2025-11-24T09:00:00.000Z",
          sourceId: "news",
          snapshotId: "00000000000000aa",
        };
        return [
          {
            ...base,
            type: "mention",
            version: "v2",
            clauseKey: "26",
            passage: "Point 26 now promises a full amnesty to every side.",
            via: ["reference", "wording"],
            score: 0.9,
          },
          {
            ...base,
            type: "variant",
            version: "v2",
            clauseKey: "26",
            earlier: "an audit of all aid received",
            later: "full amnesty",
            cue: "had called for",
            passage:
              "The draft had called for an audit of all aid received; it was changed to a full amnesty.",
          },
          {
            ...base,
            type: "mismatch",
            version: "v1",
            clauseKey: "6",
            reported: "800,000 troops",
            tracked: "600,000 personnel",
            passage: "The plan caps the army at 800,000 troops.",
          },
        ];
      },
    },
  );
}

export const XSS_SCRIPT = "<script>window.pwned=1</script>";
export const XSS_IMG = '<img src=x onerror="window.pwned=1">';

/** A plan whose scraped clause text carries markup that must never run. */
export async function buildHostileStore(): Promise<BuiltStore> {
  const v1 = [
    "Hostile draft",
    "",
    `1. The parties agree ${XSS_SCRIPT} to talk.`,
    `2. A picture ${XSS_IMG} of the border.`,
    "3. Nothing else changes here.",
  ].join("\n");
  // A new point makes the second copy a new version rather than a divergent rendering.
  const v2 = `${v1
    .replace("to talk.", "to talk at once.")
    .replace(
      "of the border.",
      `of the new border ${XSS_IMG}.`,
    )}\n4. A new point about ${XSS_SCRIPT} monitoring.`;
  return buildStore([{ hostile: text(v1) }, { hostile: text(v2) }], {
    coverage: () => [
      {
        type: "variant",
        planId: PLAN_ID,
        at: "2025-11-24T09:00:00.000Z",
        sourceId: "news",
        snapshotId: "00000000000000bb",
        version: "v1",
        clauseKey: "1",
        earlier: XSS_SCRIPT,
        cue: `had said ${XSS_IMG}`,
        passage: `It had said ${XSS_SCRIPT} before.`,
      },
    ],
  });
}

export const XSS_SVG = '"><svg onload="window.pwned=1">';
export const XSS_CDATA = "]]><script>window.pwned=1</script><![CDATA[";
/** The heading's text, which becomes the path of the clause it heads: scraped text in every label. */
export const HOSTILE_HEADING = `Terms ]]> ${XSS_SVG}`;

const entities = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function hostilePage(items: string[]): Page {
  return {
    type: "text/html; charset=utf-8",
    body: `<!doctype html><html><head><title>${entities(`Hostile ${XSS_SVG} plan`)}</title></head><body><main><article>
<h1>${entities(`Hostile ${XSS_SVG} plan`)}</h1>
<p>This draft sets out the terms agreed between the parties for a ceasefire and for the talks after it.</p>
<h2>${entities(HOSTILE_HEADING)}</h2>
<ol>${items.map((item) => `<li>${entities(item)}</li>`).join("")}</ol>
<h2>Monitoring</h2>
<ol><li>Observers will watch the line for thirty days.</li><li>They will report every week.</li></ol>
</article></main></body></html>`,
  };
}

/**
 * A plan read from HTML whose scraped text is markup everywhere it can reach: the title, a
 * heading (and so the path of its clause, shown in the map's labels), clause text, the source's
 * title and coverage passages. The second copy changes every numbered item, so the map and the
 * comparison carry the hostile path in changed cells too.
 */
export async function buildHostileHtmlStore(): Promise<BuiltStore> {
  const v1 = [
    `The parties agree ${XSS_SCRIPT} to talk.`,
    `A picture ${XSS_IMG} of the border.`,
    `Nothing else ${XSS_CDATA} changes here.`,
  ];
  const v2 = [
    `The parties agree ${XSS_SCRIPT} to talk within 30 days.`,
    `A picture ${XSS_IMG} of the new border ${XSS_SVG}.`,
    `A new point about ${XSS_CDATA} monitoring by 200 observers.`,
  ];
  return buildStore([{ hostile: hostilePage(v1) }, { hostile: hostilePage(v2) }], {
    titles: { hostile: `Copy at ${XSS_IMG}` },
    coverage: () => {
      const base = {
        planId: PLAN_ID,
        at: "2025-11-24T09:00:00.000Z",
        sourceId: "news",
        snapshotId: "00000000000000cc",
      };
      return [
        {
          ...base,
          type: "mention",
          version: "v2",
          clauseKey: HOSTILE_HEADING,
          passage: `Coverage quotes the terms ${XSS_SVG} and says the parties will talk ${XSS_CDATA} soon.`,
          via: ["quote"],
          score: 0.7,
        },
        {
          ...base,
          type: "variant",
          version: "v2",
          clauseKey: HOSTILE_HEADING,
          earlier: XSS_SCRIPT,
          cue: `had said ${XSS_IMG}`,
          passage: `The terms had said ${XSS_SCRIPT} before the parties agreed to talk.`,
        },
      ];
    },
  });
}

/** One source whose point 6 changes its figure at every cycle: `count` versions of the plan. */
export async function buildLongStore(count: number): Promise<BuiltStore> {
  const v1 = await fixture("v1-draft.txt");
  const steps = Array.from({ length: count }, (_, index) => ({
    wire: text(v1.replace("600,000", (600_000 + index * 1_000).toLocaleString("en-US"))),
  }));
  return buildStore(steps);
}
