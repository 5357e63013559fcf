/**
 * The worker left alone, in figures: what the default politeness costs a cycle of same-host
 * sources (and that none of them fails for queueing), and what a page of deeply nested elements
 * costs the other sources of its cycle. Real HTTP on loopback, a real fs store, the CLI's parsing
 * pool. Prints figures; asserts nothing.
 *
 * Run directly: `node dist/bench/unattended.js [--same-host=60] [--nested=100000] [--deadline=20]`.
 */
import { promises as fsp } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { createHostLimiter } from "../src/collect/index.js";
import { type Config, parseConfig } from "../src/config/index.js";
import { createLineage } from "../src/lineage/index.js";
import { createLogger } from "../src/log.js";
import { openFsStore } from "../src/store/index.js";
import { runCycle } from "../src/worker/cycle.js";
import { createParsePool } from "../src/worker/parse-pool.js";

function option(name: string, fallback: number): number {
  const arg = process.argv.find((value) => value.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}

/** A plan of 28 points in the agreement's own words, one copy per source. */
function planText(): string {
  const points = Array.from(
    { length: 28 },
    (_, i) =>
      `${i + 1}. The parties agree on measure ${i + 1}, to take effect within ${30 + i} days of signing.`,
  );
  return `Basin water-sharing agreement\n\n${points.join("\n")}\n`;
}

function nestedPage(depth: number): string {
  return `<html><body>${"<div>".repeat(depth)}<ol><li>One.</li><li>Two.</li></ol>${"</div>".repeat(depth)}</body></html>`;
}

async function withServer<T>(
  pages: (pathname: string) => { body: string; type: string } | undefined,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const server = createServer((req, res) => {
    const page = pages(req.url ?? "/");
    if (!page) res.writeHead(404).end("not found");
    else res.writeHead(200, { "content-type": page.type }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function cycleOnce(config: Config, threads: number) {
  const store = await openFsStore(config.storageDir, { lockLeaseMs: config.lockLeaseMs });
  const reader = threads > 0 ? createParsePool({ threads }) : undefined;
  const ctx = {
    config,
    store,
    logger: createLogger({ level: "silent" }),
    limiter: createHostLimiter({ perHost: config.http.perHost, delayMs: config.http.politenessMs }),
    lineage: createLineage(
      config.storageDir,
      config.lineage,
      async (id) => (await store.getSnapshot(id)).clauseSet,
    ),
    ...(reader ? { reader } : {}),
  };
  const started = performance.now();
  const finishedAt = new Map<string, number>();
  try {
    const report = await runCycle(ctx, {
      onOutcome: (outcome) => finishedAt.set(outcome.sourceId, performance.now() - started),
    });
    return { report, wallMs: performance.now() - started, finishedAt };
  } finally {
    await reader?.close();
    await store.close();
  }
}

async function tempConfig(
  user: Record<string, unknown>,
): Promise<{ config: Config; cleanup: () => Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "clausewatch-unattended-bench-"));
  const file = path.join(dir, "clausewatch.yaml");
  const config = parseConfig(stringify({ storage: { dir: "./store" }, log: { level: "silent" }, ...user }), {
    file,
  });
  return { config, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

/** N copies of one plan on one host, everything on defaults (perHost 2, 1 s politeness, 30 s timeout). */
async function sameHost(sources: number): Promise<void> {
  const text = planText();
  await withServer(
    () => ({ body: text, type: "text/plain; charset=utf-8" }),
    async (url) => {
      const { config, cleanup } = await tempConfig({
        plans: [{ id: "basin", title: "Basin agreement" }],
        sources: Array.from({ length: sources }, (_, i) => ({
          id: `copy-${i}`,
          plan: "basin",
          url: `${url}/copy-${i}.txt`,
        })),
      });
      try {
        const { report, wallMs } = await cycleOnce(config, config.threads);
        const failed = report.outcomes.filter((outcome) => outcome.status === "failed");
        console.log(
          `same host, defaults: ${sources} copies of one plan in ${(wallMs / 1000).toFixed(1)} s ` +
            `(${(wallMs / sources).toFixed(0)} ms per source; politeness ${config.http.politenessMs} ms, perHost ${config.http.perHost}); ` +
            `${report.outcomes.length - failed.length} checked, ${failed.length} failed${failed[0] ? ` (first: ${failed[0].error?.message})` : ""}`,
        );
      } finally {
        await cleanup();
      }
    },
  );
}

/** One page of `depth` nested elements among ten ordinary sources. */
async function nested(depth: number, deadlineSeconds: number, threads: number): Promise<void> {
  const text = planText();
  const hostile = nestedPage(depth);
  await withServer(
    (pathname) =>
      pathname === "/hostile.html"
        ? { body: hostile, type: "text/html" }
        : { body: text, type: "text/plain; charset=utf-8" },
    async (url) => {
      const { config, cleanup } = await tempConfig({
        deadlineSeconds,
        threads,
        http: { politenessMs: 0, perHost: 16 },
        plans: [{ id: "basin", title: "Basin agreement" }],
        sources: [
          { id: "hostile", plan: "basin", url: `${url}/hostile.html` },
          ...Array.from({ length: 10 }, (_, i) => ({
            id: `copy-${i}`,
            plan: "basin",
            url: `${url}/copy-${i}.txt`,
          })),
        ],
      });
      try {
        const { report, wallMs, finishedAt } = await cycleOnce(config, threads);
        const others = [...finishedAt.entries()].filter(([id]) => id !== "hostile").map(([, ms]) => ms);
        const hostileOutcome = report.outcomes.find((outcome) => outcome.sourceId === "hostile");
        console.log(
          `${depth.toLocaleString("en")} nested elements, ${threads === 0 ? "main thread" : `${threads} parsing threads`}, deadline ${deadlineSeconds} s: ` +
            `the 10 other sources done after ${(Math.max(...others) / 1000).toFixed(2)} s, cycle ${(wallMs / 1000).toFixed(1)} s; ` +
            `hostile ${hostileOutcome?.status}${hostileOutcome?.error ? `: ${hostileOutcome.error.message.slice(0, 110)}…` : ""}`,
        );
      } finally {
        await cleanup();
      }
    },
  );
}

export async function runUnattendedBench(): Promise<void> {
  await sameHost(option("same-host", 60));
  const depth = option("nested", 100_000);
  const deadline = option("deadline", 20);
  await nested(depth, deadline, 2);
  await nested(depth, deadline, 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runUnattendedBench();
}
