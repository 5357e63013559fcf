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
  options: { coverage?: (config: Config) => Promise<CoverageRecord[]> | CoverageRecord[] } = {},
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
          `  - { id: ${id}, plan: ${PLAN_ID}, role: draft, title: "Copy at ${id}", url: "${server.url}/${id}" }`,
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
